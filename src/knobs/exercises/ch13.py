"""Chapter 13: width against depth under a parameter budget."""

from __future__ import annotations

from .. import accounting
from ..selfcheck import CheckResult, check


def check_rule_width(answer) -> CheckResult:
    """The largest ``m`` with ``(L - 1) m² + d m <= P`` for ``P = 100_000``, ``d = 784``,
    ``L = 3``."""
    return check(answer, accounting.width_for_budget(100_000, 784, 3),
                 name="Your width", hint="solve the quadratic 2 m² + 784 m = 100000 and round "
                                         "the positive root down.")


def check_exact_width(answer) -> CheckResult:
    """The same budget and shape by the exact count (biases and one output unit included)."""
    return check(answer, accounting.width_for_budget(100_000, 784, 3, exact=True),
                 name="Your exact width",
                 hint="add the L m biases and the m + 1 parameters of the output unit to the rule.")


def check_shallow_sawtooth(answer) -> CheckResult:
    """Parameters of the smallest one-hidden-layer ReLU net that can draw the depth-10 sawtooth."""
    units = 2 ** 10 - 1   # one kink per unit, 2^10 pieces need 2^10 - 1 kinks
    return check(answer, accounting.dense_parameter_count([1, units, 1]),
                 name="Your parameter count",
                 hint="a sum of m ReLUs of one input has at most m kinks, so m + 1 linear pieces.")
