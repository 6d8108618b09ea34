"""Self-checks for exercises: a clear verdict and a hint, never the expected answer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CheckResult:
    """The verdict of ``check``: truthy when correct; shows its message in a notebook."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        return f"**{self.message}**" if self.passed else self.message


def _kind(x) -> str:
    if isinstance(x, str):
        return "text"
    if isinstance(x, bool | np.bool_):
        return "a yes/no value (bool)"
    if isinstance(x, set | frozenset):
        return "a set"
    return "a number or array"


def _decimals_typed(x: float) -> int | None:
    """How many decimals a reader wrote: 0.692 -> 3, 166 -> 0; None for a computed value whose
    shortest repr has more digits than anyone types."""
    if not np.isfinite(x):
        return None
    text = np.format_float_positional(x, trim="-")
    decimals = len(text.partition(".")[2])
    return decimals if decimals <= 6 else None


def _rounding_step(e: np.ndarray, decimals: int | None, significant: int | None) -> np.ndarray:
    """The size of one unit in the last place asked for, per element of ``e``."""
    if decimals is not None:
        return np.full(e.shape, 10.0 ** -decimals)
    magnitude = np.floor(np.log10(np.where(e == 0, 1.0, np.abs(e))))
    return 10.0 ** (magnitude - significant + 1)


def _within_last_digit(a: np.ndarray, e: np.ndarray, unit: np.ndarray) -> bool:
    """Whether every typed number is at most one unit of its own last digit from the value,
    with that digit fine enough to matter (about three significant digits or more): 0.693 for
    0.69237 is; 3.1 for 3.0 and 0.7 for 0.69237 are not, they are just other numbers."""
    gap = np.abs(a - e)
    fine = unit <= 0.02 * np.abs(e)
    return bool(np.all((gap == 0) | ((gap <= unit * (1 + 1e-9)) & fine)))


def _precision_asked(decimals: int | None, significant: int | None) -> str:
    if decimals is not None:
        return f"{decimals} decimal{'s' if decimals != 1 else ''}"
    return f"{significant} significant digit{'s' if significant != 1 else ''}"


def check(answer, expected, *, name: str = "Your answer", hint: str = "",
          rtol: float = 1e-6, atol: float = 1e-9, decimals: int | None = None,
          significant: int | None = None) -> CheckResult:
    """Compare a reader's ``answer`` with ``expected``.

    Numbers and arrays are compared with ``np.allclose(rtol, atol)`` after checking shapes;
    text case-insensitively without surrounding spaces; sets and booleans exactly. Where the
    question asks for a rounded number, pass ``decimals`` (``0.692``: 3) or ``significant``
    (``166`` GB: 3): an answer within half a unit of that last place is correct too. An answer
    that misses but agrees with ``expected`` to within one unit of the last digit the reader
    typed is called rounded differently, not wrong (except for a count: when ``expected`` is
    whole and no rounding is asked, 50 for 51 is wrong). The message says whether the answer is
    right, what kind of mistake it is (missing, wrong type, wrong shape, NaN, rounding, wrong
    value) and the ``hint``, and never prints ``expected``.
    """
    if decimals is not None and significant is not None:
        raise ValueError("pass decimals or significant, not both")
    for label, value in (("decimals", decimals), ("significant", significant)):
        if value is not None and (not isinstance(value, int) or value < (1 if label ==
                                  "significant" else 0)):
            raise ValueError(f"{label} must be a whole number (at least "
                             f"{1 if label == 'significant' else 0}), got {value!r}")
    tail = f" Hint: {hint}" if hint else ""
    if answer is None or answer is Ellipsis:
        return CheckResult(False, f"{name}: no answer yet. Replace the placeholder with your code.")
    if _kind(answer) != _kind(expected):
        return CheckResult(False, f"{name}: expected {_kind(expected)}, got "
                                  f"{type(answer).__name__}.{tail}")
    if isinstance(expected, str):
        ok = answer.strip().lower() == expected.strip().lower()
    elif isinstance(expected, bool | np.bool_ | set | frozenset):
        ok = answer == expected
    else:
        try:
            a = np.asarray(answer, dtype=np.float64)
        except (TypeError, ValueError):
            return CheckResult(False, f"{name}: could not read it as numbers.{tail}")
        e = np.asarray(expected, dtype=np.float64)
        if a.shape != e.shape:
            return CheckResult(False, f"{name}: has shape {a.shape}, but a different shape is "
                                      f"expected.{tail}")
        if not np.all(np.isfinite(a)) and np.all(np.isfinite(e)):
            return CheckResult(False, f"{name}: contains NaN or inf.{tail}")
        ok = bool(np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=True))
        asked = decimals is not None or significant is not None
        if not ok and asked:
            # half a unit in the asked last place, with room for the binary representation
            half = 0.5 * _rounding_step(e, decimals, significant) * (1 + 1e-9)
            if bool(np.all(np.abs(a - e) <= half + atol)):
                return CheckResult(True, f"✓ Correct. {name} matches the engine's result to "
                                         f"the {_precision_asked(decimals, significant)} asked "
                                         "for.")
        # a whole-number answer (a count) to a whole-number question is exact: 50 for 51 is wrong
        whole = bool(np.all(e == np.round(e))) and not asked
        if not ok and not whole:
            typed = [_decimals_typed(float(x)) for x in a.ravel()]
            if all(t is not None for t in typed) and _within_last_digit(
                    a.ravel(), e.ravel(), 10.0 ** -np.array(typed, dtype=float)):
                how = (f"round only the final result, to "
                       f"{_precision_asked(decimals, significant)}" if asked else
                       "give it unrounded (let NumPy compute it) or with more digits")
                return CheckResult(False, f"✗ Close: {name} agrees with the engine's result up "
                                          f"to its last digit, so it looks rounded differently "
                                          f"(or rounded too early), not wrong: {how}.")
    if ok:
        return CheckResult(True, f"✓ Correct. {name} matches the engine's result.")
    return CheckResult(False, f"✗ Not yet. {name} does not match.{tail}")
