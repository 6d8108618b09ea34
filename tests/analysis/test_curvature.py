import math

import numpy as np
import pytest

from knobs import BCEWithLogitsLoss, Linear, MSELoss
from knobs.analysis.curvature import (
    augment,
    bce_hessian,
    condition_number,
    gradient_descent,
    least_squares,
    mse_hessian,
    predicted_steps,
    steps_upper_bound,
)


def data(rng, mean=(3.0, -2.0), sd=(1.0, 0.5), m=300):
    X = rng.normal(mean, sd, size=(m, 2))
    y = X @ np.array([1.5, -2.0]) + 0.4 + 0.3 * rng.standard_normal(m)
    return X, y


def engine_gradient(X, y, theta, loss):
    layer = Linear.from_arrays([theta[:-1]], [theta[-1]])
    loss.forward(layer.forward(X), y.reshape(-1, 1))
    layer.backward(loss.backward())
    return np.append(layer.dW[0], layer.db[0])


def numerical_hessian(X, y, theta, loss, eps=1e-5):
    H = np.zeros((theta.size, theta.size))
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        H[:, i] = (engine_gradient(X, y, theta + step, loss)
                   - engine_gradient(X, y, theta - step, loss)) / (2 * eps)
    return H


def test_augment_appends_the_constant_input():
    Xt = augment([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(Xt, [[1, 2, 1], [3, 4, 1]])


def test_mse_hessian_matches_finite_differences_of_engine_gradients(rng):
    X, y = data(rng)
    theta = np.array([0.3, -0.7, 1.1])
    np.testing.assert_allclose(mse_hessian(X), numerical_hessian(X, y, theta, MSELoss()),
                               rtol=1e-6, atol=1e-6)


def test_bce_hessian_matches_finite_differences_of_engine_gradients(rng):
    X, _ = data(rng, m=100)
    y = (rng.random(100) < 0.5).astype(float)
    theta = np.array([0.3, -0.2, 0.1])
    np.testing.assert_allclose(bce_hessian(X, theta[:2], theta[2]),
                               numerical_hessian(X, y, theta, BCEWithLogitsLoss()),
                               rtol=1e-5, atol=1e-7)


def test_least_squares_is_a_stationary_point_with_the_intercept_identity(rng):
    X, y = data(rng)
    w, b = least_squares(X, y)
    np.testing.assert_allclose(engine_gradient(X, y, np.append(w, b), MSELoss()), 0, atol=1e-10)
    assert b == pytest.approx(y.mean() - w @ X.mean(axis=0))


def test_centering_keeps_the_weights_and_moves_only_the_bias(rng):
    X, y = data(rng)
    w_raw, b_raw = least_squares(X, y)
    w_cen, b_cen = least_squares(X - X.mean(axis=0), y)
    np.testing.assert_allclose(w_cen, w_raw, rtol=1e-9)
    assert b_cen == pytest.approx(y.mean())
    assert b_raw == pytest.approx(b_cen - w_raw @ X.mean(axis=0))


@pytest.mark.parametrize("mu", [0.0, 1.0, 3.0, 10.0])
def test_one_feature_condition_number_has_a_closed_form(mu):
    # sample mean exactly mu, sample variance exactly 1: H/2 = [[1 + mu², mu], [mu, 1]]
    x = np.array([-1.0, 1.0] * 50) + mu
    lam_max = (2 + mu**2 + mu * math.sqrt(mu**2 + 4)) / 2  # eigenvalues multiply to 1
    assert condition_number(mse_hessian(x[:, None])) == pytest.approx(lam_max**2, rel=1e-9)


def test_centering_decouples_w_and_b(rng):
    X, _ = data(rng)
    H = mse_hessian(X - X.mean(axis=0))
    np.testing.assert_allclose(H[:-1, -1], 0, atol=1e-12)
    assert condition_number(mse_hessian(X)) > 50 * condition_number(H)


def test_condition_number_edge_cases():
    assert condition_number(np.eye(3)) == pytest.approx(1.0)
    assert condition_number(np.diag([1.0, 100.0])) == pytest.approx(100.0)
    assert condition_number(np.diag([0.0, 1.0])) == math.inf
    assert condition_number(mse_hessian(np.ones((5, 1)))) == math.inf  # x ≡ 1 duplicates b
    with pytest.raises(ValueError, match="square"):
        condition_number(np.ones((2, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        condition_number([[1.0, 1.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="no positive eigenvalue"):
        condition_number(-np.eye(2))


@pytest.mark.parametrize("center", [False, True])
def test_engine_descent_takes_exactly_the_predicted_number_of_steps(center, rng):
    X, y = data(rng)
    if center:
        X = X - X.mean(axis=0)
    run = gradient_descent(X, y, tol=1e-6)
    H = mse_hessian(X)
    w, b = least_squares(X, y)
    assert run.converged
    assert abs(run.steps - predicted_steps(H, -np.append(w, b), run.lr, 1e-6)) <= 1
    assert run.steps <= steps_upper_bound(condition_number(H), 1e-6)
    assert run.losses[run.steps] - run.min_loss <= 1e-6 * (run.losses[0] - run.min_loss)
    assert run.losses[run.steps - 1] - run.min_loss > 1e-6 * (run.losses[0] - run.min_loss)
    assert run.lr == pytest.approx(1 / np.linalg.eigvalsh(H)[-1])
    assert run.path.shape == (run.steps + 1, 3)
    np.testing.assert_array_equal(run.path[0], 0.0)              # starts at w = 0, b = 0
    np.testing.assert_allclose(run.path[-1], np.append(run.w, run.b))
    e = run.path[-1] - np.append(w, b)  # the loss is exactly quadratic: excess = ½ eᵀHe
    assert 0.5 * e @ H @ e == pytest.approx(run.losses[-1] - run.min_loss, rel=1e-4, abs=1e-12)


def test_uncentered_data_needs_many_more_steps(rng):
    X, y = data(rng)
    raw = gradient_descent(X, y)
    centered = gradient_descent(X - X.mean(axis=0), y)
    assert raw.steps > 20 * centered.steps


def test_unstable_step_size_does_not_converge(rng):
    X, y = data(rng, m=50)
    lam_max = np.linalg.eigvalsh(mse_hessian(X))[-1]
    run = gradient_descent(X, y, lr=2.5 / lam_max, max_steps=2000)
    assert not run.converged
    w, b = least_squares(X, y)
    assert predicted_steps(mse_hessian(X), -np.append(w, b), 2.5 / lam_max) is None


def test_predicted_steps_limits():
    H = np.diag([1.0, 0.01])
    assert predicted_steps(H, [0.0, 0.0], lr=1.0) == 0
    assert predicted_steps(H, [1.0, 0.0], lr=1.0) == 1            # λ lr = 1: one exact step
    assert predicted_steps(H, [0.0, 1.0], lr=1.0, max_steps=10) is None
    with pytest.raises(ValueError, match=r"H must have shape \(2, 2\)"):
        predicted_steps(np.eye(3), [1.0, 1.0], lr=0.1)


def test_steps_upper_bound_grows_linearly_with_kappa():
    assert steps_upper_bound(1.0) == 1.0
    assert steps_upper_bound(math.inf) == math.inf
    big = steps_upper_bound(1e4, 1e-6)
    assert big == pytest.approx(1e4 / 2 * math.log(1e6), rel=1e-3)
    assert steps_upper_bound(2e4, 1e-6) == pytest.approx(2 * big, rel=1e-3)
    with pytest.raises(ValueError, match="at least 1"):
        steps_upper_bound(0.5)


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"X must have shape \(m, n_in\)"):
        mse_hessian(np.ones(3))
    with pytest.raises(ValueError, match=r"y must have shape \(2,\)"):
        least_squares(np.ones((2, 1)), np.ones(3))
    with pytest.raises(ValueError, match="lr"):
        gradient_descent(np.ones((2, 1)), np.ones(2), lr=-1.0)
    with pytest.raises(ValueError, match=r"w must have shape \(1,\)"):
        bce_hessian(np.ones((2, 1)), [1.0, 2.0], 0.0)


def test_condition_number_accepts_rounding_asymmetry_but_not_a_real_one():
    H = np.array([[2.0, 1e-17, 0.3], [-1e-17, 1.0, 0.0], [0.3, 0.0, 4.0]])
    assert np.isfinite(condition_number(H))   # entries that should be 0 differ in sign
    H[0, 2] = 0.31
    with pytest.raises(ValueError, match="symmetric"):
        condition_number(H)


def test_bce_hessian_is_exactly_symmetric(rng):
    X = rng.normal(size=(257, 5)) * np.array([1e-3, 1.0, 10.0, 100.0, 1.0])
    H = bce_hessian(X, rng.normal(size=5), 0.3)
    assert np.array_equal(H, H.T)  # symmetrized by construction, not by luck of the BLAS kernel
