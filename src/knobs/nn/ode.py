"""The classical Runge–Kutta method (RK4) for ``dy/dt = f(y)``, with gradients through the solver.

``rk4`` integrates any NumPy function. ``ODEBlock`` integrates a knobs ``Module`` as the right-hand
side ``f`` (a small network for a Neural ODE, or a model with two named parameters such as the
logistic law) and is itself a ``Module``: its ``backward`` back-propagates through every unrolled
RK4 stage, so its gradients are the exact gradients of the discrete solution
("discretize, then differentiate"). Chen et al. (2018) instead solve an adjoint ODE backwards in
time, which saves memory; for a few dozen steps the unrolled version is simpler and exact.

Shapes: a batch of ``m`` states ``Y0: (m, d)``; a time grid ``t: (T,)`` starting at the initial
time; a trajectory ``Y: (T, m, d)`` with ``Y[0] = Y0``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from knobs.nn.module import Module
from knobs.validate import as_float_array, positive_int


def _time_grid(t: ArrayLike) -> np.ndarray:
    t = as_float_array(t, "t")
    if t.ndim != 1 or t.size < 2:
        raise ValueError(f"t must be a 1-D grid of at least 2 times, got shape {t.shape}")
    if np.any(np.diff(t) <= 0):
        raise ValueError("t must be strictly increasing")
    return t


def rk4_step(f: Callable[[np.ndarray], np.ndarray], y: np.ndarray, h: float) -> np.ndarray:
    """One RK4 step of size ``h``: ``y + h/6 (k1 + 2 k2 + 2 k3 + k4)``; local error ``O(h⁵)``."""
    k1 = f(y)
    k2 = f(y + 0.5 * h * k1)
    k3 = f(y + 0.5 * h * k2)
    k4 = f(y + h * k3)
    return y + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


def rk4(f: Callable[[np.ndarray], np.ndarray], y0: ArrayLike, t: ArrayLike,
        substeps: int = 1) -> np.ndarray:
    """Integrate ``dy/dt = f(y)`` from ``y0`` (any shape) and return ``y`` at every time of ``t``.

    Each interval ``[t[i], t[i+1]]`` is split into ``substeps`` equal RK4 steps.
    Returns an array of shape ``(len(t),) + y0.shape``.
    """
    y = as_float_array(y0, "y0")
    t = _time_grid(t)
    substeps = positive_int(substeps, "substeps")
    out = [y]
    for t0, t1 in zip(t[:-1], t[1:], strict=True):
        h = (t1 - t0) / substeps
        for _ in range(substeps):
            y = rk4_step(f, y, h)
        out.append(y)
    return np.stack(out)


class ODEBlock(Module):
    """``Y0 ↦`` the RK4 solution of ``dY/dt = field(Y)`` at the times ``t``.

    Args:
        field: a knobs ``Module`` mapping states ``(m, d)`` to their rates of change ``(m, d)``.
            Its parameters are the block's parameters (same names, same arrays).
        t: the observation times ``(T,)``; ``t[0]`` is the time of ``Y0``.
        substeps: RK4 steps per interval of ``t``.

    ``forward(Y0: (m, d)) -> Y: (T, m, d)``; ``backward(dY: (T, m, d)) -> dY0: (m, d)`` and the
    gradients of the field's parameters, summed over every stage of every step.
    """

    def __init__(self, field: Module, t: ArrayLike, substeps: int = 1) -> None:
        if not isinstance(field, Module):
            raise TypeError(f"field must be a knobs Module, got {type(field).__name__}")
        self.field = field
        self.t = _time_grid(t)
        self.substeps = positive_int(substeps, "substeps")
        # the inputs of the field at every stage of every step
        self.stages: list[tuple[float, tuple[np.ndarray, ...]]] | None = None
        self.state_shape: tuple[int, ...] | None = None  # (m, d) of the last forward pass
        self._grads = {k: np.zeros_like(v) for k, v in field.parameters().items()}
        self.n_field_calls = 0  # forward + backward evaluations of the field, for cost accounting

    def _f(self, Y: np.ndarray) -> np.ndarray:
        self.n_field_calls += 1
        return self.field.forward(Y)

    def forward(self, Y0: ArrayLike) -> np.ndarray:
        Y = as_float_array(Y0, "Y0")
        if Y.ndim != 2:
            raise ValueError(f"Y0 must have shape (m, d), got shape {Y.shape}")
        # per step: (h, (u1, u2, u3, u4)), the points where f was evaluated
        stages: list[tuple[float, tuple[np.ndarray, ...]]] = []
        out = [Y]
        for t0, t1 in zip(self.t[:-1], self.t[1:], strict=True):
            h = (t1 - t0) / self.substeps
            for _ in range(self.substeps):
                u1 = Y
                k1 = self._f(u1)
                u2 = Y + 0.5 * h * k1
                k2 = self._f(u2)
                u3 = Y + 0.5 * h * k2
                k3 = self._f(u3)
                u4 = Y + h * k3
                k4 = self._f(u4)
                stages.append((h, (u1, u2, u3, u4)))
                Y = Y + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
            out.append(Y)
        self.stages, self.state_shape = stages, Y.shape
        return np.stack(out)

    def _field_vjp(self, u: np.ndarray, g: np.ndarray) -> np.ndarray:
        # Layers keep only their last input, so run the field forward at u again before its
        # backward (recomputation instead of storing every layer of every stage).
        self._f(u)
        du = self.field.backward(g)
        self.n_field_calls += 1
        for name, grad in self.field.gradients().items():
            self._grads[name] += grad
        return du

    def backward(self, dY: ArrayLike) -> np.ndarray:
        stages, state_shape = self._need_forward("stages"), self._need_forward("state_shape")
        dY = as_float_array(dY, "dY")
        expected = (len(self.t),) + state_shape
        if dY.shape != expected:
            raise ValueError(f"dY must have shape {expected}, got {dY.shape}")
        # new sums every pass: the field's gradient attributes hold the previous pass's sums
        self._grads = {k: np.zeros_like(v) for k, v in self.field.parameters().items()}
        a = dY[-1].copy()   # adjoint: dLoss/dY at the current step's end
        step = len(stages)
        for i in range(len(self.t) - 1, 0, -1):
            for _ in range(self.substeps):
                step -= 1
                h, (u1, u2, u3, u4) = stages[step]
                # Y_next = Y + h/6 (k1 + 2k2 + 2k3 + k4), k_j = f(u_j): walk the stages backwards.
                dk4 = (h / 6.0) * a
                dk3 = (h / 3.0) * a
                dk2 = (h / 3.0) * a
                dk1 = (h / 6.0) * a
                dY_here = a.copy()
                du4 = self._field_vjp(u4, dk4)          # u4 = Y + h k3
                dY_here += du4
                dk3 = dk3 + h * du4
                du3 = self._field_vjp(u3, dk3)          # u3 = Y + h/2 k2
                dY_here += du3
                dk2 = dk2 + 0.5 * h * du3
                du2 = self._field_vjp(u2, dk2)          # u2 = Y + h/2 k1
                dY_here += du2
                dk1 = dk1 + 0.5 * h * du2
                dY_here += self._field_vjp(u1, dk1)     # u1 = Y
                a = dY_here
            a = a + dY[i - 1]   # the loss also looks at the state at t[i-1]
        # the field's gradients become the sums over every stage (each _field_vjp left only its own)
        for name, owner, _, grad in self.field.slots():
            setattr(owner, grad, self._grads[name])
        return a

    def children(self) -> tuple[tuple[str, Module], ...]:
        return (("", self.field),)  # the field's parameters, under their own names

    def __repr__(self) -> str:
        return (f"ODEBlock(field={self.field!r}, t=[{self.t[0]:g} .. {self.t[-1]:g}] "
                f"({len(self.t)} times), substeps={self.substeps})")
