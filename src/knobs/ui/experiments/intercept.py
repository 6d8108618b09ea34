"""Chapter 4's second live experiment: how strongly to penalize the intercept.

A straight-line fit ``y ≈ w x + b`` in homogeneous coordinates, ``w̃ = [w; b]``, minimizes
``mean((w̃ᵀx̃ - y)²) + λ ‖D w̃‖²`` with ``D = diag(1, d_b)``. The bias factor ``d_b = 0`` is common
practice (an unpenalized intercept); ``d_b > 0`` pulls ``b``, and with it the mean prediction,
towards 0. The feature is centred exactly, so ``b = ȳ / (1 + λ d_b²)`` in closed form.
"""

from __future__ import annotations

import numpy as np

from knobs.analysis import regularization as reg
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.language import N_, _
from knobs.ui.plotting import PALETTE, new_figure

SEED = 11
M, SLOPE, NOISE = 40, 1.5, 0.6


def problem(y_mean: float) -> tuple[np.ndarray, np.ndarray]:
    """``M`` points, the feature centred exactly, the target with mean exactly ``y_mean``."""
    rng = np.random.default_rng(SEED)
    x = rng.uniform(-2.0, 2.0, size=M)
    x -= x.mean()
    noise = NOISE * rng.normal(size=M)
    y = SLOPE * x + (noise - noise.mean()) + y_mean
    return x[:, None], y


def compute(lam: float, bias_factor: float, y_mean: float) -> dict:
    X, y = problem(y_mean)
    fit = reg.ridge(X, y, lam, reg.penalty_matrix(1, 1.0, bias_factor))
    free = reg.ridge(X, y, lam, reg.penalty_matrix(1, 1.0, 0.0))  # the intercept left alone
    X_tilde = reg.augment(X)
    y_hat, y_hat_free = X_tilde @ fit, X_tilde @ free
    return {
        "lam": lam, "bias_factor": bias_factor, "y_mean": float(y.mean()),
        "x": X[:, 0], "y": y,
        "w": float(fit[0]), "b": float(fit[1]), "w_free": float(free[0]), "b_free": float(free[1]),
        "b_formula": float(y.mean() / (1.0 + lam * bias_factor**2)),
        "mean_pred": float(y_hat.mean()), "mean_pred_free": float(y_hat_free.mean()),
        "mse": float(np.mean((y_hat - y) ** 2)), "mse_free": float(np.mean((y_hat_free - y) ** 2)),
    }


def _f(v: float) -> str:
    """Signed, 4 decimals; rounding noise around 0 prints as +0.0000, never -0.0000."""
    return f"{round(v, 4) + 0.0:+.4f}"


def report(r: dict) -> str:
    return "\n".join([
        _("λ = {lam:g}, D = diag(1, {d_b:g}), target mean ȳ = {y_mean}").format(
            lam=r["lam"], d_b=r["bias_factor"], y_mean=_f(r["y_mean"])),
        _("  penalized intercept: w = {w}, b = {b} (ȳ/(1 + λ d_b²) = {formula}), "
          "mean prediction {mean}, MSE {mse:.4f}").format(
            w=_f(r["w"]), b=_f(r["b"]), formula=_f(r["b_formula"]), mean=_f(r["mean_pred"]),
            mse=r["mse"]),
        _("  free intercept:      w = {w}, b = {b}, mean prediction {mean}, MSE {mse:.4f}").format(
            w=_f(r["w_free"]), b=_f(r["b_free"]), mean=_f(r["mean_pred_free"]), mse=r["mse_free"]),
    ])


def _title(r: dict) -> str:
    if r["y_mean"] == 0:
        return "ȳ = 0: the intercept penalty has nothing to pull on"
    if r["lam"] * r["bias_factor"] ** 2 == 0:
        return "No penalty on b: the fit keeps the target mean"
    kept = r["b"] / r["y_mean"]
    return f"Penalizing b keeps only {kept:.0%} of the target mean"


def draw(r: dict):
    fig, ax = new_figure(_title(r), "feature x (centred)", "target y", figsize=(6.0, 4.0))
    ax.scatter(r["x"], r["y"], s=18, color=PALETTE["black"], alpha=0.6, label="data")
    grid = np.linspace(-2.2, 2.2, 2)
    ax.plot(grid, r["w_free"] * grid + r["b_free"], color=PALETTE["ochre"], lw=2, ls="--",
            label=f"d_b = 0: b = {round(r['b_free'], 2) + 0.0:+.2f}")
    ax.plot(grid, r["w"] * grid + r["b"], color=PALETTE["blue"], lw=2.5,
            label=f"d_b = {r['bias_factor']:g}: b = {round(r['b'], 2) + 0.0:+.2f}")
    ax.axhline(r["y_mean"], color=PALETTE["green"], lw=1, ls=":", label="target mean ȳ")
    ax.axhline(0.0, color=PALETTE["black"], lw=0.8)
    ax.set_ylim(-8.5, 8.5)
    ax.legend(loc="best", fontsize=8)
    return fig


EXPERIMENT = Experiment(
    name="intercept",
    title=N_("Penalizing the intercept in homogeneous coordinates"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("lam", N_("penalty λ"), 0.0, 10.0, 0.25, 1.0),
        Slider("bias_factor", N_("bias factor d_b in D"), 0.0, 2.0, 0.1, 1.0),
        Slider("y_mean", N_("target mean ȳ"), -4.0, 4.0, 0.5, 3.0),
    ),
    main="bias_factor",
    alt=N_("Scatter of forty points with a straight-line trend around the target mean, the "
           "fitted line with a penalized intercept and the fitted line with a free intercept, "
           "and horizontal lines at the target mean and at zero."),
)
