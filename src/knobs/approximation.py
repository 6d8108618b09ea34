"""One hidden layer approximates a continuous function: a construction you can check (chapter 10).

The universal approximation theorem (Cybenko 1989, Hornik 1991) says that some one-hidden-layer
network is as close as we like to any continuous function on a compact set; it does not say how
wide. For one input and ReLU units a constructive answer is short: the piecewise-linear
interpolant of ``f`` on ``n`` equal pieces of ``[lo, hi]`` is exactly a network with ``n`` hidden
units,

    f̂(x) = f(t_0) + Σ_k v_k ReLU(x - t_k),   t_k = lo + k (hi - lo) / n,

where unit ``k`` has weight 1 and **bias** ``-t_k`` (the bias places the kink at ``t_k``) and the
output weight ``v_k`` is the change of slope there. For twice-differentiable ``f`` the largest
error is at most ``max|f''| h² / 8`` with ``h = (hi - lo)/n``: it falls like ``1/n²``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._checks import positive_int
from .activations import ReLU
from .layers import Linear
from .model import Sequential

# Targets on [0, 1] for the chapter and its live experiment: smooth, wiggly, and with a kink.
TARGETS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "bump": lambda x: np.exp(-30.0 * (x - 0.5) ** 2),
    "wave": lambda x: np.sin(3.0 * np.pi * x) * np.exp(-x),
    "kink": lambda x: np.abs(x - 0.3) + 0.5 * np.sin(6.0 * x),
}


def _interval(lo: float, hi: float) -> tuple[float, float]:
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"need a finite interval lo < hi, got [{lo}, {hi}]")
    return lo, hi


def relu_interpolant(f: Callable[[np.ndarray], np.ndarray], n_units: int, lo: float = 0.0,
                     hi: float = 1.0) -> Sequential:
    """The ``Sequential(Linear(1, n), ReLU(), Linear(n, 1))`` equal to ``f``'s interpolant.

    Knots ``t_0 < ... < t_n`` split ``[lo, hi]`` into ``n_units`` equal pieces; the network
    matches ``f`` at every knot and is linear in between (and constant ``f(lo)`` left of ``lo``).
    """
    n = positive_int(n_units, "n_units")
    lo, hi = _interval(lo, hi)
    knots = np.linspace(lo, hi, n + 1)
    values = np.asarray(f(knots), dtype=np.float64)
    if values.shape != knots.shape or not np.all(np.isfinite(values)):
        raise ValueError("f must map an array of knots to finite values of the same shape")
    slopes = np.diff(values) / np.diff(knots)             # slope of each of the n pieces
    v = np.diff(slopes, prepend=0.0)                       # change of slope at t_0, ..., t_{n-1}
    hidden = Linear.from_arrays(W=np.ones((n, 1)), b=-knots[:-1])   # kink of unit k at t_k
    output = Linear.from_arrays(W=v[None, :], b=[values[0]])
    return Sequential(hidden, ReLU(), output)


def max_error(model, f: Callable[[np.ndarray], np.ndarray], lo: float = 0.0, hi: float = 1.0,
              n_grid: int = 2001) -> float:
    """``max |model(x) - f(x)|`` over ``n_grid`` equally spaced points of ``[lo, hi]``."""
    lo, hi = _interval(lo, hi)
    x = np.linspace(lo, hi, positive_int(n_grid, "n_grid"))[:, None]
    return float(np.max(np.abs(model.forward(x)[:, 0] - np.asarray(f(x[:, 0]), dtype=float))))
