"""Adam (Kingma & Ba, 2015): gradient descent with a per-parameter step size.

Plain ``SGD`` takes one learning rate for every knob. When the knobs differ in scale and
curvature, as the weights of a Neural ODE's right-hand side do (a change of the output bias is
integrated over the whole time span, a hidden weight barely matters), one rate is either too
large for some or too small for others. Adam divides each gradient entry by a running estimate of
its own magnitude, so every entry moves by roughly ``lr`` per step at first.
"""

from __future__ import annotations

import numpy as np

from ._checks import positive_float
from .module import Module
from .optim import Optimizer


class Adam(Optimizer):
    """``p ← p - lr m̂ / (√v̂ + eps)`` with bias-corrected moving averages of ``g`` and ``g²``.

    ``weight_decay`` is added to the gradient of weights and ``bias_decay`` to that of biases
    (``b``, ``beta``), as in ``knobs.SGD``; both default to 0.
    """

    def __init__(self, model: Module, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, bias_decay: float = 0.0):
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
