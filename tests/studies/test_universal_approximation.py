"""The constructive one-hidden-layer approximation and the tolerance-trained least-squares fits."""


import numpy as np
import pytest

import knobs
from knobs.studies import universal_approximation as ap


@pytest.mark.parametrize("name", sorted(ap.TARGETS))
def test_relu_network_interpolates_at_the_knots(name):
    f = ap.TARGETS[name]
    model = ap.relu_interpolant(f, 7)
    knots = np.linspace(0.0, 1.0, 8)
    assert np.allclose(model.forward(knots[:, None]).ravel(), f(knots), atol=1e-12)
    assert knobs.count_parameters(model) == 3 * 7 + 1
    assert np.allclose(model[0].b, -knots[:-1])          # the biases place the kinks


def test_error_falls_like_one_over_n_squared_for_a_smooth_target():
    f = ap.TARGETS["bump"]
    errors = [ap.max_error(ap.relu_interpolant(f, n), f) for n in (16, 32, 64)]
    assert 3.5 < errors[0] / errors[1] < 4.5 and 3.5 < errors[1] / errors[2] < 4.5
    # and stays below the bound h² max|f''| / 8 (max|f''| = 60 for exp(-30 (x - 1/2)²))
    assert errors[2] <= (1 / 64) ** 2 * 60 / 8


def test_interpolant_on_another_interval_and_bad_arguments():
    model = ap.relu_interpolant(np.sin, 10, lo=-2.0, hi=3.0)
    assert ap.max_error(model, np.sin, -2.0, 3.0) < 0.05
    with pytest.raises(ValueError, match="lo < hi"):
        ap.relu_interpolant(np.sin, 3, lo=1.0, hi=1.0)
    with pytest.raises(ValueError, match="n_units must be a positive integer"):
        ap.relu_interpolant(np.sin, 0)
    with pytest.raises(ValueError, match="finite values"):
        ap.relu_interpolant(lambda x: np.full_like(x, np.nan), 3)


def test_fit_least_squares_reaches_the_tolerance_of_a_linear_fit():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = X @ np.array([[1.5], [-2.0]]) + 0.3 + 0.01 * rng.normal(size=(30, 1))
    model = knobs.Sequential(knobs.Linear(2, 1, rng=rng))
    info = ap.fit_least_squares(model, X, y, grad_tol=1e-12)
    A = np.column_stack([X, np.ones(30)])
    exact = np.linalg.lstsq(A, y, rcond=None)[0].ravel()
    assert info["grad_norm"] <= 1e-12
    assert np.allclose(np.r_[model[0].W.ravel(), model[0].b], exact, atol=1e-9)


@pytest.mark.parametrize("method", ["backward", "differences"])
def test_jacobian_methods_agree(method):
    rng = np.random.default_rng(1)
    model = knobs.Sequential(knobs.Linear(1, 3, rng=rng), knobs.Tanh(), knobs.Linear(3, 1, rng=rng))
    X = rng.normal(size=(5, 1))
    J = ap.jacobian(model, X, method)
    assert J.shape == (5, 10)
    assert np.allclose(J, ap.jacobian(model, X, "backward"), atol=1e-7)


def test_fit_least_squares_reports_non_convergence_and_bad_input():
    rng = np.random.default_rng(2)
    model = knobs.Sequential(knobs.Linear(1, 4, rng=rng), knobs.Tanh(), knobs.Linear(4, 1, rng=rng))
    X = np.linspace(-1, 1, 20)[:, None]
    with pytest.raises(ap.NotConvergedError, match="did not reach"):
        ap.fit_least_squares(model, X, np.sin(3 * X), grad_tol=1e-30, max_steps=2)
    with pytest.raises(ValueError, match="unpenalized"):
        ap.fit_least_squares(model, X, np.sin(3 * X), unpenalized=("nope",))
    with pytest.raises(ValueError, match="output shape"):
        ap.fit_least_squares(model, X, np.zeros(20))
    with pytest.raises(ValueError, match="method"):
        ap.jacobian(model, X, "magic")
