"""The Colab launch button opens the chapter's Colab edition, not its MyST source.

Colab renders Markdown, not MyST: the chapter's own notebook would show every solution in plain
view under its exercise. ``tools/colab_variant.py`` writes a Colab edition of every chapter
(``colab/`` in the repository, the chapter's path below it; solutions in closed dropdowns), kept
current by ``make refresh`` and checked by the tests. sphinx-book-theme links its Colab button to
``…/blob/<branch>/<path of the notebook>``; this points it at the edition, ``…/blob/<branch>/colab/
<path of the notebook>``, and a chapter without an edition is a build warning (an error under
``-W``).
"""

from __future__ import annotations

import pathlib

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
FOLDER = "colab"  # tools.colab_variant.OUT, relative to the repository's root
ROOT = pathlib.Path(__file__).resolve().parents[3]


def edition_url(url: str, branch: str) -> tuple[str, str]:
    """The theme's Colab URL and the edition's path in the repository, for the edition's URL."""
    marker = f"/blob/{branch}/"
    if marker not in url:
        raise ValueError(f"a Colab launch URL without {marker!r}: {url}")
    head, path = url.split(marker, 1)
    return f"{head}{marker}{FOLDER}/{path}", f"{FOLDER}/{path}"


def colab_edition_button(app, pagename: str, templatename: str, context: dict,
                         doctree) -> None:
    """``html-page-context`` (after the theme's launch buttons): the Colab button's new URL."""
    branch = app.config.html_theme_options.get("repository_branch", "main")
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("text") != "Colab":
                continue
            button["url"], path = edition_url(button["url"], branch)
            if not (ROOT / path).is_file():
                LOGGER.warning(f"{pagename}: no Colab edition at {path} "
                               "(make colab; the launch button would open nothing)",
                               location=pagename)
