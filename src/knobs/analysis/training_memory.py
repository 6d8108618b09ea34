"""The memory of learning: what a forward pass keeps, and how much memory the engine really uses.

Every layer of the engine keeps, in ``forward``, the arrays its ``backward`` needs: ``Linear``
its input ``X`` (for ``dW = dZᵀ X``), an activation its pre-activation ``Z`` (for ``f'(Z)``; tanh
and σ also their output ``A``, from which the derivative is cheaper), a convolution its patches
``P``: each module names them in its class attribute ``saved``. Training holds all of them until
the backward pass; inference can drop each one as soon as the next layer has used it (what
``torch.no_grad()`` arranges).
Measurements use ``tracemalloc``, which NumPy reports its array buffers to.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from knobs.nn.module import Module, Sequential
from knobs.validate import positive_int

T = TypeVar("T")


def _saved_names(layer: Module) -> tuple[str, ...]:
    if layer.saved is None:
        raise TypeError(f"{type(layer).__name__} does not declare what its forward pass keeps for "
                        "backward (the class attribute `saved`), so its memory cannot be measured")
    return layer.saved


def _layers(model: Module) -> list[Module]:
    return list(model.layers) if isinstance(model, Sequential) else [model]


def saved_arrays(model: Module) -> dict[str, np.ndarray]:
    """The arrays the model holds for its backward pass right now, by ``"<index>.<attribute>"``."""
    found = {}
    for k, layer in enumerate(_layers(model)):
        for name in _saved_names(layer):
            value = getattr(layer, name, None)
            if isinstance(value, np.ndarray):
                found[f"{k}.{name}"] = value
    return found


def saved_bytes(model: Module) -> int:
    """Bytes of ``saved_arrays``, counting an array shared by two layers once."""
    unique = {id(a): a for a in saved_arrays(model).values()}
    return int(sum(a.nbytes for a in unique.values()))


def release(layer: Module) -> None:
    """Drop what ``layer`` kept for backward; its ``backward`` then refuses to run."""
    for name in _saved_names(layer):
        setattr(layer, name, None)


def release_all(model: Module) -> None:
    """``release`` every layer of ``model``."""
    for layer in _layers(model):
        release(layer)


def inference_forward(model: Module, X) -> np.ndarray:
    """The forward pass of inference: each layer's saved input is dropped once it has been used.

    Returns the same output as ``model.forward(X)``; at any moment at most the current layer's
    input, its output and the temporaries of one layer are alive.
    """
    A = X
    for layer in _layers(model):
        A = layer.forward(A)
        release(layer)
    return A


def peak_bytes(fn: Callable[[], T], warmup: Callable[[], object] | None = None,
               repeats: int = 1, cleanup: Callable[[], object] | None = None
               ) -> tuple[T, int]:
    """Run ``fn()`` and return ``(result, peak)``: the peak of traced memory above its start.

    Memory allocated before the call (the model, the data) is not counted; everything ``fn``
    allocates is, including temporaries freed before it returns. ``tracemalloc`` only sees the
    release of arrays that were allocated while it traced, so when ``fn`` replaces arrays made
    earlier (a backward pass replaces every ``dW``), pass a ``warmup`` that makes them again
    under the same tracing session; it runs first and is not measured.

    ``tracemalloc`` also counts what other threads allocate meanwhile (in a notebook, the
    kernel's output thread), which can only add to a peak: with ``repeats > 1`` the smallest of
    the peaks is returned, with ``cleanup()`` run before each repeat.
    """
    repeats = positive_int(repeats, "repeats")
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        if warmup is not None:
            warmup()
        peaks = []
        for _ in range(repeats):
            if cleanup is not None:
                cleanup()
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            result = fn()
            peaks.append(tracemalloc.get_traced_memory()[1] - before)
    finally:
        if started:
            tracemalloc.stop()
    return result, int(min(peaks))


def training_peak(model: Module, loss, X, target, repeats: int = 3) -> int:
    """Peak bytes of one forward and backward pass (the optimizer step allocates nothing new).

    The model's saved arrays are released before each pass and afterwards, so neither a
    previous call nor this one leaves activations behind; the gradients ``dW``, ``db`` that the
    pass replaces are counted only while old and new coexist. The smallest of ``repeats``
    measured passes is returned (see ``peak_bytes``).
    """

    def step():
        value = loss.forward(model.forward(X), target)
        model.backward(loss.backward())
        return value

    def cleanup():
        release_all(model)
        loss.output = loss.target = None

    cleanup()
    _, peak = peak_bytes(step, warmup=step, repeats=repeats, cleanup=cleanup)
    cleanup()
    return peak


def inference_peak(model: Module, X, repeats: int = 3) -> int:
    """Peak bytes of ``inference_forward(model, X)``, the output included (smallest of
    ``repeats``)."""
    release_all(model)

    def run():
        return inference_forward(model, X)

    _, peak = peak_bytes(run, warmup=run, repeats=repeats)
    return peak
