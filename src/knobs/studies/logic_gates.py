"""Logic gates with one threshold neuron ``y = step(w·x + b)`` on the inputs ``{0, 1}²``.

The feasible biases of a gate are read off its truth table: every row with target 1 asks
``w·x + b >= 0`` (a lower bound on ``b``), every row with target 0 asks ``w·x + b < 0`` (a strict
upper bound). Their intersection is an interval ``[low, high)`` or empty.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from knobs.validate import as_float_array

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)

# Targets for the rows of INPUTS, in that order.
GATES: dict[str, tuple[int, int, int, int]] = {
    "FALSE": (0, 0, 0, 0),
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
    "XNOR": (1, 0, 0, 1),
    "TRUE": (1, 1, 1, 1),
    "x1": (0, 0, 1, 1),
    "x2": (0, 1, 0, 1),
    "NOT x1": (1, 1, 0, 0),
    "NOT x2": (1, 0, 1, 0),
    "x1 AND NOT x2": (0, 0, 1, 0),
    "x2 AND NOT x1": (0, 1, 0, 0),
    "x1 OR NOT x2": (1, 0, 1, 1),
    "x2 OR NOT x1": (1, 1, 0, 1),
}


@dataclass(frozen=True)
class BiasInterval:
    """The half-open interval ``[low, high)`` of biases that implement a gate (may be empty)."""

    low: float
    high: float

    @property
    def empty(self) -> bool:
        return not self.low < self.high

    @property
    def midpoint(self) -> float:
        """The most robust bias, as far as possible from both edges (needs a bounded interval)."""
        if self.empty or not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise ValueError(f"the interval {self} has no finite midpoint")
        return (self.low + self.high) / 2

    def __contains__(self, b: float) -> bool:
        return self.low <= b < self.high

    def __str__(self) -> str:
        if self.empty:
            return "empty"
        return f"[{self.low:g}, {self.high:g})"


def targets_of(gate) -> np.ndarray:
    """The truth-table column of ``gate``: a name from ``GATES`` or four 0/1 targets."""
    if isinstance(gate, str):
        if gate not in GATES:
            raise ValueError(f"unknown gate {gate!r}; expected one of {sorted(GATES)}")
        return np.array(GATES[gate], dtype=np.float64)
    t = np.asarray(gate, dtype=np.float64)
    if t.shape != (4,) or not np.all((t == 0) | (t == 1)):
        raise ValueError(f"a truth table is four targets in {{0, 1}}, got {gate!r}")
    return t


def feasible_bias_interval(gate, w) -> BiasInterval:
    """All biases ``b`` with ``step(w·x + b) = target`` on the four inputs, for fixed ``w``."""
    t = targets_of(gate)
    w = as_float_array(w, "w")
    if w.shape != (2,):
        raise ValueError(f"w must have shape (2,), got {w.shape}")
    s = INPUTS @ w  # w·x for every row
    low = max((-s[t == 1]).tolist(), default=-math.inf)   # b >= -w·x where the target is 1
    high = min((-s[t == 0]).tolist(), default=math.inf)   # b <  -w·x where the target is 0
    return BiasInterval(float(low) + 0.0, float(high) + 0.0)  # + 0.0 turns -0.0 into 0.0


def truth_table(w, b) -> np.ndarray:
    """Outputs of the threshold neuron on the four inputs."""
    w = as_float_array(w, "w")
    if w.shape != (2,):
        raise ValueError(f"w must have shape (2,), got {w.shape}")
    return (INPUTS @ w + float(b) >= 0).astype(np.float64)


def gate_name(outputs) -> str:
    """The name of the Boolean function with these four outputs."""
    key = tuple(int(v) for v in targets_of(outputs))
    return next(name for name, table in GATES.items() if table == key)


def farkas_certificate(gate, max_multiplier: int = 2):
    """Non-negative multipliers proving that no ``(w, b)`` implements ``gate``, or None.

    Write each row as a constraint on ``θ = (w1, w2, b)``: ``-θ·(x, 1) <= 0`` for target 1 and
    ``θ·(x, 1) < 0`` for target 0. If multipliers ``λ >= 0``, with some ``λ > 0`` on a strict
    (target-0) row, make the weighted sum of the left sides vanish identically, adding the
    constraints gives ``0 < 0``: no ``θ`` satisfies them all. Small integer multipliers are
    searched exhaustively; for two inputs they suffice.
    """
    t = targets_of(gate)
    rows = np.hstack([INPUTS, np.ones((4, 1))]) * np.where(t == 1, -1.0, 1.0)[:, None]
    for combination in itertools.product(range(max_multiplier + 1), repeat=4):
        lam = np.array(combination, dtype=np.float64)
        if lam[t == 0].sum() > 0 and np.allclose(lam @ rows, 0.0):
            return lam
    return None
