"""Counting knobs: parameters, Hessian memory and activation memory."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NotRequired, TypedDict

import numpy as np
from numpy.typing import DTypeLike

from knobs.nn.conv import conv_output_size
from knobs.nn.lstm import LSTM_TYING
from knobs.validate import IntPair, int_pair, positive_int

UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB")


class ImageLayerGeometry(TypedDict):
    """Keyword arguments of ``locally_connected_parameter_count`` and
    ``dense_image_parameter_count``, to pass one layer's geometry to both as ``**geometry``."""

    image_size: IntPair
    c_in: int
    c_out: int
    kernel: IntPair
    stride: NotRequired[IntPair]
    padding: NotRequired[IntPair]
    bias: NotRequired[bool]


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


def hessian_bytes(n_params: int, dtype: DTypeLike = np.float64) -> int:
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
                     dtype: DTypeLike = np.float64) -> int:
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


# --- Part III, chapters 12-14: shared weights, budgets, memory -------------------------------

def patch_count(image_size: IntPair, kernel: IntPair, stride: IntPair = 1,
                padding: IntPair = 0) -> int:
    """Number of patches (output positions) of a 2-D kernel sliding over an image.

    ``image_size``, ``kernel``, ``stride`` and ``padding`` are integers or ``(h, w)`` pairs.
    """
    (H, W), (kh, kw) = int_pair(image_size, "image_size"), int_pair(kernel, "kernel")
    (sh, sw), (ph, pw) = int_pair(stride, "stride"), int_pair(padding, "padding", allow_zero=True)
    return conv_output_size(H, kh, sh, ph) * conv_output_size(W, kw, sw, pw)


def conv_parameter_count(c_in: int, c_out: int, kernel: IntPair, bias: bool = True) -> int:
    """One shared filter bank: ``c_out (c_in k_h k_w) + c_out``, whatever the image size."""
    c_in, c_out = positive_int(c_in, "c_in"), positive_int(c_out, "c_out")
    kh, kw = int_pair(kernel, "kernel")
    return c_out * c_in * kh * kw + (c_out if bias else 0)


def locally_connected_parameter_count(image_size: IntPair, c_in: int, c_out: int, kernel: IntPair,
                                      stride: IntPair = 1, padding: IntPair = 0,
                                      bias: bool = True) -> int:
    """A private filter bank (and bias) at every patch: ``patches × conv_parameter_count``."""
    return (patch_count(image_size, kernel, stride, padding)
            * conv_parameter_count(c_in, c_out, kernel, bias))


def dense_image_parameter_count(image_size: IntPair, c_in: int, c_out: int, kernel: IntPair,
                                stride: IntPair = 1, padding: IntPair = 0,
                                bias: bool = True) -> int:
    """A dense layer with the same input ``c_in H W`` and output ``c_out × patches`` as the conv."""
    H, W = int_pair(image_size, "image_size")
    n_in = positive_int(c_in, "c_in") * H * W
    n_out = positive_int(c_out, "c_out") * patch_count(image_size, kernel, stride, padding)
    return n_in * n_out + (n_out if bias else 0)


def lstm_parameter_count(n_in: int, n_hidden: int, tie: str = "none", bias: bool = True) -> int:
    """Parameters of one LSTM layer with one bias vector per gate.

    ``tie="none"``: four gates (input, forget, candidate, output), each with ``W_x: (h, n_in)``,
    ``W_h: (h, h)`` and ``b: (h,)``. ``tie="input"``: one ``W_x`` shared by the four gates.
    ``tie="coupled"``: the forget gate is tied to the input gate, ``f = 1 - i``, so three gates
    remain (Greff et al., 2017). PyTorch keeps two bias vectors per gate (``b_ih``, ``b_hh``):
    add ``4 h`` to compare with it.
    """
    n_in, h = positive_int(n_in, "n_in"), positive_int(n_hidden, "n_hidden")
    if tie not in LSTM_TYING:
        raise ValueError(f"tie must be one of {LSTM_TYING}, got {tie!r}")
    per_gate = h * h + (h if bias else 0)  # recurrent weights and bias are never shared here
    if tie == "none":
        return 4 * (h * n_in + per_gate)
    if tie == "input":
        return h * n_in + 4 * per_gate
    return 3 * (h * n_in + per_gate)


