"""Counting knobs: parameters, Hessian memory and activation memory."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._checks import positive_int
from .module import Module

UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB")


def count_parameters(model: Module) -> int:
    """Number of learnable scalars, added up from the model's own arrays (never a kept count)."""
    return int(sum(p.size for p in model.parameters().values()))


def dense_parameter_count(sizes: Sequence[int], bias: bool = True) -> int:
    """``Σ (n_in n_out + n_out)`` over consecutive layer sizes, e.g. ``[100, 128, 64, 1]``."""
    sizes = [positive_int(s, "layer size") for s in sizes]
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output size, got {sizes}")
    return sum(a * b + (b if bias else 0) for a, b in zip(sizes[:-1], sizes[1:], strict=False))


def hessian_entries(n_params: int) -> int:
    """A full Hessian of ``n`` parameters has ``n²`` entries."""
    n = positive_int(n_params, "n_params")
    return n * n


def hessian_bytes(n_params: int, dtype=np.float64) -> int:
    """Bytes to store the full Hessian: ``n² × itemsize`` (8 for float64)."""
    return hessian_entries(n_params) * np.dtype(dtype).itemsize


def format_bytes(nbytes: float) -> str:
    """Decimal units (1 kB = 1000 B), as disk and memory vendors quote them: ``8.00 TB``."""
    if nbytes < 0:
        raise ValueError(f"nbytes must be >= 0, got {nbytes}")
    value, unit = float(nbytes), UNITS[0]
    for unit in UNITS:
        if value < 1000 or unit == UNITS[-1]:
            break
        value /= 1000
    return f"{value:.0f} {unit}" if unit == "B" else f"{value:.2f} {unit}"


def activation_bytes(sizes: Sequence[int], batch: int, training: bool = True,
                     dtype=np.float64) -> int:
    """Activation memory of a dense network with layer widths ``sizes`` for a batch.

    Training keeps every layer's activations for the backward pass: ``B × Σ n_l`` numbers.
    Inference needs only the widest two consecutive layers at a time: ``B × max(n_l + n_{l+1})``.
    """
    sizes = [positive_int(s, "layer size") for s in sizes]
    batch = positive_int(batch, "batch")
    if training:
        count = batch * sum(sizes)
    else:
        count = batch * max(a + b for a, b in zip(sizes[:-1], sizes[1:], strict=False))
    return count * np.dtype(dtype).itemsize
