import math

import numpy as np
import pytest

from knobs.analysis import summation


def test_sequential_sum_is_left_to_right():
    x = np.array([1.0, 2.0**-24, 2.0**-24, 2.0**-24], dtype=np.float32)
    total = np.float32(1.0)
    for v in x[1:]:
        total = np.float32(total + v)     # each tiny term is rounded away against 1
    assert summation.sequential_sum(x) == total == np.float32(1.0)
    assert summation.sequential_sum(x).dtype == np.float32


def test_tree_sum_adds_in_pairs_and_counts_levels():
    x = np.array([1.0, 2.0**-24, 2.0**-24, 2.0**-24], dtype=np.float32)
    s, levels = summation.tree_sum(x)
    # (1 + 2^-24) rounds to 1, but (2^-24 + 2^-24) = 2^-23 survives, so the tree is more exact
    assert s == np.float32(1.0 + 2.0**-23) and levels == 2
    for n in (1, 2, 3, 7, 8, 9, 1000):
        _, levels = summation.tree_sum(np.ones(n, dtype=np.float32))
        assert levels == (math.ceil(math.log2(n)) if n > 1 else 0)
        assert summation.tree_sum(np.ones(n))[0] == n


def test_tree_and_numpy_beat_left_to_right_on_many_float32_numbers():
    x = np.random.default_rng(0).random(2**18, dtype=np.float32)
    exact = summation.exact_sum(x)
    scale = float(np.abs(x.astype(np.float64)).sum())
    err = {name: abs(float(s) - exact) / scale for name, s in [
        ("sequential", summation.sequential_sum(x)), ("tree", summation.tree_sum(x)[0]),
        ("numpy", np.sum(x))]}
    bounds = summation.error_bounds(x.size, np.float32)
    assert err["tree"] <= bounds["tree"] and err["sequential"] <= bounds["sequential"]
    assert err["sequential"] > 10 * err["tree"] and err["sequential"] > 10 * err["numpy"]


def test_exact_sum_and_unit_roundoff():
    assert summation.exact_sum(np.array([1e16, 1.0, -1e16])) == 1.0
    assert summation.unit_roundoff(np.float32) == 2.0**-24
    assert summation.unit_roundoff(np.float64) == 2.0**-53


def test_errors():
    for bad in (np.array([]), np.ones((2, 2)), np.arange(3)):
        with pytest.raises(ValueError, match="non-empty 1-D float array"):
            summation.tree_sum(bad)
    with pytest.raises(ValueError, match="NaN or inf"):
        summation.sequential_sum(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="n must be a positive integer"):
        summation.error_bounds(0, np.float32)
