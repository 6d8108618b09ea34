"""Activation functions as layers: ``A = f(Z)`` forward, ``dZ = dA * f'(Z)`` backward."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from knobs.nn.module import Module
from knobs.validate import as_float_array, same_shape


def sigmoid(z: ArrayLike) -> np.ndarray:
    """The logistic function, written as ``(1 + tanh(z/2)) / 2`` so it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


class Activation(Module):
    """An elementwise nonlinearity. Subclasses define ``function``, ``derivative`` and
    ``second_derivative`` (``f''``, what a Hessian-vector product needs beyond a gradient)."""

    saved: tuple[str, ...] = ("Z",)
    keeps_output = False  # True where the derivative is a function of the output (``slope``)

    def __init__(self) -> None:
        self.Z: np.ndarray | None = None
        self.A: np.ndarray | None = None

    @staticmethod
    def function(z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    @staticmethod
    def derivative(z: np.ndarray) -> np.ndarray:
        """``f'(z)`` elementwise."""
        raise NotImplementedError

    @staticmethod
    def second_derivative(z: np.ndarray) -> np.ndarray:
        """``f''(z)`` elementwise."""
        raise NotImplementedError

    def slope(self) -> np.ndarray:
        """``f'(Z)`` at the input of the last forward pass (an activation whose derivative is a
        function of its output, ``tanh`` and ``σ``, reads it from the kept output ``A``)."""
        return self.derivative(self._need_forward("Z"))

    def forward(self, Z: ArrayLike) -> np.ndarray:
        self.Z = Z = as_float_array(Z, "Z")
        A = self.function(Z)
        if self.keeps_output:
            self.A = A
        return A

    def backward(self, dA: ArrayLike) -> np.ndarray:
        dA = same_shape(self._need_forward("Z"), dA, "Z", "dA")
        return dA * self.slope()

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _zeros(z: ArrayLike) -> np.ndarray:
    """A derivative that vanishes everywhere, shaped like ``z``."""
    return np.zeros_like(np.asarray(z, dtype=np.float64))


class Identity(Activation):
    """``f(z) = z``: a linear neuron."""

    @staticmethod
    def function(z: ArrayLike) -> np.ndarray:
        return np.array(z, dtype=np.float64)

    @staticmethod
    def derivative(z: ArrayLike) -> np.ndarray:
        return np.ones_like(np.asarray(z, dtype=np.float64))

    @staticmethod
    def second_derivative(z: ArrayLike) -> np.ndarray:
        return _zeros(z)


class Step(Activation):
    """Heaviside step ``f(z) = 1 if z >= 0 else 0``: the threshold neuron of the logic gates.

    Its derivative is 0 wherever it exists, which is why it cannot be trained by gradients.
    """

    @staticmethod
    def function(z: ArrayLike) -> np.ndarray:
        return (np.asarray(z, dtype=np.float64) >= 0).astype(np.float64)

    @staticmethod
    def derivative(z: ArrayLike) -> np.ndarray:
        return _zeros(z)

    @staticmethod
    def second_derivative(z: ArrayLike) -> np.ndarray:
        return _zeros(z)


class Sigmoid(Activation):
    """``σ(z) = 1 / (1 + e^{-z})``, with ``σ'(z) = σ(z)(1 - σ(z)) <= 1/4``."""

    saved, keeps_output = ("Z", "A"), True

    @staticmethod
    def function(z: ArrayLike) -> np.ndarray:
        return sigmoid(z)

    @staticmethod
    def derivative(z: ArrayLike) -> np.ndarray:
        s = sigmoid(z)
        return s * (1.0 - s)

    @staticmethod
    def second_derivative(z: ArrayLike) -> np.ndarray:
        s = sigmoid(z)
        return s * (1.0 - s) * (1.0 - 2.0 * s)

    def slope(self) -> np.ndarray:
        A = self._need_forward("A")
        return A * (1.0 - A)


class Tanh(Activation):
    """``tanh(z)``, with ``tanh'(z) = 1 - tanh(z)²``."""

    saved, keeps_output = ("Z", "A"), True

    @staticmethod
    def function(z: ArrayLike) -> np.ndarray:
        return np.tanh(np.asarray(z, dtype=np.float64))

    @staticmethod
    def derivative(z: ArrayLike) -> np.ndarray:
        return 1.0 - np.tanh(np.asarray(z, dtype=np.float64)) ** 2

    @staticmethod
    def second_derivative(z: ArrayLike) -> np.ndarray:
        t = np.tanh(np.asarray(z, dtype=np.float64))
        return -2.0 * t * (1.0 - t * t)

    def slope(self) -> np.ndarray:
        return 1.0 - self._need_forward("A") ** 2


class ReLU(Activation):
    """``max(0, z)``; its derivative is taken as 0 at ``z = 0`` (as PyTorch does)."""

    @staticmethod
    def function(z: ArrayLike) -> np.ndarray:
        return np.maximum(np.asarray(z, dtype=np.float64), 0.0)

    @staticmethod
    def derivative(z: ArrayLike) -> np.ndarray:
        return (np.asarray(z, dtype=np.float64) > 0).astype(np.float64)

    @staticmethod
    def second_derivative(z: ArrayLike) -> np.ndarray:
        return np.zeros_like(np.asarray(z, dtype=np.float64))  # 0 away from the kink


ACTIVATIONS = {"identity": Identity, "step": Step, "sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU}


def get(name: str) -> Activation:
    """A new activation layer by name (``"relu"``, ``"tanh"``, ...)."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]()
