"""A ``Sequential`` container and one training step."""

from __future__ import annotations

import numpy as np

from .module import Module


class Sequential(Module):
    """Layers applied in order. Parameter names are ``"<index>.<name>"`` as in PyTorch.

    ``Sequential(Linear(2, 3, rng=rng), ReLU(), Linear(3, 1, rng=rng))`` has parameters
    ``0.W, 0.b, 2.W, 2.b``.
    """

    def __init__(self, *layers: Module):
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"layer {i} must be a knobs Module, got {type(layer).__name__}")
        self.layers = list(layers)

    def __getitem__(self, i: int) -> Module:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def forward(self, X) -> np.ndarray:
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dout) -> np.ndarray:
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def parameters(self) -> dict[str, np.ndarray]:
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers)
                for k, v in layer.parameters().items()}

    def gradients(self) -> dict[str, np.ndarray]:
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers)
                for k, v in layer.gradients().items()}

    def train(self) -> Sequential:
        self.training = True
        for layer in self.layers:
            layer.train()
        return self

    def eval(self) -> Sequential:
        self.training = False
        for layer in self.layers:
            layer.eval()
        return self

    def __repr__(self) -> str:
        inner = "\n".join(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential(\n{inner}\n)"


def train_step(model: Module, loss, optimizer, X, y) -> float:
    """One step of gradient descent: forward, loss, backward, update. Returns the loss."""
    value = loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    optimizer.step()
    return value
