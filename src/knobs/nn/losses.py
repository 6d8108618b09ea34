"""Losses averaged over the batch: ``forward(output, target)`` then ``backward()``."""

from __future__ import annotations

import numpy as np

from knobs.nn.activations import sigmoid
from knobs.validate import as_float_array, same_shape


class Loss:
    """Base class: ``forward`` returns the mean loss, ``backward`` its gradient w.r.t. output,
    ``hessian_product(R)`` its second derivative in the output applied to a direction ``R`` (the
    curvature every Hessian of the book starts from: ``knobs.analysis.hessian``,
    ``knobs.analysis.curvature``, the choice model's standard errors)."""

    def __init__(self):
        self.output = None
        self.target = None

    def __call__(self, output, target) -> float:
        return self.forward(output, target)

    def hessian_product(self, R) -> np.ndarray:
        """``(∂²L/∂output²) R`` at the output of the last ``forward``, shaped like the output."""
        raise NotImplementedError(f"{type(self).__name__} does not define hessian_product, "
                                  "the curvature Hessian-vector products need")

    def _direction(self, R) -> np.ndarray:
        self._need_forward()
        return same_shape(self.output, R, "output", "R")

    def _need_forward(self):
        if self.output is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MSELoss(Loss):
    """Mean squared error ``mean((y_hat - y)²)`` over every entry (PyTorch's convention)."""

    def forward(self, output, target) -> float:
        self.output = as_float_array(output, "output")
        self.target = same_shape(self.output, target, "output", "target")
        return float(np.mean((self.output - self.target) ** 2))

    def backward(self) -> np.ndarray:
        self._need_forward()
        return 2.0 * (self.output - self.target) / self.output.size

    def hessian_product(self, R) -> np.ndarray:
        """``2 R / N``: the loss is quadratic, its curvature the same everywhere."""
        return 2.0 * self._direction(R) / self.output.size


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy on logits ``z``: ``mean(log(1 + e^z) - y z)``, stable for any ``z``.

    Its gradient is ``(σ(z) - y) / N``: the prediction error, nothing else.
    """

    def forward(self, output, target) -> float:
        self.output = as_float_array(output, "output (logits)")
        self.target = same_shape(self.output, target, "output (logits)", "target")
        if np.any((self.target < 0) | (self.target > 1)):
            raise ValueError("target of BCEWithLogitsLoss must lie in [0, 1]")
        z = self.output
        softplus = np.logaddexp(0.0, z)  # log(1 + e^z) without overflow
        return float(np.mean(softplus - self.target * z))

    def backward(self) -> np.ndarray:
        self._need_forward()
        return (sigmoid(self.output) - self.target) / self.output.size

    def hessian_product(self, R) -> np.ndarray:
        """``σ(z)(1 - σ(z)) R / N``: large where a prediction is still uncertain."""
        R = self._direction(R)
        s = sigmoid(self.output)
        return s * (1.0 - s) * R / self.output.size


def softmax(Z) -> np.ndarray:
    """Row-wise softmax, shifted by the row maximum so ``exp`` never overflows."""
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


class CrossEntropyLoss(Loss):
    """Softmax cross-entropy on logits ``(m, K)`` with integer class targets ``(m,)``.

    ``forward`` uses log-sum-exp; ``backward`` returns ``(softmax(Z) - onehot(y)) / m``, the
    full gradient of the composition (the softmax Jacobian's off-diagonal terms included).
    """

    def forward(self, output, target) -> float:
        Z = as_float_array(output, "output (logits)")
        if Z.ndim != 2:
            raise ValueError(f"output must have shape (m, K), got shape {Z.shape}")
        y = np.asarray(target)
        if y.shape != (Z.shape[0],) or y.dtype.kind not in "iu":
            raise ValueError(
                f"target must be integer class indices of shape ({Z.shape[0]},), "
                f"got dtype {y.dtype} and shape {y.shape}"
            )
        if np.any((y < 0) | (y >= Z.shape[1])):
            raise ValueError(f"target classes must lie in 0..{Z.shape[1] - 1}")
        self.output, self.target = Z, y
        shifted = Z - Z.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-log_probs[np.arange(len(y)), y].mean())

    def backward(self) -> np.ndarray:
        self._need_forward()
        m = self.output.shape[0]
        grad = softmax(self.output)
        grad[np.arange(m), self.target] -= 1.0
        return grad / m

    def hessian_product(self, R) -> np.ndarray:
        """The softmax Jacobian applied to ``R``, row by row: ``p ⊙ (R - Σ_j p_j R_j) / m``."""
        R = self._direction(R)
        p = softmax(self.output)
        return p * (R - np.sum(p * R, axis=1, keepdims=True)) / self.output.shape[0]
