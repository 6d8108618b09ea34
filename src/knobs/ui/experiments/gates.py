"""Chapter 1's live experiment: two weights and a bias drive one threshold neuron."""

from __future__ import annotations

import numpy as np

from knobs.studies import logic_gates
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.language import N_, _, named
from knobs.ui.plotting import PALETTE, new_figure


def compute(w1: float, w2: float, b: float) -> dict:
    """The neuron ``step(w1 x1 + w2 x2 + b)`` on the four binary inputs."""
    w = np.array([w1, w2])
    z = logic_gates.INPUTS @ w + b
    outputs = logic_gates.truth_table(w, b)
    norm = float(np.hypot(w1, w2))
    return {
        "w": w, "b": float(b), "z": z, "outputs": outputs,
        "gate": logic_gates.gate_name(outputs),
        # signed distance of the boundary from the origin; undefined when w = 0 (no boundary)
        "has_boundary": norm > 0,
        "offset": float(-b / norm) if norm > 0 else float("inf"),
    }


def report(r: dict) -> str:
    rows = [f"  x = ({int(x1)}, {int(x2)})   z = {z:+.2f}   y = {int(y)}"
            for (x1, x2), z, y in zip(logic_gates.INPUTS, r["z"], r["outputs"], strict=True)]
    where = (_("boundary at signed distance -b/|w| = {offset:+.3f} from the origin").format(
                 offset=r["offset"])
             if r["has_boundary"] else _("w = 0: no boundary, the output is the same everywhere"))
    head = _("w = ({w1:g}, {w2:g}), b = {b:g}: the neuron computes {gate}").format(
        w1=r["w"][0], w2=r["w"][1], b=r["b"], gate=named(r["gate"]))
    return "\n".join([head, *rows, where])


# the names of Boolean functions that have words (AND, XOR, x1 are names in every language)
GATE_WORDS = (N_("TRUE"), N_("FALSE"), N_("NOT x1"), N_("NOT x2"))


def draw(r: dict):
    fig, ax = new_figure(f"w = ({r['w'][0]:g}, {r['w'][1]:g}), b = {r['b']:g} implements "
                         f"{r['gate']}", "input x1", "input x2", figsize=(4.6, 4.2))
    lim = (-0.6, 1.6)
    xx, yy = np.meshgrid(np.linspace(*lim, 200), np.linspace(*lim, 200))
    zz = r["w"][0] * xx + r["w"][1] * yy + r["b"]
    ax.contourf(xx, yy, (zz >= 0).astype(float), levels=[-0.5, 0.5, 1.5],
                colors=[PALETTE["ochre"], PALETTE["sky"]], alpha=0.25)
    if r["has_boundary"]:
        ax.contour(xx, yy, zz, levels=[0.0], colors=[PALETTE["black"]], linewidths=1.5)
        # the normal vector w, drawn from the boundary point closest to the origin
        foot = -r["b"] * r["w"] / float(r["w"] @ r["w"])
        ax.annotate("", xy=foot + 0.3 * r["w"] / np.linalg.norm(r["w"]), xytext=foot, zorder=4,
                    arrowprops={"arrowstyle": "-|>", "color": PALETTE["vermillion"], "lw": 2,
                                "mutation_scale": 16})
    for (x1, x2), y in zip(logic_gates.INPUTS, r["outputs"], strict=True):
        ax.scatter(x1, x2, s=160, marker="o" if y else "s", zorder=3, edgecolor="black",
                   color=PALETTE["blue"] if y else PALETTE["ochre"])
        ax.annotate(f"y={int(y)}", (x1, x2), xytext=(8, 8), textcoords="offset points")
    ax.set_xlim(*lim)
    ax.set_ylim(*lim)
    ax.set_aspect("equal")
    return fig


EXPERIMENT = Experiment(
    name="gates",
    title=N_("One threshold neuron, two weights and a bias"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("w1", N_("weight w1"), -3.0, 3.0, 0.25, 1.0),
        Slider("w2", N_("weight w2"), -3.0, 3.0, 0.25, 1.0),
        Slider("b", N_("bias b"), -3.0, 3.0, 0.25, -1.5),
    ),
    main="b",
    alt=N_("The four binary inputs in the plane, coloured by the neuron's output, with the "
           "decision boundary w1 x1 + w2 x2 + b = 0 as a line and the weight vector as its "
           "normal."),
)
