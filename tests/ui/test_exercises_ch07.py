"""Chapter 7's exercise, merge the copies: the value the solution prints, rounded as the question
asks, is accepted; a conceptually wrong answer is rejected with its hint."""

import pytest

from knobs.analysis import symmetry_breaking as sb
from knobs.ui.exercises import ch07


@pytest.fixture(scope="module")
def copies():
    return ch07.copies_network()


def test_the_copies_network_has_three_groups_that_stay_copies(copies):
    assert ch07.copy_groups(copies) == [[0, 3, 5], [1, 4], [2]]
    D = sb.pairwise_distances(sb.hidden_units(copies))
    within = max(D[i, j] for g in ch07.copy_groups(copies) for i in g for j in g)
    between = min(D[i, j] for i in range(6) for j in range(6)
                  if not any(i in g and j in g for g in ch07.copy_groups(copies)))
    # rounding may separate copies slightly (machine-dependent); distinct units are far apart
    assert within < 1e-12 and between > 0.1


def test_merged_weight_is_the_sum_over_the_largest_group(copies):
    weight = ch07.merged_weight(copies)
    assert weight == pytest.approx(copies[2].W[0, [0, 3, 5]].sum(), abs=1e-12)
    assert weight == pytest.approx(3 * copies[2].W[0, 0], abs=1e-12)
    # far from a rounding boundary of the third decimal, so every machine prints the same digits
    assert abs((weight * 1000) % 1 - 0.5) > 0.05


def test_merged_weight_check_accepts_the_printed_value_and_rejects_one_copy(copies):
    weight = ch07.merged_weight(copies)
    printed = float(f"{weight:.3f}")           # what the solution prints and passes
    assert ch07.check_merged_weight(printed)
    assert ch07.check_merged_weight(weight)
    # the neighbour on the other side of the true value, less than one typed unit from it
    # (1.671 for 1.67174, 1.673 for 1.67205: the weight's fourth digit depends on the BLAS kernel)
    other_side = round(printed + (0.001 if printed < weight else -0.001), 3)
    assert "rounded differently" in ch07.check_merged_weight(other_side).message
    one_copy = ch07.check_merged_weight(round(float(copies[2].W[0, 0]), 3))
    assert not one_copy and "add up the weights of every copy" in one_copy.message
    assert not ch07.check_merged_weight(None)


def test_copy_groups_with_a_real_difference():
    model = ch07.copies_network()
    model[0].W[3, 0] += 1e-3                     # unit 3 no longer a copy of unit 0
    assert ch07.copy_groups(model) == [[0, 5], [1, 4], [2], [3]]


def test_merged_unit_count_is_one_unit_per_group(copies):
    # units 0, 3, 5 are one group, 1 and 4 another, unit 2 stays alone
    assert len(ch07.copy_groups(copies)) == 3
    assert ch07.check_merged_unit_count(3)
    assert not ch07.check_merged_unit_count(6)
    assert not ch07.check_merged_unit_count(None)
