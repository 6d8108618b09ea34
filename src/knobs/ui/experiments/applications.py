"""Chapter 15's live experiment: a diagnostic model moved to a new prevalence by its bias alone.

A logistic model is trained on a cohort with prevalence ``π_train`` and used on a population with
prevalence ``π_deploy``. Its predictions there are compared with the outcomes in a reliability
diagram, before and after adding ``logit π_deploy - logit π_train`` to its bias.
"""

from __future__ import annotations

import numpy as np

from knobs.analysis import logistic
from knobs.nn.activations import sigmoid
from knobs.studies import calibration
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.language import N_, _
from knobs.ui.plotting import PALETTE, new_figure
from knobs.validate import generator, positive_int

# Two biomarkers, Gaussian in each class with a shared covariance: then the true log-odds are
# exactly affine in x, logit P(y=1 | x) = w*·x + b* + logit π, and a logistic model is right.
MEAN_HEALTHY = np.array([0.0, 0.0])
MEAN_DISEASED = np.array([1.2, 0.8])
COVARIANCE = np.array([[1.0, 0.3], [0.3, 1.0]])

N_TRAIN, N_DEPLOY, N_BINS, SEED = 4000, 10_000, 10, 15


def simulate_patients(n: int, prevalence: float, rng: np.random.Generator):
    """``n`` patients from a population with this prevalence: ``X: (n, 2)``, labels ``y: (n,)``.

    Exactly ``round(n · prevalence)`` patients, in random order, are diseased (as in a study
    that recruits a fixed number of cases); their two biomarkers are drawn from
    ``N(MEAN_DISEASED, COVARIANCE)``, the others' from ``N(MEAN_HEALTHY, COVARIANCE)``.
    """
    n = positive_int(n, "n")
    if not 0 < prevalence < 1:
        raise ValueError(f"prevalence must lie in (0, 1), got {prevalence}")
    rng = generator(rng, "simulate_patients")
    y = np.zeros(n)
    y[:int(round(n * prevalence))] = 1.0
    y = rng.permutation(y)
    noise = rng.normal(size=(n, 2)) @ np.linalg.cholesky(COVARIANCE).T
    X = np.where(y[:, None] == 1, MEAN_DISEASED, MEAN_HEALTHY) + noise
    return X, y


def bayes_weights() -> tuple[np.ndarray, float]:
    """The true ``w* = Σ⁻¹(μ₁ - μ₀)`` and ``b*`` (the log-likelihood-ratio part, at ``π = 1/2``)."""
    inv = np.linalg.inv(COVARIANCE)
    w = inv @ (MEAN_DISEASED - MEAN_HEALTHY)
    b = -0.5 * (MEAN_DISEASED @ inv @ MEAN_DISEASED - MEAN_HEALTHY @ inv @ MEAN_HEALTHY)
    return w, float(b)


def diagnose(layer, X, y, pi_train: float, pi_deploy: float) -> dict:
    """Calibration of a trained logistic ``layer`` on deployment data, before and after the shift.

    Args:
        layer: a ``Linear(2, 1)`` trained at prevalence ``pi_train``.
        X, y: deployment features ``(m, 2)`` and labels ``(m,)``.
        pi_train, pi_deploy: the two prevalences.

    Returns:
        The numbers ``report`` prints and ``draw`` plots.
    """
    z = layer.forward(X).ravel()
    shift = calibration.prior_shift(pi_train, pi_deploy)
    p_before, p_after = sigmoid(z), sigmoid(z + shift)
    return {
        "pi_train": pi_train, "pi_deploy": pi_deploy, "observed": float(np.mean(y)),
        "w": layer.W[0].copy(), "b": float(layer.b[0]), "shift": shift,
        "b_corrected": float(layer.b[0]) + shift,
        "mean_before": float(p_before.mean()), "mean_after": float(p_after.mean()),
        "ece_before": calibration.expected_calibration_error(p_before, y, N_BINS),
        "ece_after": calibration.expected_calibration_error(p_after, y, N_BINS),
        "bins_before": calibration.reliability_bins(p_before, y, N_BINS),
        "bins_after": calibration.reliability_bins(p_after, y, N_BINS),
    }


def compute(pi_deploy: float, pi_train: float) -> dict:
    """Train at ``pi_train``, deploy at ``pi_deploy``; calibration before and after the shift."""
    rng = np.random.default_rng(SEED)  # the same patients at every position of the sliders
    X_train, y_train = simulate_patients(N_TRAIN, pi_train, rng)
    X_dep, y_dep = simulate_patients(N_DEPLOY, pi_deploy, rng)
    return diagnose(logistic.fit_logistic(X_train, y_train), X_dep, y_dep, pi_train, pi_deploy)


def report(r: dict) -> str:
    return "\n".join([
        _("trained at prevalence {pi:.2f}: w = ({w1:.3f}, {w2:.3f}), b = {b:+.3f}").format(
            pi=r["pi_train"], w1=r["w"][0], w2=r["w"][1], b=r["b"]),
        _("deployed at prevalence {pi:.2f} (observed {observed:.4f}); "
          "shift logit(pi_deploy) - logit(pi_train) = {shift:+.3f}").format(
            pi=r["pi_deploy"], observed=r["observed"], shift=r["shift"]),
        _("  before: mean predicted {mean:.4f}, ECE {ece:.4f}").format(
            mean=r["mean_before"], ece=r["ece_before"]),
        _("  after:  mean predicted {mean:.4f}, ECE {ece:.4f}  (b = {b:+.3f})").format(
            mean=r["mean_after"], ece=r["ece_after"], b=r["b_corrected"]),
    ])


def draw(r: dict):
    fig, ax = new_figure(f"Bias shifted by {r['shift']:+.2f}: ECE {r['ece_before']:.3f} → "
                         f"{r['ece_after']:.3f}", "predicted probability of disease",
                         "observed frequency of disease", figsize=(5.0, 4.4))
    ax.plot([0, 1], [0, 1], color=PALETTE["black"], lw=1, ls="--", label="perfect calibration")
    for bins, color, marker, label in (
            (r["bins_before"], PALETTE["ochre"], "s", "trained bias"),
            (r["bins_after"], PALETTE["blue"], "o", "corrected bias")):
        size = 20 + 300 * bins.count / bins.total  # marker area ∝ share of patients in the bin
        ax.plot(bins.confidence, bins.frequency, color=color, lw=1.2)
        ax.scatter(bins.confidence, bins.frequency, s=size, color=color, marker=marker,
                   edgecolor="black", zorder=3, label=label)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.legend(loc="upper left")
    return fig


EXPERIMENT = Experiment(
    name="prevalence",
    title=N_("Moving a diagnostic model to a new prevalence"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("pi_deploy", N_("deployment prevalence"), 0.01, 0.99, 0.01, 0.05),
        Slider("pi_train", N_("training prevalence"), 0.1, 0.9, 0.05, 0.5),
    ),
    main="pi_deploy",
    alt=N_("Reliability diagram: mean predicted probability against observed frequency of "
           "disease in ten bins, for the model with its trained bias (squares) and with the bias "
           "shifted by the change in prior log-odds (circles), next to the diagonal of perfect "
           "calibration. Marker size shows how many patients fall in each bin."),
)
