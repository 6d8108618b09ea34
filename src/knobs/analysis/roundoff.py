"""Printing values that are rounding error: as a bound, never as digits.

A difference such as 1.7e-18 between two ways of computing the same thing is rounding error; its
digits change with the BLAS kernel, the SIMD level and the thread count of whoever re-runs the
chapter. What holds on every machine is a bound, so a chapter prints ``below(gap, 1e-12)``.
"""

from __future__ import annotations

import numpy as np

from knobs.validate import positive_float

EPS = float(np.finfo(np.float64).eps)  # 2.2e-16: the spacing of float64 numbers just above 1


def below(value, bound: float) -> str:
    """``"below 1e-12"`` when every ``|value|`` is at most ``bound``.

    A value above the bound prints with its digits and the word ABOVE, so a stored output that
    hides a real error cannot pass a re-run: the text changes and the notebook check fails.
    """
    bound = positive_float(bound, "bound")
    worst = float(np.max(np.abs(np.asarray(value, dtype=np.float64))))
    if not np.isfinite(worst):
        return f"{worst} (not a number below {bound:.0e})"
    if worst <= bound:
        return f"below {bound:.0e}"
    return f"{worst:.1e}, ABOVE the bound {bound:.0e}"
