"""knobs.analysis.checkpoint: checkpointed gradients equal plain ones and save the memory the
formula predicts; the predicted memory of plain and checkpointed training."""

import numpy as np
import pytest

import knobs
from knobs.analysis import accounting
from knobs.analysis import training_memory as memory
from knobs.analysis.checkpoint import (
    checkpointed_backward,
    checkpointed_peak,
    predicted_memory,
    sqrt_segments,
)

N, B = 64, 256
ARRAY = B * N * 8  # bytes of one activation array


def test_memory_prediction_matches_accounting():
    r = predicted_memory(depth=16, batch=256, width=512)
    sizes = [512] * 33
    assert r["training"] == accounting.activation_bytes(sizes, 256)
    assert r["inference"] == accounting.activation_bytes(sizes, 256, training=False)
    assert r["params"] == 8 * 16 * (512 * 512 + 512)
    assert r["segments"] == 6 and r["checkpointed"] < r["training"]


@pytest.mark.parametrize(("depth", "segments"), [(1, 1), (3, 2), (8, 4), (9, 3)])
def test_checkpointed_gradients_equal_plain_gradients(depth, segments, rng, mlp):
    model = mlp(depth, rng, width=6)
    X, T = rng.normal(size=(7, 6)), rng.normal(size=(7, 6))
    loss = knobs.MSELoss()
    plain_loss = loss.forward(model.forward(X), T)
    plain_dX = model.backward(loss.backward())
    plain = {k: v.copy() for k, v in model.gradients().items()}
    for grad in model.gradients().values():  # a gradient it fails to compute stays NaN
        grad[...] = np.nan
    step = checkpointed_backward(model, knobs.MSELoss(), X, T, segments)
    assert step.loss == plain_loss
    np.testing.assert_array_equal(step.dX, plain_dX)
    for name, grad in model.gradients().items():
        np.testing.assert_array_equal(grad, plain[name])
    n_modules = 2 * depth
    last = n_modules - accounting.segment_bounds(n_modules, segments)[-1][0]
    assert step.layer_forwards == 2 * n_modules - last
    assert memory.saved_arrays(model) == {}


def test_checkpointing_saves_memory_as_the_formula_predicts(rng, mlp):
    depth = 16
    model, X, T = mlp(depth, rng), rng.normal(size=(B, N)), np.zeros((B, N))
    plain = memory.training_peak(model, knobs.MSELoss(), X, T)
    k = sqrt_segments(2 * depth)
    peak, forwards = checkpointed_peak(model, knobs.MSELoss(), X, T, k)
    predicted = accounting.checkpointed_activation_bytes([N] * (2 * depth + 1), B, k)
    assert peak < 0.5 * plain
    assert predicted <= peak + ARRAY < predicted + 6 * ARRAY
    assert 2 * depth < forwards < 4 * depth


def test_a_layer_that_is_not_a_sequential_is_refused(rng):
    with pytest.raises(TypeError, match="needs a Sequential"):
        checkpointed_backward(knobs.Linear(2, 2, rng=rng), knobs.MSELoss(), np.ones((1, 2)),
                              np.ones((1, 2)), 1)
