"""Gradient checkpointing: keep a few activations, recompute the rest (Chen et al., 2016).

Training normally keeps every layer's saved arrays from the forward pass to the backward pass.
Checkpointing cuts the layers into segments, keeps only each segment's *input* during the
forward pass, and in the backward pass recomputes one segment's forward from its input just
before back-propagating through it. With ``√L`` segments of ``√L`` layers, memory falls from
``∝ L`` to ``∝ 2√L`` activations, for the price of about one more forward pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from knobs.analysis import accounting
from knobs.analysis.accounting import segment_bounds
from knobs.analysis.training_memory import inference_forward, peak_bytes, release_all
from knobs.nn.module import Sequential
from knobs.validate import positive_int


@dataclass(frozen=True)
class CheckpointedStep:
    """What ``checkpointed_backward`` did: the loss, ``dX`` and how many layer forwards it ran."""

    loss: float
    dX: np.ndarray
    layer_forwards: int


def sqrt_segments(n_layers: int) -> int:
    """The usual choice: ``round(√L)`` segments (at least 1)."""
    return max(1, round(math.sqrt(positive_int(n_layers, "n_layers"))))


def checkpointed_backward(model: Sequential, loss, X, target,
                          segments: int) -> CheckpointedStep:
    """Forward and backward through ``model`` keeping only segment inputs between the passes.

    Leaves in every layer exactly the gradients ``model.backward`` would (same operations in the
    same order), and releases everything it saved. ``segments = 1`` is plain training. The last
    segment is not recomputed: its forward runs with saving on, since its backward comes first.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"checkpointing needs a Sequential, got {type(model).__name__}")
    bounds = segment_bounds(len(model), segments)
    release_all(model)
    checkpoints, A, forwards = [], X, 0
    for k, (start, stop) in enumerate(bounds):
        checkpoints.append(A)
        segment = Sequential(*model.layers[start:stop])
        last = k == len(bounds) - 1
        A = segment.forward(A) if last else inference_forward(segment, A)
        forwards += stop - start
    value = loss.forward(A, target)
    dA = loss.backward()
    del A
    for k in reversed(range(len(bounds))):
        start, stop = bounds[k]
        segment = Sequential(*model.layers[start:stop])
        if k != len(bounds) - 1:
            segment.forward(checkpoints[k])  # recompute, saving what backward needs
            forwards += stop - start
        dA = segment.backward(dA)
        release_all(segment)
        checkpoints.pop()  # this segment's input is no longer needed
    loss.output = loss.target = None
    return CheckpointedStep(loss=value, dX=dA, layer_forwards=forwards)


def checkpointed_peak(model: Sequential, loss, X, target, segments: int,
                      repeats: int = 3) -> tuple[int, int]:
    """``(peak bytes, layer forwards)`` of one checkpointed forward and backward pass.

    Measured like ``memory.training_peak``: after one unmeasured warm-up pass, so that the
    gradient arrays the pass replaces were allocated under ``tracemalloc``, and the smallest of
    ``repeats`` passes (each pass releases everything it saved).
    """

    def step() -> CheckpointedStep:
        return checkpointed_backward(model, loss, X, target, segments)

    result, peak = peak_bytes(step, warmup=step, repeats=repeats)
    return peak, result.layer_forwards


def stack_sizes(depth: int, width: int) -> list[int]:
    """Widths of the ``2 depth + 1`` arrays a (Linear, ReLU) stack passes along."""
    return [width] * (2 * depth + 1)


def predicted_memory(depth: int, batch: int, width: int) -> dict:
    """Bytes of the parameters and of the activations kept in the three modes (inference,
    training, training with ``sqrt_segments`` checkpoints) of ``depth`` (Linear, ReLU) pairs of
    ``width`` units on ``width`` inputs in float64, counted by ``accounting``."""
    sizes = stack_sizes(depth, width)
    params = accounting.dense_parameter_count([width] * (depth + 1)) * 8
    segments = sqrt_segments(len(sizes) - 1)
    return {
        "params": params,
        "inference": accounting.activation_bytes(sizes, batch, training=False),
        "training": accounting.activation_bytes(sizes, batch),
        "checkpointed": accounting.checkpointed_activation_bytes(sizes, batch, segments),
        "segments": segments,
    }
