"""Chapter 10's live experiment: a one-hidden-layer ReLU network built to interpolate a target.

``knobs.studies.universal_approximation.relu_interpolant`` turns ``n`` hidden units into the
piecewise-linear interpolant of the target on ``n`` equal pieces: unit ``k`` has weight 1 and
bias ``-t_k``, so its kink sits at the knot ``t_k``. The top panel shows the network against
the target with the knots; the bottom panel the largest error for every width of the slider,
which falls like ``1/n²`` for smooth targets.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from knobs.nn.module import count_parameters
from knobs.studies import universal_approximation as ap
from knobs.ui.experiments.base import Choice, Experiment, Slider
from knobs.ui.language import N_, _, named
from knobs.ui.plotting import PALETTE, cover, new_figure

MAX_WIDTH = 40
# the targets' names as a reader reads them (the menu's values are the study's names)
TARGET_NAMES = (N_("bump"), N_("wave"), N_("kink"))
X_PLOT = np.linspace(0.0, 1.0, 400)


@lru_cache(maxsize=len(ap.TARGETS))
def error_curve(target: str) -> np.ndarray:
    """``max |f̂_n - f|`` for every width ``n = 1 .. MAX_WIDTH`` (computed once per target)."""
    f = ap.TARGETS[target]
    return np.array([ap.max_error(ap.relu_interpolant(f, n), f) for n in range(1, MAX_WIDTH + 1)])


def compute(target: str, width: int) -> dict:
    f = ap.TARGETS[target]
    model = ap.relu_interpolant(f, width)
    knots = -model[0].b                      # each bias places one kink
    return {
        "target": target, "width": int(width), "x": X_PLOT, "y": f(X_PLOT),
        "y_hat": model.forward(X_PLOT[:, None])[:, 0], "knots": knots, "knot_values": f(knots),
        "error": ap.max_error(model, f), "errors": error_curve(target),
        "n_params": count_parameters(model),
    }


def report(r: dict) -> str:
    return (_("target '{target}', {width} hidden ReLU units ({n_params} parameters): "
              "largest error {error:.4f} on [0, 1]; the biases place the kinks at x = {knots}")
            .format(target=named(r["target"]), width=r["width"], n_params=r["n_params"],
                    error=r["error"], knots=", ".join(f"{t:.3f}" for t in r["knots"][:4]))
            + (", ..." if r["width"] > 4 else ""))


# The same axes for every target and width, so the curves move and the axes stay (and the
# figure's background is cached): the targets' values on [0, 1] (the network interpolates them,
# so it stays in their range), with room for the legend, and the errors of ``ap.TARGETS`` with
# their 1/n² reference line for n = 1 .. 40. ``cover`` widens a range that would clip the data
# (a new target), which costs that figure the cached background but never hides a curve.
_VALUES = np.concatenate([f(X_PLOT) for f in ap.TARGETS.values()])
_SPAN = float(np.ptp(_VALUES))
Y_LIMITS = (float(_VALUES.min()) - 0.1 * _SPAN, float(_VALUES.max()) + 0.1 * _SPAN)
ERROR_LIMITS = (5e-4, 20.0)
WIDTH_LIMITS = (0.8, 1.25 * MAX_WIDTH)


def draw(r: dict):
    units = "1 hidden unit reaches" if r["width"] == 1 else f"{r['width']} hidden units reach"
    title = (f"{units} a largest error of {r['error']:.3f}; "
             "more units, smaller error")
    fig, (ax0, ax1) = new_figure(title,
                                 "input x", "output", nrows=2, figsize=(6.4, 6.0))
    ax0.plot(r["x"], r["y"], color=PALETTE["black"], ls=":", lw=2, label="target f")
    ax0.plot(r["x"], r["y_hat"], color=PALETTE["blue"], lw=1.8, label="ReLU network")
    ax0.plot(r["knots"], r["knot_values"], "o", color=PALETTE["ochre"], ms=4,
             label="kinks at x = -b_k")
    ax0.set_xlim(-0.02, 1.02)
    ax0.set_ylim(*cover(Y_LIMITS, np.concatenate([r["y"], r["y_hat"]])))
    ax0.legend(loc="best", fontsize=8)
    ax0.set_title("network vs target", fontsize=10)
    n = np.arange(1, MAX_WIDTH + 1)
    reference = r["errors"][-1] * (MAX_WIDTH / n) ** 2
    ax1.set_xscale("log")
    ax1.set_yscale("log")
    ax1.plot(n, r["errors"], "o-", color=PALETTE["blue"], ms=3, label="largest error")
    ax1.plot(n, reference, color=PALETTE["green"], ls="--", label="∝ 1/n²")
    ax1.plot([r["width"]], [r["error"]], "o", color=PALETTE["vermillion"], ms=9,
             label="this width")
    ax1.set_xlim(*WIDTH_LIMITS)
    ax1.set_ylim(*cover(ERROR_LIMITS, np.concatenate([r["errors"], reference]), 1.5))
    ax1.set_xlabel("hidden units n")
    ax1.set_ylabel("largest |f̂ - f|")
    ax1.set_title("error against width", fontsize=10)
    ax1.legend(loc="lower left", fontsize=8)
    return fig


EXPERIMENT = Experiment(
    name="approximation",
    title=N_("One hidden layer of ReLU units interpolates any continuous target"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Choice("target", N_("target function"), tuple(ap.TARGETS), "wave"),
        Slider("width", N_("hidden units n"), 1, MAX_WIDTH, 1, 8, integer=True),
    ),
    main="width",
    alt=N_("Top: a target function on [0, 1] as a dotted curve and the ReLU network's "
           "piecewise-linear approximation, with dots at the kinks placed by the biases. Bottom: "
           "the largest error against the number of hidden units on log-log axes, with a dashed "
           "1/n² reference line and the current width highlighted."),
)
