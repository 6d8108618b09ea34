"""The base class of every layer: named parameters, their gradients, train/eval mode."""

from __future__ import annotations

import numpy as np


class Module:
    """A differentiable building block.

    Subclasses implement ``forward(X)``, which keeps what ``backward`` needs, and
    ``backward(dout)``, which returns the gradient with respect to the input and stores the
    gradients of the parameters. Parameters and gradients are reachable by name through
    ``parameters()`` and ``gradients()``, two dictionaries with the same keys.

    A layer lists its parameters in ``params``, pairs of attribute names ``(parameter,
    gradient)``, e.g. ``(("W", "dW"), ("b", "db"))``; a parameter that is ``None`` (a layer
    built with ``bias=False``) is in neither dictionary.
    """

    training: bool = True
    params: tuple[tuple[str, str], ...] = ()

    def forward(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, X) -> np.ndarray:
        return self.forward(X)

    def parameters(self) -> dict[str, np.ndarray]:
        """Learnable arrays by name (the arrays themselves, so in-place updates stick)."""
        return {name: getattr(self, name) for name, _ in self.params
                if getattr(self, name) is not None}

    def gradients(self) -> dict[str, np.ndarray]:
        """Gradients of the last ``backward`` by name, with the keys of ``parameters()``."""
        return {name: getattr(self, grad) for name, grad in self.params
                if getattr(self, name) is not None}

    def train(self) -> Module:
        """Switch to training mode (matters for BatchNorm); returns ``self``."""
        self.training = True
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode (matters for BatchNorm); returns ``self``."""
        self.training = False
        return self

    def _need_forward(self, attr: str) -> None:
        if getattr(self, attr, None) is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
