"""knobs.validate (the floor below nn, tested with the engine): every check refuses bad input
with a message naming the argument, and passes good input through unchanged. Property tests:
hypothesis draws the shapes, values, positions of the bad entry and argument names."""

import re
import string

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from knobs.validate import as_batch, as_float_array, positive_float, positive_int, same_shape

NAMES = st.builds(str.__add__, st.sampled_from(string.ascii_letters),
                  st.text(string.ascii_letters + string.digits + "_", max_size=7))
FINITE = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)
ARRAYS = hnp.arrays(np.float64, SHAPES, elements=FINITE)


@given(ARRAYS, st.data(), st.sampled_from([np.nan, np.inf, -np.inf]), NAMES)
def test_a_single_nan_or_inf_anywhere_is_refused_by_name(x, data, bad, name):
    index = data.draw(st.tuples(*(st.integers(0, n - 1) for n in x.shape)))
    x[index] = bad
    with pytest.raises(ValueError, match=rf"^{re.escape(name)} contains NaN or inf"):
        as_float_array(x, name)
    with pytest.raises(ValueError, match=rf"^{re.escape(name)} contains NaN or inf"):
        as_float_array(x.tolist(), name)       # a nested list, converted first


@given(ARRAYS, NAMES)
def test_finite_input_passes_unchanged_as_float64(x, name):
    out = as_float_array(x.tolist(), name)
    assert out.dtype == np.float64 and out.shape == x.shape
    np.testing.assert_array_equal(out, x)
    assert as_float_array(x, name) is x        # the engine's own arrays: no copy


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=4),
                  elements=FINITE), st.integers(1, 5), NAMES)
def test_as_batch_refuses_every_shape_but_m_by_n_features(X, n_features, name):
    if X.ndim == 2 and X.shape[1] == n_features:
        assert as_batch(X, n_features, name) is X
    else:
        message = rf"^{re.escape(name)} must have shape \(m, {n_features}\).*got shape"
        with pytest.raises(ValueError, match=message):
            as_batch(X, n_features, name)


@given(st.integers(1, 5), NAMES)
def test_as_batch_refuses_an_empty_batch(n_features, name):
    with pytest.raises(ValueError, match=rf"^{re.escape(name)} must hold at least one sample"):
        as_batch(np.zeros((0, n_features)), n_features, name)


@given(SHAPES, SHAPES, NAMES, NAMES)
def test_same_shape_never_broadcasts(shape_a, shape_b, name_a, name_b):
    a, b = np.zeros(shape_a), np.ones(shape_b)
    if shape_a == shape_b:
        np.testing.assert_array_equal(same_shape(a, b, name_a, name_b), b)
    else:
        with pytest.raises(ValueError, match=rf"^{re.escape(name_b)} must have the shape of "
                                             rf"{re.escape(name_a)}"):
            same_shape(a, b, name_a, name_b)


@given(st.integers(-10**6, 10**6), NAMES)
def test_positive_int_accepts_exactly_the_positive_integers(n, name):
    if n > 0:
        assert positive_int(n, name) == n and positive_int(np.int64(n), name) == n
    else:
        with pytest.raises(ValueError, match=rf"^{re.escape(name)} must be a positive integer"):
            positive_int(n, name)


@given(st.one_of(st.booleans(), st.floats(), st.text(string.digits, max_size=3), st.none()), NAMES)
def test_positive_int_refuses_what_is_not_an_integer_by_name(n, name):
    with pytest.raises(TypeError, match=rf"^{re.escape(name)} must be a positive integer"):
        positive_int(n, name)


@given(st.floats(allow_nan=True, allow_infinity=True), st.booleans(), NAMES)
def test_positive_float_accepts_finite_positive_numbers_only(x, allow_zero, name):
    if np.isfinite(x) and (x > 0 or (allow_zero and x == 0)):
        assert positive_float(x, name, allow_zero=allow_zero) == x
    else:
        with pytest.raises(ValueError, match=rf"^{re.escape(name)} must be a finite number"):
            positive_float(x, name, allow_zero=allow_zero)
