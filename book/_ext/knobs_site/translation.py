"""A translated edition translates what Sphinx's own i18n does not reach.

Sphinx translates a page's paragraphs, headings, captions and the like from the page's catalog
(``locales/<language>/LC_MESSAGES/<page>.po``). Three kinds of text escape it, and are looked up
here in the same catalog, where ``tools/i18n.py`` puts them:

- **worded glued values** (a conclusion the chapter's code computed, such as "one standard
  error"): myst-nb pastes them after Sphinx has translated the page;
- **the alt text of a notebook's figures** (myst-nb's ``mystnb.image.alt`` cell metadata) that
  Sphinx did not extract (it translates the alt text of the images it extracted itself);
- **the navigation's part captions** ("Part I — The net input"): sphinx-external-toc inserts the
  toctrees after Sphinx's translation of the root page.

A worded text without a translation is a build warning (an error under ``-W``).
"""

from __future__ import annotations

import pathlib
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import init as init_locale
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

LOGGER = logging.getLogger(__name__)
WORDS = re.compile(r"[a-z]{2,}")  # tools.i18n.WORDS: "one standard error", not "3.61 GB"


def translated(app) -> bool:
    return bool(app.config.language) and app.config.language != "en"


def page_catalog(app, docname: str):
    dirs = [str(pathlib.Path(app.srcdir, d)) for d in app.config.locale_dirs]
    domain = docname_to_domain(docname, app.config.gettext_compact)
    catalog, _ = init_locale(dirs, app.config.language, domain)
    return catalog


DONE = "knobs_translated"  # a node already translated here (Sphinx may hand it over again)
# Sphinx's i18n translates the alt text of the images it extracted itself: already Chinese
TRANSLATED = re.compile(r"[\u3400-\u9fff]")


def lookup(catalog, text: str, what: str, docname: str, node) -> str | None:
    """The translation of a worded ``text``, or None (a warning when there is none)."""
    if node.get(DONE) or not WORDS.search(text) or TRANSLATED.search(text):
        return None
    node[DONE] = True
    result = catalog.gettext(text)
    if result == text:
        LOGGER.warning(f"{what} {text[:60]!r} has no translation in the catalog of {docname} "
                       "(make catalogs, then translate it)", location=node)
        return None
    return result


def translate_read_texts(app, doctree) -> None:
    """``doctree-read``: figure alt texts and the navigation's captions of this page."""
    if not translated(app):
        return
    docname = app.env.docname
    catalog = page_catalog(app, docname)
    for image in doctree.findall(nodes.image):
        if image.get("alt") and (text := lookup(catalog, image["alt"], "the alt text",
                                                docname, image)):
            image["alt"] = text
    for toctree in doctree.findall(addnodes.toctree):
        if toctree.get("caption") and (text := lookup(catalog, toctree["caption"],
                                                      "the caption", docname, toctree)):
            toctree["caption"] = text


class TranslateGluedText(SphinxPostTransform):
    """Worded glued values, once myst-nb has pasted them."""

    default_priority = 6  # after myst-nb's ReplacePendingGlueReferences (5)

    def run(self, **kwargs) -> None:
        if not translated(self.app):
            return
        docname = self.env.docname
        catalog = page_catalog(self.app, docname)
        for node in list(self.document.findall(nodes.inline)):
            if "pasted-text" in node.get("classes", []) and (
                    text := lookup(catalog, node.astext(), "the glued value", docname, node)):
                node.replace(node.children[0], nodes.Text(text))


def setup_translation(app) -> None:
    app.connect("doctree-read", translate_read_texts, priority=400)  # before the toc collector
    app.add_post_transform(TranslateGluedText)
