"""The footer of every page says which license the book is under and which version of the
engine printed its numbers: the license's name from ``LICENSE``, the version from
``knobs.__version__``, both read when the site is built (never typed twice)."""

from __future__ import annotations

import html
import pathlib

from sphinx.errors import ExtensionError

from .engine import VERSION

ROOT = pathlib.Path(__file__).resolve().parents[3]
LICENSE = ROOT / "LICENSE"


def license_name(path: pathlib.Path = LICENSE) -> str:
    """The license's title, its file's first non-empty line (``MIT License``)."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    name = next((line for line in lines if line), "")
    if not name:
        raise ExtensionError(f"{path} is empty: the footer names the book's license")
    return name


TEMPLATE = "knobs-footer.html"  # its sentences are Sphinx template messages: translated in the
#                                 Chinese edition from locales/zh_CN/LC_MESSAGES/sphinx.po


def footer_context(options: dict, version: str = VERSION,
                   license_path: pathlib.Path = LICENSE) -> dict[str, str]:
    """What the footer's template shows: the license (a link to LICENSE in the repository)
    and the engine's version."""
    name = html.escape(license_name(license_path))
    repo = options.get("repository_url", "").rstrip("/")
    branch = options.get("repository_branch") or "main"
    licence = (f'<a href="{html.escape(repo)}/blob/{html.escape(branch)}/{license_path.name}">'
               f"{name}</a>" if repo else name)
    return {"license": licence, "version": html.escape(version)}


def add_footer(app, config) -> None:
    """``config-inited``: the footer's template at the end of sphinx-book-theme's footer
    (``_config.yml`` must not set its own ``html.extra_footer``: one footer, read from the
    sources)."""
    options = dict(config.html_theme_options)
    if options.get("extra_footer"):
        raise ExtensionError("_config.yml sets html.extra_footer; the footer is written by "
                             "book/_ext/knobs_site/footer.py (license and version). Remove it.")
    items = options.get("footer_content_items") or [
        "author.html", "copyright.html", "last-updated.html", "extra-footer.html"]
    items = [items] if isinstance(items, str) else list(items)
    options["footer_content_items"] = [*[t for t in items if t != TEMPLATE], TEMPLATE]
    config.html_theme_options = options


def page_footer(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` (before the theme drops templates that render empty)."""
    context["knobs_footer"] = footer_context(app.config.html_theme_options)
