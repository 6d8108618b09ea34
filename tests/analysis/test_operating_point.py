import math

import numpy as np
import pytest

from knobs.analysis import operating_point as activity
from knobs.nn import activations


@pytest.mark.parametrize("x, expected", [(0.0, 0.5), (1.0, 0.8413447460685429),
                                         (-1.959963984540054, 0.025)])
def test_normal_cdf_known_values(x, expected):
    assert activity.normal_cdf(x) == pytest.approx(expected, abs=1e-12)


def test_normal_cdf_handles_infinities_and_refuses_nan():
    np.testing.assert_array_equal(activity.normal_cdf([-np.inf, np.inf]), [0.0, 1.0])
    with pytest.raises(ValueError, match="NaN"):
        activity.normal_cdf(np.nan)


@pytest.mark.parametrize("p", [1e-9, 0.01, 0.1, 0.5, 0.9, 1 - 1e-9])
def test_quantile_inverts_cdf(p):
    assert activity.normal_cdf(activity.normal_quantile(p)) == pytest.approx(p, rel=1e-9)


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 1.5])
def test_quantile_refuses_probabilities_outside_the_open_interval(p):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        activity.normal_quantile(p)


def test_active_fraction_is_phi_of_b_over_std():
    assert activity.active_fraction(0.0, 3.0) == 0.5
    assert activity.active_fraction(2.0, 2.0) == pytest.approx(0.8413447460685429)
    assert activity.active_fraction(0.5, 0.0) == 1.0  # no spread: the bias alone decides
    assert activity.active_fraction(0.0, 0.0) == 0.0  # z = 0 exactly is inactive for ReLU


def test_active_fraction_matches_a_relu_layer_on_gaussian_inputs(rng):
    X = rng.normal(size=(200_000, 3))
    w, b = np.array([0.5, -1.0, 2.0]), -1.2
    z = X @ w + b
    measured = float((activations.ReLU.derivative(z) > 0).mean())
    assert measured == pytest.approx(activity.active_fraction(b, np.linalg.norm(w)), abs=4e-3)


@pytest.mark.parametrize("fraction", [0.01, 0.1, 0.5, 0.75, 0.99])
@pytest.mark.parametrize("std", [0.1, 1.0, 7.0])
def test_bias_for_active_fraction_round_trips(fraction, std):
    b = activity.bias_for_active_fraction(fraction, std)
    assert activity.active_fraction(b, std) == pytest.approx(fraction, rel=1e-9)


def test_bias_for_active_fraction_refuses_bad_input():
    with pytest.raises(ValueError, match="fraction"):
        activity.bias_for_active_fraction(1.0, 1.0)
    with pytest.raises(ValueError, match="std"):
        activity.bias_for_active_fraction(0.5, 0.0)
    with pytest.raises(TypeError, match="fraction"):
        activity.bias_for_active_fraction("half", 1.0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
@pytest.mark.parametrize("mean, std", [(0.0, 1.0), (3.0, 0.5), (-4.0, 2.0), (1.0, 8.0)])
def test_mean_derivative_matches_monte_carlo(name, mean, std):
    z = np.random.default_rng(7).normal(mean, std, size=400_000)
    mc = activations.get(name).derivative(z).mean()
    assert activity.mean_derivative(name, mean, std) == pytest.approx(mc, abs=3e-3)


def test_mean_derivative_without_spread_is_the_derivative_at_the_mean():
    for name in ("sigmoid", "tanh"):
        f = activations.get(name)
        assert activity.mean_derivative(name, 1.3, 0.0) == pytest.approx(
            float(f.derivative(np.array([1.3]))[0]), rel=1e-14)


def test_mean_derivative_decays_as_the_bias_grows():
    # the saturation of chapter 4: the average slope falls monotonically with |b|
    for name in ("sigmoid", "tanh"):
        slopes = [activity.mean_derivative(name, b, 0.6) for b in np.linspace(0, 10, 21)]
        assert all(a > b for a, b in zip(slopes, slopes[1:], strict=False))
        assert slopes[-1] < 1e-3 * slopes[0]


def test_gaussian_expectation_of_polynomials_is_exact_enough():
    assert activity.gaussian_expectation(lambda z: z, 2.5, 3.0) == pytest.approx(2.5, abs=1e-12)
    assert activity.gaussian_expectation(lambda z: z**2, 1.0, 2.0) == pytest.approx(5.0, rel=1e-9)
    assert activity.gaussian_expectation(np.cos, 0.0, 1.0) == pytest.approx(math.exp(-0.5),
                                                                            rel=1e-9)


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="std"):
        activity.mean_derivative("tanh", 0.0, -1.0)
    with pytest.raises(ValueError, match="mean"):
        activity.active_fraction(np.inf, 1.0)
    with pytest.raises(ValueError, match="unknown activation"):
        activity.mean_derivative("softsign", 0.0, 1.0)
