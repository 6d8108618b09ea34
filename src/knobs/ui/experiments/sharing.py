"""Chapter 12's experiments: what weight sharing saves, and what it buys.

- ``EXPERIMENT``: image size, kernel, stride and filters -> the parameters of a convolution, of a
  locally connected layer with the same wiring, and of a dense layer with the same input and
  output sizes.
- ``motif_signals`` and ``train_detector``: a pattern detector trained on signals where the
  pattern only ever appears on the left, tested on signals where it appears on the right.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from knobs.analysis import accounting
from knobs.nn.activations import ReLU
from knobs.nn.conv import Conv2d, GlobalAvgPool2d, LocallyConnected2d, conv_output_size
from knobs.nn.linear import Linear
from knobs.nn.losses import BCEWithLogitsLoss
from knobs.nn.module import Sequential, train_step
from knobs.nn.optim import SGD
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.plotting import PALETTE, new_figure

C_IN = 3  # an RGB image


def compute(size: int, kernel: int, stride: int, filters: int) -> dict:
    """Parameter counts of the three layers on a ``3 × size × size`` image."""
    geometry = {"image_size": size, "c_in": C_IN, "c_out": filters, "kernel": kernel,
                "stride": stride}
    patches = accounting.patch_count(size, kernel, stride)
    conv = accounting.conv_parameter_count(C_IN, filters, kernel)
    local = accounting.locally_connected_parameter_count(**geometry)
    dense = accounting.dense_image_parameter_count(**geometry)
    return {"size": size, "kernel": kernel, "stride": stride, "filters": filters,
            "out_side": conv_output_size(size, kernel, stride),
            "patches": patches, "conv": conv, "local": local, "dense": dense,
            "ratio": conv / local}


def report(r: dict) -> str:
    return "\n".join([
        f"{C_IN} x {r['size']} x {r['size']} image, {r['filters']} filters of "
        f"{r['kernel']} x {r['kernel']}, stride {r['stride']}: "
        f"{r['out_side']} x {r['out_side']} = {r['patches']:,} patches",
        f"  convolution (one shared filter bank): {r['conv']:>20,} parameters",
        f"  locally connected (one bank per patch): {r['local']:>18,} parameters",
        f"  dense (same input and output sizes):  {r['dense']:>20,} parameters",
        f"  conv / locally connected = 1/{round(1 / r['ratio']):,} = 1/(number of patches)",
    ])


CONTROLS = (
    Slider("size", "image side", 16, 256, 16, 32, integer=True),
    Slider("kernel", "kernel side", 1, 11, 1, 3, integer=True),
    Slider("stride", "stride", 1, 4, 1, 1, integer=True),
    Slider("filters", "filters", 1, 64, 1, 16, integer=True),
)
# Each count grows with the image side and the filters and shrinks with the kernel and stride
# (the convolution's grows with the kernel), so the largest over the whole control box is at a
# corner. The axis is fixed from it, with room on the right for the printed counts: the bars
# move as the sliders do, the axis stays (and the figure's background is cached).
_LARGEST = max(max(r["conv"], r["local"], r["dense"])
               for r in (compute(*corner) for corner in
                         itertools.product(*(c.grid(2) for c in CONTROLS))))
X_LIMITS = (1.0, 10.0 ** (math.ceil(math.log10(_LARGEST)) + 4))


def draw(r: dict):
    fig, ax = new_figure(f"Sharing one filter bank divides the count by {r['patches']:,} patches",
                         "parameters (log scale)", "", figsize=(6.4, 2.8))
    names = ["convolution", "locally connected", "dense"]
    values = [r["conv"], r["local"], r["dense"]]
    colors = [PALETTE["blue"], PALETTE["orange"], PALETTE["vermillion"]]
    ax.barh(names, values, color=colors)
    ax.set_xscale("log")
    ax.set_xlim(*X_LIMITS)  # fixed over the control box, with room for the labels
    for k, v in enumerate(values):
        ax.annotate(f"{v:,}", (v, k), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=9)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    return fig


EXPERIMENT = Experiment(
    name="sharing",
    title="Convolution, locally connected, dense: the parameter counts",
    compute=compute,
    draw=draw,
    report=report,
    controls=CONTROLS,
    main="size",
    alt=("Horizontal bars on a logarithmic axis: the parameter counts of a convolution, a locally "
         "connected layer with the same wiring, and a dense layer with the same input and output "
         "sizes, for an RGB image; the locally connected bar exceeds the convolution's by the "
         "number of patches."),
    chapter="book/part3/12-weight-sharing",
)


# --- the pattern detector ---------------------------------------------------------------------

MOTIF = np.array([1.0, 1.0, -1.0, -1.0])  # class 1 shows this step down, class 0 its negative


def motif_signals(n: int, length: int, positions, rng: np.random.Generator,
                  noise: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """``n`` noisy 1-D signals, each carrying ``±MOTIF`` at one of ``positions``.

    Returns ``X: (n, 1, 1, length)`` (images of height 1) and labels ``y: (n, 1)`` in {0, 1}.
    """
    positions = np.asarray(positions)
    if positions.min() < 0 or positions.max() + len(MOTIF) > length:
        raise ValueError(f"positions must lie in 0..{length - len(MOTIF)}, got {positions}")
    X = noise * rng.normal(size=(n, 1, 1, length))
    y = rng.integers(0, 2, size=(n, 1)).astype(float)
    starts = rng.choice(positions, size=n)
    for k in range(n):
        X[k, 0, 0, starts[k]:starts[k] + len(MOTIF)] += MOTIF if y[k, 0] else -MOTIF
    return X, y


def detector(kind: str, length: int, filters: int, rng: np.random.Generator) -> Sequential:
    """Filters of width ``len(MOTIF)``, ReLU, a global average over positions, one logit.

    ``kind="conv"`` shares the filters across positions; ``kind="local"`` gives every position
    its own: the only difference between the two models.
    """
    kernel = (1, len(MOTIF))
    if kind == "conv":
        first = Conv2d(1, filters, kernel, rng=rng)
    elif kind == "local":
        first = LocallyConnected2d(1, filters, (1, length), kernel, rng=rng)
    else:
        raise ValueError(f"kind must be 'conv' or 'local', got {kind!r}")
    return Sequential(first, ReLU(), GlobalAvgPool2d(), Linear(filters, 1, rng=rng))


def accuracy(model: Sequential, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of signals whose logit has the sign of the label."""
    return float(np.mean((model.forward(X) > 0) == (y > 0.5)))


def train_detector(model: Sequential, X, y, steps: int = 300, lr: float = 0.5) -> list[float]:
    """Full-batch SGD with momentum on the logistic loss; returns the loss at every step."""
    loss, opt = BCEWithLogitsLoss(), SGD(model, lr=lr, momentum=0.9)
    return [train_step(model, loss, opt, X, y) for _ in range(steps)]