def mlp_sizes(d: int, width: int, depth: int, n_out: int = 1) -> list[int]:
    """Layer sizes of ``depth`` hidden layers of ``width`` units on ``d`` inputs, plus an output."""
    return ([positive_int(d, "d")] + [positive_int(width, "width")] * positive_int(depth, "depth")
            + [positive_int(n_out, "n_out")])


def mlp_parameter_estimate(d: int, width: int, depth: int) -> int:
    """The budget rule ``P ≈ (L - 1) m² + d m``: weights of the hidden layers only.

    It leaves out every bias (``L m``) and the output layer (``m n_out + n_out``); the exact count
    is ``dense_parameter_count(mlp_sizes(d, m, L, n_out))``.
    """
    d, m, L = positive_int(d, "d"), positive_int(width, "width"), positive_int(depth, "depth")
    return (L - 1) * m * m + d * m


def width_for_budget(budget: int, d: int, depth: int, exact: bool = False,
                     n_out: int = 1) -> int:
    """The largest width ``m`` whose ``depth``-layer network fits in ``budget`` parameters.

    With ``exact=False`` the rule ``(L - 1) m² + d m <= P`` decides, otherwise the exact count
    with biases and an output layer of ``n_out`` units. Returns 0 when not even ``m = 1`` fits.
    """
    budget, d = positive_int(budget, "budget"), positive_int(d, "d")
    L = positive_int(depth, "depth")

    def cost(m: int) -> int:
        if exact:
            return dense_parameter_count(mlp_sizes(d, m, L, n_out))
        return mlp_parameter_estimate(d, m, L)

    if cost(1) > budget:
        return 0
    low, high = 1, 2
    while cost(high) <= budget:  # cost grows with m: double, then bisect
        low, high = high, 2 * high
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if cost(mid) <= budget else (low, mid)
    return low


def checkpointed_activation_bytes(sizes: Sequence[int], batch: int, segments: int,
                                  dtype: DTypeLike = np.float64) -> int:
    """Training activation memory with gradient checkpointing (Chen et al., 2016).

    The layers between the ``L + 1`` activations of ``sizes`` are cut into ``segments`` runs of
    consecutive layers (``segment_bounds``). The forward pass keeps only each segment's input, the
    checkpoint; the backward pass walks the segments in reverse, recomputes one segment's
    activations from its checkpoint, back-propagates through it and frees it with its checkpoint.
    While segment ``s`` is processed, memory holds the checkpoints ``0 .. s`` and the activations
    inside ``s``; the peak is the largest of these ``B Σ n`` totals. ``segments = 1`` is plain
    training, ``activation_bytes(sizes, batch)``.
    """
    sizes = [positive_int(s, "layer size") for s in sizes]
    batch, segments = positive_int(batch, "batch"), positive_int(segments, "segments")
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output size, got {sizes}")
    peak, checkpoints = 0, 0
    for start, stop in segment_bounds(len(sizes) - 1, segments):
        checkpoints += sizes[start]
        peak = max(peak, checkpoints + sum(sizes[start + 1:stop + 1]))
    return batch * peak * np.dtype(dtype).itemsize


def segment_bounds(n_layers: int, segments: int) -> list[tuple[int, int]]:
    """Split layers ``0 .. n_layers - 1`` into ``segments`` consecutive runs ``(start, stop)``.

    Sizes differ by at most one, e.g. 10 layers in 3 segments: (0, 3), (3, 6), (6, 10).
    """
    n_layers, segments = positive_int(n_layers, "n_layers"), positive_int(segments, "segments")
    if segments > n_layers:
        raise ValueError(f"segments must be <= n_layers = {n_layers}, got {segments}")
    cuts = [k * n_layers // segments for k in range(segments + 1)]
    return list(zip(cuts[:-1], cuts[1:], strict=True))
