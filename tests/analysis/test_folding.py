import numpy as np
import pytest

import knobs
from knobs import BatchNorm1d, LayerNorm, Linear, RMSNorm
from knobs.analysis import folding


def trained_pair(rng, bias=True):
    lin = Linear(4, 3, bias=bias, rng=rng)
    if bias:
        lin.b[...] = rng.normal(scale=3.0, size=3)
    bn = BatchNorm1d(3)
    bn.gamma[...] = rng.uniform(0.5, 2.0, size=3)
    bn.beta[...] = rng.normal(size=3)
    for _ in range(5):  # a few training batches fill the running statistics
        bn.forward(lin.forward(rng.normal(1.0, 2.0, size=(16, 4))))
    return lin, bn.eval()


def test_folding_the_bias_into_beta_is_exact_in_eval_mode(rng):
    lin, bn = trained_pair(rng)
    X = rng.normal(size=(20, 4))
    before = bn.forward(lin.forward(X))
    new_lin, new_bn = folding.fold_bias_into_batchnorm(lin, bn)
    assert new_lin.b is None and not new_bn.training
    np.testing.assert_allclose(new_bn.forward(new_lin.forward(X)), before, atol=1e-12)
    np.testing.assert_array_equal(lin.W, new_lin.W)
    assert lin.b is not None  # the originals are untouched


def test_folding_without_a_bias_changes_nothing(rng):
    lin, bn = trained_pair(rng, bias=False)
    new_lin, new_bn = folding.fold_bias_into_batchnorm(lin, bn)
    np.testing.assert_array_equal(new_bn.beta, bn.beta)


@pytest.mark.parametrize("bias", [True, False])
def test_folding_batchnorm_into_the_linear_layer_is_exact(rng, bias):
    lin, bn = trained_pair(rng, bias=bias)
    X = rng.normal(size=(20, 4))
    folded = folding.fold_batchnorm_into_linear(lin, bn)
    np.testing.assert_allclose(folded.forward(X), bn.forward(lin.forward(X)), atol=1e-12)


def test_folding_refuses_mismatched_layers(rng):
    with pytest.raises(ValueError, match="3 outputs but the BatchNorm1d normalizes 2"):
        folding.fold_bias_into_batchnorm(Linear(4, 3, rng=rng), BatchNorm1d(2))
    with pytest.raises(TypeError, match="BatchNorm1d"):
        folding.fold_batchnorm_into_linear(Linear(4, 3, rng=rng), LayerNorm(3))


def test_split_along_ones(rng):
    b = rng.normal(size=6)
    par, orth = folding.split_along_ones(b)
    np.testing.assert_allclose(par + orth, b)
    assert np.ptp(par) == 0 and abs(orth.sum()) < 1e-12
    with pytest.raises(ValueError, match="shape"):
        folding.split_along_ones(np.ones((2, 2)))


def test_layernorm_cancels_exactly_the_part_along_ones(rng):
    H = rng.normal(size=(30, 5))
    lin = Linear(5, 6, rng=rng)
    lin.b[...] = rng.normal(scale=2.0, size=6)
    par, orth = folding.split_along_ones(lin.b)
    ln = LayerNorm(6)
    full = ln.forward(lin.forward(H))
    np.testing.assert_allclose(ln.forward(H @ lin.W.T + orth), full, atol=1e-12)
    without = ln.forward(H @ lin.W.T)
    change = np.linalg.norm(full - without, axis=1)
    assert change.min() > 1e-3 and np.ptp(change) > 1e-2  # input-dependent, never zero
    assert folding.absorption_residual(without, full) > 1e-2


def test_absorption_residual_is_zero_for_a_per_feature_affine_change(rng):
    S = rng.normal(size=(25, 4))
    assert folding.absorption_residual(S, 3.0 * S - 1.0) < 1e-12
    assert folding.absorption_residual(S, S**2) > 0.1
    with pytest.raises(ValueError, match="shape"):
        folding.absorption_residual(S, S[:, :3])


def test_equal_rows_make_layernorm_output_independent_of_the_input(rng):
    w = rng.normal(size=4)
    W = np.tile(w, (5, 1))  # every row equal: W h = (wᵀh) 1
    b = rng.normal(size=5)
    out = LayerNorm(5).forward(rng.normal(size=(50, 4)) @ W.T + b)
    _, orth = folding.split_along_ones(b)
    expected = orth / np.sqrt(orth.var() + 1e-5)
    np.testing.assert_allclose(out, np.tile(expected, (50, 1)), atol=1e-10)


def test_rmsnorm_cannot_absorb_even_a_constant_bias(rng):
    H = rng.normal(size=(30, 5))
    lin = Linear(5, 6, rng=rng)
    rms = RMSNorm(6)
    without = rms.forward(lin.forward(H))
    with_bias = rms.forward(lin.forward(H) + 2.0)
    assert folding.absorption_residual(without, with_bias) > 1e-2


def test_batchnorm_training_output_absorbs_any_bias(rng):
    H = rng.normal(size=(30, 5))
    lin = Linear(5, 6, rng=rng)
    bn = BatchNorm1d(6)
    without = bn.forward(lin.forward(H))
    with_bias = bn.forward(lin.forward(H) + rng.normal(scale=5.0, size=6))
    np.testing.assert_allclose(with_bias, without, atol=1e-12)
    assert folding.absorption_residual(without, with_bias) < 1e-12
    assert knobs.count_parameters(Linear(5, 6, bias=False, rng=rng)) == 30
