"""Reductions: adding ``n`` numbers one after another or as a tree, and what rounding does.

A bias gradient is a sum over the batch (chapter 8). Summed left to right, ``n`` numbers need
``n - 1`` dependent additions and each rounding error can grow with the running total: the
error bound is about ``(n - 1) u Σ|x_i|`` for unit roundoff ``u``. Summed as a balanced tree,
every level adds disjoint pairs (all of them at once, on parallel hardware), there are only
``ceil(log2 n)`` levels, and the bound drops to about ``ceil(log2 n) u Σ|x_i|`` (Higham 1993).
NumPy's ``np.sum`` uses pairwise (tree) summation on blocks of a contiguous array.
"""

from __future__ import annotations

import math

import numpy as np


def _vector(x) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 1 or x.size == 0 or x.dtype.kind != "f":
        raise ValueError(f"expected a non-empty 1-D float array, got dtype {x.dtype} and shape "
                         f"{x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("the numbers to add contain NaN or inf")
    return x


def unit_roundoff(dtype) -> float:
    """``u = eps / 2``: the largest relative error of one rounding (``2⁻²⁴`` for float32)."""
    return float(np.finfo(dtype).eps) / 2.0


def sequential_sum(x) -> np.floating:
    """``((x0 + x1) + x2) + ...`` in ``x``'s own dtype: one running total, ``n - 1`` additions.

    ``np.add.accumulate`` is sequential by definition (every partial sum is an output), so this
    is the naive loop without the cost of a Python loop.
    """
    x = _vector(x)
    return np.add.accumulate(x, dtype=x.dtype)[-1]


def sequential_prefix_sums(x) -> np.ndarray:
    """Every running total of ``sequential_sum``: entry ``k`` is the naive sum of ``x[:k + 1]``."""
    x = _vector(x)
    return np.add.accumulate(x, dtype=x.dtype)


def tree_sum(x) -> tuple[np.floating, int]:
    """Balanced pairwise summation in ``x``'s dtype. Returns ``(sum, levels)``.

    Each level adds neighbours in pairs, ``x[0] + x[1], x[2] + x[3], ...`` (an odd last element
    passes to the next level unchanged). All additions of a level are independent, so ``n``
    processors would finish in ``levels = ceil(log2 n)`` steps instead of ``n - 1``.
    """
    level = _vector(x)
    levels = 0
    while level.size > 1:
        paired = level[: level.size // 2 * 2]
        summed = paired[0::2] + paired[1::2]
        level = np.concatenate([summed, level[paired.size:]])
        levels += 1
    return level[0], levels


def exact_sum(x) -> float:
    """The exact sum of ``x``'s values, correctly rounded to float64 (``math.fsum``)."""
    return math.fsum(_vector(x).astype(np.float64).tolist())


def error_bounds(n: int, dtype) -> dict[str, float]:
    """Leading-order worst-case error bounds relative to ``Σ|x_i|`` for ``n`` numbers."""
    if n < 1:
        raise ValueError(f"n must be a positive integer, got {n}")
    u = unit_roundoff(dtype)
    return {"sequential": (n - 1) * u, "tree": math.ceil(math.log2(n)) * u if n > 1 else 0.0}
