"""Chapter 4: bias, activations and regularization."""

from __future__ import annotations

import numpy as np

from knobs.analysis import regularization as reg
from knobs.analysis.operating_point import bias_for_active_fraction
from knobs.ui.selfcheck import CheckResult, check

RIDGE_LAMBDA, RIDGE_BIAS_FACTOR = 0.5, 0.0


def ridge_exercise_data() -> tuple[np.ndarray, np.ndarray]:
    """The data of the coding exercise: ``X: (30, 2)`` (not centred) and ``y: (30,)``."""
    rng = np.random.default_rng(404)
    X = rng.normal(loc=[1.0, -2.0], scale=[1.0, 0.5], size=(30, 2))
    y = X @ np.array([2.0, -1.0]) + 4.0 + 0.3 * rng.normal(size=30)
    return X, y


SPARSE_FRACTION, SPARSE_STD = 0.20, 2.0  # not a fraction the chapter's table prints


def check_sparse_bias(answer) -> CheckResult:
    """The bias that makes a ReLU unit active on 20 % of inputs when ``std(wᵀx) = 2``."""
    return check(answer, bias_for_active_fraction(SPARSE_FRACTION, SPARSE_STD), name="Your bias",
                 rtol=1e-4,
                 hint="solve Φ(b/σ_z) = 0.20 for b; knobs.analysis.operating_point has Φ⁻¹ "
                      "as normal_quantile.")


def check_penalized_intercept(answer) -> CheckResult:
    """The learned intercept for centred features, ``ȳ = 3``, ``λ = 0.25`` and ``d_b = 2``."""
    X = np.array([[-1.0], [0.0], [1.0]])  # any centred feature gives the same intercept
    y = np.array([1.0, 3.0, 5.0])
    b = reg.split(reg.ridge(X, y, 0.25, reg.penalty_matrix(1, 1.0, 2.0)))[1]
    return check(answer, b, name="Your intercept", rtol=1e-6,
                 hint="set the derivative of the objective with respect to b to zero; with "
                      "centred features the weights drop out of it.")


def check_ridge(answer) -> CheckResult:
    """``w̃ = [w1, w2, b]`` minimizing the mean squared error plus ``0.5 ‖D w̃‖²`` with
    ``D = diag(1, 1, 0)`` on ``ridge_exercise_data()``."""
    X, y = ridge_exercise_data()
    expected = reg.ridge(X, y, RIDGE_LAMBDA, reg.penalty_matrix(2, 1.0, RIDGE_BIAS_FACTOR))
    return check(answer, expected, name="Your w̃", rtol=1e-6, atol=1e-8,
                 hint="append a column of ones to X, then solve (X̃ᵀX̃/m + λ DᵀD) w̃ = X̃ᵀy/m.")
