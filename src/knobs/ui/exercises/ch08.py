"""Chapter 8: from one neuron to a layer and a batch."""

from __future__ import annotations

import math

import numpy as np

from knobs.analysis.batch import batch_gradients_columns
from knobs.ui.selfcheck import CheckResult, check


def exercise_arrays() -> tuple[np.ndarray, np.ndarray]:
    """The exercise's batch, samples in columns: ``A_prev: (4, 5)``, ``Delta: (3, 5)``."""
    A_prev = np.cos(np.arange(20.0)).reshape(4, 5)
    Delta = np.sin(1.0 + np.arange(15.0)).reshape(3, 5)
    return A_prev, Delta


def check_column_gradients(answer) -> CheckResult:
    """``(dW, db)`` of the mean loss for ``exercise_arrays()``: ``dW: (3, 4)``, ``db: (3, 1)``."""
    dW, db = batch_gradients_columns(*exercise_arrays(), reduction="mean")
    if answer is None or answer is Ellipsis:
        return check(answer, dW, name="Your gradients (dW, db)")
    try:
        my_dW, my_db = answer
    except (TypeError, ValueError):
        return CheckResult(False, "Your gradients: expected a pair (dW, db).")
    first = check(my_dW, dW, name="Your dW",
                  hint="samples are columns: contract Delta with A_prev over the sample axis, "
                       "and do not forget the 1/m of the mean loss.")
    if not first:
        return first
    second = check(my_db, db, name="Your db",
                   hint="sum Delta over the samples (axis=1) keeping a column, then divide by m.")
    if not second:
        return second
    return CheckResult(True, "✓ Correct. Your dW and db match the engine's result.")


TREE_N = 3_000_000   # not the million the chapter prints: the reader has to work it out


def check_tree_levels(answer) -> CheckResult:
    """The number of levels of a pairwise tree that sums ``TREE_N`` = 3,000,000 numbers."""
    return check(answer, math.ceil(math.log2(TREE_N)), name="Your number of levels",
                 hint="each level halves the count (rounding up): the number of levels is the "
                      "smallest L with 2**L >= 3,000,000.")
