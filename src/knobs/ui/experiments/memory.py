"""Chapter 14's experiment: predicted memory of inference, training and checkpointed training.

A network of ``depth`` hidden layers of ``width`` units on ``width`` inputs, float64:

- inference: the parameters plus two consecutive layers of activations;
- training: the parameters, their gradients and every layer's activations;
- training with √L checkpointing: the checkpoints plus one segment's activations.

The engine counts each ``Linear`` and each activation as a layer that keeps its input, so the
predictions use the ``2 L + 1`` arrays of ``L`` (Linear, ReLU) pairs.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullLocator

from knobs.analysis import accounting
from knobs.analysis.checkpoint import predicted_memory
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.language import N_, _, pad
from knobs.ui.plotting import PALETTE, new_figure

MAX_DEPTH = 128  # the depth slider's maximum: the bottom panel always spans 1 .. MAX_DEPTH
# Fixed log axes that hold every value the sliders can give, so the axes stay put while they move:
# the smallest is the inference activations at B = 1, n = 8 (2 · 1 · 8 · 8 = 128 B), the largest
# the training total at L = 128, B = 1024, n = 2048 (parameters, gradients, activations ≈ 13 GB);
# the top two decades leave room for the legends and the totals.
Y_LIMITS = (40.0, 1e12)
BYTE_UNITS = ((1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB"), (1.0, "B"))


def _byte_tick(value: float, _pos=None) -> str:
    """A decade of bytes as a short plain-text label: ``100 B``, ``1 kB``, ``10 GB``."""
    size, name = next(((s, n) for s, n in BYTE_UNITS if value >= s), BYTE_UNITS[-1])
    return f"{value / size:.0f} {name}"


def _byte_axis(ax) -> None:
    """A fixed log y axis in bytes with a plain-text label at every decade."""
    ax.set_yscale("log")
    ax.set_ylim(*Y_LIMITS)
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=20))
    ax.yaxis.set_major_formatter(FuncFormatter(_byte_tick))
    ax.yaxis.set_minor_locator(NullLocator())


def compute(depth: int, batch: int, width: int) -> dict:
    here = predicted_memory(depth, batch, width)
    # the slider's whole range (so the curves do not jump as the depth moves), and this depth
    depths = np.unique(np.r_[np.geomspace(1, MAX_DEPTH, 16).round(), depth].astype(int))
    rows = [predicted_memory(int(L), batch, width) for L in depths]
    curves = {k: np.array([row[k] for row in rows])
              for k in ("params", "inference", "training", "checkpointed")}
    return {"depth": depth, "batch": batch, "width": width, **here, "depths": depths,
            "curves": curves}


def report(r: dict) -> str:
    f = accounting.format_bytes
    train_total = 2 * r["params"] + r["training"]
    rows = [(_("  parameters:"), r["params"], ""),
            (_("  inference activations:"), r["inference"], _("   (two layers at a time)")),
            (_("  training activations:"), r["training"], _("   (every layer, ∝ L·B·n)")),
            (_("  with {segments} checkpointed segments:").format(segments=r["segments"]),
             r["checkpointed"], "")]
    return "\n".join([
        _("L = {L} layers of width n = {n}, batch B = {B} (float64)").format(
            L=r["depth"], n=r["width"], B=r["batch"]),
        # the sizes end in one column, 40 characters from the left
        *(f"{pad(name, 29)} {f(size):>10}{note}" for name, size, note in rows),
        _("  total inference {inference}, total training {training} "
          "(parameters + gradients + activations), {ratio:.1f}x").format(
            inference=f(r["params"] + r["inference"]), training=f(train_total),
            ratio=train_total / (r["params"] + r["inference"])),
    ])


def draw(r: dict):
    c = r["curves"]
    fig, (ax, ax2) = new_figure("Activations kept for training grow with depth; "
                                "those of inference do not", "mode", "memory (log scale)",
                                nrows=2, figsize=(6.4, 6.4))
    names = ["inference", "training", "training,\ncheckpointed"]
    params = np.array([r["params"], 2 * r["params"], 2 * r["params"]], dtype=float)
    acts = np.array([r["inference"], r["training"], r["checkpointed"]], dtype=float)
    pos = np.arange(len(names))
    # side by side, not stacked: on a log scale a stacked bar misstates its parts
    ax.bar(pos - 0.2, params, width=0.4, bottom=Y_LIMITS[0], color=PALETTE["sky"],
           label="parameters (+ grads)")
    ax.bar(pos + 0.2, acts, width=0.4, bottom=Y_LIMITS[0], color=PALETTE["vermillion"],
           label="activations")
    totals = params + acts
    ax.hlines(totals, pos - 0.45, pos + 0.45, color=PALETTE["black"], lw=1.2, label="total")
    for x, total in zip(pos, totals, strict=True):
        ax.text(x, 1.6 * total, accounting.format_bytes(total), ha="center", va="bottom",
                fontsize=8)
    ax.set_xticks(pos, names)
    ax.set_xlim(-0.6, len(names) - 0.4)
    _byte_axis(ax)
    ax.set_title(f"L = {r['depth']}, B = {r['batch']}, n = {r['width']}", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", ncols=3)
    ax2.plot(r["depths"], c["training"], color=PALETTE["vermillion"],
             label="training activations ∝ L")
    ax2.plot(r["depths"], c["checkpointed"], color=PALETTE["ochre"], ls="--",
             label="checkpointed ∝ √L")
    ax2.plot(r["depths"], c["inference"], color=PALETTE["blue"], label="inference: flat")
    ax2.plot(r["depths"], c["params"], color=PALETTE["sky"], ls=":", label="parameters")
    ax2.axvline(r["depth"], color=PALETTE["black"], lw=0.8)
    ax2.set_xscale("log", base=2)
    ax2.set_xlim(0.9, 1.1 * MAX_DEPTH)
    ax2.xaxis.set_major_locator(FixedLocator([2 ** k for k in range(8)]))
    ax2.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    ax2.xaxis.set_minor_locator(NullLocator())
    ax2.set_xlabel("depth L (log scale; the vertical line is this L)")
    _byte_axis(ax2)
    ax2.set_ylabel("memory (log scale)")
    ax2.legend(fontsize=8, loc="upper left", ncols=2)
    return fig


EXPERIMENT = Experiment(
    name="memory",
    title=N_("Memory of inference and training"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("depth", N_("depth L"), 1, MAX_DEPTH, 1, 16, integer=True),
        Slider("batch", N_("batch B"), 1, 1024, 1, 256, integer=True),
        Slider("width", N_("width n"), 8, 2048, 8, 512, integer=True),
    ),
    main="depth",
    alt=N_("Top: side-by-side bars, on a fixed log scale in bytes, of parameter (with gradient) "
           "and activation memory for inference, training and checkpointed training, each mode's "
           "total marked by a line and printed above it. Bottom: memory against depth from 1 to "
           "128 on log-log axes: a rising line for training activations, a slower square-root "
           "curve with checkpointing, a flat line for inference, the parameters dotted, and a "
           "vertical line at the chosen depth."),
)
