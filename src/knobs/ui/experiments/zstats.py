"""Chapter 2's live experiment: the distribution of z = wᵀx + b for Gaussian inputs x.

Two input features with means ``(mu1, mu2)``, a common standard deviation ``sigma`` and
correlation ``rho``; the neuron ``Linear.from_arrays([[w1, w2]], [b])`` turns a fixed sample of
them into net inputs, whose histogram is drawn with the theoretical ``E[z] = wᵀμ + b`` and
``SD(z) = √(wᵀΣw)`` overlaid.
"""

from __future__ import annotations

import math

import numpy as np

from knobs.analysis.moments import net_input_covariance, net_input_mean
from knobs.nn.linear import Linear
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.language import N_, _
from knobs.ui.plotting import PALETTE, new_figure

SAMPLES = 4000
SEED = 20260  # one fixed sample of standard normals, reused at every slider position
# the axes hold E[z] = wᵀμ + b for every slider setting: |E[z]| ≤ 3·3 + 3·3 + 5 = 23
Z_LIMIT = 25.0
DENSITY_TOP = 0.5  # the peak of N(E[z], SD²) for SD ≥ 0.8; a taller peak is marked off scale


def input_moments(mu1: float, mu2: float, sigma: float, rho: float) -> tuple[np.ndarray, ...]:
    """``μ: (2,)`` and ``Σ = σ² [[1, ρ], [ρ, 1]]: (2, 2)`` of the two input features."""
    mu = np.array([mu1, mu2], dtype=np.float64)
    Sigma = sigma ** 2 * np.array([[1.0, rho], [rho, 1.0]])
    return mu, Sigma


def sample_inputs(mu: np.ndarray, sigma: float, rho: float, m: int = SAMPLES) -> np.ndarray:
    """``X: (m, 2)`` with mean ``mu``, SD ``sigma`` and correlation ``rho`` (``|rho| = 1`` allowed).

    Built as ``x1 = μ1 + σ ε1``, ``x2 = μ2 + σ (ρ ε1 + √(1-ρ²) ε2)`` from one fixed draw of
    ``ε``: no Cholesky factor, so a singular Σ is fine, and moving a slider changes the sample
    smoothly (common random numbers) instead of redrawing it.
    """
    eps = np.random.default_rng(SEED).standard_normal((m, 2))
    x1 = mu[0] + sigma * eps[:, 0]
    x2 = mu[1] + sigma * (rho * eps[:, 0] + math.sqrt(max(0.0, 1.0 - rho * rho)) * eps[:, 1])
    return np.column_stack([x1, x2])


def compute(mu1: float, mu2: float, sigma: float, rho: float, w1: float, w2: float,
            b: float) -> dict:
    """Theory and Monte Carlo for the net input of one neuron on two Gaussian features."""
    mu, Sigma = input_moments(mu1, mu2, sigma, rho)
    w = np.array([w1, w2])
    z = Linear.from_arrays([w], [b]).forward(sample_inputs(mu, sigma, rho))[:, 0]
    mean = net_input_mean(w, b, mu)
    var = net_input_covariance(w, Sigma)
    return {
        "mu": mu, "Sigma": Sigma, "w": w, "b": float(b), "z": z,
        "wmu": float(w @ mu), "mean": mean, "var": var, "sd": math.sqrt(max(var, 0.0)),
        "sample_mean": float(z.mean()), "sample_sd": float(z.std()),
    }


def report(r: dict) -> str:
    return "\n".join([
        _("E[z]  = wᵀμ + b = {wmu:+.3f} {b:+.3f} = {mean:+.3f}   "
          "(sample of {m}: {sample_mean:+.3f})").format(
            wmu=r["wmu"], b=r["b"], mean=r["mean"], m=len(r["z"]), sample_mean=r["sample_mean"]),
        _("SD(z) = √(wᵀΣw) = {sd:.3f}   (sample: {sample_sd:.3f});  "
          "b changes E[z] only, never SD(z)").format(sd=r["sd"], sample_sd=r["sample_sd"]),
    ])


def plot_range(mean: float, sd: float) -> tuple[float, float]:
    """An x-range showing ±4 SD around the mean and the point z = 0 (the activation's kink)."""
    half = max(4.0 * sd, 1.0)
    lo, hi = min(mean - half, -0.5), max(mean + half, 0.5)
    return lo, hi


