"""Chapter 11's live experiment: layer widths in, parameter count and Hessian memory out.

A dense network ``n_in → h1 → h2 → n_out`` is built by the engine (zero-initialized, so no
randomness and little time), its parameters are counted from its own arrays, and the memory of
the parameters, of their gradient and of a full Hessian is compared with two machines.
"""

from __future__ import annotations

from .. import accounting
from ..activations import ReLU
from ..layers import Linear
from ..model import Sequential
from ..plotting import PALETTE, new_figure
from .base import Experiment, Slider

MACHINES = {"laptop (16 GB)": 16e9, "large GPU (80 GB)": 80e9}


def build(n_in: int, h1: int, h2: int, n_out: int) -> Sequential:
    """``Linear(n_in, h1) → ReLU → Linear(h1, h2) → ReLU → Linear(h2, n_out)``, zero weights."""
    return Sequential(Linear(n_in, h1, init="zeros"), ReLU(), Linear(h1, h2, init="zeros"), ReLU(),
                      Linear(h2, n_out, init="zeros"))


def compute(n_in: int, h1: int, h2: int, n_out: int) -> dict:
    model = build(n_in, h1, h2, n_out)
    params = model.parameters()
    layers = [(i, params[f"{i}.W"].size, params[f"{i}.b"].size) for i in (0, 2, 4)]
    n = accounting.count_parameters(model)
    return {
        "sizes": (n_in, h1, h2, n_out), "layers": layers, "n_params": n,
        "formula": accounting.dense_parameter_count([n_in, h1, h2, n_out]),
        "param_bytes": n * 8, "hessian_entries": accounting.hessian_entries(n),
        "hessian_bytes": accounting.hessian_bytes(n),
    }


def report(r: dict) -> str:
    rows = [f"  layer {k + 1}: {w:,} in W + {b:,} in b = {w + b:,}"
            for k, (_, w, b) in enumerate(r["layers"])]
    fits = [name for name, cap in MACHINES.items() if r["hessian_bytes"] <= cap]
    return "\n".join([
        f"network {' → '.join(str(s) for s in r['sizes'])}:",
        *rows,
        f"  total {r['n_params']:,} parameters (formula Σ n_in·n_out + n_out: {r['formula']:,}), "
        f"{accounting.format_bytes(r['param_bytes'])} in float64",
        f"  full Hessian: {r['hessian_entries']:,} entries, "
        f"{accounting.format_bytes(r['hessian_bytes'])} in float64; fits in: "
        + (", ".join(fits) if fits else "neither machine"),
    ])


def draw(r: dict):
    fig, (ax0, ax1) = new_figure(
        f"{r['n_params']:,} parameters need a {accounting.format_bytes(r['hessian_bytes'])} "
        "Hessian", "layer", "parameters", ncols=2, figsize=(9.0, 3.6))
    names = [f"{a}→{b}" for a, b in zip(r["sizes"][:-1], r["sizes"][1:], strict=True)]
    w = [x[1] for x in r["layers"]]
    b = [x[2] for x in r["layers"]]
    ax0.bar(names, w, color=PALETTE["blue"], label="weights n_in·n_out")
    ax0.bar(names, b, bottom=w, color=PALETTE["orange"], label="biases n_out")
    ax0.set_title("parameters per layer", fontsize=10)
    ax0.legend(loc="upper right", fontsize=8)
    labels = ["parameters", "gradient", "Hessian"]
    values = [r["param_bytes"], r["param_bytes"], r["hessian_bytes"]]
    ax1.bar(labels, values, color=[PALETTE["blue"], PALETTE["sky"], PALETTE["vermillion"]])
    ax1.set_yscale("log")
    for (name, cap), color in zip(MACHINES.items(), (PALETTE["green"], PALETTE["purple"]),
                                  strict=True):
        ax1.axhline(cap, color=color, ls="--", lw=1.2, label=name)
    ax1.set_ylim(1e2, max(1e15, 10 * r["hessian_bytes"]))
    ax1.set_xlabel("what is stored (float64)")
    ax1.set_ylabel("bytes (log scale)")
    ax1.set_title("memory", fontsize=10)
    ax1.legend(loc="upper left", fontsize=8)
    return fig


EXPERIMENT = Experiment(
    name="counting",
    title="Layer widths, parameter count and the memory of a full Hessian",
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("n_in", "inputs", 1, 1000, 1, 100, integer=True),
        Slider("h1", "hidden layer 1", 1, 1024, 1, 128, integer=True),
        Slider("h2", "hidden layer 2", 1, 512, 1, 64, integer=True),
        Slider("n_out", "outputs", 1, 100, 1, 1, integer=True),
    ),
    main="h1",
    alt=("Left: stacked bars of weights and biases for each of the three dense layers. Right: "
         "on a log scale, the bytes of the parameters, of their gradient and of the full "
         "Hessian, with dashed lines at 16 GB and 80 GB."),
    chapter="book/part3/11-counting-knobs",
)
