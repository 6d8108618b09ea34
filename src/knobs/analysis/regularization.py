"""L2 penalties in homogeneous coordinates: ``w̃ = [w; b]``, ``x̃ = [x; 1]``, ``λ ‖D w̃‖²``.

Appending a constant 1 to every input turns the affine ``z = wᵀx + b`` into the linear
``z = w̃ᵀx̃``. The bias is then one more weight, and a diagonal ``D`` chooses how strongly each
entry is penalized: ``D = diag(1, ..., 1, d_b)`` penalizes the weights with factor 1 and the bias
with factor ``d_b`` (common practice: ``d_b = 0``, an unpenalized intercept).

Shapes: ``X: (m, n_in)``, ``X̃: (m, n_in + 1)``, ``w̃: (n_in + 1,)`` (or ``(n_in + 1, k)`` for
``k`` targets), ``y: (m,)`` (or ``(m, k)``), ``D: (n_in + 1, n_in + 1)``.
"""

from __future__ import annotations

import numpy as np

from knobs.nn.linear import Linear
from knobs.validate import as_float_array, positive_float, positive_int


def augment(X) -> np.ndarray:
    """``X̃ = [X, 1]``: the inputs with a constant 1 appended to every sample (row)."""
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (m, n_in) with m >= 1, got shape {X.shape}")
    return np.hstack([X, np.ones((X.shape[0], 1))])


def split(w_tilde) -> tuple[np.ndarray, np.ndarray | float]:
    """``(w, b)`` from ``w̃ = [w; b]``: every entry but the last, and the last."""
    w_tilde = as_float_array(w_tilde, "w_tilde")
    if w_tilde.ndim not in (1, 2) or w_tilde.shape[0] < 2:
        raise ValueError(f"w_tilde must have shape (n_in + 1,) or (n_in + 1, k), got "
                         f"{w_tilde.shape}")
    b = w_tilde[-1]
    return w_tilde[:-1], float(b) if w_tilde.ndim == 1 else b


def to_linear(w_tilde) -> Linear:
    """The engine layer with the same net input: ``W = w̃[:-1]ᵀ`` (as rows), ``b = w̃[-1]``."""
    w, b = split(w_tilde)
    if isinstance(b, float):  # one neuron (w̃ a vector): W is a single row
        return Linear.from_arrays(w[None, :], [b])
    return Linear.from_arrays(w.T, b)


def penalty_matrix(n_in: int, weight_factor: float = 1.0, bias_factor: float = 0.0) -> np.ndarray:
    """``D = diag(weight_factor, ..., weight_factor, bias_factor)``, shape ``(n_in+1, n_in+1)``."""
    n_in = positive_int(n_in, "n_in")
    weight_factor = positive_float(weight_factor, "weight_factor", allow_zero=True)
    bias_factor = positive_float(bias_factor, "bias_factor", allow_zero=True)
    return np.diag(np.r_[np.full(n_in, weight_factor), bias_factor])


def _check_D(D, size: int) -> np.ndarray:
    D = as_float_array(D, "D")
    if D.shape != (size, size):
        raise ValueError(f"D must have shape ({size}, {size}) to act on w̃ = [w; b], "
                         f"got shape {D.shape}")
    return D


def penalty(w_tilde, lam: float, D) -> float:
    """``λ ‖D w̃‖²`` (summed over the columns of a multi-output ``w̃``)."""
    w_tilde = as_float_array(w_tilde, "w_tilde")
    lam = positive_float(lam, "lam", allow_zero=True)
    D = _check_D(D, w_tilde.shape[0])
    return float(lam * np.sum((D @ w_tilde) ** 2))


def penalty_gradient(w_tilde, lam: float, D) -> np.ndarray:
    """``∇ λ‖D w̃‖² = 2 λ DᵀD w̃``, the shape of ``w̃``.

    With a diagonal ``D`` this is ``2 λ d_i² w̃_i`` entry by entry: the engine's ``SGD`` with
    ``weight_decay = 2 λ d_w²`` and ``bias_decay = 2 λ d_b²`` follows exactly this gradient.
    """
    w_tilde = as_float_array(w_tilde, "w_tilde")
    lam = positive_float(lam, "lam", allow_zero=True)
    D = _check_D(D, w_tilde.shape[0])
    return 2.0 * lam * (D.T @ (D @ w_tilde))


def _check_data(X, y) -> tuple[np.ndarray, np.ndarray]:
    X_tilde = augment(X)
    y = as_float_array(y, "y")
    if y.ndim not in (1, 2) or y.shape[0] != X_tilde.shape[0]:
        raise ValueError(f"y must have shape ({X_tilde.shape[0]},) or ({X_tilde.shape[0]}, k), "
                         f"got shape {y.shape}")
    return X_tilde, y


def objective(w_tilde, X, y, lam: float, D) -> float:
    """Mean squared error plus penalty: ``(1/m) ‖X̃ w̃ - y‖² + λ ‖D w̃‖²``."""
    X_tilde, y = _check_data(X, y)
    w_tilde = as_float_array(w_tilde, "w_tilde")
    residual = X_tilde @ w_tilde - y
    return float(np.sum(residual**2) / X_tilde.shape[0] + penalty(w_tilde, lam, D))


def ridge(X, y, lam: float, D) -> np.ndarray:
    """The minimizer ``w̃`` of ``(1/m) ‖X̃ w̃ - y‖² + λ ‖D w̃‖²`` (the loss is a mean, as in
    ``MSELoss``).

    Setting the gradient to zero gives ``(X̃ᵀX̃/m + λ DᵀD) w̃ = X̃ᵀy/m``. We solve the equivalent
    stacked least-squares problem ``[X̃/√m; √λ D] w̃ ≈ [y/√m; 0]`` instead: it never forms
    ``X̃ᵀX̃`` (whose condition number is the square of ``X̃``'s) and, when the minimizer is not
    unique (``λ = 0`` and collinear columns), returns the one of smallest norm.
    """
    X_tilde, y = _check_data(X, y)
    lam = positive_float(lam, "lam", allow_zero=True)
    D = _check_D(D, X_tilde.shape[1])
    m = X_tilde.shape[0]
    A = np.vstack([X_tilde / np.sqrt(m), np.sqrt(lam) * D])
    zeros = np.zeros((D.shape[0],) + y.shape[1:])
    rhs = np.concatenate([y / np.sqrt(m), zeros])
    w_tilde, *_ = np.linalg.lstsq(A, rhs, rcond=None)
    return w_tilde
