"""Group error rates and Chouldechova's identity."""

import numpy as np
import pytest

from knobs.studies.fairness import group_rates, implied_fpr, rates, threshold_for_fpr


def test_rates_by_hand():
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0], dtype=float)
    y_hat = np.array([1, 1, 0, 1, 0, 0, 0, 0], dtype=float)
    r = rates(y, y_hat)
    assert (r.n, r.base_rate, r.selection_rate) == (8, 3 / 8, 3 / 8)
    assert (r.tpr, r.fnr, r.fpr, r.ppv) == pytest.approx((2 / 3, 1 / 3, 1 / 5, 2 / 3))


def test_identity_holds_for_any_confusion_matrix(rng):
    for _ in range(50):
        y = (rng.random(200) < rng.uniform(0.1, 0.9)).astype(float)
        y_hat = (rng.random(200) < 0.5).astype(float)
        r = rates(y, y_hat)
        assert implied_fpr(r.base_rate, r.ppv, r.fnr) == pytest.approx(r.fpr, rel=1e-12)


def test_group_rates_split_by_group():
    y = np.array([1, 0, 1, 0, 1, 0], dtype=float)
    y_hat = np.array([1, 0, 1, 1, 0, 1], dtype=float)
    group = np.array(["a", "a", "a", "b", "b", "b"])
    out = group_rates(y, y_hat, group)
    assert set(out) == {"a", "b"}
    assert (out["a"].tpr, out["a"].fpr) == (1.0, 0.0)
    assert (out["b"].tpr, out["b"].fpr) == (0.0, 1.0)


def test_undefined_rates_are_refused():
    with pytest.raises(ValueError, match="positives"):
        rates(np.zeros(4), np.ones(4))
    with pytest.raises(ValueError, match="positive decisions"):
        rates(np.array([0.0, 1.0]), np.zeros(2))
    with pytest.raises(ValueError, match="0/1"):
        rates(np.array([0.0, 2.0]), np.ones(2))
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        implied_fpr(0.0, 0.5, 0.1)


@pytest.mark.parametrize("target", [0.0, 0.05, 0.1, 0.333, 1.0])
def test_threshold_for_fpr_meets_the_target_as_closely_as_the_sample_allows(rng, target):
    scores = rng.normal(size=1000)
    y = (rng.random(1000) < 0.3).astype(float)
    t = threshold_for_fpr(scores, y, target)
    fpr = np.mean(scores[y == 0] >= t)
    n_neg = int(np.sum(y == 0))
    assert fpr <= target + 1e-12
    assert fpr >= target - 1.0 / n_neg  # one more false positive would exceed the target
