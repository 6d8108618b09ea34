"""The base class of every layer and of every container: named parameters, their gradients,
train/eval mode, children; ``Sequential`` and one training step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Self

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:  # the loss and optimizer modules import this one
    from knobs.nn.losses import Loss
    from knobs.nn.optim import Optimizer


class Module:
    """A differentiable building block.

    Subclasses implement ``forward(X)``, which keeps what ``backward`` needs, and
    ``backward(dout)``, which returns the gradient with respect to the input and stores the
    gradients of the parameters. Parameters and gradients are reachable by name through
    ``parameters()`` and ``gradients()``, two dictionaries with the same keys.

    A layer lists its own parameters in ``params``, pairs of attribute names ``(parameter,
    gradient)``, e.g. ``(("W", "dW"), ("b", "db"))``; a parameter that is ``None`` (a layer
    built with ``bias=False``) is in neither dictionary. A container lists the modules it holds
    in ``children()``, pairs ``(name, module)``: their parameters are its parameters, named
    ``"<child>.<name>"`` (``"0.W"`` in a ``Sequential``); a child named ``""`` lends its
    parameters under their own names (an ``ODEBlock`` and its field). ``train()`` and ``eval()``
    reach every child.
    """

    training: bool = True
    params: tuple[tuple[str, str], ...] = ()
    # the attributes forward keeps for backward (knobs.analysis.training_memory measures them);
    # None: not declared (a container holds nothing itself, its children do)
    saved: tuple[str, ...] | None = None

    def forward(self, X: ArrayLike) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: ArrayLike) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, X: ArrayLike) -> np.ndarray:
        return self.forward(X)

    def children(self) -> tuple[tuple[str, Module], ...]:
        """The modules this one holds, as ``(name, module)`` pairs; a layer holds none."""
        return ()

    def slots(self) -> Iterator[tuple[str, Module, str, str]]:
        """``(name, owner, parameter attribute, gradient attribute)`` for every parameter, this
        module's own first, then its children's in order: where each knob lives, so that an
        optimizer can find the current arrays without building dictionaries at every step."""
        for param, grad in self.params:
            if getattr(self, param) is not None:
                yield param, self, param, grad
        for prefix, child in self.children():
            for name, owner, param, grad in child.slots():
                yield (f"{prefix}.{name}" if prefix else name), owner, param, grad

    def parameters(self) -> dict[str, np.ndarray]:
        """Learnable arrays by name (the arrays themselves, so in-place updates stick)."""
        return {name: getattr(owner, param) for name, owner, param, _ in self.slots()}

    def gradients(self) -> dict[str, np.ndarray]:
        """Gradients of the last ``backward`` by name, with the keys of ``parameters()``."""
        return {name: getattr(owner, grad) for name, owner, _, grad in self.slots()}

    def train(self) -> Self:
        """Switch to training mode (matters for BatchNorm), children too; returns ``self``."""
        self.training = True
        for _, child in self.children():
            child.train()
        return self

    def eval(self) -> Self:
        """Switch to evaluation mode (matters for BatchNorm), children too; returns ``self``."""
        self.training = False
        for _, child in self.children():
            child.eval()
        return self

    def _need_forward(self, attr: str) -> Any:
        """What ``forward`` kept under ``attr``, for ``backward``; an error if it kept nothing."""
        kept = getattr(self, attr, None)
        if kept is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return kept


class Sequential(Module):
    """Layers applied in order. Parameter names are ``"<index>.<name>"`` as in PyTorch.

    ``Sequential(Linear(2, 3, rng=rng), ReLU(), Linear(3, 1, rng=rng))`` has parameters
    ``0.W, 0.b, 2.W, 2.b``.
    """

    def __init__(self, *layers: Module) -> None:
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"layer {i} must be a knobs Module, got {type(layer).__name__}")
        self.layers = list(layers)

    def __getitem__(self, i: int) -> Any:
        """The ``i``-th layer. Typed ``Any``: the layers differ in type, and the caller who
        indexes a ``Sequential`` knows which one sits there (``model[0].W`` of a Linear)."""
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def children(self) -> tuple[tuple[str, Module], ...]:
        return tuple((str(i), layer) for i, layer in enumerate(self.layers))

    def forward(self, X: ArrayLike) -> np.ndarray:
        for layer in self.layers:
            X = layer.forward(X)
        return np.asarray(X)  # the last layer's output (an array even with no layers)

    def backward(self, dout: ArrayLike) -> np.ndarray:
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return np.asarray(dout)

    def __repr__(self) -> str:
        inner = "\n".join(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential(\n{inner}\n)"


def count_parameters(model: Module) -> int:
    """Number of learnable scalars, added up from the model's own arrays (never a kept count)."""
    return int(sum(p.size for p in model.parameters().values()))


def train_step(model: Module, loss: Loss, optimizer: Optimizer, X: ArrayLike, y: ArrayLike
               ) -> float:
    """One step of gradient descent: forward, loss, backward, update. Returns the loss."""
    value = loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    optimizer.step()
    return value
