"""Stochastic gradient descent with separate weight decay for weights and biases."""

from __future__ import annotations

from functools import cache

import numpy as np

from ._checks import positive_float
from .module import Module

BIAS_NAMES = ("b", "beta")


@cache  # asked for every parameter at every step; the names of a model are few
def is_bias(name: str) -> bool:
    """Whether a parameter name (``"0.b"``, ``"beta"``) is an additive offset, not a weight."""
    return name.rsplit(".", 1)[-1] in BIAS_NAMES


class Optimizer:
    """What every optimizer shares: the model, the step size, separate decay for weights and
    biases, and the gradients with their decay added (``decayed_gradients``)."""

    def __init__(self, model: Module, lr: float, weight_decay: float = 0.0,
                 bias_decay: float = 0.0):
        if not isinstance(model, Module):
            raise TypeError(f"{type(self).__name__} needs a knobs Module, "
                            f"got {type(model).__name__}")
        self.model = model
        self.lr = positive_float(lr, "lr")
        self.weight_decay = positive_float(weight_decay, "weight_decay", allow_zero=True)
        self.bias_decay = positive_float(bias_decay, "bias_decay", allow_zero=True)

    def decayed_gradients(self):
        """``(name, parameter, grad + decay · parameter)`` for every parameter of the model."""
        grads = self.model.gradients()
        for name, p in self.model.parameters().items():
            decay = self.bias_decay if is_bias(name) else self.weight_decay
            # without decay the gradient itself: the same update, one allocation fewer per step
            yield name, p, (grads[name] + decay * p) if decay else grads[name]

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """``p ← p - lr (grad + decay p)``, with ``decay = weight_decay`` for weights (``W``, ``gamma``)
    and ``bias_decay`` for additive offsets (``b``, ``beta``).

    Common practice leaves biases undecayed (``bias_decay=0``): a penalty on an intercept drags the
    predictions towards 0 even when the target's mean is not 0 (chapter 4).
    """

    def __init__(self, model: Module, lr: float, weight_decay: float = 0.0,
                 bias_decay: float = 0.0, momentum: float = 0.0):
        super().__init__(model, lr, weight_decay, bias_decay)
        self.momentum = positive_float(momentum, "momentum", allow_zero=True)
        self.velocity: dict[str, np.ndarray] = {}

    def step(self) -> None:
        for name, p, g in self.decayed_gradients():
            if self.momentum:
                v = self.velocity.get(name)
                if v is None:  # (setdefault would build a new zero array on every step)
                    v = self.velocity[name] = np.zeros_like(p)
                v *= self.momentum
                v += g
                g = v
            p -= self.lr * g  # in place: the layer holds the same array
