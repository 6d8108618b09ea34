"""The affine recurrence and a small recurrent unit: fixed points and their stability."""

import numpy as np
import pytest

from knobs import Identity, Linear, Tanh
from knobs.analysis.fixed_points import (
    affine_closed_form,
    affine_fixed_point,
    affine_orbit,
    linear_fixed_point,
    recurrent_orbit,
    spectral_radius,
)


@pytest.mark.parametrize("a", [-1.5, -1.0, -0.5, 0.0, 0.5, 0.99, 1.0, 1.2])
def test_iteration_equals_the_closed_form(a):
    orbit = affine_orbit(a, 2.0, 3.0, 30)
    assert orbit.shape == (31,) and orbit[0] == 3.0
    assert np.allclose(orbit, affine_closed_form(a, 2.0, 3.0, np.arange(31)), rtol=1e-12)


@pytest.mark.parametrize("a", [-0.95, -0.5, 0.0, 0.3, 0.9])
def test_converges_to_b_over_one_minus_a_when_abs_a_below_one(a):
    star = affine_fixed_point(a, 1.5)
    assert star == pytest.approx(1.5 / (1 - a))
    assert abs(affine_orbit(a, 1.5, -4.0, 2000)[-1] - star) < 1e-10
    assert affine_orbit(a, 1.5, star, 5) == pytest.approx(np.full(6, star))  # fixed


@pytest.mark.parametrize("a", [-1.2, -1.0, 1.0, 1.1])
def test_does_not_converge_when_abs_a_at_least_one(a):
    tail = affine_orbit(a, 1.5, -4.0, 200)[-20:]
    assert np.max(tail) - np.min(tail) > 1.0


def test_a_equal_one_has_no_fixed_point_and_overflow_is_reported():
    with pytest.raises(ValueError, match="a = 1"):
        affine_fixed_point(1.0, 0.5)
    assert np.allclose(affine_closed_form(1.0, 0.5, 1.0, np.arange(4)), [1.0, 1.5, 2.0, 2.5])
    with pytest.raises(FloatingPointError, match="overflow"):
        affine_orbit(10.0, 1.0, 1.0, 400)
    with pytest.raises(TypeError):
        affine_orbit(float("nan"), 1.0, 0.0, 3)
    with pytest.raises(ValueError, match="non-negative"):
        affine_closed_form(0.5, 1.0, 0.0, np.array([-1]))


def test_linear_unit_converges_to_its_fixed_point_iff_spectral_radius_below_one(rng):
    A = rng.normal(size=(3, 3))
    b = rng.normal(size=3)
    for rho, converges in ((0.8, True), (1.2, False)):
        W = A * rho / spectral_radius(A)
        assert spectral_radius(W) == pytest.approx(rho)
        layer = Linear.from_arrays(W, b)
        states = recurrent_orbit(layer, Identity(), np.zeros(3), 150)
        star = linear_fixed_point(W, b)
        assert np.allclose(star, W @ star + b)
        distance = np.linalg.norm(states[-1] - star)
        assert (distance < 1e-8) == converges


def test_tanh_unit_with_a_contraction_reaches_its_unique_fixed_point(rng):
    A = rng.normal(size=(4, 4))
    W = 0.7 * A / np.linalg.norm(A, 2)  # spectral norm 0.7 and |tanh'| <= 1: a contraction
    b = rng.normal(size=4)
    layer = Linear.from_arrays(W, b)
    ends = [recurrent_orbit(layer, Tanh(), h0, 200)[-1] for h0 in rng.normal(size=(3, 4)) * 3]
    for end in ends:
        assert np.allclose(end, np.tanh(W @ end + b), atol=1e-12)
        assert np.allclose(end, ends[0], atol=1e-12)


def test_tanh_unit_with_strong_negative_feedback_oscillates():
    layer = Linear.from_arrays([[-3.0]], [0.0])
    tail = recurrent_orbit(layer, Tanh(), np.array([0.5]), 200)[-4:, 0]
    assert np.allclose(tail[0], tail[2]) and np.allclose(tail[1], tail[3])
    assert tail[0] == pytest.approx(-tail[1]) and abs(tail[0]) > 0.9  # a period-2 cycle


def test_recurrent_orbit_refuses_bad_input_and_reports_overflow():
    with pytest.raises(TypeError, match="square"):
        recurrent_orbit(Linear.from_arrays(np.ones((2, 3)), np.zeros(2)), Tanh(), np.zeros(3), 3)
    with pytest.raises(ValueError, match="shape"):
        recurrent_orbit(Linear.from_arrays(np.eye(2), np.zeros(2)), Tanh(), np.zeros(3), 3)
    with pytest.raises(FloatingPointError, match="overflow"):
        recurrent_orbit(Linear.from_arrays(1e10 * np.eye(2), np.ones(2)), Identity(),
                        np.ones(2), 100)
    with pytest.raises(ValueError, match="singular"):
        linear_fixed_point(np.eye(2), np.ones(2))
