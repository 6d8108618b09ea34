"""The symmetries of weight space: permutations, ReLU rescalings, tanh sign flips."""

import math

import numpy as np
import pytest

import knobs
from knobs.analysis import weightspace as ws
from knobs.nn.flat import flatten_parameters


def _two_layer(rng, activation, n=5):
    return knobs.Sequential(knobs.Linear(2, n, rng=rng, bias_init="normal"), activation(),
                            knobs.Linear(n, 3, rng=rng, bias_init="normal"))


@pytest.mark.parametrize("activation", [knobs.Tanh, knobs.ReLU, knobs.Sigmoid])
def test_permutation_changes_the_knobs_not_the_function(activation):
    rng = np.random.default_rng(0)
    model = _two_layer(rng, activation)
    X = rng.normal(size=(50, 2))
    other = ws.permute_hidden(model, [3, 0, 4, 1, 2])
    assert np.allclose(other.forward(X), model.forward(X), atol=1e-14)
    assert np.linalg.norm(flatten_parameters(other) - flatten_parameters(model)) > 0.5


def test_relu_rescaling_and_tanh_sign_flips():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 2))
    relu = _two_layer(rng, knobs.ReLU)
    scaled = ws.rescale_hidden(relu, [0.5, 2.0, 3.0, 1.0, 0.1])
    assert np.allclose(scaled.forward(X), relu.forward(X), atol=1e-13)
    assert not np.allclose(flatten_parameters(scaled), flatten_parameters(relu))
    tanh = _two_layer(rng, knobs.Tanh)
    flipped = ws.flip_hidden(tanh, [1, -1, -1, 1, -1])
    assert np.allclose(flipped.forward(X), tanh.forward(X), atol=1e-14)
    # the originals are untouched
    assert relu[0].W is not scaled[0].W and tanh[0].W is not flipped[0].W


def test_symmetries_that_do_not_hold_are_refused():
    rng = np.random.default_rng(2)
    tanh, relu = _two_layer(rng, knobs.Tanh), _two_layer(rng, knobs.ReLU)
    with pytest.raises(TypeError, match="ReLU only"):
        ws.rescale_hidden(tanh, np.ones(5))
    with pytest.raises(ValueError, match="positive numbers"):
        ws.rescale_hidden(relu, [1, 1, 1, 1, -1])
    with pytest.raises(TypeError, match="odd activations"):
        ws.flip_hidden(relu, np.ones(5))
    with pytest.raises(ValueError, match="permutation of 0..4"):
        ws.permute_hidden(tanh, [0, 0, 1, 2, 3])
    with pytest.raises(TypeError, match="expected Sequential"):
        ws.permute_hidden(knobs.Linear(2, 2, rng=rng), [0, 1])
    # a negative factor is NOT a ReLU symmetry: the function changes
    broken = knobs.Sequential(knobs.Linear.from_arrays(-relu[0].W, -relu[0].b), knobs.ReLU(),
                              knobs.Linear.from_arrays(-relu[2].W, relu[2].b))
    X = rng.normal(size=(20, 2))
    assert not np.allclose(broken.forward(X), relu.forward(X))


def test_counting_equivalent_settings():
    # n! orderings times 2^n sign patterns for tanh: all give the same function
    rng = np.random.default_rng(3)
    model = _two_layer(rng, knobs.Tanh, n=3)
    X = rng.normal(size=(10, 2))
    settings = set()
    import itertools
    for perm in itertools.permutations(range(3)):
        for signs in itertools.product([1, -1], repeat=3):
            other = ws.flip_hidden(ws.permute_hidden(model, list(perm)), list(signs))
            assert np.allclose(other.forward(X), model.forward(X), atol=1e-14)
            settings.add(tuple(np.round(flatten_parameters(other), 12)))
    assert len(settings) == math.factorial(3) * 2**3
