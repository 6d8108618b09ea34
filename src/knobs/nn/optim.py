"""Optimizers: stochastic gradient descent and Adam, each with separate weight decay for weights
and biases.

Plain ``SGD`` takes one learning rate for every knob. When the knobs differ in scale and
curvature, as the weights of a Neural ODE's right-hand side do (a change of the output bias is
integrated over the whole time span, a hidden weight barely matters), one rate is either too
large for some or too small for others. ``Adam`` (Kingma & Ba, 2015) divides each gradient entry
by a running estimate of its own magnitude, so every entry moves by roughly ``lr`` per step at
first.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from knobs.nn.module import Module
from knobs.validate import positive_float

BIAS_NAMES = ("b", "beta")


def is_bias(name: str) -> bool:
    """Whether a parameter name (``"0.b"``, ``"beta"``) is an additive offset, not a weight."""
    return name.rsplit(".", 1)[-1] in BIAS_NAMES


class Optimizer:
    """What every optimizer shares: the model, the step size, separate decay for weights and
    biases, and the gradients with their decay added (``decayed_gradients``).

    The optimizer learns once, when it is made, where each of the model's parameters lives and
    which decay it gets (``Module.slots``); every step then reads the current arrays from there.
    A parameter added to the model later (a layer built afterwards) needs a new optimizer.
    """

    def __init__(self, model: Module, lr: float, weight_decay: float = 0.0,
                 bias_decay: float = 0.0) -> None:
        if not isinstance(model, Module):
            raise TypeError(f"{type(self).__name__} needs a knobs Module, "
                            f"got {type(model).__name__}")
        self.model = model
        self.lr = positive_float(lr, "lr")
        self.weight_decay = positive_float(weight_decay, "weight_decay", allow_zero=True)
        self.bias_decay = positive_float(bias_decay, "bias_decay", allow_zero=True)
        self._slots = [(name, owner, param, grad,
                        self.bias_decay if is_bias(name) else self.weight_decay)
                       for name, owner, param, grad in model.slots()]

    def decayed_gradients(self) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """``(name, parameter, grad + decay · parameter)`` for every parameter of the model."""
        for name, owner, param, grad, decay in self._slots:
            p, g = getattr(owner, param), getattr(owner, grad)
            # without decay the gradient itself: the same update, one allocation fewer per step
            yield name, p, (g + decay * p) if decay else g

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """``p ← p - lr (grad + decay p)``, with ``decay = weight_decay`` for weights (``W``, ``gamma``)
    and ``bias_decay`` for additive offsets (``b``, ``beta``).

    Common practice leaves biases undecayed (``bias_decay=0``): a penalty on an intercept drags the
    predictions towards 0 even when the target's mean is not 0 (chapter 4).
    """

    def __init__(self, model: Module, lr: float, weight_decay: float = 0.0,
                 bias_decay: float = 0.0, momentum: float = 0.0) -> None:
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


class Adam(Optimizer):
    """``p ← p - lr m̂ / (√v̂ + eps)`` with bias-corrected moving averages of ``g`` and ``g²``.

    ``weight_decay`` is added to the gradient of weights and ``bias_decay`` to that of biases
    (``b``, ``beta``), as in ``SGD``; both default to 0.
    """

    def __init__(self, model: Module, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, bias_decay: float = 0.0) -> None:
        super().__init__(model, lr, weight_decay, bias_decay)
        beta1, beta2 = betas
        for name, beta in (("betas[0]", beta1), ("betas[1]", beta2)):
            if not 0.0 <= positive_float(beta, name, allow_zero=True) < 1.0:
                raise ValueError(f"{name} must lie in [0, 1), got {beta}")
        self.beta1, self.beta2 = float(beta1), float(beta2)
        self.eps = positive_float(eps, "eps")
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        # the averages start at 0; dividing by (1 - beta^t) removes that pull towards 0
        c1 = 1.0 - self.beta1 ** self.steps
        c2 = 1.0 - self.beta2 ** self.steps
        for name, p, g in self.decayed_gradients():
            if name not in self.m:  # the averages start at 0, built once
                self.m[name], self.v[name] = np.zeros_like(p), np.zeros_like(p)
            m, v = self.m[name], self.v[name]
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            p -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)  # in place, as in SGD
