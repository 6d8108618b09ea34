"""Figure style for the book: one colour-blind-safe palette and labelled, titled axes."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.rcsetup import cycler
from matplotlib.typing import RcKeyType

# Okabe & Ito (2008), safe for the common forms of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
CYCLE = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]

STYLE: dict[RcKeyType, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
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


def use_book_style() -> None:
    """Apply the book's matplotlib style (every chapter calls it once, in its imports cell)."""
    plt.rcParams.update(STYLE)


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


def new_figure(title: str, xlabel: str, ylabel: str, ncols: int = 1, figsize=None):
    """A figure whose axes are titled and labelled from the start. Returns ``(fig, ax)``."""
    use_book_style()
    fig, axes = plt.subplots(1, ncols, figsize=figsize, layout="constrained")
    ax0 = axes if ncols == 1 else axes[0]
    ax0.set_xlabel(xlabel)
    ax0.set_ylabel(ylabel)
    (fig.suptitle if ncols > 1 else ax0.set_title)(title)
    return fig, axes
