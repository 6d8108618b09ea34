"""Losses averaged over the batch: ``forward(output, target)`` then ``backward()``."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from knobs.nn.activations import sigmoid
from knobs.validate import as_float_array, same_shape


class Loss:
    """Base class: ``forward`` returns the mean loss, ``backward`` its gradient w.r.t. output,
    ``hessian_product(R)`` its second derivative in the output applied to a direction ``R`` (the
    curvature every Hessian of the book starts from: ``knobs.analysis.hessian``,
    ``knobs.analysis.curvature``, the choice model's standard errors)."""

    def __init__(self) -> None:
        self.output: np.ndarray | None = None
        self.target: np.ndarray | None = None

    def forward(self, output: ArrayLike, target: ArrayLike) -> float:
        """The mean loss; keeps ``output`` and ``target`` for ``backward``."""
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        """``∂L/∂output`` at the last ``forward``, shaped like the output."""
        raise NotImplementedError

    def __call__(self, output: ArrayLike, target: ArrayLike) -> float:
        return self.forward(output, target)

    def hessian_product(self, R: ArrayLike) -> np.ndarray:
        """``(∂²L/∂output²) R`` at the output of the last ``forward``, shaped like the output."""
        raise NotImplementedError(f"{type(self).__name__} does not define hessian_product, "
                                  "the curvature Hessian-vector products need")

    def _direction(self, R: ArrayLike) -> np.ndarray:
        return same_shape(self._need_forward()[0], R, "output", "R")

    def _need_forward(self) -> tuple[np.ndarray, np.ndarray]:
        """The output and target of the last ``forward``; an error if there was none."""
        if self.output is None or self.target is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return self.output, self.target

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MSELoss(Loss):
    """Mean squared error ``mean((y_hat - y)²)`` over every entry (PyTorch's convention)."""

    def forward(self, output: ArrayLike, target: ArrayLike) -> float:
        self.output = out = as_float_array(output, "output")
        self.target = y = same_shape(out, target, "output", "target")
        return float(np.mean((out - y) ** 2))

    def backward(self) -> np.ndarray:
        out, y = self._need_forward()
        return 2.0 * (out - y) / out.size

    def hessian_product(self, R: ArrayLike) -> np.ndarray:
        """``2 R / N``: the loss is quadratic, its curvature the same everywhere."""
        R = self._direction(R)
        return 2.0 * R / R.size


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy on logits ``z``: ``mean(log(1 + e^z) - y z)``, stable for any ``z``.

    Its gradient is ``(σ(z) - y) / N``: the prediction error, nothing else.
    """

    def forward(self, output: ArrayLike, target: ArrayLike) -> float:
        self.output = z = as_float_array(output, "output (logits)")
        self.target = y = same_shape(z, target, "output (logits)", "target")
        if np.any((y < 0) | (y > 1)):
            raise ValueError("target of BCEWithLogitsLoss must lie in [0, 1]")
        softplus = np.logaddexp(0.0, z)  # log(1 + e^z) without overflow
        return float(np.mean(softplus - y * z))

    def backward(self) -> np.ndarray:
        z, y = self._need_forward()
        return (sigmoid(z) - y) / z.size

    def hessian_product(self, R: ArrayLike) -> np.ndarray:
        """``σ(z)(1 - σ(z)) R / N``: large where a prediction is still uncertain."""
        R = self._direction(R)
        s = sigmoid(self._need_forward()[0])
        return s * (1.0 - s) * R / R.size


def softmax(Z: ArrayLike) -> np.ndarray:
    """Row-wise softmax, shifted by the row maximum so ``exp`` never overflows."""
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


class CrossEntropyLoss(Loss):
    """Softmax cross-entropy on logits ``(m, K)`` with integer class targets ``(m,)``.

    ``forward`` uses log-sum-exp; ``backward`` returns ``(softmax(Z) - onehot(y)) / m``, the
    full gradient of the composition (the softmax Jacobian's off-diagonal terms included).
    """

    def forward(self, output: ArrayLike, target: ArrayLike) -> float:
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
        Z, y = self._need_forward()
        m = Z.shape[0]
        grad = softmax(Z)
        grad[np.arange(m), y] -= 1.0
        return grad / m

    def hessian_product(self, R: ArrayLike) -> np.ndarray:
        """The softmax Jacobian applied to ``R``, row by row: ``p ⊙ (R - Σ_j p_j R_j) / m``."""
        R = self._direction(R)
        p = softmax(self._need_forward()[0])
        return p * (R - np.sum(p * R, axis=1, keepdims=True)) / R.shape[0]
