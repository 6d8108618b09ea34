import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import knobs
from knobs import BCEWithLogitsLoss, CrossEntropyLoss, Linear, MSELoss, Sequential

ACTIVATIONS = [knobs.Identity, knobs.Sigmoid, knobs.Tanh, knobs.ReLU]


def targets_for(loss, rng, m, n_out):
    if isinstance(loss, CrossEntropyLoss):
        return rng.integers(0, n_out, size=m)
    if isinstance(loss, BCEWithLogitsLoss):
        return rng.integers(0, 2, size=(m, n_out)).astype(float)
    return rng.normal(size=(m, n_out))


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", [MSELoss, BCEWithLogitsLoss, CrossEntropyLoss])
def test_two_layer_network_gradients_match_finite_differences(bias, activation, loss, rng):
    model = Sequential(Linear(3, 5, bias=bias, rng=rng), activation(),
                       Linear(5, 3, bias=bias, rng=rng))
    X = rng.normal(size=(7, 3))
    if activation is knobs.ReLU:
        X += 0.1  # keep pre-activations away from the kink, where the derivative jumps
    errors = knobs.gradcheck(model, X, loss=loss(), target=targets_for(loss(), rng, 7, 3))
    assert set(errors) == set(model.parameters()) | {"X"}
    assert max(errors.values()) < 1e-6, errors


def test_shapes_and_names(rng):
    layer = Linear(4, 3, rng=rng)
    assert layer.W.shape == (3, 4) and layer.b.shape == (3,)
    Z = layer.forward(rng.normal(size=(10, 4)))
    assert Z.shape == (10, 3)
    dX = layer.backward(np.ones((10, 3)) / 10)
    assert dX.shape == (10, 4)
    assert set(layer.parameters()) == set(layer.gradients()) == {"W", "b"}


def test_without_bias_b_is_none(rng):
    layer = Linear(4, 3, bias=False, rng=rng)
    assert layer.b is None and layer.db is None
    assert set(layer.parameters()) == {"W"}
    X = rng.normal(size=(2, 4))
    np.testing.assert_allclose(layer.forward(X), X @ layer.W.T)


def test_db_is_the_sum_of_dZ_over_samples_and_dW_a_matrix_product(rng):
    layer = Linear(3, 2, rng=rng)
    X = rng.normal(size=(6, 3))
    layer.forward(X)
    dZ = rng.normal(size=(6, 2))
    layer.backward(dZ)
    np.testing.assert_allclose(layer.db, dZ.sum(axis=0))
    np.testing.assert_allclose(layer.dW, sum(np.outer(dZ[i], X[i]) for i in range(6)))


def test_bias_broadcasts_over_the_batch():
    layer = Linear.from_arrays(W=[[0.0, 0.0]], b=[2.5])
    np.testing.assert_array_equal(layer.forward(np.ones((4, 2))), np.full((4, 1), 2.5))


def test_from_arrays_checks_shapes():
    with pytest.raises(ValueError, match=r"b must have shape \(1,\), got shape \(2,\)"):
        Linear.from_arrays(W=[[1.0, 1.0]], b=[1.0, 2.0])
    with pytest.raises(ValueError, match="n_out, n_in"):
        Linear.from_arrays(W=[1.0, 1.0])


@pytest.mark.parametrize("bad", [np.ones((4, 3)), np.ones(4), np.ones((2, 4, 1))])
def test_wrong_input_shape_names_expected_and_received(bad, rng):
    layer = Linear(4, 2, rng=rng)
    with pytest.raises(ValueError, match=r"shape \(m, 4\).*got shape"):
        layer.forward(bad)


def test_nan_input_is_refused(rng):
    X = np.ones((2, 3))
    X[0, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or inf"):
        Linear(3, 1, rng=rng).forward(X)


def test_non_numeric_input_is_refused(rng):
    with pytest.raises(TypeError, match="real numbers"):
        Linear(2, 1, rng=rng).forward(np.array([["a", "b"]]))


@pytest.mark.parametrize(("n_in", "n_out", "error"), [(0, 2, ValueError), (2, -1, ValueError),
                                                      (2.5, 2, TypeError), (True, 2, TypeError)])
def test_non_positive_sizes(n_in, n_out, error, rng):
    with pytest.raises(error, match="positive integer"):
        Linear(n_in, n_out, rng=rng)


def test_backward_before_forward(rng):
    with pytest.raises(RuntimeError, match="before forward"):
        Linear(2, 1, rng=rng).backward(np.ones((1, 1)))


def test_backward_batch_mismatch(rng):
    layer = Linear(2, 1, rng=rng)
    layer.forward(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"dZ must have shape \(3, 1\)"):
        layer.backward(np.ones((4, 1)))


def test_gradcheck_catches_a_wrong_backward(rng):
    class WrongBias(Linear):
        def backward(self, dZ):
            dX = super().backward(dZ)
            self.db = self.db * 0.5  # a plausible bug: forgetting half the samples
            return dX

    errors = knobs.gradcheck(WrongBias(3, 2, rng=rng), rng.normal(size=(4, 3)))
    assert errors["b"] > 1e-2 and errors["W"] < 1e-6


@given(m=st.integers(1, 9), n_in=st.integers(1, 9), n_out=st.integers(1, 9),
       bias=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_forward_and_backward_shapes_for_any_batch_and_widths(m, n_in, n_out, bias, seed):
    rng = np.random.default_rng(seed)
    layer = Linear(n_in, n_out, bias=bias, rng=rng, bias_init="normal")
    X, dZ = rng.normal(size=(m, n_in)), rng.normal(size=(m, n_out))
    Z = layer.forward(X)
    assert Z.shape == (m, n_out)
    dX = layer.backward(dZ)
    assert dX.shape == (m, n_in) and layer.dW.shape == layer.W.shape == (n_out, n_in)
    np.testing.assert_allclose(Z, X @ layer.W.T + (layer.b if bias else 0.0))
    np.testing.assert_allclose(dX, dZ @ layer.W)
    np.testing.assert_allclose(layer.dW, dZ.T @ X)
    if bias:
        assert layer.b.shape == layer.db.shape == (n_out,)
        np.testing.assert_allclose(layer.db, dZ.sum(axis=0))
    else:
        assert layer.b is None and layer.db is None
    assert list(layer.parameters()) == (["W", "b"] if bias else ["W"])


@given(m=st.integers(1, 5), n_in=st.integers(1, 5), wrong=st.integers(1, 6))
def test_a_batch_of_the_wrong_width_is_refused_by_name(m, n_in, wrong):
    assume(wrong != n_in)
    layer = Linear(n_in, 2, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=rf"X must have shape \(m, {n_in}\)"):
        layer.forward(np.ones((m, wrong)))
    layer.forward(np.ones((m, n_in)))
    with pytest.raises(ValueError, match=r"dZ must have shape \(m, 2\)"):
        layer.backward(np.ones((m, wrong + 2)))
