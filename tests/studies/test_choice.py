"""The multinomial logit: gradients, invariance of the constants, recovery of known values."""

import numpy as np
import pytest

from knobs import SGD, CrossEntropyLoss, gradcheck, softmax, train_step
from knobs.studies.choice import MultinomialLogit, hessian, simulate_choices, standard_errors


def model_with(w, b):
    model = MultinomialLogit(len(b), len(w))
    model.w[:], model.b[:] = w, b
    return model


def test_shapes_and_forward_by_hand():
    model = model_with([2.0, -1.0], [0.0, 0.5, -0.5])
    X = np.arange(12.0).reshape(2, 3, 2)
    V = model.forward(X)
    assert V.shape == (2, 3)
    assert np.allclose(V, X[..., 0] * 2 - X[..., 1] + [0.0, 0.5, -0.5])
    assert np.allclose(model.probabilities(X).sum(axis=1), 1.0)
    with pytest.raises(ValueError, match=r"\(m, 3, 2\)"):
        model.forward(np.ones((2, 2, 2)))


@pytest.mark.parametrize("with_loss", [False, True])
def test_backward_matches_finite_differences(rng, with_loss):
    model = model_with(rng.normal(size=2), rng.normal(size=4))
    X = rng.normal(size=(6, 4, 2))
    if with_loss:
        errors = gradcheck(model, X, loss=CrossEntropyLoss(), target=rng.integers(0, 4, size=6))
    else:
        errors = gradcheck(model, X)
    assert max(errors.values()) < 1e-7, errors


def test_a_common_shift_of_the_constants_changes_nothing_and_gets_no_gradient(rng):
    model = model_with([0.7], [0.1, -0.4, 0.9])
    X, y = rng.normal(size=(20, 3, 1)), rng.integers(0, 3, size=20)
    P = model.probabilities(X)
    model.b += 5.0
    assert np.allclose(model.probabilities(X), P)
    loss = CrossEntropyLoss()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    assert abs(model.db.sum()) < 1e-15  # the gradient is orthogonal to the all-ones vector


def test_equal_attributes_give_softmax_of_the_constants():
    model = model_with([1.3, -0.2], [0.0, -0.6, 0.9])
    X = np.tile([[1.0, 2.0]], (5, 3, 1))
    assert np.allclose(model.probabilities(X), softmax(np.array([0.0, -0.6, 0.9])))


def test_simulated_choices_follow_the_probabilities(rng):
    model = model_with([0.0], [0.0, -0.6, 0.9])
    X = np.zeros((60_000, 3, 1))
    y = simulate_choices(model, X, rng)
    shares = np.bincount(y, minlength=3) / y.size
    assert np.allclose(shares, softmax(model.b), atol=0.01)
    with pytest.raises(TypeError, match="Generator"):
        simulate_choices(model, X, rng=None)


def test_training_recovers_known_constants_within_three_standard_errors(rng):
    truth = model_with([-1.0, -0.5], [0.0, -0.6, 0.9])
    X = rng.normal(size=(4000, 3, 2))
    y = simulate_choices(truth, X, rng)
    model, loss = MultinomialLogit(3, 2), CrossEntropyLoss()
    opt = SGD(model, lr=2.0)
    for _ in range(300):
        train_step(model, loss, opt, X, y)
    assert np.max(np.abs(np.concatenate([model.dw, model.db]))) < 1e-8
    assert abs(model.b.sum()) < 1e-12  # started at 0, never moved along the ones vector
    estimate = np.concatenate([model.w, model.b[1:] - model.b[0]])
    z = (estimate - np.array([-1.0, -0.5, -0.6, 0.9])) / standard_errors(model, X)
    assert np.all(np.abs(z) < 3), z


def test_hessian_matches_finite_differences_of_the_gradient(rng):
    model = model_with([0.4, -0.3], [0.0, 0.2, -0.1])
    X, y = rng.normal(size=(30, 3, 2)), rng.integers(0, 3, size=30)

    def gradient(theta):
        trial = model_with(theta[:2], np.r_[0.0, theta[2:]])
        loss = CrossEntropyLoss()
        loss.forward(trial.forward(X), y)
        trial.backward(loss.backward())
        return np.concatenate([trial.dw, trial.db[1:]])

    theta = np.array([0.4, -0.3, 0.2, -0.1])
    numeric = np.column_stack([(gradient(theta + 1e-6 * e) - gradient(theta - 1e-6 * e)) / 2e-6
                               for e in np.eye(4)])
    assert np.allclose(hessian(model, X), numeric, atol=1e-7)
    with pytest.raises(ValueError, match="reference"):
        hessian(model, X, reference=3)
