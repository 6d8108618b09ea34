import numpy as np
import pytest

import knobs
from knobs.nn import activations

Z = np.linspace(-6, 6, 25).reshape(5, 5) + 0.013  # avoids the ReLU kink at exactly 0


@pytest.mark.parametrize("cls", [knobs.Identity, knobs.Sigmoid, knobs.Tanh, knobs.ReLU])
def test_derivative_matches_central_differences(cls):
    h = 1e-6
    numeric = (cls.function(Z + h) - cls.function(Z - h)) / (2 * h)
    np.testing.assert_allclose(cls.derivative(Z), numeric, atol=1e-8)


@pytest.mark.parametrize("cls", [knobs.Identity, knobs.Sigmoid, knobs.Tanh, knobs.ReLU, knobs.Step])
def test_backward_is_upstream_times_derivative(cls):
    layer = cls()
    layer.forward(Z)
    dA = np.cos(Z)
    np.testing.assert_allclose(layer.backward(dA), dA * cls.derivative(Z))


def test_step_is_heaviside_with_step_of_zero_equal_one():
    np.testing.assert_array_equal(knobs.Step().forward(np.array([[-1e-9, 0.0, 2.0]])), [[0, 1, 1]])
    assert np.all(knobs.Step.derivative(Z) == 0)


def test_sigmoid_is_stable_at_extremes():
    with np.errstate(all="raise"):
        s = knobs.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_array_equal(s, [0.0, 0.5, 1.0])
    assert knobs.Sigmoid.derivative(np.array([0.0]))[0] == 0.25


def test_backward_shape_mismatch():
    layer = knobs.Tanh()
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"dA must have the shape of Z \(2, 3\)"):
        layer.backward(np.ones((3, 2)))


def test_activation_lookup():
    assert isinstance(activations.get("relu"), knobs.ReLU)
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        activations.get("gelu")
