"""Chapter 12's study: what weight sharing buys. A pattern detector trained on signals where the
pattern only ever appears on the left, tested on signals where it appears on the right; with
shared filters (a convolution) or one filter bank per position (locally connected).
"""

from __future__ import annotations

import numpy as np

from knobs.nn.activations import ReLU
from knobs.nn.conv import Conv2d, GlobalAvgPool2d, LocallyConnected2d
from knobs.nn.linear import Linear
from knobs.nn.losses import BCEWithLogitsLoss
from knobs.nn.module import Sequential, train_step
from knobs.nn.optim import SGD

MOTIF = np.array([1.0, 1.0, -1.0, -1.0])  # class 1 shows this step down, class 0 its negative


def motif_signals(n: int, length: int, positions, rng: np.random.Generator,
                  noise: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """``n`` noisy 1-D signals, each carrying ``±MOTIF`` at one of ``positions``.

    Returns ``X: (n, 1, 1, length)`` (images of height 1) and labels ``y: (n, 1)`` in {0, 1}.
    """
    positions = np.asarray(positions)
    if positions.min() < 0 or positions.max() + len(MOTIF) > length:
        raise ValueError(f"positions must lie in 0..{length - len(MOTIF)}, got {positions}")
    X = noise * rng.normal(size=(n, 1, 1, length))
    y = rng.integers(0, 2, size=(n, 1)).astype(float)
    starts = rng.choice(positions, size=n)
    for k in range(n):
        X[k, 0, 0, starts[k]:starts[k] + len(MOTIF)] += MOTIF if y[k, 0] else -MOTIF
    return X, y


def detector(kind: str, length: int, filters: int, rng: np.random.Generator) -> Sequential:
    """Filters of width ``len(MOTIF)``, ReLU, a global average over positions, one logit.

    ``kind="conv"`` shares the filters across positions; ``kind="local"`` gives every position
    its own: the only difference between the two models.
    """
    kernel = (1, len(MOTIF))
    first: Conv2d | LocallyConnected2d
    if kind == "conv":
        first = Conv2d(1, filters, kernel, rng=rng)
    elif kind == "local":
        first = LocallyConnected2d(1, filters, (1, length), kernel, rng=rng)
    else:
        raise ValueError(f"kind must be 'conv' or 'local', got {kind!r}")
    return Sequential(first, ReLU(), GlobalAvgPool2d(), Linear(filters, 1, rng=rng))


def accuracy(model: Sequential, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of signals whose logit has the sign of the label."""
    return float(np.mean((model.forward(X) > 0) == (y > 0.5)))


def train_detector(model: Sequential, X, y, steps: int = 300, lr: float = 0.5) -> list[float]:
    """Full-batch SGD with momentum on the logistic loss; returns the loss at every step."""
    loss, opt = BCEWithLogitsLoss(), SGD(model, lr=lr, momentum=0.9)
    return [train_step(model, loss, opt, X, y) for _ in range(steps)]
