"""Chapter 3: variance-preserving initialization and bias initialization."""

from __future__ import annotations

import math

import numpy as np

from knobs.analysis.propagation import mean_field, second_moment, weight_variance
from knobs.ui.selfcheck import CheckResult, check

KAIMING_N_IN = 200  # not a width the chapter prints: the reader computes the answer

LEAKY_SLOPE = 0.1
LEAKY_N_IN = 256

BIAS_STD = 0.1
BIAS_DEPTH = 50


def leaky_relu(z, slope: float = LEAKY_SLOPE) -> np.ndarray:
    """``max(z, slope · z)``: the leaky ReLU of the exercise (not an engine layer)."""
    z = np.asarray(z, dtype=np.float64)
    return np.maximum(z, slope * z)


def check_kaiming_std(answer) -> CheckResult:
    """The standard deviation of He (Kaiming) normal weights for ``n_in = KAIMING_N_IN``."""
    expected = math.sqrt(weight_variance("kaiming_normal", (KAIMING_N_IN, KAIMING_N_IN)))
    return check(answer, expected, name="Your standard deviation",
                 hint="Var(w) = 2 / n_in; the standard deviation is its square root.")


def check_leaky_relu_variance(answer) -> CheckResult:
    """``Var(w)`` that keeps ``Var(z)`` constant through leaky-ReLU layers of fan-in
    ``LEAKY_N_IN``: ``n_in Var(w) E[f(z)²] = Var(z)`` with ``z`` symmetric about 0."""
    expected = 1.0 / (LEAKY_N_IN * second_moment(leaky_relu, 0.0, 1.0))
    return check(answer, expected, name="Your Var(w)",
                 hint="for z ~ N(0, q), E[f(z)²] is q/2 from the positive half plus slope² · q/2 "
                      "from the negative half.")


def check_bias_accumulation(answer) -> CheckResult:
    """Mean-field ``Var(z)`` at layer ``BIAS_DEPTH`` of a He-initialized ReLU net with
    ``N(0, BIAS_STD²)`` biases and standardized inputs."""
    expected = mean_field(BIAS_DEPTH, "relu", 2.0, bias_var=BIAS_STD ** 2)["var"][-1]
    return check(answer, float(expected), name="Your Var(z)",
                 hint="the first layer gives 2 Var(x) + Var(b); every later layer keeps the "
                      "variance and adds Var(b) once more.")
