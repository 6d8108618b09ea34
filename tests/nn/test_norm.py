import numpy as np
import pytest

import knobs
from knobs import BatchNorm1d, LayerNorm, Linear, RMSNorm, Sequential


@pytest.mark.parametrize("norm", [BatchNorm1d, LayerNorm, RMSNorm])
def test_gradients_match_finite_differences(norm, rng):
    layer = norm(4)
    layer.gamma[...] = rng.normal(size=4)
    layer.beta[...] = rng.normal(size=4)
    errors = knobs.gradcheck(layer, rng.normal(size=(6, 4)) * 2 + 1)
    assert max(errors.values()) < 1e-6, errors


def test_batchnorm_eval_mode_gradient(rng):
    layer = BatchNorm1d(3)
    layer.forward(rng.normal(size=(8, 3)))
    layer.eval()
    errors = knobs.gradcheck(layer, rng.normal(size=(5, 3)))
    assert max(errors.values()) < 1e-6, errors


def test_batchnorm_training_output_is_standardized(rng):
    out = BatchNorm1d(3).forward(rng.normal(5, 3, size=(1000, 3)))
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), 1, rtol=1e-4)


def test_batchnorm_running_statistics(rng):
    layer = BatchNorm1d(2, momentum=0.1)
    X = rng.normal(size=(10, 2))
    layer.forward(X)
    np.testing.assert_allclose(layer.running_mean, 0.1 * X.mean(axis=0))
    np.testing.assert_allclose(layer.running_var, 0.9 + 0.1 * X.var(axis=0, ddof=1))
    layer.eval()
    out = layer.forward(X)
    np.testing.assert_allclose(out, (X - layer.running_mean) / np.sqrt(layer.running_var + 1e-5))


@pytest.mark.parametrize("seed", range(5))
def test_bias_before_batchnorm_changes_nothing_and_gets_zero_gradient(seed):
    rng = np.random.default_rng(seed)
    X, target = rng.normal(size=(16, 3)), rng.normal(size=(16, 2))
    results = []
    for b in (np.zeros(2), rng.normal(scale=10, size=2)):
        lin = Linear(3, 2, rng=np.random.default_rng(99))
        lin.b[...] = b
        model = Sequential(lin, BatchNorm1d(2), knobs.Tanh())
        loss = knobs.MSELoss()
        out = model.forward(X)
        loss.forward(out, target)
        model.backward(loss.backward())
        results.append((out, lin.dW.copy()))
        # exactly zero in exact arithmetic; in float64 a sum of 16 terms of size ~1 leaves ~1e-15
        np.testing.assert_allclose(lin.db, 0.0, atol=1e-13)
        assert np.abs(lin.dW).max() > 1e-3  # while the weights do learn
    np.testing.assert_allclose(results[0][0], results[1][0], atol=1e-12)
    np.testing.assert_allclose(results[0][1], results[1][1], atol=1e-12)


def test_layernorm_ignores_a_bias_along_the_all_ones_vector(rng):
    X = rng.normal(size=(5, 4))
    lin = Linear(4, 6, rng=rng)
    ln = LayerNorm(6)
    before = ln.forward(lin.forward(X))
    lin.b += 3.7  # b + c·1
    np.testing.assert_allclose(ln.forward(lin.forward(X)), before, atol=1e-12)
    lin.b += np.arange(6) - 2.5  # a component orthogonal to 1 changes the output
    assert np.abs(ln.forward(lin.forward(X)) - before).max() > 1e-2


def test_rmsnorm_does_not_ignore_a_constant_bias(rng):
    X = rng.normal(size=(5, 4))
    lin = Linear(4, 6, rng=rng)
    rms = RMSNorm(6)
    before = rms.forward(lin.forward(X))
    lin.b += 3.7
    assert np.abs(rms.forward(lin.forward(X)) - before).max() > 1e-2


def test_layernorm_same_in_train_and_eval(rng):
    X = rng.normal(size=(3, 4))
    ln = LayerNorm(4)
    np.testing.assert_array_equal(ln.forward(X), ln.eval().forward(X))


def test_batchnorm_needs_two_samples_in_training():
    with pytest.raises(ValueError, match="at least 2 samples"):
        BatchNorm1d(3).forward(np.ones((1, 3)))


def test_norm_argument_checks():
    with pytest.raises(ValueError, match="eps must be"):
        LayerNorm(3, eps=0)
    with pytest.raises(ValueError, match="momentum must lie"):
        BatchNorm1d(3, momentum=1.5)
    with pytest.raises(ValueError, match=r"shape \(m, 3\)"):
        LayerNorm(3).forward(np.ones((2, 4)))


@pytest.mark.parametrize("n", [2, 5, 8])
def test_the_surviving_part_of_a_bias_is_what_layernorm_sees(rng, n):
    b = rng.normal(size=n) + 3.0
    Z, ln = rng.normal(size=(4, n)), LayerNorm(n)
    assert np.allclose(ln.forward(Z + b), ln.forward(Z + (b - b.mean())))
    assert not np.allclose(ln.forward(Z + b), ln.forward(Z))
