"""Chapter 16's live experiment: how far the features sit from the origin sets the curvature.

One logistic neuron is trained by gradient descent on two features whose mean is ``(μ, μ)``,
once on the raw features and once on the centered ones. Centering is only a change of bias
(``b' = b + wᵀμ``), so both runs can reach the same predictions; but the Hessian of the loss in
``(w, b)`` has very different eigenvalues, and gradient descent pays for the spread.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from knobs.analysis import logistic
from knobs.nn.activations import sigmoid
from knobs.nn.losses import BCEWithLogitsLoss
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.language import N_, _, pad
from knobs.ui.plotting import PALETTE, new_figure
from knobs.validate import generator, positive_int

TRUE_W = np.array([1.5, -1.0])
N_SAMPLES, STEPS, TOLERANCE, FLOOR, SEED = 200, 1000, 1e-6, 1e-10, 16


def make_data(m: int, offset: float, spread: float, rng: np.random.Generator):
    """``m`` samples with features ``N((offset, offset), spread² I)`` and logistic labels.

    The labels follow ``P(y=1 | x) = σ(TRUE_Wᵀ(x - offset))``, so the classes overlap and the
    best weights are finite. Returns ``X: (m, 2)`` and ``y: (m,)``.
    """
    m = positive_int(m, "m")
    if not spread > 0:
        raise ValueError(f"spread must be > 0, got {spread}")
    rng = generator(rng, "make_data")
    X = offset + spread * rng.normal(size=(m, 2))
    logits = (X - offset) @ TRUE_W / spread
    y = (rng.random(m) < sigmoid(logits)).astype(np.float64)
    return X, y


def steps_to(gaps: np.ndarray, tolerance: float) -> int:
    """The first step at which the loss gap is below ``tolerance`` (``len(gaps)`` if never)."""
    below = np.flatnonzero(gaps < tolerance)
    return int(below[0]) if below.size else len(gaps)


def compute(offset: float, spread: float) -> dict:
    """Eigenvalues at zero and gradient-descent loss gaps, raw against centered features."""
    r = _compute(offset, spread)
    # copies: the cached result must not change if a caller edits what it gets
    return r | {name: {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in r[name].items()}
                for name in ("raw", "centered")}


@lru_cache(maxsize=256)  # a slider's 17 x 8 positions all fit; each run costs ~30 ms of descent
def _compute(offset: float, spread: float) -> dict:
    X, y = make_data(N_SAMPLES, offset, spread, np.random.default_rng(SEED))
    best = logistic.fit_logistic(X, y)  # Newton: the same optimum for both parametrizations
    optimum = float(BCEWithLogitsLoss().forward(best.forward(X), y[:, None]))
    out: dict[str, object] = {"offset": offset, "spread": spread, "optimum": optimum}
    for name, features in (("raw", X), ("centered", X - X.mean(axis=0))):
        H = logistic.hessian_at_zero(features)
        eig = np.linalg.eigvalsh(H)
        _, losses = logistic.gradient_descent(features, y, lr=1.0 / eig[-1], steps=STEPS)
        gaps = np.maximum(losses - optimum, 1e-16)  # rounding can dip a hair below the optimum
        out[name] = {"eigenvalues": eig, "condition": float(eig[-1] / eig[0]), "gaps": gaps,
                     "steps": steps_to(gaps, TOLERANCE)}
    return out


def _steps(n: int) -> str:
    return f"{n} steps" if n <= STEPS else f"more than {STEPS} steps"


def _report_steps(n: int) -> str:
    return (_("{n} steps").format(n=n) if n <= STEPS
            else _("more than {steps} steps").format(steps=STEPS))


def report(r: dict) -> str:
    lines = [_("features ~ N(({offset:g}, {offset:g}), {spread:g}² I), {m} samples; "
               "gradient descent with lr = 1/λ_max").format(
                 offset=r["offset"], spread=r["spread"], m=N_SAMPLES)]
    for name, shown in (("raw", _("raw")), ("centered", _("centered"))):
        d = r[name]
        eig = ", ".join(f"{v:.4f}" for v in d["eigenvalues"])
        lines.append("  " + _(
            "{name}: Hessian eigenvalues at 0 = ({eigenvalues}), condition number "
            "{condition:.1f}; loss within {tolerance:g} of the optimum after {steps}").format(
                name=pad(shown, 7, ">"), eigenvalues=eig, condition=d["condition"],
                tolerance=TOLERANCE, steps=_report_steps(d["steps"])))
    return "\n".join(lines)


def draw(r: dict):
    raw, cen = r["raw"], r["centered"]
    fig, ax = new_figure(f"Offset {r['offset']:g}: condition number {raw['condition']:.0f} raw, "
                         f"{cen['condition']:.1f} centered", "gradient-descent step",
                         "loss minus its minimum", figsize=(5.6, 3.8))
    every = max(1, STEPS // 300)  # 300 points draw the curve; thousands only cost time
    for d, color, label in ((raw, PALETTE["ochre"], "raw"), (cen, PALETTE["blue"], "centered")):
        # below FLOOR the gap is rounding noise: the curve stops there
        end = steps_to(d["gaps"], FLOOR)
        t = np.unique(np.r_[np.arange(0, min(end + 1, d["gaps"].size), every),
                            min(end, d["gaps"].size - 1)])
        ax.semilogy(t, np.maximum(d["gaps"][t], FLOOR), color=color, lw=2,
                    label=f"{label}: {_steps(d['steps'])}")
    ax.axhline(TOLERANCE, color=PALETTE["black"], lw=1, ls=":", label="tolerance")
    ax.set_ylim(FLOOR / 3, 3.0)
    # every run's full length (the autoscaled view of a run that lasts all STEPS), fixed so that
    # the axes stay put when both runs stop early
    ax.set_xlim(-0.05 * STEPS, 1.05 * STEPS)
    ax.legend(loc="center right")
    # plain-text tick labels: mathtext ones would dominate the drawing time
    ax.yaxis.set_major_locator(LogLocator(numticks=6))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0e}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    return fig


EXPERIMENT = Experiment(
    name="centering",
    title=N_("Centering the features and the curvature of the logistic loss"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("offset", N_("feature mean μ"), 0.0, 8.0, 0.5, 4.0),
        Slider("spread", N_("feature spread"), 0.25, 2.0, 0.25, 1.0),
    ),
    main="offset",
    alt=N_("The loss minus its minimum against the gradient-descent step, on a log scale, for "
           "raw features (ochre) and centered features (blue), with the tolerance as a dotted "
           "line; the title gives the condition number of the Hessian at (w, b) = 0 for both."),
)
