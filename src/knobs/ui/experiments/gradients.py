"""Chapter 6's live experiment: where a neuron operates decides how much w and b can learn."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from knobs.analysis import backprop
from knobs.nn import activations
from knobs.ui.experiments.base import Choice, Experiment, Slider
from knobs.ui.language import N_, _, named, pad
from knobs.ui.plotting import PALETTE, new_figure

W = 1.0            # the neuron's weight; the bias is set so that z lands on the chosen point
Z_GRID = np.linspace(-8.0, 8.0, 161)
EPS = 1e-6         # step of the central differences
AGREE = 1e-7       # an error below this means "finite differences agree"
Z_RANGE = (-8.0, 8.0)      # the sliders' ranges: the axes are fixed to hold every setting
A_IN_RANGE = (-2.0, 2.0)
Y_RANGE = (-1.0, 1.0)
Z_STEP = 0.25
X_LIMITS = (-8.8, 8.8)     # the z range with matplotlib's usual 5 % margin


def compute(activation: str, z: float, a_in: float, y: float) -> dict:
    """One neuron ``a = f(w a_in + b)`` with loss ``C = (a - y)²`` at operating point ``z``.

    The weight is fixed at ``w = 1`` and the bias chosen as ``b = z - w a_in``. Returns every
    factor of the chain rule at ``z``, their curves over ``Z_GRID`` (moving ``b``), and the
    errors of the analytic gradients against central differences.
    """
    b = z - W * a_in
    X, target = np.array([[a_in]]), np.array([y])
    g = backprop.neuron_gradients([W], b, X, target, activation)
    errors = backprop.neuron_gradcheck([W], b, X, target, activation, eps=EPS)
    f = activations.get(activation)
    # the same chain rule along the whole z axis (a_in and y fixed, b moving)
    a_grid = f.function(Z_GRID)
    delta_grid = 2.0 * (a_grid - y) * f.derivative(Z_GRID)
    # a central difference straddles ReLU's kink when z is within a few eps of 0
    at_kink = activation == "relu" and abs(float(g.z[0])) <= 10 * EPS * (1.0 + abs(a_in))
    return {
        "activation": activation, "w": W, "b": float(b), "a_in": float(a_in), "y": float(y),
        "z": float(g.z[0]), "a": float(g.a[0]), "responsibility": float(g.responsibility[0]),
        "activity": float(g.activity[0]), "delta": float(g.delta[0]),
        "dw": float(g.dw[0]), "db": float(g.db),
        "error_w": errors["w"], "error_b": errors["b"], "at_kink": at_kink,
        "z_grid": Z_GRID, "f_grid": a_grid, "slope_grid": f.derivative(Z_GRID),
        "dw_grid": delta_grid * a_in, "db_grid": delta_grid,
    }


def report(r: dict) -> str:
    rows = [
        (_("output a = f(z)"), r["a"]),
        (_("responsibility dC/da = 2(a - y)"), r["responsibility"]),
        (_("activity f'(z)"), r["activity"]),
        ("delta = dC/da * f'(z)", r["delta"]),
        ("dC/dw = delta * a_in", r["dw"]),
        ("dC/db = delta * 1", r["db"]),
    ]
    lines = [_("{activation} neuron, w = {w:g}, b = {b:+.2f}, input a_in = {a_in:+.2f}, "
               "target y = {y:+.2f}: operating point z = {z:+.2f}").format(
                 activation=named(r["activation"]), w=r["w"], b=r["b"], a_in=r["a_in"], y=r["y"],
                 z=r["z"])]
    lines += [f"  {pad(name, 34)}{value + 0.0:+.4g}" for name, value in rows]  # + 0.0: no "-0"
    if r["at_kink"]:
        lines.append(_("z = 0 is the kink of ReLU: the engine takes f'(0) = 0 (as PyTorch does); "
                       "a central difference straddles the kink and returns the average slope, "
                       "so it cannot referee this point"))
    else:
        ok = {k: _("yes") if r[f"error_{k}"] < AGREE else _("NO") for k in ("w", "b")}
        lines.append(_("central differences agree to {agree:.0e}: dC/dw {w}, dC/db {b}").format(
            agree=AGREE, w=ok["w"], b=ok["b"]))
    return "\n".join(lines)


@lru_cache(maxsize=8)
def gradient_limits(activation: str) -> tuple[float, float]:
    """y limits of the gradient panel that hold both curves for every a_in, y and z of the sliders.

    ``delta = 2 (f(z) - y) f'(z)`` is linear in ``y`` and ``dC/dw = delta a_in`` is bilinear in
    ``(y, a_in)``, so their extremes lie at the corners of the sliders' ranges.
    """
    f = activations.get(activation)
    z = np.union1d(Z_GRID, np.arange(Z_RANGE[0], Z_RANGE[1] + Z_STEP / 2, Z_STEP))
    a, slope = f.function(z), f.derivative(z)
    curves = [2.0 * (a - y) * slope * a_in for y in Y_RANGE for a_in in (*A_IN_RANGE, 1.0)]
    lo, hi = min(float(c.min()) for c in curves), max(float(c.max()) for c in curves)
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def draw(r: dict):
    fig, (ax0, ax1) = new_figure(
        f"{r['activation']} at z = {r['z']:+.2f}: f'(z) = {r['activity']:.3g}, "
        f"so dC/db = {r['db']:.3g} and dC/dw = {r['dw']:.3g}",
        "net input z", "value", nrows=2, figsize=(6.4, 6.0))
    ax0.plot(r["z_grid"], r["f_grid"], label="f(z)", color=PALETTE["blue"])
    ax0.plot(r["z_grid"], r["slope_grid"], label="f'(z)", color=PALETTE["ochre"], ls="--")
    ax0.axvline(r["z"], color=PALETTE["black"], lw=0.8)
    ax0.plot([r["z"]], [r["activity"]], "o", color=PALETTE["ochre"], ms=7)
    ax0.set_title("the activation and its slope", fontsize=10)
    ax0.legend(loc="upper left")
    ax0.set_xlim(*X_LIMITS)
    ax1.plot(r["z_grid"], r["db_grid"], label="dC/db = delta", color=PALETTE["green"])
    ax1.plot(r["z_grid"], r["dw_grid"], label="dC/dw = delta * a_in",
             color=PALETTE["vermillion"], ls="--")
    ax1.axvline(r["z"], color=PALETTE["black"], lw=0.8)
    ax1.plot([r["z"], r["z"]], [r["db"], r["dw"]], "o", color=PALETTE["black"], ms=6)
    ax1.set_xlabel("net input z (moving b, a_in fixed)")
    ax1.set_ylabel("gradient")
    ax1.set_title(f"gradients for a_in = {r['a_in']:g}, y = {r['y']:g}", fontsize=10)
    ax1.legend(loc="upper left")
    # fixed axes (per activation): the curves move as a_in and y change, the axes do not
    ax1.set_xlim(*X_LIMITS)
    ax1.set_ylim(*gradient_limits(r["activation"]))
    return fig


EXPERIMENT = Experiment(
    name="gradients",
    title=N_("One neuron's gradients at an operating point"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Choice("activation", N_("activation"), ("sigmoid", "tanh", "relu", "identity"), "sigmoid"),
        Slider("z", N_("operating point z"), *Z_RANGE, Z_STEP, 1.0),
        Slider("a_in", N_("input a_in"), *A_IN_RANGE, 0.25, 0.5),
        Slider("y", N_("target y"), *Y_RANGE, 0.25, 0.0),
    ),
    main="z",
    alt=N_("Two panels over the net input z from -8 to 8. Top: the activation f(z) and its slope "
           "f'(z), with the operating point marked. Bottom: the gradients dC/db = delta and "
           "dC/dw = delta times a_in along z; both shrink to zero where f is flat."),
)
