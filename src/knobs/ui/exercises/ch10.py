"""Chapter 10: universal approximation, Neural ODEs and the symmetries of weight space."""

from __future__ import annotations

import math

import numpy as np

from knobs.analysis.weightspace import rescale_hidden
from knobs.nn.activations import ReLU
from knobs.nn.flat import flatten_parameters
from knobs.nn.linear import Linear
from knobs.nn.module import Sequential
from knobs.ui.selfcheck import CheckResult, check

# A ReLU network of the exercise: 2 inputs, 3 hidden units, 1 output.
W1 = np.array([[1.0, -2.0], [0.5, 0.5], [-1.0, 3.0]])
B1 = np.array([0.1, -0.4, 0.7])
W2 = np.array([[2.0, -1.0, 0.5]])
B2 = np.array([0.3])


def exercise_network() -> Sequential:
    """``Linear(2, 3) → ReLU → Linear(3, 1)`` with the exercise's arrays."""
    return Sequential(Linear.from_arrays(W1, B1), ReLU(), Linear.from_arrays(W2, B2))


def _smallest_width(count, bound: int = 10**80) -> int:
    n = 1
    while count(n) <= bound:
        n += 1
    return n


def width_for_settings(bound: int = 10**80) -> int:
    """The smallest width ``n`` with ``n! 2^n > bound`` (exact integer arithmetic)."""
    return _smallest_width(lambda n: math.factorial(n) * 2**n, bound)


def check_width_for_settings(answer) -> CheckResult:
    """The smallest width of a tanh layer (no two units equal up to sign) whose permutations and
    sign flips alone give more than 10^80 parameter vectors with the same function."""
    expected = width_for_settings()
    hint = "compare ln(n! 2^n) = ln n! + n ln 2 with 80 ln 10 and take the first n above it."
    whole = isinstance(answer, int | np.integer) or (isinstance(answer, float | np.floating)
                                                     and float(answer).is_integer())
    if whole and not isinstance(answer, bool) and int(answer) != expected:
        # a width is a count: one off is a wrong count, not a rounding of the right one
        if int(answer) == _smallest_width(math.factorial):
            hint = "that n counts the orderings only; each unit's sign doubles the count."
        elif int(answer) == _smallest_width(lambda n: 2**n):
            hint = "that n counts the sign patterns only; the n! orderings multiply them."
        return CheckResult(False, f"✗ Not yet. Your width does not match. Hint: {hint}")
    return check(answer, expected, name="Your width", hint=hint)


def check_rescaled_parameters(answer) -> CheckResult:
    """The flat parameter vector ``(W1, b1, W2, b2)`` after rescaling hidden unit 1 by 2 and
    hidden unit 3 by 1/2 (the ReLU symmetry), in the order of ``flatten_parameters``."""
    expected = flatten_parameters(rescale_hidden(exercise_network(), [2.0, 1.0, 0.5]))
    return check(answer, expected, name="Your rescaled parameters",
                 hint="scale a unit's row of W1 and its bias by α, its column of W2 by 1/α; "
                      "b2 does not change.")
