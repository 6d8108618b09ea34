"""Page metadata and alt text: a ``<meta name="description">`` on every page from its opening
text, readable alt text on every image, and an ``index.html`` redirect with a title."""

from __future__ import annotations

import html
import pathlib
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

DESCRIPTION_CHARS = 160  # what search engines show


def check_alt_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for image in doctree.findall(nodes.image):
        alt = (image.get("alt") or "").strip()
        if len(alt) < 10 or re.fullmatch(r"[\w./-]+\.(png|jpe?g|svg|gif|webp)", alt):
            logger.warning(f"image {image.get('uri')!r} has no readable alt text ({alt!r}); "
                           "give it one (notebook output: cell metadata mystnb.image.alt)",
                           location=image, type="knobs", subtype="alt")


_TEX = [(r"\^\s*\\top\b", "ᵀ"), (r"\\(mathbf|mathrm|boldsymbol|text|operatorname|mathcal)\b", ""),
        (r"\\top\b", "ᵀ"), (r"\\[lr]Vert\b", "‖"), (r"\\ge(q)?\b", "≥"), (r"\\le(q)?\b", "≤"),
        (r"\\cdot\b", "·"), (r"\\in\b", "∈"), (r"\\sigma\b", "σ"), (r"\\[a-zA-Z]+", ""),
        (r"[{}]", ""), (r"\s+", " ")]


def plain_text(node: nodes.Node) -> str:
    """Readable text of a node, with TeX reduced to something a search snippet can show."""
    if isinstance(node, nodes.math | nodes.math_block):
        text = node.astext()
        for pattern, repl in _TEX:
            text = re.sub(pattern, repl, text)
        return text.strip()
    if isinstance(node, nodes.Text):
        return node.astext()
    return "".join(plain_text(child) for child in node.children)


def description(doctree: nodes.document) -> str:
    """The page's opening text (paragraphs and formulas after the title), about 160 chars."""
    parts: list[str] = []
    for node in doctree.findall(lambda n: isinstance(n, nodes.paragraph | nodes.math_block)):
        if node.parent is not None and isinstance(node.parent, nodes.list_item):
            continue
        text = re.sub(r"\s+", " ", plain_text(node)).strip()
        if text:
            parts.append(text)
        if sum(len(p) for p in parts) >= DESCRIPTION_CHARS:
            break
    text = re.sub(r"\s+([.,;:])", r"\1", " ".join(parts))  # "b ." after a display formula
    if len(text) > DESCRIPTION_CHARS:
        text = text[:DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def _book_title(app: Sphinx) -> str:
    return app.config.html_title or app.config.project


def page_description(app: Sphinx, pagename: str, templatename: str, context: dict,
                     doctree) -> None:
    """The page's meta description, unless it has one: its opening text, else its title."""
    metatags = context.get("metatags", "")
    if 'name="description"' not in metatags:
        text = description(doctree) if doctree is not None else ""
        if not text:
            text = f"{context.get('title', pagename)}: {_book_title(app)}"
        context["metatags"] = (metatags + f'\n<meta name="description" '
                               f'content="{html.escape(text, quote=True)}" />')


def write_root_redirect(app: Sphinx, exception) -> None:
    """``index.html`` when the book's root page is elsewhere: a redirect with a title.

    (sphinx-external-toc writes a bare ``<meta http-equiv>`` line when the file is missing;
    this runs first, so every HTML file of the site has a title and a description.)
    """
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    target = app.builder.get_target_uri(app.config.root_doc)
    title = html.escape(_book_title(app))
    (pathlib.Path(app.outdir) / "index.html").write_text(f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="description" content="{title}: start reading at the book's first page.">
<meta http-equiv="Refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body><main><p><a href="{target}">{title}</a></p></main></body>
</html>
""", encoding="utf-8")
