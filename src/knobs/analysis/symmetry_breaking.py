"""The carbon-copy problem: hidden units that start equal stay equal (chapter 7).

A hidden unit ``k`` of ``Linear -> activation -> Linear`` is described by its incoming weights
``W1[k]`` (a row), its bias ``b1[k]`` and its outgoing weights ``W2[:, k]`` (a column). If two
units agree in all three, they compute the same activation on every sample, receive the same
error term and get the same update: no amount of gradient descent can separate them. This module
builds such networks from named initialization schemes, trains them while recording how far
apart the hidden units are, and collapses a layer of identical units into a single one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from knobs.nn import activations
from knobs.nn.linear import Linear
from knobs.nn.losses import MSELoss
from knobs.nn.module import Sequential, train_step
from knobs.nn.optim import SGD
from knobs.validate import as_float_array, positive_float, positive_int

WEIGHT_SCHEMES = ("constant 0", "constant 0.5", "random")
BIAS_SCHEMES = ("zeros", "constant 0.5", "random")


def _scheme(name: str, std: float, allowed: tuple) -> tuple[str, dict]:
    # "random" draws N(0, std²) with the caller's Generator; the others need no randomness
    if name not in allowed:
        raise ValueError(f"unknown initialization scheme {name!r}; expected one of {list(allowed)}")
    if name == "random":
        return "normal", {"std": std}
    if name == "zeros":
        return "zeros", {}
    return "constant", {"value": float(name.split()[1])}


def two_layer_network(n_in: int, n_hidden: int, n_out: int, weights: str = "random",
                      biases: str = "zeros", std: float = 1.0, activation: str = "tanh",
                      rng: np.random.Generator | None = None) -> Sequential:
    """``Linear(n_in, n_hidden) -> activation -> Linear(n_hidden, n_out)`` from named schemes.

    Args:
        weights: one of ``WEIGHT_SCHEMES`` for both weight matrices.
        biases: one of ``BIAS_SCHEMES`` for both bias vectors.
        std: standard deviation of the ``"random"`` schemes (``N(0, std²)``).
        rng: the Generator for the random schemes (unused by the constant ones).
    """
    std = positive_float(std, "std", allow_zero=True)
    w_init, w_opts = _scheme(weights, std, WEIGHT_SCHEMES)
    b_init, b_opts = _scheme(biases, std, BIAS_SCHEMES)

    def layer(n_a: int, n_b: int) -> Linear:
        return Linear(n_a, n_b, init=w_init, init_options=w_opts, bias_init=b_init,
                      bias_options=b_opts, rng=rng)

    return Sequential(layer(n_in, n_hidden), activations.get(activation), layer(n_hidden, n_out))


def pairwise_distances(W) -> np.ndarray:
    """Euclidean distances between the rows of ``W: (n_units, n)``; returns ``(n_units, n_units)``.

    Computed from differences (not from ``|u|² + |v|² - 2 u·v``) so that equal rows give exactly 0.
    """
    W = as_float_array(W, "W")
    if W.ndim != 2:
        raise ValueError(f"W must have shape (n_units, n), got shape {W.shape}")
    return _distances(W)


def _distances(W: np.ndarray) -> np.ndarray:
    # no validation: called every training step on the model's own arrays
    D = W[:, None, :] - W[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", D, D))


def _layers(model) -> tuple[Linear, Linear]:
    if not (isinstance(model, Sequential) and len(model) == 3 and isinstance(model[0], Linear)
            and isinstance(model[2], Linear)):
        raise TypeError("expected Sequential(Linear, activation, Linear), "
                        f"got {type(model).__name__}")
    return model[0], model[2]


def hidden_units(model: Sequential) -> np.ndarray:
    """Each hidden unit as a row ``[W1[k], b1[k], W2[:, k]]``: ``(n_hidden, n_in + 1 + n_out)``."""
    first, last = _layers(model)
    b1 = first.b if first.b is not None else np.zeros(first.n_out)
    return np.hstack([first.W, b1[:, None], last.W.T])


def spread(model: Sequential) -> float:
    """The largest distance between two hidden units' incoming weight vectors (rows of ``W1``)."""
    return float(_distances(_layers(model)[0].W).max())


def unit_spread(model: Sequential) -> float:
    """The largest distance between two hidden units, each taken whole (``hidden_units``)."""
    return float(_distances(hidden_units(model)).max())


def hidden_rank(model: Sequential, X, tol: float = 1e-10) -> int:
    """The rank of the hidden activations ``H: (m, n_hidden)``: how many units really differ.

    A layer of identical units has rank 1 (every column of ``H`` is the same), or 0 if ``H = 0``.
    """
    _layers(model)
    H = model[1].forward(model[0].forward(X))
    s = np.linalg.svd(H, compute_uv=False)
    if s[0] == 0.0:
        return 0
    return int(np.sum(s > tol * s[0]))


def collapse_to_one_unit(model: Sequential, tol: float = 1e-12) -> Sequential:
    """A network with one hidden unit computing the same function as ``model``.

    Valid only if every hidden unit has the same incoming weights and bias: then the units'
    activations are equal, and their outgoing weights can be added into one column. "The same"
    means within ``tol`` in every entry: copies may differ by rounding, which depends on the
    machine's BLAS, never by more. Raises ``ValueError`` when the units differ by more.
    """
    tol = positive_float(tol, "tol", allow_zero=True)
    first, last = _layers(model)
    incoming = first.W if first.b is None else np.hstack([first.W, first.b[:, None]])
    gap = float(np.max(np.abs(incoming - incoming[0])))
    if not gap <= tol:
        raise ValueError(f"the hidden units differ (by up to {gap:.1e}, more than tol {tol:.0e}); "
                         "only identical units collapse into one")
    one = Linear.from_arrays(first.W[:1], None if first.b is None else first.b[:1])
    out = Linear.from_arrays(last.W.sum(axis=1, keepdims=True), last.b)
    return Sequential(one, type(model[1])(), out)


@dataclass(frozen=True)
class History:
    """What ``train_recording`` saw, one entry per step plus the final state.

    ``loss: (steps + 1,)`` (the last entry after the final update), ``spread: (steps + 1,)``
    from ``spread`` (rows of ``W1``), ``unit_spread: (steps + 1,)`` from ``unit_spread``.
    """

    loss: np.ndarray
    spread: np.ndarray
    unit_spread: np.ndarray


def train_recording(model: Sequential, X, y, lr: float, steps: int, loss=None) -> History:
    """Full-batch gradient descent (``SGD``) for ``steps`` steps, recording the loss (default
    ``MSELoss``) and both spreads before every step and after the last one."""
    steps = positive_int(steps, "steps")
    _layers(model)
    loss = MSELoss() if loss is None else loss
    optimizer = SGD(model, lr=lr)
    losses, spreads, units = [], [], []
    for _ in range(steps):
        spreads.append(spread(model))
        units.append(unit_spread(model))
        losses.append(train_step(model, loss, optimizer, X, y))
    spreads.append(spread(model))
    units.append(unit_spread(model))
    losses.append(loss.forward(model.forward(X), y))
    return History(np.array(losses), np.array(spreads), np.array(units))
