"""knobs.ui.plotting: fixed axis limits that never clip the data."""

import pytest

from knobs.ui.plotting import cover


def test_cover_keeps_fixed_limits_that_hold_the_data():
    assert cover((-1.0, 1.0), [-0.5, 0.0, 0.9]) == (-1.0, 1.0)


def test_cover_widens_only_the_side_the_data_leaves():
    assert cover((-1.0, 1.0), [0.0, 3.0]) == (-1.0, 3.0)
    assert cover((-1.0, 1.0), [-2.0, 0.5]) == (-2.0, 1.0)


def test_cover_leaves_room_on_a_log_axis():
    assert cover((1e-3, 10.0), [1e-4, 50.0], factor=2.0) == pytest.approx((5e-5, 100.0))
