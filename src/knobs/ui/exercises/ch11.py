"""Chapter 11: counting knobs, the memory of a Hessian, and curvature without the matrix."""

from __future__ import annotations

import numpy as np

from knobs.analysis import hessian as hs
from knobs.analysis.accounting import hessian_bytes
from knobs.nn.activations import ReLU, Tanh
from knobs.nn.linear import Linear
from knobs.nn.losses import MSELoss
from knobs.nn.module import Sequential, count_parameters
from knobs.ui.selfcheck import CheckResult, check


def _mnist_model() -> Sequential:
    # built only to count: zero weights need no random numbers
    return Sequential(Linear(784, 256, init="zeros"), ReLU(), Linear(256, 10, init="zeros"))


def check_mnist_count(answer) -> CheckResult:
    """Parameters of the dense network 784 → 256 → 10 with biases."""
    return check(answer, count_parameters(_mnist_model()), name="Your parameter count",
                 hint="n_in·n_out + n_out for each of the two layers, then add.")


def check_mnist_hessian_gb(answer) -> CheckResult:
    """Memory of that network's full Hessian in float32, in gigabytes (1 GB = 10⁹ bytes),
    rounded to the nearest gigabyte as the question asks (166; the unrounded 165.7 passes too)."""
    return check(answer, hessian_bytes(count_parameters(_mnist_model()), np.float32) / 1e9,
                 name="Your Hessian size in GB", rtol=1e-6, significant=3,
                 hint="n² entries of 4 bytes each.")


def exercise_problem() -> tuple[Sequential, MSELoss, np.ndarray, np.ndarray]:
    """A fixed small regression problem: ``(model, loss, X, y)`` with a 3 → 5 → 1 tanh network."""
    rng = np.random.default_rng(1101)
    model = Sequential(Linear(3, 5, rng=rng, bias_init="normal"), Tanh(), Linear(5, 1, rng=rng))
    X = rng.normal(size=(30, 3))
    y = np.sin(X[:, :1]) + 0.5 * X[:, 1:2] * X[:, 2:3]
    return model, MSELoss(), X, y


def check_top_eigenvalue(answer) -> CheckResult:
    """The Hessian eigenvalue of largest magnitude for ``exercise_problem()`` at its start."""
    model, loss, X, y = exercise_problem()
    eig = np.linalg.eigvalsh(hs.hessian(model, loss, X, y))
    return check(answer, float(eig[np.argmax(np.abs(eig))]), name="Your top eigenvalue",
                 rtol=1e-4, hint="repeat v ← H v / ‖H v‖ with hs.hvp, then take vᵀ H v.")
