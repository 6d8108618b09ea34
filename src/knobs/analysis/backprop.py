"""The chain rule for one neuron, written out: ``δ = ∂C/∂a · f'(z)``, ``∂C/∂w = δ a_in``,
``∂C/∂b = δ · 1``.

The engine's layers compute the same numbers inside ``backward``; this module spells out each
factor by name so a chapter can print them (chapter 6):

- ``responsibility`` ``∂C/∂a``: how much the loss changes when the neuron's output changes;
- ``activity`` ``f'(z)``: how strongly the neuron's output reacts to its net input right now;
- ``delta`` ``δ = ∂C/∂a · f'(z)``, the error term shared by the weights and the bias;
- ``dw = Σ_i δ_i x_i`` (each weight scaled by its input) and ``db = Σ_i δ_i`` (input 1).

The loss is the engine's ``MSELoss``, ``C = mean_i (a_i - y_i)²``, so ``∂C/∂a_i = 2 (a_i - y_i)/m``
already carries the ``1/m`` of the mean (the engine's convention).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from knobs.analysis.regularization import split
from knobs.nn import activations
from knobs.nn.gradcheck import gradient_error, numerical_gradient
from knobs.validate import as_batch, as_float_array


@dataclass(frozen=True)
class NeuronGradients:
    """Every factor of the chain rule for one neuron on a batch of ``m`` samples.

    Shapes: ``z, a, responsibility, activity, delta: (m,)``; ``dw: (n_in,)``; ``loss`` and
    ``db`` are floats.
    """

    z: np.ndarray
    a: np.ndarray
    loss: float
    responsibility: np.ndarray
    activity: np.ndarray
    delta: np.ndarray
    dw: np.ndarray
    db: float


def _neuron_inputs(w, b, X, y):
    w = as_float_array(w, "w")
    if w.ndim != 1:
        raise ValueError(f"w must have shape (n_in,), got shape {w.shape}")
    b = as_float_array(b, "b")
    if b.ndim != 0:
        raise ValueError(f"b of a single neuron must be a number, got shape {b.shape}")
    b = float(b)
    X = as_batch(X, w.shape[0])
    y = as_float_array(y, "y")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), one target per sample, "
                         f"got shape {y.shape}")
    return w, b, X, y


def neuron_loss(w, b, X, y, activation: str = "sigmoid") -> float:
    """``C = mean_i (f(x_i · w + b) - y_i)²`` for ``w: (n_in,)``, ``X: (m, n_in)``, ``y: (m,)``."""
    w, b, X, y = _neuron_inputs(w, b, X, y)
    a = activations.get(activation).function(X @ w + b)
    return float(np.mean((a - y) ** 2))


def neuron_gradients(w, b, X, y, activation: str = "sigmoid") -> NeuronGradients:
    """The chain rule for ``a = f(z)``, ``z = X w + b`` and ``C = mean_i (a_i - y_i)²``.

    Args:
        w: weights, shape ``(n_in,)``; b: the bias, a number.
        X: inputs ``a_in``, shape ``(m, n_in)``; y: targets, shape ``(m,)``.
        activation: a name from ``knobs.nn.activations.ACTIVATIONS``.
    """
    w, b, X, y = _neuron_inputs(w, b, X, y)
    f = activations.get(activation)
    z = X @ w + b
    a = f.function(z)
    responsibility = 2.0 * (a - y) / len(y)   # ∂C/∂a, with the 1/m of the mean loss
    activity = f.derivative(z)                # f'(z): the neuron's own state
    delta = responsibility * activity
    return NeuronGradients(
        z=z, a=a, loss=float(np.mean((a - y) ** 2)), responsibility=responsibility,
        activity=activity, delta=delta,
        dw=delta @ X,                 # each weight's gradient is scaled by its own input
        db=float(np.sum(delta)),      # the bias's input is the constant 1
    )


def neuron_gradcheck(w, b, X, y, activation: str = "sigmoid",
                     eps: float = 1e-6) -> dict[str, float]:
    """Errors (``knobs.gradient_error``) of ``neuron_gradients`` against central differences.

    Returns ``{"w": ..., "b": ...}``. Near a kink of the activation (ReLU at ``z = 0``) the
    central difference averages the two one-sided slopes and the error is large by design.
    """
    w, b, X, y = _neuron_inputs(w, b, X, y)
    grads = neuron_gradients(w, b, X, y, activation)
    params = np.append(w, b)   # perturbed in place by numerical_gradient

    def loss() -> float:
        return neuron_loss(params[:-1], params[-1], X, y, activation)

    numeric = numerical_gradient(loss, params, eps)
    return {"w": gradient_error(grads.dw, numeric[:-1]), "b": gradient_error(grads.db, numeric[-1])}


def augment_weights(W, b) -> np.ndarray:
    """``[W, b]``: the bias becomes the weight of the constant input.

    ``W: (n_out, n_in)``, ``b: (n_out,)`` -> ``(n_out, n_in + 1)``; then
    ``regularization.augment(X) @ augment_weights(W, b).T == X @ W.T + b``.
    """
    W = as_float_array(W, "W")
    b = as_float_array(b, "b")
    if W.ndim != 2 or b.shape != (W.shape[0],):
        raise ValueError(f"need W of shape (n_out, n_in) and b of shape (n_out,), got "
                         f"{W.shape} and {b.shape}")
    return np.hstack([W, b[:, None]])


def split_weights(W_aug) -> tuple[np.ndarray, np.ndarray]:
    """Undo ``augment_weights``: ``(n_out, n_in + 1) -> (W: (n_out, n_in), b: (n_out,))``; the
    rows of ``W_aug`` are the columns ``w̃`` of ``regularization.split``."""
    W_aug = as_float_array(W_aug, "W_aug")
    if W_aug.ndim != 2 or W_aug.shape[1] < 2:
        raise ValueError(f"W_aug must have shape (n_out, n_in + 1) with n_in >= 1, "
                         f"got shape {W_aug.shape}")
    w, b = split(W_aug.T)
    return w.T.copy(), np.asarray(b, dtype=np.float64).reshape(-1).copy()
