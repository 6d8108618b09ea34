"""Where the net input sits on the activation: Gaussian ``z ~ N(mean, std²)`` and ``f'(z)``.

The bias sets the mean of the net input, the weights its spread (chapter 2). This module turns
that pair into the two numbers chapter 4 needs:

- ``mean_derivative``: ``E[f'(z)]``, the average slope a unit passes back. It is small when the
  bias pushes ``z`` into the flat tails of a sigmoid or tanh (saturation).
- ``active_fraction``: ``P(z > 0) = Φ(mean / std)``, the share of inputs on which a ReLU unit is
  active; ``bias_for_active_fraction`` inverts it to pick a bias for a target sparsity.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

import numpy as np

from knobs.nn import activations
from knobs.validate import positive_float

_STANDARD = NormalDist()


def _finite(x, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a real number, got {x!r}")
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x}")
    return float(x)


def normal_cdf(x) -> np.ndarray:
    """``Φ(x)``, the standard normal CDF, elementwise (``±inf`` allowed: Φ = 0 or 1)."""
    x = np.asarray(x, dtype=np.float64)
    if np.any(np.isnan(x)):
        raise ValueError("normal_cdf got NaN; expected real numbers")
    return 0.5 * (1.0 + np.vectorize(math.erf, otypes=[np.float64])(x / math.sqrt(2.0)))


def normal_quantile(p) -> np.ndarray:
    """``Φ⁻¹(p)`` elementwise, for probabilities strictly between 0 and 1."""
    p = np.asarray(p, dtype=np.float64)
    if np.any(~((p > 0) & (p < 1))):
        raise ValueError(f"probabilities must lie strictly between 0 and 1, got {p}")
    return np.vectorize(_STANDARD.inv_cdf, otypes=[np.float64])(p)


def active_fraction(mean, std) -> float:
    """``P(z > 0)`` for ``z ~ N(mean, std²)``: ``Φ(mean/std)``; with ``std = 0``, 1 if mean > 0.

    For a ReLU unit with zero-mean Gaussian inputs, ``mean`` is its bias ``b`` and ``std`` is
    ``sqrt(wᵀΣw)``: the bias alone sets how often the unit fires, relative to that spread.
    """
    mean = _finite(mean, "mean")
    std = positive_float(std, "std", allow_zero=True)
    if std == 0:
        return 1.0 if mean > 0 else 0.0
    return float(normal_cdf(mean / std))


def bias_for_active_fraction(fraction, std) -> float:
    """The bias ``b = std · Φ⁻¹(fraction)`` that makes a ReLU unit active on ``fraction`` of
    its (zero-mean Gaussian) inputs, whose net input without bias has spread ``std > 0``."""
    fraction = _finite(fraction, "fraction")
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must lie strictly between 0 and 1, got {fraction}")
    std = positive_float(std, "std")
    return float(std * normal_quantile(fraction))


def gaussian_expectation(f: Callable[[np.ndarray], np.ndarray], mean, std) -> float:
    """``E[f(z)]`` for ``z ~ N(mean, std²)`` by the trapezoid rule on ``mean ± 8 std``.

    The grid spacing is at most ``min(std, 1)/16``, so it resolves both a narrow Gaussian and
    the unit-width features of sigmoid and tanh; the truncated tails weigh less than 1e-15.
    With ``std = 0`` the expectation is ``f(mean)``.
    """
    mean = _finite(mean, "mean")
    std = positive_float(std, "std", allow_zero=True)
    if std == 0:
        return float(np.asarray(f(np.array([mean])), dtype=np.float64)[0])
    n = int(math.ceil(256 * max(std, 1.0))) + 1
    u = np.linspace(-8.0, 8.0, n)  # standardized grid
    density = np.exp(-0.5 * u**2) / math.sqrt(2 * math.pi)
    values = np.asarray(f(mean + std * u), dtype=np.float64)
    return float(np.trapezoid(values * density, u))


def mean_derivative(activation: str, mean, std) -> float:
    """``E[f'(z)]`` for ``z ~ N(mean, std²)`` and an activation by name (``"tanh"``, ...).

    Exact for ``relu`` (``Φ(mean/std)``), ``identity`` (1) and ``step`` (0); numerical for the
    smooth ``sigmoid`` and ``tanh``.
    """
    layer = activations.get(activation)  # raises a clear ValueError for an unknown name
    if activation == "relu":
        return active_fraction(mean, std)
    if activation in ("identity", "step"):
        _finite(mean, "mean")
        positive_float(std, "std", allow_zero=True)
        return 1.0 if activation == "identity" else 0.0
    return gaussian_expectation(layer.derivative, mean, std)
