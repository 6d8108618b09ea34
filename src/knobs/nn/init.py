"""Weight and bias initializers.

Every initializer has the signature ``init(shape, rng, **options) -> np.ndarray`` and takes an
explicit ``np.random.Generator``. A weight matrix has shape ``(n_out, n_in)``, so its fan-in is
``shape[1]`` and its fan-out ``shape[0]`` (as in PyTorch).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from knobs.validate import generator, positive_float

Shape = int | tuple[int, ...]
# an initializer: a function (shape, rng, **options) -> array
Initializer = Callable[..., np.ndarray]
# how a layer names its initializer: a name of this module ("kaiming_uniform") or the function
InitSpec = str | Initializer

GAINS = {"linear": 1.0, "identity": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3.0, "relu": math.sqrt(2.0)}


def _shape(shape: Shape) -> tuple[int, ...]:
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if not shape or any((not isinstance(s, int | np.integer)) or s <= 0 for s in shape):
        raise ValueError(f"shape must be a tuple of positive integers, got {shape!r}")
    return tuple(int(s) for s in shape)


def fans(shape: Shape) -> tuple[int, int]:
    """Return ``(fan_in, fan_out)`` of a weight matrix of shape ``(n_out, n_in)``."""
    shape = _shape(shape)
    if len(shape) != 2:
        raise ValueError(
            f"fan-in and fan-out need a 2-D weight shape (n_out, n_in), got {shape}; "
            "use zeros, constant, normal or uniform for a bias"
        )
    n_out, n_in = shape
    return n_in, n_out


def calculate_gain(nonlinearity: str) -> float:
    """The recommended gain for an activation, as in ``torch.nn.init.calculate_gain``."""
    if nonlinearity not in GAINS:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}; expected one of {sorted(GAINS)}")
    return GAINS[nonlinearity]


def zeros(shape: Shape, rng: np.random.Generator | None = None) -> np.ndarray:
    """All zeros (no randomness: ``rng`` is accepted and ignored)."""
    return np.zeros(_shape(shape))


def constant(shape: Shape, rng: np.random.Generator | None = None,
             value: float = 0.0) -> np.ndarray:
    """Every entry equal to ``value``."""
    return np.full(_shape(shape), float(value))


def normal(shape: Shape, rng: np.random.Generator, mean: float = 0.0,
           std: float = 1.0) -> np.ndarray:
    """Independent draws from ``N(mean, std²)``."""
    std = positive_float(std, "std", allow_zero=True)
    return generator(rng, "normal").normal(mean, std, size=_shape(shape))


def uniform(shape: Shape, rng: np.random.Generator, low: float = -1.0,
            high: float = 1.0) -> np.ndarray:
    """Independent draws from ``U(low, high)``."""
    if not low <= high:
        raise ValueError(f"uniform needs low <= high, got low={low}, high={high}")
    return generator(rng, "uniform").uniform(low, high, size=_shape(shape))


def xavier_normal(shape: Shape, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """Glorot & Bengio (2010): ``std = gain * sqrt(2 / (fan_in + fan_out))``."""
    fan_in, fan_out = fans(shape)
    return normal(shape, rng, std=gain * math.sqrt(2.0 / (fan_in + fan_out)))


def xavier_uniform(shape: Shape, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """Glorot & Bengio (2010): ``U(-a, a)`` with ``a = gain * sqrt(6 / (fan_in + fan_out))``."""
    fan_in, fan_out = fans(shape)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform(shape, rng, -a, a)


def kaiming_normal(shape: Shape, rng: np.random.Generator,
                   nonlinearity: str = "relu") -> np.ndarray:
    """He et al. (2015): ``std = gain / sqrt(fan_in)``, i.e. ``Var(w) = 2 / n_in`` for ReLU."""
    fan_in, _ = fans(shape)
    return normal(shape, rng, std=calculate_gain(nonlinearity) / math.sqrt(fan_in))


def kaiming_uniform(shape: Shape, rng: np.random.Generator,
                    nonlinearity: str = "relu") -> np.ndarray:
    """He et al. (2015): ``U(-a, a)`` with ``a = gain * sqrt(3 / fan_in)``."""
    fan_in, _ = fans(shape)
    a = calculate_gain(nonlinearity) * math.sqrt(3.0 / fan_in)
    return uniform(shape, rng, -a, a)


INITIALIZERS: dict[str, Callable[..., np.ndarray]] = {
    "zeros": zeros,
    "constant": constant,
    "normal": normal,
    "uniform": uniform,
    "xavier_normal": xavier_normal,
    "xavier_uniform": xavier_uniform,
    "kaiming_normal": kaiming_normal,
    "kaiming_uniform": kaiming_uniform,
}


def get(init: InitSpec) -> Callable[..., np.ndarray]:
    """Look up an initializer by name, or pass a callable through."""
    if callable(init):
        return init
    if isinstance(init, str) and init in INITIALIZERS:
        return INITIALIZERS[init]
    raise ValueError(
        f"unknown initializer {init!r}; expected a callable or one of {sorted(INITIALIZERS)}"
    )


def initialize(init: InitSpec, shape: Shape, rng: np.random.Generator | None = None,
               **options: Any) -> np.ndarray:
    """Call the initializer ``init`` (a name or a callable) and check the result's shape."""
    values = np.asarray(get(init)(_shape(shape), rng, **options), dtype=np.float64)
    if values.shape != _shape(shape):
        raise ValueError(f"initializer {init!r} returned shape {values.shape}, expected {shape}")
    return values
