"""Chapter 6: the gradients of w and b."""

from __future__ import annotations

import numpy as np

from knobs.analysis.backprop import neuron_gradients
from knobs.nn.activations import Sigmoid
from knobs.ui.selfcheck import CheckResult, check

# The neuron of the coding exercise: a = tanh(w·x + b), C = (a - y)².
EXERCISE_W = np.array([0.5, -1.0])
EXERCISE_B = 0.25
EXERCISE_X = np.array([2.0, 1.0])
EXERCISE_Y = 1.0


def check_neuron_gradients(answer) -> CheckResult:
    """``(dw, db)`` of the exercise's tanh neuron: ``dw`` of shape ``(2,)``, ``db`` a number."""
    g = neuron_gradients(EXERCISE_W, EXERCISE_B, EXERCISE_X[None, :], [EXERCISE_Y], "tanh")
    expected = np.append(g.dw, g.db)
    if answer is not None and answer is not Ellipsis:
        try:
            dw, db = answer
            answer = np.append(np.asarray(dw, dtype=float), float(db))
        except (TypeError, ValueError):
            return CheckResult(False, "Your gradients: expected a pair (dw, db) with dw of "
                                      "shape (2,) and db a number.")
    return check(answer, expected, name="Your gradients (dw, db)",
                 hint="compute z, then a = tanh(z), dC/da = 2(a - y), f'(z) = 1 - tanh(z)², "
                      "delta = dC/da f'(z); dw = delta x and db = delta.")


def check_saturation_factor(answer) -> CheckResult:
    """How many times smaller the bias step of a sigmoid neuron is at ``z = 5`` than at ``z = 0``
    (same ``∂C/∂a``, same learning rate)."""
    slope = Sigmoid.derivative(np.array([0.0, 5.0]))
    return check(answer, float(slope[0] / slope[1]), name="Your factor", rtol=1e-3,
                 hint="with the same dC/da, the bias step is proportional to "
                      "σ'(z) = σ(z)(1 - σ(z)).")
