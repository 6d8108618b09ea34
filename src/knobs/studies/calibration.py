"""Calibration of predicted probabilities, and the prior-shift correction of a bias.

By Bayes' rule the log-odds of a class given ``x`` split into two terms,

    logit P(y=1 | x) = log p(x | y=1) / p(x | y=0) + logit π,

a likelihood ratio that the features decide and the prior log-odds ``logit π`` of the class
prevalence ``π``. When only the prevalence changes between training and deployment (label
shift: ``p(x | y)`` stays the same), only the second, constant term changes, and a logistic
model is corrected exactly by adding ``logit π_deploy - logit π_train`` to its bias.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from knobs.nn.activations import sigmoid
from knobs.validate import as_float_array, positive_float, positive_int


def _probabilities(p, name: str, open_interval: bool) -> np.ndarray:
    p = as_float_array(p, name)
    bad = (p <= 0) | (p >= 1) if open_interval else (p < 0) | (p > 1)
    if np.any(bad):
        where = "(0, 1)" if open_interval else "[0, 1]"
        raise ValueError(f"{name} must lie in {where}, got values from {p.min()} to {p.max()}")
    return p


def logit(p):
    """The log-odds ``log(p / (1 - p))`` of probabilities in the open interval ``(0, 1)``."""
    p = _probabilities(p, "p", open_interval=True)
    out = np.log(p) - np.log1p(-p)
    return float(out) if out.ndim == 0 else out


def prior_shift(pi_train: float, pi_deploy: float) -> float:
    """The change in prior log-odds ``logit π_deploy - logit π_train`` (add it to the bias)."""
    return float(logit(pi_deploy) - logit(pi_train))


def shift_intercept(b, pi_train: float, pi_deploy: float):
    """The bias of a logistic model trained at prevalence ``π_train``, moved to ``π_deploy``.

    Args:
        b: the trained bias, a number or an array (e.g. ``layer.b``).
        pi_train: the prevalence of the positive class in the training data, in ``(0, 1)``.
        pi_deploy: the prevalence where the model is used, in ``(0, 1)``.

    Returns:
        ``b + logit π_deploy - logit π_train``, of the same shape as ``b``. The weights stay as
        they are: the likelihood ratio they encode does not depend on the prevalence.
    """
    b = as_float_array(b, "b")
    out = b + prior_shift(pi_train, pi_deploy)
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class ReliabilityBins:
    """The non-empty bins of a reliability diagram, each field of shape ``(k,)``.

    ``lower``/``upper`` are the bin edges, ``count`` the number of predictions in the bin,
    ``confidence`` their mean predicted probability and ``frequency`` the observed fraction of
    positives among them. A calibrated model has ``frequency ≈ confidence`` in every bin.
    """

    lower: np.ndarray
    upper: np.ndarray
    count: np.ndarray
    confidence: np.ndarray
    frequency: np.ndarray

    @property
    def total(self) -> int:
        """Number of predictions in all bins together."""
        return int(self.count.sum())


def _predictions_and_labels(p, y) -> tuple[np.ndarray, np.ndarray]:
    p = _probabilities(p, "p", open_interval=False)
    y = as_float_array(y, "y")
    if p.ndim != 1 or y.shape != p.shape:
        raise ValueError(f"p and y must be 1-D of the same length, got {p.shape} and {y.shape}")
    if p.size == 0:
        raise ValueError("need at least one prediction")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels")
    return p, y


def reliability_bins(p, y, n_bins: int = 10) -> ReliabilityBins:
    """Group predictions into ``n_bins`` equal-width bins ``[k/n, (k+1)/n)`` of ``[0, 1]``.

    Args:
        p: predicted probabilities of the positive class, shape ``(m,)``.
        y: the observed labels in ``{0, 1}``, shape ``(m,)``.
        n_bins: the number of bins (the last one also holds ``p = 1``).

    Returns:
        A ``ReliabilityBins`` with only the non-empty bins, so no field holds NaN.
    """
    p, y = _predictions_and_labels(p, y)
    n_bins = positive_int(n_bins, "n_bins")
    index = np.minimum((p * n_bins).astype(int), n_bins - 1)
    count = np.bincount(index, minlength=n_bins)
    keep = count > 0
    sum_p = np.bincount(index, weights=p, minlength=n_bins)[keep]
    sum_y = np.bincount(index, weights=y, minlength=n_bins)[keep]
    k = np.arange(n_bins)[keep]
    return ReliabilityBins(lower=k / n_bins, upper=(k + 1) / n_bins, count=count[keep],
                           confidence=sum_p / count[keep], frequency=sum_y / count[keep])


def expected_calibration_error(p, y, n_bins: int = 10) -> float:
    """``ECE = Σ_bins (count / m) |frequency - confidence|`` over ``reliability_bins``.

    A weighted average gap between what the model predicts and what happens; 0 for a perfectly
    calibrated model on infinitely many samples. With finite samples it is biased upwards by
    noise, and it depends on the binning.
    """
    bins = reliability_bins(p, y, n_bins)
    return float(np.sum(bins.count * np.abs(bins.frequency - bins.confidence)) / bins.total)


def fit_intercept(z, y, max_iter: int = 100, tol: float = 1e-12) -> float:
    """The bias ``b`` that maximizes the likelihood of ``σ(z + b)`` for fixed logits ``z``.

    Newton's method in one variable on the mean binary cross-entropy: the gradient is
    ``mean(σ(z + b)) - mean(y)`` and the curvature ``mean(σ(1 - σ))``. At the optimum the mean
    predicted probability equals the observed rate of positives ("calibration in the large").

    Args:
        z: logits without the bias, e.g. ``X @ w``, shape ``(m,)``.
        y: labels in ``{0, 1}``, shape ``(m,)``, with at least one of each.
        max_iter: the most Newton steps to take.
        tol: stop when the gradient falls below ``tol`` in absolute value.
    """
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    if z.ndim != 1 or y.shape != z.shape or z.size == 0:
        raise ValueError(f"z and y must be 1-D of the same length, got {z.shape} and {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels")
    rate = float(np.mean(y))
    if rate in (0.0, 1.0):
        raise ValueError("y has a single class: the best bias is infinite")
    max_iter = positive_int(max_iter, "max_iter")
    tol = positive_float(tol, "tol")
    # The gradient increases with b and changes sign between these two ends: at the low end
    # every σ(z + b) <= rate, at the high end every σ(z + b) >= rate.
    low, high = logit(rate) - float(z.max()), logit(rate) - float(z.min())
    b = float(logit(rate) - np.mean(z))  # exact if z carried no information
    for _ in range(max_iter):
        p = sigmoid(z + b)
        grad = float(np.mean(p) - rate)
        if abs(grad) < tol:
            return b
        low, high = (b, high) if grad < 0 else (low, b)
        curvature = float(np.mean(p * (1.0 - p)))
        newton = b - grad / curvature if curvature > 0 else np.nan
        # a Newton step that leaves the bracket is replaced by bisection (safeguarded Newton)
        b = newton if low < newton < high else 0.5 * (low + high)
    raise ValueError(f"Newton's method did not converge in {max_iter} steps")


def estimate_prior(p, pi_train: float, max_iter: int = 1000, tol: float = 1e-10) -> float:
    """The deployment prevalence estimated from unlabelled predictions (Saerens et al., 2002).

    Expectation-maximisation: shift every prediction's log-odds by ``logit π - logit π_train``
    for the current guess ``π``, then set ``π`` to the mean of the shifted probabilities; repeat
    until ``π`` stops moving. It converges to the maximum-likelihood prevalence when the model
    was calibrated at ``π_train`` and only the prevalence changed.

    Args:
        p: the model's predictions on deployment data (calibrated at ``π_train``), shape ``(m,)``.
        pi_train: the training prevalence, in ``(0, 1)``.
        max_iter: the most EM steps to take.
        tol: stop when ``π`` moves by less than ``tol``.

    Returns:
        The estimated prevalence, in ``(0, 1)``.
    """
    p = _probabilities(p, "p", open_interval=True)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"p must be a non-empty 1-D array, got shape {p.shape}")
    base = logit(pi_train)
    z = logit(p)
    max_iter = positive_int(max_iter, "max_iter")
    tol = positive_float(tol, "tol")
    pi = float(pi_train)
    for _ in range(max_iter):
        new = float(np.mean(sigmoid(z + logit(pi) - base)))
        # keep the guess strictly inside (0, 1) so its logit stays finite
        new = min(max(new, 1e-12), 1 - 1e-12)
        if abs(new - pi) < tol:
            return new
        pi = new
    return pi
