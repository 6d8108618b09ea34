"""Figure style for the book: one colour-blind-safe palette and labelled, titled axes, drawn
sharp for 2x screens at the size the page shows them."""

from __future__ import annotations

import importlib
import io
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.rcsetup import cycler
from matplotlib.typing import RcKeyType
from PIL import Image

# Okabe & Ito (2008) where their colours reach 3:1 contrast against the white figure background
# (WCAG's minimum for lines and marks): blue, green, vermillion, purple, black. Their orange
# (2.3:1), sky blue (2.3:1) and yellow (1.3:1) do not; darkening orange makes it vermillion's twin
# for protanopes, so an ochre and a mid blue take their places, chosen to stay apart under
# simulated protan, deutan and tritan vision (tests/ui/test_plotting.py computes both checks).
PALETTE = {
    "blue": "#0072B2",
    "ochre": "#9C7440",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#5C95E6",
    "purple": "#CC79A7",
    "black": "#000000",
}
CYCLE = [PALETTE[k] for k in ("blue", "ochre", "green", "vermillion", "sky", "purple", "black")]

# A figure is shown at its natural CSS size: figure.dpi CSS pixels per inch, so a font of p points
# is p * 100/72 CSS pixels (8 pt, the smallest text of any figure, is 11 px). PNGs carry DENSITY
# image pixels per CSS pixel (sharp on 2x screens) and say their CSS width in their metadata.
DENSITY = 2
CSS_PX_PER_INCH = 100
# The page's column is ~650 CSS pixels wide on a desktop (pydata-sphinx-theme at 1280 px): a wider
# figure would be scaled down and its 8 pt text would drop below 10 px.
MAX_WIDTH_IN = 6.4

STYLE: dict[RcKeyType, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": CSS_PX_PER_INCH,
    "savefig.dpi": CSS_PX_PER_INCH * DENSITY,
    "axes.prop_cycle": cycler(color=CYCLE),
    "axes.grid": True,
    "axes.axisbelow": True,  # grid and ticks under the data (and what knobs.ui.redraw relies on)
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.frameon": False,
    "svg.hashsalt": "knobs",  # deterministic ids in SVG output
}


def png(fig: Figure) -> bytes:
    """The figure as the page shows it: ``savefig.dpi`` (DENSITY pixels per CSS pixel), cropped
    to its contents, in 256 colours (flat-coloured plots lose nothing visible; a third of the
    bytes of 8-bit RGBA)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
    image = Image.open(buffer).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                   dither=Image.Dither.NONE).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _png_with_width(fig: Figure) -> tuple[bytes, dict] | None:
    if not fig.axes:
        return None  # nothing to show (what IPython's own formatter does too)
    data = png(fig)
    width = Image.open(io.BytesIO(data)).width
    # only the width: a browser then scales the height with it (myst-nb passes both to the page,
    # and a fixed height would distort the figure in a narrower column)
    return data, {"width": round(width / DENSITY)}


def use_book_style() -> None:
    """Apply the book's matplotlib style (every chapter calls it once, in its imports cell).

    In a notebook, figures are then shown as ``png`` makes them, with their CSS width in the
    output's metadata (JupyterLab and the website show them at that width).
    """
    plt.rcParams.update(STYLE)
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    backend = matplotlib.get_backend()
    if backend.startswith("module://"):
        # pyplot loads the inline backend at the first figure, and that import registers
        # IPython's own PNG formatter: load it now, so that ours comes after it
        importlib.import_module(backend.removeprefix("module://"))
    shell.display_formatter.formatters["image/png"].for_type(Figure, _png_with_width)


def cover(limits, values, factor: float = 1.0) -> tuple[float, float]:
    """Axis limits ``(low, high)``, widened only where ``values`` fall outside them.

    A live figure keeps fixed limits so that its axes stay put while the sliders move; this
    keeps them honest when a setting produces data beyond them (the figure then gets other
    axes rather than clipped data). For a log axis, ``factor > 1`` leaves room: a widened
    bound is the data's extreme divided (low) or multiplied (high) by ``factor``.
    """
    values = np.asarray(values, dtype=np.float64)
    lo, hi = float(np.min(values)), float(np.max(values))
    return (min(float(limits[0]), lo / factor), max(float(limits[1]), hi * factor))


def new_figure(title: str, xlabel: str, ylabel: str, ncols: int = 1, figsize=None,
               nrows: int = 1):
    """A figure whose axes are titled and labelled from the start. Returns ``(fig, ax)``, or
    ``(fig, axes)`` for several panels: ``nrows`` stacks them one above the other, which keeps
    each panel the column's full width (``ncols`` puts them side by side, each a fraction of it).

    Raises ``ValueError`` for a figure wider than ``MAX_WIDTH_IN``: the page would shrink it.
    """
    use_book_style()
    width = (figsize or STYLE["figure.figsize"])[0]
    if width > MAX_WIDTH_IN:
        raise ValueError(f"a figure {width} in wide is shown scaled down and its text becomes "
                         f"too small to read: at most {MAX_WIDTH_IN} in (stack panels instead)")
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained")
    panels = nrows * ncols
    ax0 = axes if panels == 1 else axes.flat[0]
    ax0.set_xlabel(xlabel)
    ax0.set_ylabel(ylabel)
    (fig.suptitle if panels > 1 else ax0.set_title)(title)
    return fig, axes
