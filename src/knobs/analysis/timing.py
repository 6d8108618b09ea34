"""Wall-clock timing that is as repeatable as a shared machine allows.

A single measurement is disturbed by whatever else runs; the minimum over a few repeats of many
calls is the standard estimate of a function's own cost (as ``timeit`` recommends). Timings still
vary between runs and machines, so a book that stores its outputs prints only conclusions that
survive that variation (see ``speedup_summary``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from knobs.validate import positive_float, positive_int


def best_time(fn: Callable[[], object], repeat: int = 5, min_seconds: float = 2e-3) -> float:
    """Seconds per call of ``fn()``: the minimum over ``repeat`` rounds of ``number`` calls.

    ``number`` doubles from 1 until one round lasts at least ``min_seconds``, so fast functions
    are not measured at the resolution of the clock.
    """
    repeat = positive_int(repeat, "repeat")
    min_seconds = positive_float(min_seconds, "min_seconds")
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")

    def round_of(number: int) -> float:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        return time.perf_counter() - start

    number = 1
    while (elapsed := round_of(number)) < min_seconds:
        number *= 2
    best = elapsed
    for _ in range(repeat - 1):
        best = min(best, round_of(number))
    return best / number


def speedup_summary(ratios: dict[int, float], at_least: float) -> dict[str, bool]:
    """Coarse conclusions about measured speed-ups ``{batch size: slow time / fast time}``.

    Unlike the ratios themselves, these yes/no answers stay the same from run to run as long as
    the measured ratios are far from the thresholds (chapter 8's are several times larger), so a
    stored notebook can print them and be checked on every re-run.

    - ``"faster everywhere"``: every ratio exceeds 1;
    - ``"at least at the largest"``: the ratio at the largest batch exceeds ``at_least``;
    - ``"grows with the batch"``: the largest batch's ratio exceeds the smallest's.
    """
    if len(ratios) < 2:
        raise ValueError(f"need ratios for at least two batch sizes, got {len(ratios)}")
    sizes = sorted(ratios)
    return {
        "faster everywhere": all(r > 1.0 for r in ratios.values()),
        "at least at the largest": ratios[sizes[-1]] >= at_least,
        "grows with the batch": ratios[sizes[-1]] > ratios[sizes[0]],
    }
