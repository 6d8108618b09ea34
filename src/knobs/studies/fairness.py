"""Error rates of a binary decision, per group, and the identity that ties them to base rates.

For decisions ``ŷ`` on labels ``y`` in a group with base rate (prevalence) ``p``, the confusion
matrix fixes the true positive rate ``TPR = P(ŷ=1 | y=1)``, the false positive rate
``FPR = P(ŷ=1 | y=0)``, ``FNR = 1 - TPR`` and the positive predictive value
``PPV = P(y=1 | ŷ=1)``. They are tied by an identity (Chouldechova, 2017):

    FPR = p / (1 - p) · (1 - PPV) / PPV · (1 - FNR).

So two groups with different base rates cannot have equal PPV, equal FNR and equal FPR at once,
unless the decisions are perfect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from knobs.validate import as_float_array


@dataclass(frozen=True)
class Rates:
    """The rates of one confusion matrix (see the module docstring)."""

    n: int
    base_rate: float
    selection_rate: float
    tpr: float
    fpr: float
    fnr: float
    ppv: float


def _labels(v, name: str) -> np.ndarray:
    v = as_float_array(v, name)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {v.shape}")
    if not np.all((v == 0) | (v == 1)):
        raise ValueError(f"{name} must hold 0/1 values")
    return v


def rates(y, y_hat) -> Rates:
    """The rates of decisions ``y_hat`` on labels ``y`` (both 0/1 arrays of shape ``(m,)``).

    Raises:
        ValueError: if a rate is undefined: no positives, no negatives, or no positive decision.
    """
    y, y_hat = _labels(y, "y"), _labels(y_hat, "y_hat")
    if y.shape != y_hat.shape:
        raise ValueError(f"y and y_hat must have the same shape, got {y.shape} and {y_hat.shape}")
    tp = float(np.sum((y == 1) & (y_hat == 1)))
    fp = float(np.sum((y == 0) & (y_hat == 1)))
    pos, neg, sel = float(np.sum(y)), float(np.sum(1 - y)), float(np.sum(y_hat))
    if pos == 0 or neg == 0 or sel == 0:
        raise ValueError(f"rates need positives, negatives and positive decisions; got "
                         f"{pos:.0f} positives, {neg:.0f} negatives, {sel:.0f} positive decisions")
    return Rates(n=y.size, base_rate=pos / y.size, selection_rate=sel / y.size,
                 tpr=tp / pos, fpr=fp / neg, fnr=1.0 - tp / pos, ppv=tp / sel)


def group_rates(y, y_hat, group) -> dict:
    """``rates`` within each group: a dict from each value of ``group`` (shape ``(m,)``) to
    its ``Rates``."""
    group = np.asarray(group)
    y, y_hat = np.asarray(y), np.asarray(y_hat)
    if group.shape != y.shape:
        raise ValueError(f"group must have the shape of y {y.shape}, got {group.shape}")
    return {g.item(): rates(y[group == g], y_hat[group == g]) for g in np.unique(group)}


def implied_fpr(base_rate: float, ppv: float, fnr: float) -> float:
    """The false positive rate forced by a base rate, a PPV and an FNR (Chouldechova's identity)."""
    for name, v in (("base_rate", base_rate), ("ppv", ppv)):
        if not 0 < v < 1:
            raise ValueError(f"{name} must lie in (0, 1), got {v}")
    if not 0 <= fnr <= 1:
        raise ValueError(f"fnr must lie in [0, 1], got {fnr}")
    return base_rate / (1 - base_rate) * (1 - ppv) / ppv * (1 - fnr)


def threshold_for_fpr(scores, y, target_fpr: float) -> float:
    """The smallest threshold ``t`` with ``P(score >= t | y=0) <= target_fpr`` on these data.

    Decisions ``score >= t`` then have a false positive rate at most ``target_fpr``, as close to
    it as the finite sample allows. Used to give each group its own threshold.
    """
    scores = as_float_array(scores, "scores")
    y = _labels(y, "y")
    if scores.shape != y.shape:
        raise ValueError(f"scores and y must have the same shape, got {scores.shape}, {y.shape}")
    if not 0 <= target_fpr <= 1:
        raise ValueError(f"target_fpr must lie in [0, 1], got {target_fpr}")
    negatives = np.sort(scores[y == 0])[::-1]   # largest first
    if negatives.size == 0:
        raise ValueError("no negatives: the false positive rate is undefined")
    allowed = int(np.floor(target_fpr * negatives.size))  # false positives we may admit
    if allowed >= negatives.size:
        return float(negatives[-1])
    # one step above the (allowed+1)-th largest negative score admits exactly `allowed` of them
    return float(np.nextafter(negatives[allowed], np.inf))
