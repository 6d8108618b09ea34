"""Chapter 11's live experiment: layer widths in, parameter count and Hessian memory out.

A dense network ``n_in → h1 → h2 → n_out`` is built by the engine (zero-initialized, so no
randomness and little time), its parameters are counted from its own arrays, and the memory of
the parameters, of their gradient and of a full Hessian is compared with two machines.
"""

from __future__ import annotations

import math

import numpy as np

from knobs.analysis import accounting
from knobs.nn.activations import ReLU
from knobs.nn.linear import Linear
from knobs.nn.module import Sequential, count_parameters
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.language import N_, _
from knobs.ui.plotting import PALETTE, new_figure

MACHINES = {N_("laptop (16 GB)"): 16e9, N_("large GPU (80 GB)"): 80e9}


def build(n_in: int, h1: int, h2: int, n_out: int) -> Sequential:
    """``Linear(n_in, h1) → ReLU → Linear(h1, h2) → ReLU → Linear(h2, n_out)``, zero weights."""
    return Sequential(Linear(n_in, h1, init="zeros"), ReLU(), Linear(h1, h2, init="zeros"), ReLU(),
                      Linear(h2, n_out, init="zeros"))


def compute(n_in: int, h1: int, h2: int, n_out: int) -> dict:
    model = build(n_in, h1, h2, n_out)
    params = model.parameters()
    layers = [(i, params[f"{i}.W"].size, params[f"{i}.b"].size) for i in (0, 2, 4)]
    n = count_parameters(model)
    return {
        "sizes": (n_in, h1, h2, n_out), "layers": layers, "n_params": n,
        "formula": accounting.dense_parameter_count([n_in, h1, h2, n_out]),
        "param_bytes": n * 8, "hessian_entries": accounting.hessian_entries(n),
        "hessian_bytes": accounting.hessian_bytes(n),
    }


def report(r: dict) -> str:
    rows = [_("  layer {k}: {w:,} in W + {b:,} in b = {total:,}").format(
                k=k + 1, w=w, b=b, total=w + b)
            for k, (_index, w, b) in enumerate(r["layers"])]
    fits = [_(name) for name, cap in MACHINES.items() if r["hessian_bytes"] <= cap]
    return "\n".join([
        _("network {sizes}:").format(sizes=" → ".join(str(s) for s in r["sizes"])),
        *rows,
        _("  total {n:,} parameters (formula Σ n_in·n_out + n_out: {formula:,}), "
          "{size} in float64").format(n=r["n_params"], formula=r["formula"],
                                       size=accounting.format_bytes(r["param_bytes"])),
        _("  full Hessian: {entries:,} entries, {size} in float64; fits in: {machines}").format(
            entries=r["hessian_entries"], size=accounting.format_bytes(r["hessian_bytes"]),
            machines=", ".join(fits) if fits else _("neither machine")),
    ])


CONTROLS = (
    Slider("n_in", N_("inputs"), 1, 1000, 1, 100, integer=True),
    Slider("h1", N_("hidden layer 1"), 1, 1024, 1, 128, integer=True),
    Slider("h2", N_("hidden layer 2"), 1, 512, 1, 64, integer=True),
    Slider("n_out", N_("outputs"), 1, 100, 1, 1, integer=True),
)
# Fixed axes over the whole control box (every count grows with every width, so the extremes are
# at the smallest and largest widths): the bars move as the sliders do, the axes stay.
_WIDEST = [int(c.max) for c in CONTROLS]  # integer sliders: the bounds are whole numbers
_LARGEST_LAYER = max(a * b for a, b in zip(_WIDEST[:-1], _WIDEST[1:], strict=True))
COUNT_LIMITS = (0.5, 10.0 ** (math.ceil(math.log10(_LARGEST_LAYER)) + 2))  # room for labels
_MOST_BYTES = accounting.hessian_bytes(accounting.dense_parameter_count(_WIDEST))
_FEWEST_BYTES = 8 * accounting.dense_parameter_count([int(c.min) for c in CONTROLS])
BYTE_LIMITS = (10.0 ** math.floor(math.log10(_FEWEST_BYTES)),
               max(1e15, 10 ** math.ceil(math.log10(10 * _MOST_BYTES))))


def draw(r: dict):
    fig, (ax0, ax1) = new_figure(
        f"{r['n_params']:,} parameters need a {accounting.format_bytes(r['hessian_bytes'])} "
        "Hessian", "layer (its widths n_in→n_out above the bars)", "parameters (log scale)",
        nrows=2, figsize=(6.4, 6.0))
    x = np.arange(3)
    w = [layer[1] for layer in r["layers"]]
    b = [layer[2] for layer in r["layers"]]
    ax0.bar(x - 0.2, w, width=0.4, color=PALETTE["blue"], label="weights n_in·n_out")
    ax0.bar(x + 0.2, b, width=0.4, color=PALETTE["ochre"], label="biases n_out")
    ax0.set_yscale("log")
    ax0.set_ylim(*COUNT_LIMITS)
    ax0.set_xlim(-0.6, 2.6)
    ax0.set_xticks(x, [f"layer {k + 1}" for k in x])
    for k, (n_in, n_out) in enumerate(zip(r["sizes"][:-1], r["sizes"][1:], strict=True)):
        ax0.annotate(f"{n_in}→{n_out}\n{w[k] + b[k]:,}", (k, max(w[k], b[k])), xytext=(0, 3),
                     textcoords="offset points", ha="center", va="bottom", fontsize=8)
    ax0.set_title("parameters per layer", fontsize=10)
    ax0.legend(loc="upper right", fontsize=8)
    labels = ["parameters", "gradient", "Hessian"]
    values = [r["param_bytes"], r["param_bytes"], r["hessian_bytes"]]
    ax1.bar(labels, values, color=[PALETTE["blue"], PALETTE["sky"], PALETTE["vermillion"]])
    ax1.set_yscale("log")
    for (name, cap), color in zip(MACHINES.items(), (PALETTE["green"], PALETTE["purple"]),
                                  strict=True):
        ax1.axhline(cap, color=color, ls="--", lw=1.2, label=name)
    ax1.set_ylim(*BYTE_LIMITS)
    ax1.set_xlabel("what is stored (float64)")
    ax1.set_ylabel("bytes (log scale)")
    ax1.set_title("memory", fontsize=10)
    ax1.legend(loc="upper left", fontsize=8)
    return fig


EXPERIMENT = Experiment(
    name="counting",
    title=N_("Layer widths, parameter count and the memory of a full Hessian"),
    compute=compute,
    draw=draw,
    report=report,
    controls=CONTROLS,
    main="h1",
    alt=N_("Top: on a log scale, side-by-side bars of the weights and the biases of each of the "
           "three dense layers, each pair labelled with the layer's widths and its total. "
           "Bottom: on a log scale, the bytes of the parameters, of their gradient and of the "
           "full Hessian, with dashed lines at 16 GB and 80 GB."),
)
