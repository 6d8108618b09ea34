"""Chapter 9's live experiment: a fitted dimer potential, its descriptor width η and one bias.

The atomic network is fitted once (with its own fixed seed, Adam and then a Levenberg–Marquardt
finish to a gradient tolerance, as in the chapter) to a Morse curve with H₂-like parameters;
the controls then change the descriptor's ``η`` and shift the bias of one hidden unit. ``η``
reshapes the curve at finite ``r`` but cannot move the far field, because ``G → 0`` for every
``η``; a bias moves the far field by ``2 v_k (tanh(b_k + Δb) - tanh(b_k))``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from knobs.nn.activations import Tanh
from knobs.nn.linear import Linear
from knobs.nn.module import Sequential
from knobs.studies import dimer_potential
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.language import N_, _
from knobs.ui.plotting import PALETTE, new_figure

ETA_FIT = 0.5          # Å⁻², the descriptor width used for the fit
N_HIDDEN = 4
SEED = 9
GRAD_TOL = 1e-11       # the fit is finished to this gradient tolerance, as in the chapter
R_TRAIN = np.geomspace(0.6, 5.0, 60)   # denser where the curve bends
E_TRAIN = dimer_potential.h2_reference(R_TRAIN)
R_PLOT = np.linspace(0.6, 8.0, 150)
R_FAR = 100.0          # Å: G = exp(-η r²) is below 1e-200 here for every η of the slider


@lru_cache(maxsize=1)
def fitted() -> tuple[np.ndarray, ...]:
    """The fitted parameters ``(W1, b1, W2, b2)`` (computed once, then reused)."""
    model, _ = dimer_potential.fit_atomic_network(R_TRAIN, E_TRAIN, ETA_FIT, N_HIDDEN,
                                        np.random.default_rng(SEED), steps=2000, lr=0.2,
                                        grad_tol=GRAD_TOL)
    return tuple(a.copy() for a in (model[1].W, model[1].b, model[3].W, model[3].b))


def network(eta: float, unit: int = 1, delta_b: float = 0.0) -> Sequential:
    """A fresh copy of the fitted network with descriptor ``eta`` and ``b[unit-1] += delta_b``."""
    W1, b1, W2, b2 = fitted()
    b1 = b1.copy()
    b1[unit - 1] += delta_b
    return Sequential(dimer_potential.GaussianDescriptor(eta), Linear.from_arrays(W1, b1), Tanh(),
                      Linear.from_arrays(W2, b2))


def compute(eta: float, unit: int, delta_b: float) -> dict:
    """Curves and far fields of the fitted network and of its modified copy."""
    base, model = network(ETA_FIT), network(eta, unit, delta_b)
    E = dimer_potential.dimer_energy(model, R_PLOT)
    k = unit - 1
    v, b = model[3].W[0, k], fitted()[1][k]
    return {
        "eta": float(eta), "unit": int(unit), "delta_b": float(delta_b),
        "r": R_PLOT, "E": E, "E_fit": dimer_potential.dimer_energy(base, R_PLOT),
        "E_ref": dimer_potential.h2_reference(R_PLOT),
        "far_bias": 2 * dimer_potential.far_field_energy(model),
        "far_model": float(dimer_potential.dimer_energy(model, np.array([R_FAR]))[0]),
        "far_fit": 2 * dimer_potential.far_field_energy(base),
        "predicted_shift": float(2 * v * (np.tanh(b + delta_b) - np.tanh(b))),
        "v": float(v), "b": float(b),
        "r_min": float(R_PLOT[np.argmin(E)]), "E_min": float(E.min()),
        "E_true_far": 2 * dimer_potential.E_H_ATOM,
    }


def _signed(x: float) -> str:
    return f"{0.0 if abs(x) < 5e-5 else x:+.4f}"   # no "-0.0000" from rounding noise


def report(r: dict) -> str:
    return "\n".join([
        _("eta = {eta:.2f} Å⁻², bias of unit {unit} shifted by {delta_b:+.2f} "
          "(b = {b:+.3f}, output weight v = {v:+.3f})").format(
            eta=r["eta"], unit=r["unit"], delta_b=r["delta_b"], b=r["b"], v=r["v"]),
        _("  E(inf) from the biases, 2 (sum v_k tanh(b_k) + c): {far:.4f} eV").format(
            far=r["far_bias"]),
        _("  the model evaluated at r = {r:g} Å:               {far:.4f} eV").format(
            r=R_FAR, far=r["far_model"]),
        _("  shift from the fitted far field {fit:.4f} eV: {shift} eV "
          "(2 v (tanh(b + Δb) - tanh(b)) = {predicted} eV)").format(
            fit=r["far_fit"], shift=_signed(r["far_bias"] - r["far_fit"]),
            predicted=_signed(r["predicted_shift"])),
        _("  lowest energy on the plotted grid: {E:.3f} eV at r = {r:.2f} Å").format(
            E=r["E_min"], r=r["r_min"]),
    ])


@lru_cache(maxsize=1)
def energy_limits() -> tuple[float, float]:
    """y limits that hold every curve of the figure for every setting of the sliders.

    The energy at each ``r`` (and the far field) is monotonic in the shifted bias (``tanh`` is),
    so the extremes over ``Δb`` lie at the ends of its slider; ``η`` and the unit are swept.
    """
    lo, hi = float(E_TRAIN.min()), 2 * dimer_potential.E_H_ATOM
    delta_b = EXPERIMENT.control("delta_b")
    for eta in EXPERIMENT.control("eta").values():
        for unit in EXPERIMENT.control("unit").values():
            for shift in (delta_b.min, delta_b.max):
                r = compute(eta, unit, shift)
                lo = min(lo, float(r["E"].min()), float(r["E_ref"].min()))
                hi = max(hi, float(r["E"].max()), r["far_bias"])
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def draw(r: dict):
    moved = abs(r["far_bias"] - r["far_fit"]) > 5e-3
    title = (f"A bias moved E(∞) to {r['far_bias']:.2f} eV" if moved else
             f"E(∞) stays at {r['far_bias']:.2f} eV: only the biases set it")
    fig, ax = new_figure(title, "distance r (Å)", "dimer energy E (eV)", figsize=(6.4, 3.8))
    ax.plot(r["r"], r["E_ref"], color=PALETTE["black"], ls=":", lw=1.5, label="Morse reference")
    ax.plot(r["r"], r["E_fit"], color=PALETTE["blue"], lw=1.5, alpha=0.6,
            label=f"fitted network (η = {ETA_FIT:g})")
    ax.plot(r["r"], r["E"], color=PALETTE["ochre"], lw=2.2,
            label=f"η = {r['eta']:.2f}, Δb{r['unit']} = {r['delta_b']:+.2f}")
    ax.axhline(r["far_bias"], color=PALETTE["vermillion"], ls="--", lw=1.2,
               label="E(∞) read off the biases")
    # fixed axes: the curve and the far field move as η and the bias change, the axes do not
    ax.set_xlim(R_PLOT[0] - 0.3, R_PLOT[-1] + 0.3)
    ax.set_ylim(*energy_limits())
    ax.legend(loc="best", fontsize=8)   # the axes are fixed: let the legend avoid the curves
    return fig


EXPERIMENT = Experiment(
    name="dimer",
    title=N_("A dimer potential: the descriptor width and one bias"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("eta", N_("descriptor η (Å⁻²)"), 0.05, 2.0, 0.05, ETA_FIT),
        Slider("unit", N_("hidden unit k"), 1, N_HIDDEN, 1, 1, integer=True),
        Slider("delta_b", N_("shift of b_k"), -3.0, 3.0, 0.1, 0.0),
    ),
    main="delta_b",
    alt=N_("The energy of two atoms against their distance: a dotted Morse reference curve, the "
           "fitted network, the network after changing η or one bias, and a dashed horizontal "
           "line at the far-field energy computed from the biases, which the curve approaches at "
           "large distance."),
)
