"""Recurrences: the weight decides whether a state settles, the bias decides where.

The scalar affine recurrence ``x_{t+1} = a x_t + b`` has the fixed point ``x* = b / (1 - a)``
(for ``a != 1``) and the closed form ``x_t = x* + a^t (x_0 - x*)``: the distance to the fixed
point is multiplied by ``a`` at every step, so the orbit converges to ``x*`` from every start
exactly when ``|a| < 1``. A recurrent unit ``h_{t+1} = f(W h_t + b)`` is the same map with a
matrix and a nonlinearity.
"""

from __future__ import annotations

import numbers

import numpy as np

from knobs.nn.activations import Activation
from knobs.nn.linear import Linear
from knobs.validate import as_float_array, positive_int


def _real(x, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not np.isfinite(float(x)):
        raise TypeError(f"{name} must be a finite real number, got {x!r}")
    return float(x)


def affine_fixed_point(a: float, b: float) -> float:
    """The fixed point ``b / (1 - a)`` of ``x ↦ a x + b``.

    Raises:
        ValueError: if ``a = 1``: then ``x ↦ x + b`` has no fixed point unless ``b = 0``, in which
            case every point is fixed.
    """
    a, b = _real(a, "a"), _real(b, "b")
    if a == 1.0:
        raise ValueError("a = 1: x -> x + b moves every point by b, so there is no unique "
                         "fixed point (none if b != 0, every x if b = 0)")
    return b / (1.0 - a)


def affine_orbit(a: float, b: float, x0: float, steps: int) -> np.ndarray:
    """Iterate ``x_{t+1} = a x_t + b`` from ``x_0``; returns ``x_0, ..., x_steps`` (``steps + 1``).

    Raises:
        FloatingPointError: if the orbit leaves the range of float64 (``|a| > 1``, many steps).
    """
    a, b, x = _real(a, "a"), _real(b, "b"), _real(x0, "x0")
    steps = positive_int(steps, "steps")
    orbit = np.empty(steps + 1)
    orbit[0] = x
    for t in range(steps):
        x = a * x + b
        if not np.isfinite(x):
            raise FloatingPointError(f"the orbit overflowed float64 at step {t + 1} (a = {a})")
        orbit[t + 1] = x
    return orbit


def affine_closed_form(a: float, b: float, x0: float, t) -> np.ndarray:
    """``x_t = x* + a^t (x_0 - x*)`` for ``a != 1`` and ``x_t = x_0 + t b`` for ``a = 1``.

    Args:
        a, b, x0: the recurrence and its start.
        t: step numbers (non-negative integers), a number or an array.

    Returns:
        The states at the steps ``t``, an array of the shape of ``t``.
    """
    a, b, x0 = _real(a, "a"), _real(b, "b"), _real(x0, "x0")
    t = np.asarray(t)
    if t.dtype.kind not in "iu" or np.any(t < 0):
        raise ValueError("t must hold non-negative integers")
    if a == 1.0:
        return x0 + t * b
    star = b / (1.0 - a)
    return star + np.power(a, t.astype(np.float64)) * (x0 - star)


def spectral_radius(W) -> float:
    """The largest modulus of an eigenvalue of a square matrix ``W``."""
    W = as_float_array(W, "W")
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be a square matrix, got shape {W.shape}")
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def linear_fixed_point(W, b) -> np.ndarray:
    """The fixed point ``(I - W)⁻¹ b`` of the linear recurrent unit ``h ↦ W h + b``.

    Args:
        W: the recurrent weights, shape ``(n, n)``.
        b: the bias, shape ``(n,)``.

    Returns:
        ``h*`` of shape ``(n,)``. It attracts every orbit exactly when the spectral radius of
        ``W`` is below 1.
    """
    W = as_float_array(W, "W")
    b = as_float_array(b, "b")
    if W.ndim != 2 or W.shape[0] != W.shape[1] or b.shape != (W.shape[0],):
        raise ValueError(f"need W of shape (n, n) and b of shape (n,), got {W.shape}, {b.shape}")
    try:
        return np.linalg.solve(np.eye(W.shape[0]) - W, b)
    except np.linalg.LinAlgError as err:
        raise ValueError("I - W is singular: W has the eigenvalue 1, so there is no unique "
                         "fixed point") from err


def recurrent_orbit(layer: Linear, activation: Activation, h0, steps: int) -> np.ndarray:
    """Iterate the recurrent unit ``h_{t+1} = f(W h_t + b)`` built from engine layers.

    Args:
        layer: a square ``Linear(n, n)``; its ``W`` and ``b`` are the recurrent weights and bias.
        activation: the nonlinearity ``f`` (``Identity()`` for the linear unit).
        h0: the initial state, shape ``(n,)``.
        steps: the number of steps.

    Returns:
        The states ``h_0, ..., h_steps``, shape ``(steps + 1, n)``.

    Raises:
        FloatingPointError: if a state leaves the range of float64.
    """
    if not isinstance(layer, Linear) or layer.n_in != layer.n_out:
        raise TypeError(f"layer must be a square knobs Linear(n, n), got {layer!r}")
    if not isinstance(activation, Activation):
        raise TypeError(f"activation must be a knobs activation, got {activation!r}")
    h = as_float_array(h0, "h0")
    if h.shape != (layer.n_in,):
        raise ValueError(f"h0 must have shape ({layer.n_in},), got {h.shape}")
    steps = positive_int(steps, "steps")
    states = np.empty((steps + 1, layer.n_in))
    states[0] = h
    for t in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):
            h = activation.function(layer.forward(h[None, :])[0])  # one sample: a batch of 1
        if not np.all(np.isfinite(h)):
            raise FloatingPointError(f"the state overflowed float64 at step {t + 1}")
        states[t + 1] = h
    return states
