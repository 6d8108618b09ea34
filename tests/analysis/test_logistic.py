"""Logistic regression: its Hessian in (w, b), the Newton fit and fast gradient descent."""

import numpy as np
import pytest

from knobs import SGD, BCEWithLogitsLoss, Linear, numerical_gradient, train_step
from knobs.analysis.curvature import condition_number
from knobs.analysis.logistic import fit_logistic, gradient_descent, logistic_hessian
from knobs.analysis.regularization import augment


def overlapping(rng, m=300, offset=0.0):
    X = offset + rng.normal(size=(m, 2))
    p = 1 / (1 + np.exp(-((X - offset) @ np.array([1.0, -2.0]) + 0.3)))
    return X, (rng.random(m) < p).astype(float)


def mean_bce(layer, X, y):
    return BCEWithLogitsLoss().forward(layer.forward(X), y[:, None])


def test_hessian_matches_finite_differences_of_the_gradient(rng):
    X, y = overlapping(rng, 50)
    layer = Linear(2, 1, rng=rng, bias_init="normal")
    theta = np.concatenate([layer.W.ravel(), layer.b])

    def gradient(t):
        trial = Linear.from_arrays(t[None, :2], t[2:])
        loss = BCEWithLogitsLoss()
        loss.forward(trial.forward(X), y[:, None])
        trial.backward(loss.backward())
        return np.concatenate([trial.dW.ravel(), trial.db])

    numeric = np.column_stack([
        (gradient(theta + 1e-6 * e) - gradient(theta - 1e-6 * e)) / 2e-6 for e in np.eye(3)])
    H = logistic_hessian(layer, X)
    assert np.allclose(H, H.T)
    assert np.allclose(H, numeric, atol=1e-7)


def test_hessian_at_zero_is_augmented_gram_over_four_m(rng):
    X = rng.normal(size=(40, 3))
    H = logistic_hessian(Linear(3, 1, init="zeros"), X)
    assert np.allclose(H, augment(X).T @ augment(X) / (4 * 40))


def test_centering_keeps_the_determinant_but_spreads_the_eigenvalues(rng):
    X = 5.0 + rng.normal(size=(200, 2))
    zero = Linear(2, 1, init="zeros")
    raw, centered = logistic_hessian(zero, X), logistic_hessian(zero, X - X.mean(axis=0))
    assert np.isclose(np.linalg.det(raw), np.linalg.det(centered))
    assert condition_number(raw) > 100 * condition_number(centered)


@pytest.mark.parametrize("offset", [0.0, 6.0])
def test_newton_fit_zeroes_the_gradient_wherever_the_features_sit(rng, offset):
    X, y = overlapping(rng, offset=offset)
    layer = fit_logistic(X, y)
    assert layer.W.shape == (1, 2) and layer.b.shape == (1,)
    for p in (layer.W, layer.b):
        grad = numerical_gradient(lambda: mean_bce(layer, X, y), p)
        assert np.max(np.abs(grad)) < 1e-7


def test_newton_fit_is_the_same_function_on_centered_features(rng):
    X, y = overlapping(rng, offset=4.0)
    raw, centered = fit_logistic(X, y), fit_logistic(X - X.mean(axis=0), y)
    assert np.allclose(raw.W, centered.W)
    assert np.allclose(raw.b, centered.b - centered.W @ X.mean(axis=0))


def test_newton_fit_refuses_separable_data_and_bad_labels():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    with pytest.raises(ValueError, match="separable"):
        fit_logistic(X, np.array([0.0, 0.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="0/1"):
        fit_logistic(X, np.array([0.0, 2.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="shape"):
        fit_logistic(X, np.zeros(3))


def test_gradient_descent_equals_the_engine_training_loop(rng):
    X, y = overlapping(rng, 60, offset=1.0)
    layer, losses = gradient_descent(X, y, lr=0.3, steps=25)
    engine = Linear(2, 1, init="zeros")
    opt, loss = SGD(engine, lr=0.3), BCEWithLogitsLoss()
    engine_losses = [train_step(engine, loss, opt, X, y[:, None]) for _ in range(25)]
    assert np.allclose(losses[:-1], engine_losses)
    assert np.isclose(losses[-1], mean_bce(engine, X, y))
    assert np.allclose(layer.W, engine.W) and np.allclose(layer.b, engine.b)


def test_gradient_descent_with_one_over_lambda_max_never_increases_the_loss(rng):
    X, y = overlapping(rng, offset=3.0)
    lam = np.linalg.eigvalsh(logistic_hessian(Linear(2, 1, init="zeros"), X))[-1]
    _, losses = gradient_descent(X, y, lr=1 / lam, steps=200)
    assert np.all(np.diff(losses) <= 1e-15)
