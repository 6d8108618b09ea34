"""Figures on the page: shown at the CSS width they were drawn for, and enlarged on a tap where
the column is narrower (a phone).

A notebook figure's PNG has ``DENSITY`` image pixels per CSS pixel (``knobs.ui.plotting``) and
carries its CSS width in the output's metadata, which myst-nb writes on the ``<img>``. The frames
of the kernel-free experiments (``frames``) are drawn at the same density without that metadata:
the script sizes them from their pixel width (``data-density`` on its ``<script>`` tag). On a
narrow screen a figure is scaled down to the column; the script then lets a tap or Enter show it
at its full width in a dialog that scrolls sideways.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .engine import DENSITY

FIGURES = ".cell_output img, img.knobs-static-figure"  # what the script enhances (a CSS selector)


def page_assets(app: Sphinx, pagename: str, templatename: str, context: dict,
                doctree) -> None:
    """The figures' script and style on pages that show a figure."""
    body = context.get("body", "")
    if "<img" not in body:
        return
    app.add_css_file("knobs-figures.css")
    app.add_js_file("knobs-figures.js", loading_method="defer",
                    **{"data-density": str(DENSITY), "data-figures": FIGURES})
