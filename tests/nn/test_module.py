import numpy as np
import pytest

import knobs
from knobs import SGD, Linear, ReLU, Sequential


def small_model(rng):
    return Sequential(Linear(2, 3, rng=rng), ReLU(), knobs.BatchNorm1d(3), Linear(3, 1, rng=rng))


def test_parameter_names_follow_pytorch(rng):
    model = small_model(rng)
    assert list(model.parameters()) == ["0.W", "0.b", "2.gamma", "2.beta", "3.W", "3.b"]
    assert list(model.gradients()) == list(model.parameters())


def test_train_and_eval_reach_every_layer(rng):
    model = small_model(rng).eval()
    assert not any(layer.training for layer in model.layers)
    assert all(layer.training for layer in model.train().layers)


def test_sequential_refuses_non_modules():
    with pytest.raises(TypeError, match="layer 1 must be a knobs Module"):
        Sequential(knobs.Tanh(), lambda x: x)


def test_training_reduces_the_loss(rng):
    X = rng.normal(size=(64, 2))
    y = (X @ np.array([[1.5], [-2.0]])) + 0.7
    model = Sequential(Linear(2, 8, rng=rng), knobs.Tanh(), Linear(8, 1, rng=rng))
    loss, opt = knobs.MSELoss(), SGD(model, lr=0.1)
    first = knobs.train_step(model, loss, opt, X, y)
    for _ in range(300):
        last = knobs.train_step(model, loss, opt, X, y)
    assert last < 0.05 * first
