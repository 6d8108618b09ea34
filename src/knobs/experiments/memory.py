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

from .. import accounting
from ..checkpoint import sqrt_segments
from ..plotting import PALETTE, new_figure
from .base import Experiment, Slider

UNITS = ((1e9, "GB"), (1e6, "MB"), (1e3, "kB"), (1.0, "B"))


def _unit(largest: float) -> tuple[float, str]:
    """The largest decimal unit in which ``largest`` bytes is at least 1."""
    return next((size, name) for size, name in UNITS if largest >= size or size == 1.0)


def module_sizes(depth: int, width: int) -> list[int]:
    """Widths of the ``2 depth + 1`` arrays a (Linear, ReLU) stack passes along."""
    return [width] * (2 * depth + 1)


def predict(depth: int, batch: int, width: int) -> dict:
    """Bytes of parameters, gradients and activations in the three modes."""
    sizes = module_sizes(depth, width)
    params = accounting.dense_parameter_count([width] * (depth + 1)) * 8
    segments = sqrt_segments(len(sizes) - 1)
    return {
        "params": params,
        "inference": accounting.activation_bytes(sizes, batch, training=False),
        "training": accounting.activation_bytes(sizes, batch),
        "checkpointed": accounting.checkpointed_activation_bytes(sizes, batch, segments),
        "segments": segments,
    }


def compute(depth: int, batch: int, width: int) -> dict:
    here = predict(depth, batch, width)
    depths = np.unique(np.linspace(1, max(depth, 2), 16).round().astype(int))
    curves = {k: np.array([predict(int(L), batch, width)[k] for L in depths])
              for k in ("params", "inference", "training", "checkpointed")}
    return {"depth": depth, "batch": batch, "width": width, **here, "depths": depths,
            "curves": curves}


def report(r: dict) -> str:
    f = accounting.format_bytes
    train_total = 2 * r["params"] + r["training"]
    return "\n".join([
        f"L = {r['depth']} layers of width n = {r['width']}, batch B = {r['batch']} (float64)",
        f"  parameters:                 {f(r['params']):>10}",
        f"  inference activations:      {f(r['inference']):>10}   (two layers at a time)",
        f"  training activations:       {f(r['training']):>10}   (every layer, ∝ L·B·n)",
        f"  with {r['segments']} checkpointed segments: {f(r['checkpointed']):>10}",
        f"  total inference {f(r['params'] + r['inference'])}, total training "
        f"{f(train_total)} (parameters + gradients + activations), "
        f"{train_total / (r['params'] + r['inference']):.1f}x",
    ])


def draw(r: dict):
    c = r["curves"]
    scale, unit = _unit(2 * r["params"] + max(r["training"], float(c["training"].max())))
    fig, (ax, ax2) = new_figure("Training memory grows with depth; inference memory does not",
                                "", f"memory ({unit})", ncols=2, figsize=(10.0, 3.6))
    names = ["inference", "training", "training,\ncheckpointed"]
    params = np.array([r["params"], 2 * r["params"], 2 * r["params"]]) / scale
    acts = np.array([r["inference"], r["training"], r["checkpointed"]]) / scale
    ax.bar(names, params, color=PALETTE["sky"], label="parameters (+ gradients)")
    ax.bar(names, acts, bottom=params, color=PALETTE["vermillion"], label="activations")
    ax.set_xlabel(f"mode (L = {r['depth']}, B = {r['batch']}, n = {r['width']})")
    ax.set_ylim(0, 1.25 * float(max(params + acts)))
    ax.legend(fontsize=8, loc="upper left")
    ax2.plot(r["depths"], c["training"] / scale, color=PALETTE["vermillion"],
             label="training activations ∝ L")
    ax2.plot(r["depths"], c["checkpointed"] / scale, color=PALETTE["orange"], ls="--",
             label="checkpointed ∝ √L")
    ax2.plot(r["depths"], c["inference"] / scale, color=PALETTE["blue"], label="inference: flat")
    ax2.plot(r["depths"], c["params"] / scale, color=PALETTE["sky"], ls=":", label="parameters")
    ax2.axvline(r["depth"], color=PALETTE["black"], lw=0.8)
    ax2.xaxis.get_major_locator().set_params(integer=True)
    ax2.set_xlabel("depth L")
    ax2.set_ylabel(f"memory ({unit})")
    ax2.set_title("activation memory against depth")
    ax2.legend(fontsize=8)
    return fig


EXPERIMENT = Experiment(
    name="memory",
    title="Memory of inference and training",
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("depth", "depth L", 1, 128, 1, 16, integer=True),
        Slider("batch", "batch B", 1, 1024, 1, 256, integer=True),
        Slider("width", "width n", 8, 2048, 8, 512, integer=True),
    ),
    main="depth",
    alt=("Left: stacked bars of parameter and activation memory for inference, training and "
         "checkpointed training. Right: activation memory against depth, a rising line for "
         "training, a slower square-root curve with checkpointing, and a flat line for "
         "inference."),
    chapter="book/part3/14-memory",
)
