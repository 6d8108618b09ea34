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


def footer_html(options: dict, version: str = VERSION, license_path: pathlib.Path = LICENSE,
                ) -> str:
    """The footer's line: the license (a link to LICENSE in the repository) and the version."""
    name = html.escape(license_name(license_path))
    repo = options.get("repository_url", "").rstrip("/")
    branch = options.get("repository_branch") or "main"
    licence = (f'<a href="{html.escape(repo)}/blob/{html.escape(branch)}/{license_path.name}">'
               f"{name}</a>" if repo else name)
    return (f'<p class="knobs-footer">Published under the {licence}. '
            f"Built with knobs {html.escape(version)}, the engine behind every number.</p>")


def add_footer(app, config) -> None:
    """``config-inited``: sphinx-book-theme's ``extra_footer`` gets the line (``_config.yml``
    must not set its own ``html.extra_footer``: one footer, read from the sources)."""
    options = dict(config.html_theme_options)
    if options.get("extra_footer"):
        raise ExtensionError("_config.yml sets html.extra_footer; the footer is written by "
                             "book/_ext/knobs_site/footer.py (license and version). Remove it.")
    options["extra_footer"] = footer_html(options)
    config.html_theme_options = options
