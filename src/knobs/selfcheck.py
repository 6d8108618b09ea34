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


def check(answer, expected, *, name: str = "Your answer", hint: str = "",
          rtol: float = 1e-6, atol: float = 1e-9) -> CheckResult:
    """Compare a reader's ``answer`` with ``expected``.

    Numbers and arrays are compared with ``np.allclose(rtol, atol)`` after checking shapes;
    text case-insensitively without surrounding spaces; sets and booleans exactly. The message
    says whether the answer is right, what kind of mistake it is (missing, wrong type, wrong
    shape, NaN, wrong value) and the ``hint``, and never prints ``expected``.
    """
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
    if ok:
        return CheckResult(True, f"✓ Correct. {name} matches the engine's result.")
    return CheckResult(False, f"✗ Not yet. {name} does not match.{tail}")
