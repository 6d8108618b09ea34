"""All of a model's knobs as one vector ``θ``: the coordinates of curvature and symmetry.

The order of ``θ`` is the order of ``model.parameters()`` (``"0.W"`` row by row, then ``"0.b"``,
...), so ``θ`` and ``model.parameters()`` can always be translated into each other.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from knobs.nn.module import Module
from knobs.validate import as_float_array


def _need_module(model: object) -> Module:
    if not isinstance(model, Module):
        raise TypeError(f"expected a knobs Module, got {type(model).__name__}")
    return model


def flatten_parameters(model: Module) -> np.ndarray:
    """A copy of every parameter of ``model`` in one vector ``θ`` of shape ``(n_params,)``."""
    params = _need_module(model).parameters()
    if not params:
        return np.zeros(0)
    return np.concatenate([p.ravel() for p in params.values()])


def flatten_gradients(model: Module) -> np.ndarray:
    """The gradients of the last ``backward`` in the order of ``flatten_parameters``."""
    grads = _need_module(model).gradients()
    if not grads:
        return np.zeros(0)
    return np.concatenate([g.ravel() for g in grads.values()])


def unflatten(model: Module, theta: ArrayLike) -> dict[str, np.ndarray]:
    """Split a vector of shape ``(n_params,)`` into arrays shaped like ``model.parameters()``."""
    params = _need_module(model).parameters()
    theta = as_float_array(theta, "theta")
    n = sum(p.size for p in params.values())
    if theta.shape != (n,):
        raise ValueError(f"theta must have shape ({n},) for this model, got {theta.shape}")
    out, start = {}, 0
    for name, p in params.items():
        out[name] = theta[start:start + p.size].reshape(p.shape)
        start += p.size
    return out


def assign_parameters(model: Module, theta: ArrayLike) -> None:
    """Write ``θ`` into the model's own arrays, in place (so optimizers keep working)."""
    for name, value in unflatten(model, theta).items():
        model.parameters()[name][...] = value
