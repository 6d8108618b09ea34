"""Input validation shared by every floor of the package: clear errors instead of silent
broadcasting. The one module every other may import."""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import ArrayLike

# a size given as one integer or as (height, width): a kernel, a stride, an image
IntPair = int | tuple[int, int]


def as_float_array(x: ArrayLike, name: str) -> np.ndarray:
    """Return ``x`` as a float64 array, refusing non-numeric input and NaN/inf."""
    if type(x) is np.ndarray and x.dtype == np.float64:
        arr = x  # the engine's own arrays, on every forward and backward pass: no conversion
    else:
        if isinstance(x, np.ndarray) and x.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got an array of dtype {x.dtype}")
        try:
            arr = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError) as err:
            raise TypeError(f"{name} must be an array of real numbers, "
                            f"got {type(x).__name__}") from err
    # NaN or inf anywhere makes the sum NaN or inf, and a sum is a third of the cost of testing
    # every entry; only a sum that is not finite (or that overflowed) needs the entrywise test
    if not math.isfinite(np.add.reduce(arr, axis=None)) and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf; expected finite numbers")
    return arr


def as_batch(X: ArrayLike, n_features: int, name: str = "X") -> np.ndarray:
    """Validate a batch ``X`` of shape ``(m, n_features)``."""
    X = as_float_array(X, name)
    if X.ndim != 2 or X.shape[1] != n_features:
        raise ValueError(
            f"{name} must have shape (m, {n_features}) with samples in rows, got shape {X.shape}"
        )
    if X.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample, got shape {X.shape}")
    return X


def same_shape(a: np.ndarray, b: ArrayLike, name_a: str, name_b: str) -> np.ndarray:
    """Return ``b`` as an array after checking it has exactly the shape of ``a``."""
    b = as_float_array(b, name_b)
    if b.shape != a.shape:
        raise ValueError(
            f"{name_b} must have the shape of {name_a} {a.shape}, got {b.shape}; "
            "the engine never broadcasts one into the other"
        )
    return b


def positive_int(n: object, name: str) -> int:
    """Check that ``n`` is a positive integer (a layer size, a count)."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {n!r}")
    if n <= 0:
        raise ValueError(f"{name} must be a positive integer, got {n}")
    return int(n)


def positive_float(x: object, name: str, allow_zero: bool = False) -> float:
    """Check that ``x`` is a finite positive (or non-negative) real number."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {x!r}")
    x = float(x)
    if not np.isfinite(x) or x < 0 or (x == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {x}")
    return x


def generator(rng: object, who: str) -> np.random.Generator:
    """Check that ``rng`` is a NumPy Generator (no hidden global randomness)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{who} needs rng=np.random.default_rng(seed), a numpy Generator; got {rng!r}"
        )
    return rng


def int_pair(value: object, name: str, allow_zero: bool = False) -> tuple[int, int]:
    """``k`` or ``(k_h, k_w)`` as a pair of integers (positive, or >= 0 with ``allow_zero``)."""
    pair = tuple(value) if isinstance(value, tuple | list) else (value, value)
    if len(pair) != 2:
        raise ValueError(f"{name} must be an integer or a pair of integers, got {value!r}")
    if allow_zero:
        for v in pair:
            if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        return int(pair[0]), int(pair[1])
    return positive_int(pair[0], name), positive_int(pair[1], name)
