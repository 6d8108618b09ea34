import numpy as np
import pytest

from knobs import Linear
from knobs.analysis.moments import (
    compensating_bias,
    covariance_matrix,
    net_input_covariance,
    net_input_mean,
)

MU = np.array([1.5, -2.0, 0.5])
SIGMA = np.array([[2.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 0.5]])
W = np.array([[1.0, -0.5, 2.0], [0.3, 0.0, -1.0]])
B = np.array([0.7, -1.2])


def test_single_neuron_formulas_by_hand():
    w, b = np.array([2.0, -1.0]), 0.5
    mu, Sigma = np.array([1.0, 3.0]), np.array([[1.0, 0.5], [0.5, 2.0]])
    assert net_input_mean(w, b, mu) == pytest.approx(2 * 1 - 3 + 0.5)
    # wᵀΣw = 4·1 + 2·(2)(-1)(0.5) + 1·2
    assert net_input_covariance(w, Sigma) == pytest.approx(4.0)
    assert isinstance(net_input_mean(w, b, mu), float)


@pytest.mark.parametrize("sampler", ["gaussian", "uniform", "exponential"])
def test_monte_carlo_agrees_with_formulas_for_any_input_distribution(sampler, rng):
    m = 200_000
    L = np.linalg.cholesky(SIGMA)
    if sampler == "gaussian":
        E = rng.standard_normal((m, 3))
    elif sampler == "uniform":
        E = rng.uniform(-np.sqrt(3), np.sqrt(3), (m, 3))   # mean 0, variance 1
    else:
        E = rng.exponential(1.0, (m, 3)) - 1.0              # mean 0, variance 1, skewed
    X = MU + E @ L.T
    Z = Linear.from_arrays(W, B).forward(X)
    cov = net_input_covariance(W, SIGMA)
    standard_error = np.sqrt(np.diag(cov) / m)
    assert np.all(np.abs(Z.mean(axis=0) - net_input_mean(W, B, MU)) < 5 * standard_error)
    np.testing.assert_allclose(np.cov(Z.T), cov, rtol=0.03, atol=0.03)


def test_bias_moves_the_mean_and_never_the_spread():
    cov = net_input_covariance(W, SIGMA)
    for shift in (-3.0, 0.0, 10.0):
        np.testing.assert_allclose(net_input_mean(W, B + shift, MU),
                                   net_input_mean(W, B, MU) + shift)
    # the bias is not even an argument of the covariance; scaling W scales it quadratically
    np.testing.assert_allclose(net_input_covariance(3 * W, SIGMA), 9 * cov)


def test_layer_without_bias_and_centered_inputs():
    np.testing.assert_allclose(net_input_mean(W, None, np.zeros(3)), [0.0, 0.0])
    np.testing.assert_allclose(net_input_mean(W, B, np.zeros(3)), B)  # centered: E[z] = b


def test_compensating_bias_zeroes_or_targets_the_mean():
    w = W[0]
    for target in (0.0, 3.0, -2.5):
        b = compensating_bias(w, MU, target)
        assert net_input_mean(w, b, MU) == pytest.approx(target)
    assert compensating_bias(w, MU) == pytest.approx(-w @ MU)


def test_errors_name_expected_and_received():
    with pytest.raises(ValueError, match=r"mu must have shape \(3,\)"):
        net_input_mean(W, B, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"b must have shape \(2,\)"):
        net_input_mean(W, [1.0, 2.0, 3.0], MU)
    with pytest.raises(ValueError, match=r"Sigma must have shape \(3, 3\)"):
        net_input_covariance(W, np.eye(2))
    with pytest.raises(ValueError, match="symmetric"):
        covariance_matrix([[1.0, 0.5], [0.0, 1.0]], 2)
    with pytest.raises(ValueError, match="positive semi-definite"):
        covariance_matrix([[1.0, 2.0], [2.0, 1.0]], 2)
    with pytest.raises(ValueError, match="NaN"):
        net_input_mean([1.0, np.nan], 0.0, [0.0, 0.0])
    with pytest.raises(ValueError, match=r"W must have shape"):
        net_input_covariance(np.ones((2, 2, 2)), np.eye(2))
    with pytest.raises(ValueError, match="one neuron"):
        compensating_bias(W, MU)


def test_singular_covariance_is_accepted():
    Sigma = np.array([[1.0, -1.0], [-1.0, 1.0]])  # correlation -1
    assert net_input_covariance([1.0, 1.0], Sigma) == pytest.approx(0.0)
