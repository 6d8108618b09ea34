"""Chapter 2: the statistics of z, feature centering and the cost of uncentered data."""

from __future__ import annotations

import numpy as np

from knobs.analysis.curvature import condition_number, mse_hessian
from knobs.analysis.moments import compensating_bias, net_input_covariance, net_input_mean
from knobs.ui.selfcheck import CheckResult, check

# Exercise "moments by hand": one neuron on two correlated features.
MOMENTS_W = np.array([2.0, -1.0])
MOMENTS_B = 0.5
MOMENTS_MU = np.array([1.0, 3.0])
MOMENTS_SIGMA = np.array([[1.0, 0.5], [0.5, 2.0]])

# Exercise "compensating bias": a neuron whose net input should have mean TARGET_MEAN.
BIAS_W = np.array([0.8, -1.5])
BIAS_MU = np.array([4.0, 2.0])
BIAS_TARGET_MEAN = 3.0


def exercise_data() -> np.ndarray:
    """``X: (200, 2)``, raw measurements for the conditioning exercise (no randomness).

    Column 0: a temperature around 20 °C; column 1: a relative humidity around 0.6.
    """
    t = np.arange(200)
    temperature = 20.0 + 4.0 * np.sin(0.37 * t) + 1.5 * np.cos(1.3 * t)
    humidity = 0.6 + 0.1 * np.cos(0.51 * t + 0.4) - 0.05 * np.sin(2.1 * t)
    return np.column_stack([temperature, humidity])


def check_moments(answer) -> CheckResult:
    """``(E[z], Var(z))`` for ``MOMENTS_W``, ``MOMENTS_B``, ``MOMENTS_MU``, ``MOMENTS_SIGMA``."""
    expected = (net_input_mean(MOMENTS_W, MOMENTS_B, MOMENTS_MU),
                net_input_covariance(MOMENTS_W, MOMENTS_SIGMA))
    return check(answer, expected, name="Your (E[z], Var(z))",
                 hint="E[z] = wᵀμ + b; Var(z) = wᵀΣw has four terms, two of them from the "
                      "off-diagonal covariance.")


def check_compensating_bias(answer) -> CheckResult:
    """The bias that gives ``E[z] = BIAS_TARGET_MEAN`` for ``BIAS_W`` and ``BIAS_MU``."""
    return check(answer, compensating_bias(BIAS_W, BIAS_MU, BIAS_TARGET_MEAN),
                 name="Your bias", hint="solve wᵀμ + b = target for b.")


def check_condition_numbers(answer) -> CheckResult:
    """``(κ_raw, κ_centered)`` of the MSE Hessian in (w, b) on ``exercise_data()``."""
    X = exercise_data()
    expected = (condition_number(mse_hessian(X)),
                condition_number(mse_hessian(X - X.mean(axis=0))))
    return check(answer, expected, name="Your (κ_raw, κ_centered)", rtol=1e-4,
                 hint="append a column of ones to X, H = (2/m) X̃ᵀX̃, and divide the largest "
                      "eigenvalue of H by the smallest (np.linalg.eigvalsh).")
