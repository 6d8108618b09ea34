"""Chapter 7: the carbon-copy problem."""

from __future__ import annotations

import numpy as np

from .. import gates, symmetry_breaking
from ..selfcheck import CheckResult, check


def half_symmetric_network(seed: int = 0):
    """The exercise's 2 -> 4 tanh -> 1 network: units 0 and 1 are identical, 2 and 3 random."""
    rng = np.random.default_rng(seed)
    model = symmetry_breaking.two_layer_network(2, 4, 1, "random", "zeros", std=0.5, rng=rng)
    first, last = model[0], model[2]
    first.W[1] = first.W[0]          # unit 1 starts as a copy of unit 0 ...
    last.W[:, 1] = last.W[:, 0]      # ... in its outgoing weights too
    return model


def distinct_units(model, decimals: int = 12) -> int:
    """How many different hidden units (rows of ``hidden_units``, rounded) a model has."""
    return len(np.unique(np.round(symmetry_breaking.hidden_units(model), decimals), axis=0))


def check_distinct_units(answer) -> CheckResult:
    """The number of distinct hidden units of ``half_symmetric_network()`` after 400 steps of
    gradient descent (lr 0.2) on XOR."""
    model = half_symmetric_network()
    symmetry_breaking.train_recording(model, gates.INPUTS, gates.targets_of("XOR")[:, None],
                                      lr=0.2, steps=400)
    return check(answer, distinct_units(model), name="Your count of distinct units",
                 hint="a pair of identical units gets identical updates, whatever the other "
                      "units do.")
