"""SGD and Adam: their steps, momentum, bias correction, decay split and argument checks."""

import numpy as np
import pytest

import knobs
from knobs import SGD, Linear, Sequential
from knobs.nn.optim import Adam


def test_first_step_moves_every_entry_by_lr_against_its_gradient_sign():
    rng = np.random.default_rng(0)
    model = knobs.Sequential(knobs.Linear(3, 2, rng=rng, bias_init="normal"))
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    loss = knobs.MSELoss()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    before = {k: v.copy() for k, v in model.parameters().items()}
    grads = {k: v.copy() for k, v in model.gradients().items()}
    Adam(model, lr=0.01, eps=1e-12).step()
    for k, p in model.parameters().items():
        # after bias correction m̂ = g and v̂ = g², so the step is lr * sign(g)
        assert np.allclose(p - before[k], -0.01 * np.sign(grads[k]))


def test_adam_fits_a_badly_scaled_problem_that_sgd_finds_slow():
    # features on scales 100 and 0.01: one SGD rate is too large for one weight and too small
    # for the other; Adam's per-entry step size handles both
    rng = np.random.default_rng(1)
    X = rng.normal(size=(64, 2)) * np.array([100.0, 0.01])
    y = X @ np.array([[0.03], [50.0]]) + 1.0
    final = {}
    for name in ("adam", "sgd"):
        model = knobs.Sequential(knobs.Linear(2, 1, rng=np.random.default_rng(2)))
        opt = Adam(model, lr=0.05) if name == "adam" else knobs.SGD(model, lr=4e-5)
        for _ in range(2000):
            final[name] = knobs.train_step(model, knobs.MSELoss(), opt, X, y)
    assert final["adam"] < 0.01 * final["sgd"]


def test_bias_decay_is_separate_from_weight_decay():
    model = knobs.Sequential(knobs.Linear.from_arrays([[1.0]], [1.0]))
    model.forward(np.zeros((1, 1)))
    model.backward(np.zeros((1, 1)))      # zero gradients: only the decay acts
    Adam(model, lr=0.1, weight_decay=1.0, bias_decay=0.0).step()
    assert model[0].W[0, 0] < 1.0 and model[0].b[0] == 1.0


def test_arguments_are_checked():
    model = knobs.Sequential(knobs.Linear(1, 1, rng=np.random.default_rng(0)))
    with pytest.raises(TypeError, match="Adam needs a knobs Module"):
        Adam([1.0])
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        Adam(model, lr=0.0)
    with pytest.raises(ValueError, match=r"betas\[1\] must lie in \[0, 1\)"):
        Adam(model, betas=(0.9, 1.0))


def test_sgd_step_is_plain_gradient_descent(rng):
    model = Sequential(Linear(2, 1, rng=rng))
    before = {k: v.copy() for k, v in model.parameters().items()}
    loss = knobs.MSELoss()
    loss.forward(model.forward(np.ones((2, 2))), np.zeros((2, 1)))
    model.backward(loss.backward())
    SGD(model, lr=0.5).step()
    for name, p in model.parameters().items():
        np.testing.assert_allclose(p, before[name] - 0.5 * model.gradients()[name])


def test_weight_decay_and_bias_decay_are_separate(rng):
    model = Sequential(Linear(2, 2, rng=rng))
    model[0].b[...] = 1.0
    W0 = model[0].W.copy()
    model[0].dW[...] = 0.0
    model[0].db[...] = 0.0
    SGD(model, lr=0.1, weight_decay=0.5, bias_decay=0.0).step()
    np.testing.assert_allclose(model[0].W, W0 * (1 - 0.05))
    np.testing.assert_allclose(model[0].b, 1.0)  # untouched: no decay on the bias
    SGD(model, lr=0.1, weight_decay=0.0, bias_decay=1.0).step()
    np.testing.assert_allclose(model[0].b, 0.9)


def test_momentum_accumulates(rng):
    model = Sequential(Linear(1, 1, bias=False, init="zeros"))
    opt = SGD(model, lr=1.0, momentum=0.5)
    model[0].dW[...] = 1.0
    opt.step()
    opt.step()
    np.testing.assert_allclose(model[0].W, [[-(1 + 1.5)]])


def test_is_bias():
    assert knobs.nn.optim.is_bias("0.b") and knobs.nn.optim.is_bias("3.beta")
    assert not knobs.nn.optim.is_bias("0.W") and not knobs.nn.optim.is_bias("2.gamma")


def test_sgd_argument_checks(rng):
    model = Sequential(Linear(1, 1, rng=rng))
    with pytest.raises(ValueError, match="lr must be"):
        SGD(model, lr=0)
    with pytest.raises(ValueError, match="weight_decay must be"):
        SGD(model, lr=0.1, weight_decay=-1)
    with pytest.raises(TypeError, match="needs a knobs Module"):
        SGD([1, 2], lr=0.1)
