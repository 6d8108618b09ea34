"""Chapter 1: two knobs, orientation and offset."""

from __future__ import annotations

from knobs.studies.logic_gates import feasible_bias_interval
from knobs.ui.selfcheck import CheckResult, check


def check_nor_interval(answer) -> CheckResult:
    """The feasible bias interval ``(low, high)`` of NOR for ``w = (-1, -1)``."""
    interval = feasible_bias_interval("NOR", (-1.0, -1.0))
    return check(answer, (interval.low, interval.high), name="Your NOR interval",
                 hint="NOR outputs 1 only for (0, 0); write one inequality per row of the table.")


def check_nand_bias(answer) -> CheckResult:
    """The midpoint bias that turns ``w = (-1, -1)`` into NAND."""
    return check(answer, feasible_bias_interval("NAND", (-1.0, -1.0)).midpoint,
                 name="Your NAND bias",
                 hint="find the interval first; the most robust bias is its midpoint.")
