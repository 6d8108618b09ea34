"""Calibration: prior log-odds, reliability bins, ECE, the intercept fit and the EM prior."""

import numpy as np
import pytest

from knobs import sigmoid
from knobs.studies.calibration import (
    estimate_prior,
    expected_calibration_error,
    fit_intercept,
    logit,
    prior_shift,
    reliability_bins,
    shift_intercept,
)


def test_logit_inverts_the_sigmoid_and_refuses_the_ends():
    p = np.array([1e-9, 0.2, 0.5, 0.9, 1 - 1e-9])
    assert np.allclose(sigmoid(logit(p)), p)
    assert logit(0.5) == 0.0 and isinstance(logit(0.25), float)
    for bad in (0.0, 1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match=r"\(0, 1\)"):
            logit(bad)


def test_prior_shift_is_the_bayes_correction_of_the_posterior():
    # posterior at prevalence 0.5 with likelihood ratio LR is LR / (1 + LR); at prevalence pi
    # it is pi LR / (pi LR + 1 - pi). Shifting the logit by prior_shift must map one onto the other.
    for lr in (0.1, 1.0, 7.0):
        for pi in (0.01, 0.3, 0.95):
            before = lr / (1 + lr)
            after = pi * lr / (pi * lr + 1 - pi)
            assert np.isclose(sigmoid(logit(before) + prior_shift(0.5, pi)), after)


def test_shift_intercept_keeps_shape_and_is_additive():
    b = np.array([0.3])
    out = shift_intercept(b, 0.5, 0.05)
    assert out.shape == (1,) and np.isclose(out[0], 0.3 + np.log(0.05 / 0.95))
    assert isinstance(shift_intercept(0.3, 0.2, 0.2), float)
    assert shift_intercept(0.3, 0.2, 0.2) == 0.3
    assert np.isclose(shift_intercept(shift_intercept(1.0, 0.2, 0.7), 0.7, 0.2), 1.0)


def test_reliability_bins_by_hand():
    p = np.array([0.05, 0.15, 0.12, 0.95, 1.0])
    y = np.array([0.0, 1.0, 0.0, 1.0, 1.0])
    bins = reliability_bins(p, y, n_bins=10)
    assert np.allclose(bins.lower, [0.0, 0.1, 0.9]) and np.allclose(bins.upper, [0.1, 0.2, 1.0])
    assert list(bins.count) == [1, 2, 2] and bins.total == 5
    assert np.allclose(bins.confidence, [0.05, 0.135, 0.975])
    assert np.allclose(bins.frequency, [0.0, 0.5, 1.0])
    ece = expected_calibration_error(p, y, 10)
    assert np.isclose(ece, (1 * 0.05 + 2 * 0.365 + 2 * 0.025) / 5)


def test_empty_bins_are_left_out_so_nothing_is_nan():
    bins = reliability_bins(np.full(4, 0.5), np.array([0.0, 1.0, 1.0, 0.0]), n_bins=20)
    assert bins.count.tolist() == [4] and not np.any(np.isnan(bins.frequency))
    assert expected_calibration_error(np.full(4, 0.5), np.array([0.0, 1.0, 1.0, 0.0])) == 0.0


def test_ece_is_small_for_calibrated_and_large_for_shifted_predictions(rng):
    p = rng.uniform(0.01, 0.99, size=50_000)
    y = (rng.random(p.size) < p).astype(float)
    assert expected_calibration_error(p, y) < 0.01
    shifted = sigmoid(logit(p) + 2.0)
    assert expected_calibration_error(shifted, y) > 0.15


def test_bins_refuse_bad_input():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        reliability_bins(np.array([0.5, 1.2]), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="0/1"):
        reliability_bins(np.array([0.5, 0.2]), np.array([0.0, 0.5]))
    with pytest.raises(ValueError, match="same length"):
        reliability_bins(np.array([0.5, 0.2]), np.array([0.0]))
    with pytest.raises(ValueError, match="positive integer"):
        reliability_bins(np.array([0.5]), np.array([1.0]), n_bins=0)


def test_fit_intercept_calibrates_in_the_large_and_matches_a_grid_search(rng):
    z = 3.0 + 2.0 * rng.normal(size=500)
    y = (rng.random(500) < sigmoid(z - 5.0)).astype(float)
    b = fit_intercept(z, y)
    assert np.isclose(np.mean(sigmoid(z + b)), y.mean(), atol=1e-10)
    grid = b + np.linspace(-0.01, 0.01, 201)
    nll = [np.mean(np.logaddexp(0, z + g) - y * (z + g)) for g in grid]
    assert abs(grid[int(np.argmin(nll))] - b) < 2e-4


def test_fit_intercept_converges_from_far_away_and_refuses_one_class():
    z = np.array([-40.0, -39.0, 40.0, 41.0, 0.0])
    y = np.array([0.0, 1.0, 0.0, 1.0, 1.0])
    b = fit_intercept(z, y)
    assert np.isclose(np.mean(sigmoid(z + b)), y.mean(), atol=1e-10)
    with pytest.raises(ValueError, match="single class"):
        fit_intercept(z, np.ones(5))


def test_estimate_prior_recovers_a_known_prevalence(rng):
    # a calibrated model at prevalence 0.5: scores are the exact posteriors of two Gaussians
    for pi in (0.05, 0.5, 0.8):
        y = (rng.random(40_000) < pi).astype(float)
        x = rng.normal(size=y.size) + np.where(y == 1, 1.0, -1.0)
        p_train_calibrated = sigmoid(2.0 * x)  # logit P(y=1|x) at prevalence 0.5
        assert abs(estimate_prior(p_train_calibrated, 0.5) - pi) < 0.015


def test_estimate_prior_stays_inside_the_open_interval():
    est = estimate_prior(np.full(10, 1e-6), 0.5)
    assert 0 < est < 1e-3
