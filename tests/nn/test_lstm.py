"""The LSTM cell with tied gates: finite differences and parameter counts (chapter 12)."""

import numpy as np
import pytest

import knobs
from knobs.analysis import accounting
from knobs.nn.lstm import LSTM_TYING, LSTMCell


def scalar_and_probes(cell, X, h, c, rng):
    R1, R2 = rng.normal(size=h.shape), rng.normal(size=c.shape)

    def scalar():
        h_new, c_new = cell.forward(X, h, c)
        return float(np.sum(h_new * R1) + np.sum(c_new * R2))

    return scalar, R1, R2


@pytest.mark.parametrize("tie", LSTM_TYING)
@pytest.mark.parametrize("bias", [True, False])
def test_lstm_step_gradients_match_finite_differences(tie, bias, rng):
    cell = LSTMCell(3, 4, tie=tie, bias=bias, rng=rng)
    if bias:
        cell.b[...] = rng.normal(size=cell.b.shape)
    X, h, c = rng.normal(size=(5, 3)), rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    scalar, R1, R2 = scalar_and_probes(cell, X, h, c, rng)
    scalar()
    dX, dh, dc = cell.backward(R1, R2)
    analytic = dict(cell.gradients()) | {"X": dX, "h": dh, "c": dc}
    arrays = dict(cell.parameters()) | {"X": X, "h": h, "c": c}
    for name, array in arrays.items():
        numeric = knobs.numerical_gradient(scalar, array)
        assert knobs.gradient_error(analytic[name], numeric) < 1e-7, name


@pytest.mark.parametrize("tie", LSTM_TYING)
@pytest.mark.parametrize("bias", [True, False])
def test_built_cell_count_matches_the_formula(tie, bias, rng):
    cell = LSTMCell(10, 20, tie=tie, bias=bias, rng=rng)
    assert knobs.count_parameters(cell) == accounting.lstm_parameter_count(10, 20, tie, bias)


def test_coupled_forget_gate_is_one_minus_input_gate(rng):
    cell = LSTMCell(2, 3, tie="coupled", rng=rng)
    cell.forward(rng.normal(size=(4, 2)))
    gates = cell.cache[3]
    np.testing.assert_allclose(gates["f"] + gates["i"], 1.0)


def test_input_tied_gates_share_one_projection(rng):
    cell = LSTMCell(2, 3, tie="input", rng=rng)
    assert cell.W_x.shape == (3, 2)
    # with zero recurrent weights and bias, every sigmoid gate sees the same pre-activation
    cell.W_h[...] = 0.0
    cell.forward(rng.normal(size=(4, 2)), rng.normal(size=(4, 3)))
    gates = cell.cache[3]
    np.testing.assert_allclose(gates["i"], gates["f"])
    np.testing.assert_allclose(gates["i"], gates["o"])


def test_state_shape_errors(rng):
    cell = LSTMCell(2, 3, rng=rng)
    with pytest.raises(ValueError, match="h must have shape"):
        cell.forward(np.ones((4, 2)), np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"h and c must have shape \(4, 3\)"):
        cell.forward(np.ones((4, 2)), np.ones((3, 3)))
    with pytest.raises(RuntimeError, match="before forward"):
        LSTMCell(2, 3, rng=rng).backward(np.ones((1, 3)))
