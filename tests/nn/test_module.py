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


@pytest.mark.parametrize("depth", [30])
def test_kaiming_keeps_deep_relu_variance_in_band(depth):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 256))
    A, variances = X, []
    for _ in range(depth):
        Z = Linear(256, 256, init="kaiming_normal", rng=rng).forward(A)
        variances.append(Z.var())
        A = ReLU().forward(Z)
    # He et al.: Var(z_l) = n Var(w) E[a²] = 2 E[a²] = Var(z_{l-1}) for every layer after the first
    ratios = np.array(variances) / variances[0]
    assert 0.5 < ratios.min() and ratios.max() < 2.0, ratios


def test_xavier_shrinks_deep_relu_variance():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(2000, 256))
    for _ in range(30):
        A = ReLU().forward(Linear(256, 256, init="xavier_normal", rng=rng).forward(A))
    assert A.var() < 1e-6  # halves at each layer: 2^-30