def draw(r: dict):
    fig, ax = new_figure(f"b sets the location, w the spread: E[z] = {r['mean']:.2f}, "
                         f"SD(z) = {r['sd']:.2f}", "net input z", "density", figsize=(6.0, 3.4))
    # fixed axes at every setting: the reader sees the distribution move and widen, not the axes
    # (and the redraw reuses one rendered background); what falls outside is marked below
    left, right = -Z_LIMIT, Z_LIMIT
    lo, hi = plot_range(r["mean"], r["sd"])
    lo, hi = max(lo, left), min(hi, right)
    z, m = r["z"], len(r["z"])
    bins = 60
    # density of the whole sample (weights), not of the part inside the axes
    weights = np.full(m, bins / (m * (hi - lo)))
    heights, _, _ = ax.hist(z, bins=bins, range=(lo, hi), weights=weights, color=PALETTE["sky"],
                            histtype="stepfilled", alpha=0.7, label=f"{m} samples of z")
    peak = float(np.max(heights))
    if r["sd"] > 0:
        grid = np.linspace(lo, hi, 300)
        u = (grid - r["mean"]) / r["sd"]
        pdf = np.exp(-0.5 * u * u) / (r["sd"] * math.sqrt(2 * math.pi))
        ax.plot(grid, pdf, color=PALETTE["blue"], lw=2, label="N(wᵀμ + b, wᵀΣw)")
        ax.axvspan(r["mean"] - r["sd"], r["mean"] + r["sd"], color=PALETTE["ochre"],
                   alpha=0.15, label="E[z] ± SD(z)")
        peak = max(peak, 1.0 / (r["sd"] * math.sqrt(2 * math.pi)))
    ax.axvline(r["mean"], color=PALETTE["vermillion"], lw=2, label="E[z] = wᵀμ + b")
    ax.axvline(0.0, color=PALETTE["black"], lw=1, ls=":", label="z = 0")
    ax.set_xlim(left, right)
    ax.set_ylim(0.0, DENSITY_TOP)
    note = {"fontsize": 8, "color": PALETTE["black"],
            "bbox": {"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.0}}
    if peak > DENSITY_TOP:
        text = (f"↑ all {m} samples at z = {r['mean']:.2f}" if r["sd"] == 0
                else f"↑ peak {peak:.2g}, off scale")
        side = "left" if r["mean"] < 0.6 * right else "right"
        ax.annotate(text, (r["mean"], DENSITY_TOP), xytext=(3 if side == "left" else -3, -3),
                    textcoords="offset points", ha=side, va="top", **note)
    below, above = int(np.sum(z < left)), int(np.sum(z > right))
    if below:
        ax.text(0.01, 0.04, f"◀ {below} samples below −{right:g}", transform=ax.transAxes,
                ha="left", va="bottom", **note)
    if above:
        ax.text(0.99, 0.04, f"{above} samples above {right:g} ▶", transform=ax.transAxes,
                ha="right", va="bottom", **note)
    ax.legend(loc="upper left" if r["mean"] >= 0 else "upper right", fontsize=8)
    return fig


EXPERIMENT = Experiment(
    name="zstats",
    title=N_("The distribution of the net input z = wᵀx + b"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("mu1", N_("mean μ1"), -3.0, 3.0, 0.5, 1.0),
        Slider("mu2", N_("mean μ2"), -3.0, 3.0, 0.5, -0.5),
        Slider("sigma", N_("input SD σ"), 0.0, 3.0, 0.25, 1.0),
        Slider("rho", N_("correlation ρ"), -1.0, 1.0, 0.1, 0.5),
        Slider("w1", N_("weight w1"), -3.0, 3.0, 0.25, 1.0),
        Slider("w2", N_("weight w2"), -3.0, 3.0, 0.25, 1.0),
        Slider("b", N_("bias b"), -5.0, 5.0, 0.25, 1.0),
    ),
    main="b",
    alt=N_("A histogram of sampled net inputs z with the Gaussian density N(wᵀμ + b, wᵀΣw) drawn "
           "over it, a vertical line at the theoretical mean wᵀμ + b, a shaded band one standard "
           "deviation either side, and a dotted line at z = 0. The axes stay fixed (z from -25 "
           "to 25, density up to 0.5); a note marks samples beyond them or a peak above the top."),
)
