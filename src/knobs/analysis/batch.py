"""A layer's weight and bias gradients on a batch: the per-sample loop and the matrix form.

For a layer ``z_i = W a_i + b`` applied to ``m`` samples, let ``δ_i = ∂L_i/∂z_i`` be the error
term of sample ``i`` under its own loss ``L_i``. With the mean loss ``J = (1/m) Σ_i L_i`` (the
engine's convention everywhere):

    ∂J/∂W = (1/m) Σ_i δ_i a_iᵀ          ∂J/∂b = (1/m) Σ_i δ_i

Two layouts store the same numbers:

- rows (the engine's): ``A_prev: (m, n_in)``, ``Delta: (m, n_out)``, ``b: (n_out,)``;
  ``dW = (1/m) Deltaᵀ A_prev`` and ``db = (1/m) Delta.sum(axis=0)``;
- columns (the source notes'): ``A_prev: (n_in, m)``, ``Delta: (n_out, m)``, ``b: (n_out, 1)``;
  ``dW = (1/m) Delta A_prevᵀ`` and ``db = (1/m) np.sum(Delta, axis=1, keepdims=True)``.

``reduction="sum"`` drops the ``1/m``: the gradient of the summed loss ``Σ_i L_i``.
"""

from __future__ import annotations

import numpy as np

from knobs.validate import as_float_array

REDUCTIONS = ("mean", "sum")


def _scale(reduction: str, m: int) -> float:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {list(REDUCTIONS)}, got {reduction!r}")
    return 1.0 / m if reduction == "mean" else 1.0


def _activations_and_deltas(A, Delta, sample_axis: int,
                            names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    A = as_float_array(A, names[0])
    Delta = as_float_array(Delta, names[1])
    if A.ndim != 2 or Delta.ndim != 2:
        raise ValueError(f"{names[0]} and {names[1]} must be 2-D, got shapes {A.shape} and "
                         f"{Delta.shape}")
    if A.shape[sample_axis] != Delta.shape[sample_axis] or A.shape[sample_axis] == 0:
        where = "rows" if sample_axis == 0 else "columns"
        raise ValueError(f"{names[0]} {A.shape} and {names[1]} {Delta.shape} must hold the same "
                         f"positive number of samples in their {where}")
    return A, Delta


def per_sample_gradients(A_prev, Delta, reduction: str = "mean") -> tuple[np.ndarray, np.ndarray]:
    """The reference: one sample at a time, ``dW += δ_i a_iᵀ`` and ``db += δ_i``.

    Rows layout: ``A_prev: (m, n_in)``, ``Delta: (m, n_out)``. Returns ``dW: (n_out, n_in)``
    and ``db: (n_out,)``.
    """
    A_prev, Delta = _activations_and_deltas(A_prev, Delta, 0, ("A_prev", "Delta"))
    m = A_prev.shape[0]
    dW = np.zeros((Delta.shape[1], A_prev.shape[1]))
    db = np.zeros(Delta.shape[1])
    for a, delta in zip(A_prev, Delta, strict=True):
        dW += np.outer(delta, a)   # one sample's contribution to every weight
        db += delta                # ... and to every bias: its input is the constant 1
    scale = _scale(reduction, m)
    return scale * dW, scale * db


def batch_gradients(A_prev, Delta, reduction: str = "mean") -> tuple[np.ndarray, np.ndarray]:
    """The vectorized form in rows layout: ``dW = (1/m) Deltaᵀ A_prev``, ``db = (1/m) Σ_rows``.

    The sum over samples is explicit for ``b`` and hidden inside the matrix product for ``W``.
    Shapes as in ``per_sample_gradients``.
    """
    A_prev, Delta = _activations_and_deltas(A_prev, Delta, 0, ("A_prev", "Delta"))
    scale = _scale(reduction, A_prev.shape[0])
    return scale * (Delta.T @ A_prev), scale * Delta.sum(axis=0)


def batch_gradients_columns(A_prev, Delta, reduction: str = "mean"
                            ) -> tuple[np.ndarray, np.ndarray]:
    """The source notes' column layout: ``A_prev: (n_in, m)``, ``Delta: (n_out, m)``.

    Returns ``dW = (1/m) Delta A_prevᵀ: (n_out, n_in)`` and
    ``db = (1/m) np.sum(Delta, axis=1, keepdims=True): (n_out, 1)``, the shape of a column ``b``.
    """
    A_prev, Delta = _activations_and_deltas(A_prev, Delta, 1, ("A_prev", "Delta"))
    scale = _scale(reduction, A_prev.shape[1])
    return scale * (Delta @ A_prev.T), scale * np.sum(Delta, axis=1, keepdims=True)
