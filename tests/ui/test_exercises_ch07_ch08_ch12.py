"""The self-checked exercises of chapters 7, 8 and 12: the value each solution prints, rounded as
the question asks, is accepted; a conceptually wrong answer is rejected with its hint."""

import numpy as np
import pytest

from knobs.analysis import accounting
from knobs.analysis import symmetry_breaking as sb
from knobs.nn.conv import Conv2d
from knobs.ui.exercises import ch07, ch08, ch12

# --- chapter 7: merge the copies --------------------------------------------------------------


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


# --- chapter 8 ----------------------------------------------------------------------------------


def test_column_gradients_check():
    A, Delta = ch08.exercise_arrays()
    m = A.shape[1]
    assert ch08.check_column_gradients((Delta @ A.T / m, Delta.sum(axis=1, keepdims=True) / m))
    summed = ch08.check_column_gradients((Delta @ A.T, Delta.sum(axis=1, keepdims=True)))
    assert not summed and "1/m" in summed.message
    flat = ch08.check_column_gradients((Delta @ A.T / m, Delta.sum(axis=1) / m))
    assert not flat and "shape" in flat.message


def test_tree_levels_check():
    assert ch08.check_tree_levels(22)                      # the solution's value for 3,000,000
    for wrong in (21, 20, 2_999_999):   # floor instead of ceil; the page's million; additions
        result = ch08.check_tree_levels(wrong)
        assert not result and "Not yet" in result.message and "2**L" in result.message


# --- chapter 12: the strided layer ------------------------------------------------------------


def test_strided_local_count_is_the_patches_times_the_filter_bank():
    conv = Conv2d(3, 16, 3, stride=2, padding=1, init="zeros")
    out = conv.forward(np.zeros((1, 3, 32, 32)))
    assert out.shape == (1, 16, 16, 16)
    expected = 16 * 16 * 448
    assert accounting.locally_connected_parameter_count(**ch12.STRIDED) == expected == 114_688
    assert ch12.check_strided_local_count(expected)


@pytest.mark.parametrize("wrong", [448, 30 * 30 * 448, 15 * 15 * 448, 16 * 16 * 432])
def test_strided_local_count_rejects_ignoring_stride_padding_or_biases(wrong):
    # the convolution's own count; stride and padding ignored; padding ignored; no biases
    result = ch12.check_strided_local_count(wrong)
    assert not result and "stride and the padding" in result.message
