"""Measured memory of training and inference (chapter 14)."""

import numpy as np
import pytest

import knobs
from knobs.analysis import accounting
from knobs.analysis import training_memory as memory
from knobs.nn.conv import Conv2d, GlobalAvgPool2d

N, B = 64, 256
ARRAY = B * N * 8  # bytes of one activation array


def test_inference_forward_gives_the_same_output_and_keeps_nothing(rng, mlp):
    model = mlp(3, rng)
    X = rng.normal(size=(5, N))
    np.testing.assert_array_equal(memory.inference_forward(model, X), model.forward(X))
    assert memory.saved_arrays(model)          # training forward kept its inputs
    memory.inference_forward(model, X)
    assert memory.saved_arrays(model) == {}
    with pytest.raises(RuntimeError, match="before forward"):
        model.backward(np.ones((5, N)))


def test_a_training_forward_keeps_one_array_per_module(rng, mlp):
    model = mlp(4, rng)
    X = rng.normal(size=(B, N))
    model.forward(X)
    saved = memory.saved_arrays(model)
    assert list(saved) == [f"{k}.{'X' if k % 2 == 0 else 'Z'}" for k in range(8)]
    assert saved["0.X"] is X                   # the data itself, not a copy
    assert memory.saved_bytes(model) == accounting.activation_bytes([N] * 8, B) == 8 * ARRAY


@pytest.mark.parametrize("depth", [2, 4, 8])
def test_measured_training_memory_is_the_saved_activations_plus_bounded_temporaries(depth, rng,
                                                                                   mlp):
    model, loss = mlp(depth, rng), knobs.MSELoss()
    X, T = rng.normal(size=(B, N)), np.zeros((B, N))
    peak = memory.training_peak(model, loss, X, T)
    # 2 L saved arrays of which the data X already existed, plus the output and loss gradient,
    # plus at most a few backward temporaries (dZ, f'(Z), dA) and one spare dW
    saved_new = (2 * depth - 1) * ARRAY
    assert saved_new < peak < saved_new + 6 * ARRAY + N * N * 8
    assert memory.saved_arrays(model) == {}    # released afterwards


def test_training_memory_grows_linearly_with_depth_and_batch_inference_does_not(rng, mlp):
    X, T = rng.normal(size=(B, N)), np.zeros((B, N))
    train = [memory.training_peak(mlp(d, rng), knobs.MSELoss(), X, T) for d in (4, 8, 16)]
    infer = [memory.inference_peak(mlp(d, rng), X) for d in (4, 8, 16)]
    # doubling L adds 2 L arrays per doubling: equal steps in the measured peaks
    assert train[2] - train[1] == pytest.approx(2 * (train[1] - train[0]), rel=0.02)
    assert (train[1] - train[0]) == pytest.approx(8 * ARRAY, rel=0.02)
    assert max(infer) - min(infer) < 0.01 * ARRAY
    assert infer[0] < 4 * ARRAY < train[0]
    small = memory.training_peak(mlp(8, rng), knobs.MSELoss(), X[:B // 4], T[:B // 4])
    assert small == pytest.approx(train[1] / 4, rel=0.1)


def test_measurements_are_reproducible(rng, mlp):
    model, X, T = mlp(4, rng), rng.normal(size=(B, N)), np.zeros((B, N))
    runs = {memory.training_peak(model, knobs.MSELoss(), X, T) for _ in range(3)}
    assert len(runs) == 1
    assert len({memory.inference_peak(model, X) for _ in range(3)}) == 1


def test_conv_layers_are_known_to_the_memory_tools(rng):
    model = knobs.Sequential(Conv2d(1, 2, 3, rng=rng), knobs.ReLU(), GlobalAvgPool2d())
    X = rng.normal(size=(2, 1, 6, 6))
    model.forward(X)
    assert set(memory.saved_arrays(model)) == {"0.P", "1.Z"}
    np.testing.assert_array_equal(memory.inference_forward(model, X), model.forward(X))


def test_unknown_layers_are_refused(rng):
    with pytest.raises(TypeError, match="BatchNorm1d"):
        memory.saved_arrays(knobs.Sequential(knobs.BatchNorm1d(3)))


def test_peak_bytes_counts_temporaries_and_keeps_the_smallest_repeat():
    def burst():
        temporary = np.ones(125_000)        # 1 MB, freed before returning
        return float(temporary.sum())

    result, peak = memory.peak_bytes(burst, repeats=3)
    assert result == 125_000.0
    assert 1_000_000 <= peak < 1_010_000
    sizes = iter([2_000_000, 250_000, 500_000])
    _, peak = memory.peak_bytes(lambda: np.ones(next(sizes) // 8).sum(), repeats=3)
    assert 250_000 <= peak < 260_000
    with pytest.raises(ValueError, match="repeats must be a positive integer"):
        memory.peak_bytes(burst, repeats=0)


def test_tanh_keeps_its_output_which_is_the_next_layers_input(rng):
    # tanh' = 1 - tanh², read from the kept output: no second array, the next Linear holds it
    model = knobs.Sequential(knobs.Linear(N, N, rng=rng), knobs.Tanh(), knobs.Linear(N, N, rng=rng))
    model.forward(rng.normal(size=(B, N)))
    saved = memory.saved_arrays(model)
    assert list(saved) == ["0.X", "1.Z", "1.A", "2.X"]
    assert saved["1.A"] is saved["2.X"]
    assert memory.saved_bytes(model) == 3 * ARRAY


def test_a_module_that_does_not_declare_what_it_keeps_is_refused():
    class Opaque(knobs.Module):
        def forward(self, X):
            return X

    with pytest.raises(TypeError, match="does not declare what its forward pass keeps"):
        memory.saved_arrays(Opaque())
