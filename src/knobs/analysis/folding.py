"""When a bias is redundant: folding it into a normalization layer, and testing absorption.

- BatchNorm in evaluation mode is a fixed affine map, so the bias of the layer before it can be
  moved into its shift: ``fold_bias_into_batchnorm`` (exact), or the whole BatchNorm into the
  layer: ``fold_batchnorm_into_linear`` (exact).
- LayerNorm subtracts each sample's mean over features, so only the part of ``b`` along the
  all-ones vector cancels: ``split_along_ones`` separates it from the part orthogonal to 1.
- ``absorption_residual`` measures how far a change of a normalization layer's output is from
  anything its own ``gamma``, ``beta`` could produce: zero means the change can be absorbed.
"""

from __future__ import annotations

import numpy as np

from knobs.nn.linear import Linear
from knobs.nn.norm import BatchNorm1d
from knobs.validate import as_float_array


def _check_pair(linear: Linear, bn: BatchNorm1d) -> None:
    if not isinstance(linear, Linear):
        raise TypeError(f"expected a knobs Linear layer, got {type(linear).__name__}")
    if not isinstance(bn, BatchNorm1d):
        raise TypeError(f"expected a knobs BatchNorm1d layer, got {type(bn).__name__}")
    if linear.n_out != bn.n:
        raise ValueError(f"the Linear layer has {linear.n_out} outputs but the BatchNorm1d "
                         f"normalizes {bn.n} features; they must match")


def _copy_batchnorm(bn: BatchNorm1d) -> BatchNorm1d:
    new = BatchNorm1d(bn.n, eps=bn.eps, momentum=bn.momentum)
    new.gamma[...] = bn.gamma
    new.beta[...] = bn.beta
    new.running_mean[...] = bn.running_mean
    new.running_var[...] = bn.running_var
    return new.eval()


def fold_bias_into_batchnorm(linear: Linear, bn: BatchNorm1d) -> tuple[Linear, BatchNorm1d]:
    """An equivalent pair for evaluation mode, with the bias moved into BatchNorm's shift.

    In evaluation ``BN(Wx + b) = γ (Wx + b - μ)/s + β`` with the running mean ``μ`` and
    ``s = sqrt(running_var + eps)``. Splitting off ``b`` gives ``γ (Wx - μ)/s + β'`` with
    ``β' = β + γ b / s``: a layer without bias (same ``W``) and a BatchNorm with shift ``β'``.
    Returns new layers (the BatchNorm in evaluation mode); the inputs are left untouched.
    """
    _check_pair(linear, bn)
    new_linear = Linear.from_arrays(linear.W.copy())  # bias=False
    new_bn = _copy_batchnorm(bn)
    if linear.b is not None:
        new_bn.beta += bn.gamma * linear.b / np.sqrt(bn.running_var + bn.eps)
    return new_linear, new_bn


def fold_batchnorm_into_linear(linear: Linear, bn: BatchNorm1d) -> Linear:
    """One ``Linear`` equal to ``bn(linear(X))`` in evaluation mode.

    ``W' = diag(γ/s) W`` and ``b' = β + γ (b - μ)/s``, with ``b = 0`` if the layer has none.
    """
    _check_pair(linear, bn)
    scale = bn.gamma / np.sqrt(bn.running_var + bn.eps)
    b = np.zeros(linear.n_out) if linear.b is None else linear.b
    return Linear.from_arrays(scale[:, None] * linear.W, bn.beta + scale * (b - bn.running_mean))


def split_along_ones(b) -> tuple[np.ndarray, np.ndarray]:
    """``(b_par, b_orth)`` with ``b_par = mean(b) 1`` and ``b_orth = b - b_par`` (``⟂ 1``).

    ``b: (n,)``. LayerNorm cancels ``b_par`` exactly and is changed by ``b_orth``.
    """
    b = as_float_array(b, "b")
    if b.ndim != 1 or b.size == 0:
        raise ValueError(f"b must be a non-empty vector of shape (n,), got shape {b.shape}")
    b_par = np.full_like(b, b.mean())
    return b_par, b - b_par


def absorption_residual(source, target) -> float:
    """RMS distance of ``target`` from the best ``γ' ⊙ source + β'`` (one ``γ'_j``, ``β'_j`` per
    feature ``j``, shared by all samples).

    ``source, target: (m, n)``. Take ``source`` = a normalization layer's normalized output
    without the bias and ``target`` = its full output with the bias: a residual of zero means
    some ``γ'``, ``β'`` reproduce the biased layer exactly (the bias can be absorbed); a positive
    residual means no choice of the layer's own parameters can.
    """
    source = as_float_array(source, "source")
    target = as_float_array(target, "target")
    if source.ndim != 2 or source.shape != target.shape or source.shape[0] < 1:
        raise ValueError(f"source and target must both have shape (m, n), got {source.shape} "
                         f"and {target.shape}")
    total = 0.0
    for j in range(source.shape[1]):
        A = np.column_stack([source[:, j], np.ones(source.shape[0])])
        coef, *_ = np.linalg.lstsq(A, target[:, j], rcond=None)
        total += float(np.sum((A @ coef - target[:, j]) ** 2))
    return float(np.sqrt(total / target.size))
