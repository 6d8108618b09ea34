"""Population growth laws for chapter 10: the logistic model as a two-knob ``Module``.

``LogisticGrowth`` is the right-hand side ``f(N) = r N (1 - N/K)`` with two named parameters, the
growth rate ``r`` and the carrying capacity ``K``; it plugs into ``knobs.nn.ode.ODEBlock`` exactly
like a neural network does, so both are fitted by the same solver and the same gradients.
The closed-form solutions serve as references for the solver and to simulate data.
"""

from __future__ import annotations

import numpy as np

from knobs.nn.module import Module
from knobs.validate import as_float_array, positive_float


class LogisticGrowth(Module):
    """``dN/dt = r N (1 - N/K)``: ``forward(N: (m, 1)) -> (m, 1)``; parameters ``r``, ``K``."""

    params = (("r", "dr"), ("K", "dK"))

    def __init__(self, r: float, K: float):
        self.r = np.array([positive_float(r, "r")])
        self.K = np.array([positive_float(K, "K")])
        self.dr = np.zeros(1)
        self.dK = np.zeros(1)
        self.N: np.ndarray | None = None

    def forward(self, N) -> np.ndarray:
        self.N = as_float_array(N, "N")
        if self.N.ndim != 2 or self.N.shape[1] != 1:
            raise ValueError(f"N must have shape (m, 1), got shape {self.N.shape}")
        return self.r * self.N * (1.0 - self.N / self.K)

    def backward(self, dF) -> np.ndarray:
        N = self._need_forward("N")
        dF = as_float_array(dF, "dF")
        if dF.shape != N.shape:
            raise ValueError(f"dF must have shape {N.shape}, got {dF.shape}")
        r, K = self.r, self.K
        self.dr = np.array([np.sum(dF * N * (1.0 - N / K))])
        self.dK = np.array([np.sum(dF * r * N**2 / K**2)])
        return dF * r * (1.0 - 2.0 * N / K)

    def __repr__(self) -> str:
        return f"LogisticGrowth(r={self.r[0]:.4g}, K={self.K[0]:.4g})"


def logistic_solution(t, N0, r: float, K: float) -> np.ndarray:
    """``N(t) = K / (1 + (K/N0 - 1) e^{-r t})``, broadcast over ``t`` and ``N0``."""
    t, N0 = np.asarray(t, dtype=np.float64), np.asarray(N0, dtype=np.float64)
    return K / (1.0 + (K / N0 - 1.0) * np.exp(-r * t))


def gompertz_rate(N, r: float, K: float) -> np.ndarray:
    """``dN/dt = r N ln(K/N)``: growth that slows earlier than the logistic law (peak at K/e)."""
    N = np.asarray(N, dtype=np.float64)
    return r * N * np.log(K / N)


def gompertz_solution(t, N0, r: float, K: float) -> np.ndarray:
    """``N(t) = K exp(ln(N0/K) e^{-r t})``, the solution of ``gompertz_rate``."""
    t, N0 = np.asarray(t, dtype=np.float64), np.asarray(N0, dtype=np.float64)
    return K * np.exp(np.log(N0 / K) * np.exp(-r * t))
