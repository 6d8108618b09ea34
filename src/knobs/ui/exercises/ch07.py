"""Chapter 7: the carbon-copy problem."""

from __future__ import annotations

import numpy as np

from knobs.analysis import symmetry_breaking
from knobs.studies import logic_gates
from knobs.ui.selfcheck import CheckResult, check

# the exercise's network: 6 hidden units, units 3 and 5 start as copies of unit 0, unit 4 as a
# copy of unit 1; unit 2 has no copy
COPIES = {3: 0, 5: 0, 4: 1}
COPY_TOL = 1e-9   # copies differ by rounding (below 1e-14); distinct units by more than 0.1


def copies_network(seed: int = 3):
    """The exercise's 2 -> 6 tanh -> 1 network after 400 steps (lr 0.2) on XOR.

    It starts from random weights and biases in which some units are copies of others (same row
    of ``W1``, same bias, same column of ``W2``); gradient descent keeps them copies.
    """
    rng = np.random.default_rng(seed)
    model = symmetry_breaking.two_layer_network(2, 6, 1, "random", "random", std=0.5, rng=rng)
    first, last = model[0], model[2]
    for copy, original in COPIES.items():
        first.W[copy], first.b[copy] = first.W[original], first.b[original]
        last.W[:, copy] = last.W[:, original]
    xor = logic_gates.targets_of("XOR")[:, None]
    symmetry_breaking.train_recording(model, logic_gates.INPUTS, xor, lr=0.2, steps=400)
    return model


def copy_groups(model, tol: float = COPY_TOL) -> list[list[int]]:
    """The hidden units grouped into copies: units whose whole-unit distance is below ``tol``."""
    D = symmetry_breaking.pairwise_distances(symmetry_breaking.hidden_units(model))
    groups: list[list[int]] = []
    for k in range(len(D)):
        if not any(k in g for g in groups):
            groups.append([j for j in range(len(D)) if D[k, j] < tol])
    return groups


def merged_weight(model) -> float:
    """The outgoing weight of the unit that replaces the largest group of copies."""
    largest = max(copy_groups(model), key=len)
    return float(model[2].W[0, largest].sum())


def check_merged_unit_count(answer) -> CheckResult:
    """How many hidden units ``copies_network()`` has once every group of copies is merged."""
    return check(answer, len(copy_groups(copies_network())), name="Your number of units",
                 hint="each group of copies becomes one unit; a unit without copies stays.")


def check_merged_weight(answer) -> CheckResult:
    """The outgoing weight, to three decimals, of the merged unit that replaces the largest
    group of copies in ``copies_network()``."""
    return check(answer, merged_weight(copies_network()), decimals=3,
                 name="Your merged outgoing weight",
                 hint="the copies have equal activations, so the output sees the sum of their "
                      "outgoing weights: add up the weights of every copy in the group.")
