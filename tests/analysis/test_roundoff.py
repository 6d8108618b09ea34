import numpy as np
import pytest

from knobs.analysis.roundoff import EPS, below


def test_rounding_error_prints_as_its_bound():
    assert below(1.7e-18, 1e-12) == "below 1e-12"
    assert below(np.array([0.0, -3e-16, 2e-16]), 1e-15) == "below 1e-15"
    assert below(0.0, 1e-12) == "below 1e-12"


def test_a_value_above_its_bound_shows_itself():
    assert below(np.array([1e-20, -2.5e-9]), 1e-12) == "2.5e-09, ABOVE the bound 1e-12"
    assert "not a number" in below(float("nan"), 1e-12)


def test_eps_is_float64_spacing_at_one():
    assert 1.0 + EPS != 1.0 and 1.0 + EPS / 2 == 1.0


def test_bound_must_be_positive():
    with pytest.raises(ValueError, match="bound"):
        below(0.0, 0.0)
