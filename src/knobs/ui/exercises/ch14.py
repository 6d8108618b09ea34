"""Chapter 14: the memory of learning."""

from __future__ import annotations

from knobs.analysis import accounting
from knobs.ui.selfcheck import CheckResult, check

# the exercise's network: 24 layers of width 1024 on 1024 inputs, float64
WIDTH, DEPTH = 1024, 24


def check_training_activations(answer) -> CheckResult:
    """Bytes of training activations by the formula ``8 B Σ n_l`` for ``B = 128``."""
    return check(answer, accounting.activation_bytes([WIDTH] * (DEPTH + 1), 128),
                 name="Your byte count",
                 hint="the input counts as a layer: there are L + 1 activations of B x n numbers.")


def check_crossover_batch(answer) -> CheckResult:
    """The smallest batch at which training activations outweigh the parameters."""
    sizes = [WIDTH] * (DEPTH + 1)
    params = accounting.dense_parameter_count(sizes) * 8
    batch = 1
    while accounting.activation_bytes(sizes, batch) <= params:
        batch += 1
    return check(answer, batch, name="Your batch size",
                 hint="compare (L + 1) B n with L (n² + n): B has to exceed about n L / (L + 1).")
