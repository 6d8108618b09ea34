"""Chapter 8's self-checks: column gradients and tree levels."""

from knobs.ui.exercises import ch08


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
