"""Normalization layers: BatchNorm1d, LayerNorm and RMSNorm, each with learnable gamma/beta."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from knobs.nn.module import Module
from knobs.validate import as_batch, positive_float, positive_int


class _Norm(Module):
    params = (("gamma", "dgamma"), ("beta", "dbeta"))

    def __init__(self, n: int, eps: float) -> None:
        self.n = positive_int(n, "n")
        self.eps = positive_float(eps, "eps")
        self.gamma = np.ones(self.n)
        self.beta = np.zeros(self.n)
        self.dgamma = np.zeros(self.n)
        self.dbeta = np.zeros(self.n)
        self.X_hat: np.ndarray | None = None

    def _param_grads(self, dout: np.ndarray) -> np.ndarray:
        self.dgamma = (dout * self._need_forward("X_hat")).sum(axis=0)
        self.dbeta = dout.sum(axis=0)
        return dout * self.gamma  # gradient w.r.t. the normalized input X_hat

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.n}, eps={self.eps})"


class BatchNorm1d(_Norm):
    """Normalize each feature over the batch (Ioffe & Szegedy, 2015).

    Training: ``X_hat = (X - mean_batch) / sqrt(var_batch + eps)``, ``out = gamma X_hat + beta``,
    and the running statistics move by ``momentum`` towards the batch's (the running variance
    uses the unbiased estimate, as in PyTorch). Evaluation: the running statistics replace the
    batch's, so the layer is a fixed affine map. Shapes: ``X: (m, n)``.
    """

    def __init__(self, n: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__(n, eps)
        self.momentum = positive_float(momentum, "momentum")
        if self.momentum > 1:
            raise ValueError(f"momentum must lie in (0, 1], got {momentum}")
        self.running_mean = np.zeros(self.n)
        self.running_var = np.ones(self.n)
        self.inv_std: np.ndarray | None = None

    def forward(self, X: ArrayLike) -> np.ndarray:
        X = as_batch(X, self.n)
        if self.training:
            m = X.shape[0]
            if m < 2:
                raise ValueError("BatchNorm1d in training mode needs a batch of at least 2 samples")
            mean, var = X.mean(axis=0), X.var(axis=0)
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = ((1 - self.momentum) * self.running_var
                                + self.momentum * var * m / (m - 1))
        else:
            mean, var = self.running_mean, self.running_var
        self.inv_std = 1.0 / np.sqrt(var + self.eps)
        self.X_hat = X_hat = (X - mean) * self.inv_std
        self._trained_batch = self.training
        return self.gamma * X_hat + self.beta

    def backward(self, dout: ArrayLike) -> np.ndarray:
        X_hat, inv_std = self._need_forward("X_hat"), self._need_forward("inv_std")
        dout = as_batch(dout, self.n, "dout")
        dX_hat = self._param_grads(dout)
        if not self._trained_batch:  # a fixed affine map in evaluation mode
            return dX_hat * inv_std
        m = dout.shape[0]
        # The batch mean and variance depend on every sample: these two sums are their share.
        # The first one is why any constant added to a column of X (a bias) gets zero gradient.
        return (inv_std / m) * (
            m * dX_hat - dX_hat.sum(axis=0) - X_hat * (dX_hat * X_hat).sum(axis=0)
        )


class LayerNorm(_Norm):
    """Normalize each sample over its features (Ba, Kiros & Hinton, 2016).

    ``X_hat = (X - mean_row) / sqrt(var_row + eps)``, ``out = gamma X_hat + beta``; identical in
    training and evaluation. Shapes: ``X: (m, n)``.
    """

    def __init__(self, n: int, eps: float = 1e-5) -> None:
        super().__init__(n, eps)
        self.inv_std: np.ndarray | None = None

    def forward(self, X: ArrayLike) -> np.ndarray:
        X = as_batch(X, self.n)
        mean = X.mean(axis=1, keepdims=True)
        self.inv_std = 1.0 / np.sqrt(X.var(axis=1, keepdims=True) + self.eps)
        self.X_hat = X_hat = (X - mean) * self.inv_std
        return self.gamma * X_hat + self.beta

    def backward(self, dout: ArrayLike) -> np.ndarray:
        X_hat, inv_std = self._need_forward("X_hat"), self._need_forward("inv_std")
        dout = as_batch(dout, self.n, "dout")
        dX_hat = self._param_grads(dout)
        n = self.n
        return (inv_std / n) * (
            n * dX_hat - dX_hat.sum(axis=1, keepdims=True)
            - X_hat * (dX_hat * X_hat).sum(axis=1, keepdims=True)
        )


class RMSNorm(_Norm):
    """Divide each sample by its root mean square (Zhang & Sennrich, 2019); no mean is removed.

    ``X_hat = X / sqrt(mean_row(X²) + eps)``, ``out = gamma X_hat + beta``. (The original has
    no ``beta``; keeping it at zero reproduces that.) Shapes: ``X: (m, n)``.
    """

    def __init__(self, n: int, eps: float = 1e-5) -> None:
        super().__init__(n, eps)
        self.inv_rms: np.ndarray | None = None

    def forward(self, X: ArrayLike) -> np.ndarray:
        X = as_batch(X, self.n)
        self.inv_rms = 1.0 / np.sqrt((X**2).mean(axis=1, keepdims=True) + self.eps)
        self.X_hat = X_hat = X * self.inv_rms
        return self.gamma * X_hat + self.beta

    def backward(self, dout: ArrayLike) -> np.ndarray:
        X_hat, inv_rms = self._need_forward("X_hat"), self._need_forward("inv_rms")
        dout = as_batch(dout, self.n, "dout")
        dX_hat = self._param_grads(dout)
        return inv_rms * (
            dX_hat - X_hat * (dX_hat * X_hat).mean(axis=1, keepdims=True)
        )
