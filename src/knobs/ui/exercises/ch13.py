"""Chapter 13: width against depth under a parameter budget."""

from __future__ import annotations

import numpy as np

from knobs.analysis import accounting
from knobs.studies.depth_budget import trial_wins
from knobs.ui.selfcheck import CheckResult, check


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


def shallow_sawtooth_units(depth: int) -> int:
    """Units of the smallest one-hidden-layer ReLU network that draws the depth-``depth``
    sawtooth exactly on [0, 1].

    The ``2^L - 1`` kinks need one unit each; on [0, 1] each such unit changes the slope by
    ``±2^(L+1)`` at its kink and adds nothing or a line, so the lines it can add have slopes
    that are multiples of ``2^(L+1)``, never the first piece's ``2^L``: one more unit, switched
    on over all of [0, 1], gives that slope. ``2^L`` units in all.
    """
    depth = int(depth)
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    return 2**depth


def check_shallow_sawtooth(answer) -> CheckResult:
    """Parameters of the smallest one-hidden-layer ReLU net that draws the depth-10 sawtooth
    exactly on [0, 1] (one input, one output)."""
    return check(answer, accounting.dense_parameter_count([1, shallow_sawtooth_units(10), 1]),
                 name="Your parameter count",
                 hint="one unit per kink is only a lower bound. Write the network as a constant "
                      "plus a sum of units v max(0, ±(x - k)); on [0, 1] a unit whose kink k is "
                      "inside changes the slope by v there and is zero or a line elsewhere. "
                      "Which slope must the first piece have, and can the kink units give it?")


def clean_wins(result: dict) -> np.ndarray:
    """For each depth of ``depth_budget.tradeoff_trials``'s ``result``, in how many trials it has
    the lowest clean-data (``approximation``) error of all depths."""
    return trial_wins(result["summary"], "approximation")


def check_clean_wins(answer, result: dict | None = None) -> CheckResult:
    """The number of trials each depth wins on clean data, in the order of the depths, for the
    chapter's ``result`` of ``depth_budget.tradeoff_trials``."""
    if answer is None or answer is Ellipsis:
        return check(None, 0, name="Your list of counts")
    if result is None:
        raise ValueError("pass the chapter's trials too: ch13.check_clean_wins(my_counts, result)")
    return check(answer, clean_wins(result), name="Your list of counts",
                 hint="take each trial of result['trials'] in turn, find the depth with the "
                      "lowest 'approximation' (clean-data) error, and count per depth, in the "
                      "order L = 1, 2, 4, 8; the counts add up to the number of trials.")
