import numpy as np
import pytest

import knobs
from knobs.analysis import batch


@pytest.mark.parametrize("m", [1, 2, 5, 64])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_vectorized_equals_the_per_sample_loop(m, reduction, rng):
    A, Delta = rng.normal(size=(m, 4)), rng.normal(size=(m, 3))
    dW_loop, db_loop = batch.per_sample_gradients(A, Delta, reduction)
    dW, db = batch.batch_gradients(A, Delta, reduction)
    np.testing.assert_allclose(dW, dW_loop, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(db, db_loop, rtol=1e-12, atol=1e-14)
    assert dW.shape == (3, 4) and db.shape == (3,)


def test_column_layout_is_the_transpose_of_the_row_layout(rng):
    A, Delta = rng.normal(size=(5, 4)), rng.normal(size=(5, 3))
    dW, db = batch.batch_gradients(A, Delta)
    dW_c, db_c = batch.batch_gradients_columns(A.T, Delta.T)
    assert dW_c.shape == (3, 4) and db_c.shape == (3, 1)
    np.testing.assert_allclose(dW_c, dW, atol=1e-15)
    np.testing.assert_allclose(db_c[:, 0], db, atol=1e-15)


def test_sum_is_m_times_mean(rng):
    A, Delta = rng.normal(size=(8, 2)), rng.normal(size=(8, 2))
    mean, total = batch.batch_gradients(A, Delta), batch.batch_gradients(A, Delta, "sum")
    np.testing.assert_allclose(total[0], 8 * mean[0])
    np.testing.assert_allclose(total[1], 8 * mean[1])


def test_mean_reduction_is_the_gradient_of_the_engine_mean_loss(rng):
    layer = knobs.Linear(4, 3, rng=rng)
    X, y = rng.normal(size=(6, 4)), rng.normal(size=(6, 3))
    loss = knobs.MSELoss()
    loss.forward(layer.forward(X), y)
    dZ = loss.backward()          # the engine's dZ already carries the 1/m
    layer.backward(dZ)
    Delta = 6 * dZ                # per-sample error terms: dL_i/dz_i of L_i = |z_i - y_i|²/3
    dW, db = batch.batch_gradients(X, Delta)
    np.testing.assert_allclose(dW, layer.dW, atol=1e-14)
    np.testing.assert_allclose(db, layer.db, atol=1e-14)
    errors = knobs.gradcheck(layer, X, loss=knobs.MSELoss(), target=y)
    assert max(errors.values()) < 1e-7


def test_shape_errors():
    with pytest.raises(ValueError, match="same positive number of samples in their rows"):
        batch.batch_gradients(np.ones((5, 4)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="in their columns"):
        batch.batch_gradients_columns(np.ones((4, 5)), np.ones((3, 4)))
    with pytest.raises(ValueError, match="must be 2-D"):
        batch.per_sample_gradients(np.ones(5), np.ones((5, 3)))
    with pytest.raises(ValueError, match="reduction must be one of"):
        batch.batch_gradients(np.ones((2, 2)), np.ones((2, 2)), "average")
    with pytest.raises(ValueError, match="same positive number"):
        batch.batch_gradients(np.ones((0, 2)), np.ones((0, 2)))
