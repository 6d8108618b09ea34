"""Chapter 10: universal approximation, Neural ODEs and the symmetries of weight space."""

from __future__ import annotations

import math

import numpy as np

from ..activations import ReLU
from ..flat import flatten_parameters
from ..layers import Linear
from ..model import Sequential
from ..selfcheck import CheckResult, check
from ..weightspace import rescale_hidden

# A ReLU network of the exercise: 2 inputs, 3 hidden units, 1 output.
W1 = np.array([[1.0, -2.0], [0.5, 0.5], [-1.0, 3.0]])
B1 = np.array([0.1, -0.4, 0.7])
W2 = np.array([[2.0, -1.0, 0.5]])
B2 = np.array([0.3])


def exercise_network() -> Sequential:
    """``Linear(2, 3) → ReLU → Linear(3, 1)`` with the exercise's arrays."""
    return Sequential(Linear.from_arrays(W1, B1), ReLU(), Linear.from_arrays(W2, B2))


def check_equivalent_settings(answer) -> CheckResult:
    """How many parameter vectors of a width-8 tanh layer (in general position) give the same
    function through permutations and sign flips alone."""
    n = 8
    return check(answer, math.factorial(n) * 2**n, name="Your count",
                 hint="count the orderings of 8 units, then the sign choices per unit.")


def check_rescaled_parameters(answer) -> CheckResult:
    """The flat parameter vector ``(W1, b1, W2, b2)`` after rescaling hidden unit 1 by 2 and
    hidden unit 3 by 1/2 (the ReLU symmetry), in the order of ``flatten_parameters``."""
    expected = flatten_parameters(rescale_hidden(exercise_network(), [2.0, 1.0, 0.5]))
    return check(answer, expected, name="Your rescaled parameters",
                 hint="scale a unit's row of W1 and its bias by α, its column of W2 by 1/α; "
                      "b2 does not change.")
