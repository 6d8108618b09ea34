import numpy as np
import pytest

import knobs
from knobs.analysis import backprop
from knobs.analysis.regularization import augment

SMOOTH = ["identity", "sigmoid", "tanh"]


@pytest.mark.parametrize("activation", [*SMOOTH, "relu"])
def test_chain_rule_matches_finite_differences(activation, rng):
    w, b = rng.normal(size=3), 0.3
    X, y = rng.normal(size=(6, 3)), rng.normal(size=6)
    if activation == "relu":
        X += 0.2  # keep every z away from the kink
        assert np.all(np.abs(X @ w + b) > 1e-3)
    errors = backprop.neuron_gradcheck(w, b, X, y, activation)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("activation", SMOOTH)
def test_chain_rule_matches_the_engine_layers(activation, rng):
    w, b = rng.normal(size=3), -0.4
    X, y = rng.normal(size=(5, 3)), rng.normal(size=5)
    g = backprop.neuron_gradients(w, b, X, y, activation)
    layer = knobs.Linear.from_arrays(w[None, :], [b])
    model = knobs.Sequential(layer, knobs.nn.activations.get(activation))
    loss = knobs.MSELoss()
    assert np.isclose(loss.forward(model.forward(X), y[:, None]), g.loss)
    model.backward(loss.backward())
    np.testing.assert_allclose(layer.dW[0], g.dw, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(layer.db[0], g.db, rtol=1e-12, atol=1e-15)


def test_delta_is_responsibility_times_activity_and_dw_is_delta_times_input(rng):
    X, y = rng.normal(size=(1, 4)), np.array([0.2])
    g = backprop.neuron_gradients(rng.normal(size=4), 0.1, X, y, "sigmoid")
    a = knobs.sigmoid(g.z)
    np.testing.assert_allclose(g.responsibility, 2 * (a - y))
    np.testing.assert_allclose(g.activity, a * (1 - a))
    np.testing.assert_allclose(g.delta, g.responsibility * g.activity)
    np.testing.assert_allclose(g.dw, g.delta[0] * X[0])
    assert g.db == g.delta[0]


def test_zero_input_freezes_the_weights_but_not_the_bias():
    g = backprop.neuron_gradients([0.7, -1.2], 0.5, np.zeros((3, 2)), [1.0, 1.0, 1.0], "tanh")
    assert np.all(g.dw == 0.0)
    assert g.db != 0.0


def test_saturation_shrinks_the_bias_gradient():
    small = [abs(backprop.neuron_gradients([1.0], b, [[0.0]], [0.0], "sigmoid").db)
             for b in (0.0, 4.0, 8.0)]
    assert small[0] > small[1] > small[2]
    assert small[2] < small[0] / 100   # z = 8: a hundredth of the step at z = 0, and less


def test_augmented_weights_give_the_same_forward_pass_and_gradients(rng):
    W, b = rng.normal(size=(3, 4)), rng.normal(size=3)
    X = rng.normal(size=(7, 4))
    plain = knobs.Linear.from_arrays(W, b)
    augmented = knobs.Linear.from_arrays(backprop.augment_weights(W, b), None)
    X_aug = augment(X)
    np.testing.assert_allclose(augmented.forward(X_aug), plain.forward(X), atol=1e-14)
    dZ = rng.normal(size=(7, 3))
    plain.backward(dZ)
    augmented.backward(dZ)
    dW, db = backprop.split_weights(augmented.dW)
    np.testing.assert_allclose(dW, plain.dW, atol=1e-14)
    np.testing.assert_allclose(db, plain.db, atol=1e-14)


def test_split_undoes_augment(rng):
    W, b = rng.normal(size=(2, 3)), rng.normal(size=2)
    W2, b2 = backprop.split_weights(backprop.augment_weights(W, b))
    assert np.array_equal(W2, W) and np.array_equal(b2, b)


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match=r"w must have shape \(n_in,\)"):
        backprop.neuron_gradients([[1.0]], 0.0, [[1.0]], [0.0])
    with pytest.raises(ValueError, match="b of a single neuron must be a number"):
        backprop.neuron_gradients([1.0], [0.0], [[1.0]], [0.0])
    with pytest.raises(ValueError, match=r"y must have shape \(2,\)"):
        backprop.neuron_gradients([1.0], 0.0, [[1.0], [2.0]], [0.0])
    with pytest.raises(ValueError, match=r"X must have shape \(m, 1\)"):
        backprop.neuron_gradients([1.0], 0.0, [[1.0, 2.0]], [0.0])
    with pytest.raises(ValueError, match="unknown activation"):
        backprop.neuron_gradients([1.0], 0.0, [[1.0]], [0.0], "softsign")
    with pytest.raises(ValueError, match=r"need W of shape \(n_out, n_in\)"):
        backprop.augment_weights(np.ones((2, 3)), np.ones(3))
    with pytest.raises(ValueError, match=r"X must have shape \(m, n_in\)"):
        augment(np.ones(3))
    with pytest.raises(ValueError, match="n_in >= 1"):
        backprop.split_weights(np.ones((2, 1)))
