"""Logistic regression ``p = σ(X w + b)``: the curvature of its loss and a Newton fit.

The mean binary cross-entropy of one logistic neuron is a smooth convex function of the
``n_in + 1`` numbers ``θ = (w_1, ..., w_n, b)`` (the bias last). Its Hessian is

    H = (1/m) X̃ᵀ diag(p (1 - p)) X̃,   X̃ = [X, 1]  of shape (m, n_in + 1),

which does not depend on the targets. The column of ones is the bias: when the features are far
from centered it is nearly parallel to the feature columns, and ``H`` becomes ill conditioned.
"""

from __future__ import annotations

import numpy as np

from knobs.analysis.curvature import bce_hessian
from knobs.analysis.regularization import augment
from knobs.nn.activations import sigmoid
from knobs.nn.linear import Linear
from knobs.nn.losses import BCEWithLogitsLoss
from knobs.validate import as_batch, as_float_array, positive_float, positive_int


def _features(X) -> np.ndarray:
    X = as_float_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must have shape (m, n_in) with samples in rows, got shape {X.shape}")
    return X


def _data(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Features ``(m, n_in)`` and targets ``(m,)`` as float arrays, or a ValueError."""
    X = _features(X)
    y = as_float_array(y, "y")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got shape {y.shape}")
    return X, y


def _single_output(layer: Linear) -> Linear:
    if not isinstance(layer, Linear):
        raise TypeError(f"expected a knobs Linear layer, got {type(layer).__name__}")
    if layer.n_out != 1 or layer.b is None:
        raise ValueError(
            f"a logistic neuron is Linear(n_in, 1, bias=True), got {layer!r}"
        )
    return layer


def logistic_hessian(layer: Linear, X) -> np.ndarray:
    """Hessian of the mean binary cross-entropy of ``σ(layer(X))`` in ``θ = (w, b)``.

    Args:
        layer: a ``Linear(n_in, 1)`` layer with a bias (one logistic neuron).
        X: a batch of shape ``(m, n_in)``.

    Returns:
        The symmetric matrix ``(1/m) X̃ᵀ diag(p(1-p)) X̃`` of shape ``(n_in + 1, n_in + 1)``; the
        last row and column belong to the bias.
    """
    layer = _single_output(layer)
    assert layer.b is not None  # _single_output checked it
    return bce_hessian(as_batch(X, layer.n_in), layer.W[0], float(layer.b[0]))


def hessian_at_zero(X) -> np.ndarray:
    """The Hessian at ``(w, b) = 0``, where every ``p(1 - p)`` is 1/4: ``X̃ᵀX̃ / (4m)``."""
    X = _features(X)
    return bce_hessian(X, np.zeros(X.shape[1]), 0.0)


def fit_logistic(X, y, max_iter: int = 50, tol: float = 1e-10) -> Linear:
    """Maximum-likelihood logistic regression by Newton's method, returned as a ``Linear(n_in, 1)``.

    Each step solves ``H Δθ = g`` with the engine's own gradient ``g`` (from
    ``BCEWithLogitsLoss`` and ``Linear.backward``) and the Hessian of ``logistic_hessian``.
    Newton's method is invariant to an affine change of the features, so it converges in a few
    steps whether or not the features are centered (gradient descent is not: see chapter 16).

    Args:
        X: features of shape ``(m, n_in)``.
        y: targets in ``{0, 1}`` of shape ``(m,)``.
        max_iter: the most Newton steps to take.
        tol: stop when the largest entry of the gradient falls below ``tol``.

    Returns:
        The fitted layer, with ``W: (1, n_in)`` and ``b: (1,)``.

    Raises:
        ValueError: if the classes are linearly separable (the maximum-likelihood weights are
            infinite) or the iteration does not converge within ``max_iter`` steps.
    """
    X, y = _data(X, y)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels")
    max_iter = positive_int(max_iter, "max_iter")
    tol = positive_float(tol, "tol")
    layer = Linear(X.shape[1], 1, init="zeros")
    loss = BCEWithLogitsLoss()
    target = y[:, None]
    for _ in range(max_iter):
        loss.forward(layer.forward(X), target)
        layer.backward(loss.backward())
        g = np.concatenate([layer.dW.ravel(), layer.db])
        if np.max(np.abs(g)) < tol:
            # On separable classes the gradient also dies away, while |w| grows without end.
            # A finite optimum never classifies every sample correctly, so that is the tell.
            assert loss.output is not None  # kept by loss.forward above
            if np.all(np.where(y == 1, loss.output.ravel() > 0, loss.output.ravel() < 0)):
                raise ValueError("the classes are linearly separable: the maximum-likelihood "
                                 "weights are infinite")
            return layer
        try:
            step = np.linalg.solve(logistic_hessian(layer, X), g)
        except np.linalg.LinAlgError as err:  # p(1-p) underflowed to 0 on every sample
            raise ValueError("the Hessian is singular: are the classes linearly separable, "
                             "or is a feature constant?") from err
        layer.W -= step[:-1][None, :]
        layer.b -= step[-1:]
        if np.max(np.abs(layer.W)) > 1e6:
            raise ValueError("the weights grow without bound: the classes are linearly separable")
    raise ValueError(f"Newton's method did not converge in {max_iter} steps (gradient {g})")


def gradient_descent(X, y, lr: float, steps: int) -> tuple[Linear, np.ndarray]:
    """Full-batch gradient descent on the mean binary cross-entropy, from ``(w, b) = 0``.

    The same updates as ``train_step`` with ``SGD(lr)`` on a ``Linear(n_in, 1)`` layer and
    ``BCEWithLogitsLoss`` (the tests check this), written as a few array operations so that
    thousands of steps take milliseconds in a live experiment.

    Args:
        X: features of shape ``(m, n_in)``.
        y: targets in ``{0, 1}`` of shape ``(m,)``.
        lr: the step size; ``1 / λ_max`` of the Hessian at zero is always safe, because
            ``p(1 - p) <= 1/4`` makes that Hessian the largest curvature anywhere.
        steps: the number of updates.

    Returns:
        The trained layer and the losses, shape ``(steps + 1,)``: before each update and after
        the last one.
    """
    X, y = _data(X, y)
    lr = positive_float(lr, "lr")
    steps = positive_int(steps, "steps")
    m = X.shape[0]
    Xt = augment(X)               # the bias as the weight of a constant input 1
    theta = np.zeros(Xt.shape[1])  # (w, b)
    losses = np.empty(steps + 1)
    for t in range(steps + 1):
        z = Xt @ theta
        losses[t] = np.mean(np.logaddexp(0.0, z) - y * z)
        if t == steps:
            break
        theta -= (lr / m) * (Xt.T @ (sigmoid(z) - y))  # mean-loss gradient, as in the engine
    return Linear.from_arrays(theta[None, :-1], theta[-1:]), losses
