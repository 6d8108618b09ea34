"""The affine layer ``Z = X Wᵀ + b``: the two knobs of every neuron."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from knobs.nn import init as _init
from knobs.nn.init import InitSpec
from knobs.nn.module import Module
from knobs.validate import as_batch, as_float_array, positive_int


class Linear(Module):
    """A fully connected layer ``Z = X @ W.T + b``.

    Args:
        n_in: number of input features.
        n_out: number of neurons.
        bias: whether the layer has a bias; without one ``b is None``.
        init: initializer of ``W`` (a name from ``knobs.nn.init.INITIALIZERS`` or a callable).
        bias_init: initializer of ``b`` (default ``"zeros"``).
        rng: the ``np.random.Generator`` for random initializers.

    Shapes: ``W: (n_out, n_in)``, ``b: (n_out,)``, ``X: (m, n_in)``, ``Z: (m, n_out)``.
    Gradients follow the mean-loss convention: ``dZ`` arriving in ``backward`` is already
    divided by ``m``, so ``dW = dZᵀ X`` and ``db = dZ.sum(axis=0)``.
    """

    params = (("W", "dW"), ("b", "db"))
    saved = ("X",)

    def __init__(self, n_in: int, n_out: int, bias: bool = True, init: InitSpec = "xavier_uniform",
                 bias_init: InitSpec = "zeros", rng: np.random.Generator | None = None,
                 init_options: dict | None = None, bias_options: dict | None = None) -> None:
        self.n_in = positive_int(n_in, "n_in")
        self.n_out = positive_int(n_out, "n_out")
        self.W = _init.initialize(init, (self.n_out, self.n_in), rng, **(init_options or {}))
        self.b = (_init.initialize(bias_init, (self.n_out,), rng, **(bias_options or {}))
                  if bias else None)
        self.dW = np.zeros_like(self.W)
        self.db = None if self.b is None else np.zeros_like(self.b)
        self.X: np.ndarray | None = None

    @classmethod
    def from_arrays(cls, W: ArrayLike, b: ArrayLike | None = None) -> Linear:
        """A layer with the given ``W: (n_out, n_in)`` and ``b: (n_out,)`` (or None)."""
        W = as_float_array(W, "W")
        if W.ndim != 2:
            raise ValueError(f"W must have shape (n_out, n_in), got shape {W.shape}")
        layer = cls(W.shape[1], W.shape[0], bias=b is not None, init="zeros")
        layer.W[...] = W
        if b is not None:
            b = as_float_array(b, "b")
            if b.shape != (W.shape[0],):
                raise ValueError(f"b must have shape ({W.shape[0]},), got shape {b.shape}")
            layer.b[...] = b  # type: ignore[index]  # built with bias=True just above
        return layer

    def forward(self, X: ArrayLike) -> np.ndarray:
        self.X = X = as_batch(X, self.n_in)
        Z = X @ self.W.T
        return Z if self.b is None else Z + self.b  # b broadcasts over the m rows

    def backward(self, dZ: ArrayLike) -> np.ndarray:
        X = self._need_forward("X")
        dZ = as_batch(dZ, self.n_out, "dZ")
        if dZ.shape[0] != X.shape[0]:
            raise ValueError(f"dZ must have shape {(X.shape[0], self.n_out)}, got {dZ.shape}")
        self.dW = dZ.T @ X                 # the sum over samples hides in the matrix product
        if self.b is not None:
            self.db = dZ.sum(axis=0)       # the bias sees every sample through a constant 1
        return dZ @ self.W

    def __repr__(self) -> str:
        return f"Linear(n_in={self.n_in}, n_out={self.n_out}, bias={self.b is not None})"
