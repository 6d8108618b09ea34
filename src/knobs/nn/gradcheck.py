"""Central finite differences: the referee of every backward pass in the engine and the book."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from knobs.nn.losses import Loss
from knobs.nn.module import Module
from knobs.validate import as_float_array


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every entry ``i`` of ``x``.

    ``x`` is perturbed in place (and restored), so ``f`` must read the same array: pass a
    layer's own ``W`` or ``b`` and a closure that runs the forward pass.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError("numerical_gradient needs a float64 numpy array to perturb in place")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def gradient_error(analytic: ArrayLike, numeric: ArrayLike) -> float:
    """Largest entrywise ``|a - n| / max(1, |a|, |n|)``: relative for large, absolute for small."""
    a, n = np.asarray(analytic, float), np.asarray(numeric, float)
    if a.shape != n.shape:
        raise ValueError(f"gradients differ in shape: {a.shape} vs {n.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - n) / np.maximum(1.0, np.maximum(np.abs(a), np.abs(n)))))


def _probe(shape: tuple[int, ...]) -> np.ndarray:
    # A fixed, irregular upstream gradient: the scalar sum(out * R) exercises every output entry.
    return np.cos(1.0 + 0.7 * np.arange(int(np.prod(shape)))).reshape(shape)


def gradcheck(module: Module, X: ArrayLike, loss: Loss | None = None,
              target: ArrayLike | None = None, eps: float = 1e-6) -> dict[str, float]:
    """Compare ``module``'s backward pass with central differences.

    The scalar checked is ``loss(module(X), target)`` when a loss is given, otherwise
    ``sum(module(X) * R)`` for a fixed irregular ``R``. Returns the error of
    ``gradient_error`` for every parameter by name and for the input under the key ``"X"``.
    """
    X = as_float_array(X, "X").copy()
    if loss is not None and target is None:
        raise ValueError("gradcheck with a loss needs the loss's target")

    def scalar() -> float:
        out = module.forward(X)
        if loss is not None and target is not None:
            return loss.forward(out, target)
        return float(np.sum(out * _probe(out.shape)))

    scalar()
    if loss is not None:
        dX = module.backward(loss.backward())
    else:
        out = module.forward(X)
        dX = module.backward(_probe(out.shape))
    analytic = {k: v.copy() for k, v in module.gradients().items()}
    errors = {name: gradient_error(analytic[name], numerical_gradient(scalar, p, eps))
              for name, p in module.parameters().items()}
    errors["X"] = gradient_error(dX, numerical_gradient(scalar, X, eps))
    return errors
