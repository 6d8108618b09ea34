import itertools

import numpy as np
import pytest

from knobs.studies import logic_gates as gates


def test_seed_intervals_for_and_or():
    assert (gates.feasible_bias_interval("AND", (1, 1)).low,
            gates.feasible_bias_interval("AND", (1, 1)).high) == (-2.0, -1.0)
    assert str(gates.feasible_bias_interval("OR", (1, 1))) == "[-1, 0)"
    assert gates.feasible_bias_interval("AND", (1, 1)).midpoint == -1.5
    assert gates.feasible_bias_interval("OR", (1, 1)).midpoint == -0.5


def test_interval_is_half_open():
    interval = gates.feasible_bias_interval("AND", (1, 1))
    assert -2.0 in interval and -1.0 not in interval


@pytest.mark.parametrize("name", sorted(gates.GATES))
@pytest.mark.parametrize("w", [(1.0, 1.0), (-1.0, -1.0), (2.0, -0.5), (0.0, 1.0)])
def test_interval_agrees_with_brute_force(name, w):
    interval = gates.feasible_bias_interval(name, w)
    target = gates.targets_of(name)
    for b in np.linspace(-4, 4, 321):  # a grid that contains every interval edge
        works = np.array_equal(gates.truth_table(w, b), target)
        assert works == (b in interval), (name, w, b)


def test_xor_and_xnor_have_certificates_and_no_other_gate_does():
    for name in gates.GATES:
        lam = gates.farkas_certificate(name)
        assert (lam is not None) == (name in ("XOR", "XNOR")), name


def test_certificate_really_proves_infeasibility():
    lam = gates.farkas_certificate("XOR")
    t = gates.targets_of("XOR")
    rows = np.hstack([gates.INPUTS, np.ones((4, 1))]) * np.where(t == 1, -1.0, 1.0)[:, None]
    np.testing.assert_allclose(lam @ rows, 0)  # the combination cancels every parameter
    assert lam[t == 0].sum() > 0               # and contains a strict inequality: 0 < 0


def test_every_other_gate_is_realized_by_some_small_integer_weights():
    found = set()
    for w1, w2, b2 in itertools.product(range(-2, 3), range(-2, 3), range(-5, 6)):
        found.add(gates.gate_name(gates.truth_table((w1, w2), b2 / 2)))
    assert found == set(gates.GATES) - {"XOR", "XNOR"}


def test_gate_errors():
    with pytest.raises(ValueError, match="unknown gate 'IMPLIES'"):
        gates.targets_of("IMPLIES")
    with pytest.raises(ValueError, match="four targets"):
        gates.targets_of((0, 1, 2, 0))
    with pytest.raises(ValueError, match=r"w must have shape \(2,\)"):
        gates.feasible_bias_interval("AND", (1, 1, 1))
    with pytest.raises(ValueError, match="no finite midpoint"):
        _ = gates.feasible_bias_interval("TRUE", (1, 1)).midpoint
