import numpy as np
import pytest

import knobs
from knobs.analysis import regularization as reg


def data(rng, m=40, n=3, y_mean=3.0):
    X = rng.normal(size=(m, n))
    y = X @ rng.normal(size=n) + y_mean + 0.1 * rng.normal(size=m)
    return X, y


def test_augmented_net_input_equals_the_affine_one(rng):
    X, W, b = rng.normal(size=(7, 3)), rng.normal(size=(1, 3)), rng.normal(size=1)
    w_tilde = np.r_[W[0], b]
    np.testing.assert_allclose(reg.augment(X) @ w_tilde,
                               knobs.Linear.from_arrays(W, b).forward(X)[:, 0], rtol=1e-14)
    np.testing.assert_allclose(reg.to_linear(w_tilde).forward(X)[:, 0], reg.augment(X) @ w_tilde)
    w, b_back = reg.split(w_tilde)
    np.testing.assert_array_equal(w, W[0])
    assert b_back == b[0]


def test_penalty_matrix_and_penalty():
    D = reg.penalty_matrix(2, weight_factor=1.0, bias_factor=3.0)
    np.testing.assert_array_equal(np.diag(D), [1.0, 1.0, 3.0])
    assert reg.penalty([1.0, 2.0, 1.0], 0.5, D) == pytest.approx(0.5 * (1 + 4 + 9))


def test_penalty_gradient_matches_finite_differences(rng):
    D = np.diag(rng.uniform(0, 2, size=4))
    w = rng.normal(size=4)
    num = knobs.numerical_gradient(lambda: reg.penalty(w, 0.7, D), w)
    np.testing.assert_allclose(reg.penalty_gradient(w, 0.7, D), num, atol=1e-7)


@pytest.mark.parametrize("lam", [0.0, 0.1, 2.0])
@pytest.mark.parametrize("bias_factor", [0.0, 0.5, 1.0])
def test_ridge_is_a_stationary_point_and_a_minimum(rng, lam, bias_factor):
    X, y = data(rng)
    D = reg.penalty_matrix(3, 1.0, bias_factor)
    w = reg.ridge(X, y, lam, D)
    Xt = reg.augment(X)
    grad = 2 * Xt.T @ (Xt @ w - y) / len(y) + reg.penalty_gradient(w, lam, D)
    np.testing.assert_allclose(grad, 0.0, atol=1e-12)
    best = reg.objective(w, X, y, lam, D)
    for _ in range(20):  # any other point is worse (the objective is strictly convex here)
        assert reg.objective(w + 1e-3 * rng.normal(size=4), X, y, lam, D) > best


def test_unpenalized_intercept_reproduces_the_target_mean(rng):
    X, y = data(rng, y_mean=5.0)
    w = reg.ridge(X, y, 10.0, reg.penalty_matrix(3, 1.0, 0.0))
    assert (reg.augment(X) @ w).mean() == pytest.approx(y.mean(), rel=1e-12)


@pytest.mark.parametrize("lam, d_b", [(0.5, 1.0), (2.0, 1.0), (1.0, 2.0), (0.0, 1.0)])
def test_penalized_intercept_shrinks_by_one_over_one_plus_lambda(rng, lam, d_b):
    X, y = data(rng, y_mean=4.0)
    X = X - X.mean(axis=0)  # centred features decouple b from w
    w = reg.ridge(X, y, lam, reg.penalty_matrix(3, 1.0, d_b))
    assert reg.split(w)[1] == pytest.approx(y.mean() / (1 + lam * d_b**2), rel=1e-12)


def test_shifting_the_target_shifts_the_fit_only_without_intercept_penalty(rng):
    X, y = data(rng)
    for d_b, equivariant in [(0.0, True), (1.0, False)]:
        D = reg.penalty_matrix(3, 1.0, d_b)
        a = reg.augment(X) @ reg.ridge(X, y, 1.0, D)
        shifted = reg.augment(X) @ reg.ridge(X, y + 10.0, 1.0, D)
        assert np.allclose(shifted, a + 10.0, atol=1e-10) == equivariant


def test_ridge_matches_normal_equations_and_sgd(rng):
    X, y = data(rng, m=60)
    lam, D = 0.3, reg.penalty_matrix(3, 1.0, 0.5)
    w = reg.ridge(X, y, lam, D)
    Xt = reg.augment(X)
    normal = np.linalg.solve(Xt.T @ Xt / 60 + lam * D.T @ D, Xt.T @ y / 60)
    np.testing.assert_allclose(w, normal, rtol=1e-10)
    model = knobs.Sequential(knobs.Linear(3, 1, rng=rng))
    opt = knobs.SGD(model, lr=0.1, weight_decay=2 * lam, bias_decay=2 * lam * 0.5**2)
    for _ in range(3000):
        knobs.train_step(model, knobs.MSELoss(), opt, X, y[:, None])
    np.testing.assert_allclose(np.r_[model[0].W[0], model[0].b], w, atol=1e-8)


def test_multi_output_and_collinear_columns(rng):
    X = rng.normal(size=(10, 2))
    X = np.c_[X, X[:, 0]]  # a repeated column: no unique minimizer at lam = 0
    Y = rng.normal(size=(10, 2))
    w = reg.ridge(X, Y, 0.0, reg.penalty_matrix(3))
    assert w.shape == (4, 2) and np.all(np.isfinite(w))
    assert w[0, 0] == pytest.approx(w[2, 0])  # the minimum-norm solution splits evenly
    assert reg.to_linear(w).W.shape == (2, 3)


def test_shape_errors_name_expected_and_received(rng):
    X, y = data(rng)
    with pytest.raises(ValueError, match=r"D must have shape \(4, 4\)"):
        reg.ridge(X, y, 1.0, np.eye(3))
    with pytest.raises(ValueError, match=r"y must have shape \(40,\)"):
        reg.ridge(X, y[:-1], 1.0, np.eye(4))
    with pytest.raises(ValueError, match="lam"):
        reg.ridge(X, y, -1.0, np.eye(4))
    with pytest.raises(ValueError, match="X must have shape"):
        reg.augment(np.ones(3))
