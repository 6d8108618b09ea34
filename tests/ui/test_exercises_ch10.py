"""Chapter 10's exercises and its tolerance-trained fits."""

import math

import numpy as np
import pytest

import knobs
from knobs.studies import dimer_potential as dimer
from knobs.studies import universal_approximation as ap
from knobs.ui.exercises import ch10


def test_width_exercise_accepts_the_printed_solution_and_names_the_mistakes():
    n = 1
    while math.lgamma(n + 1) + n * math.log(2) <= 80 * math.log(10):   # the solution's loop
        n += 1
    assert n == 51 and math.factorial(51) * 2**51 > 10**80 >= math.factorial(50) * 2**50
    assert ch10.check_width_for_settings(n) and ch10.check_width_for_settings(float(n))
    orderings_only = ch10.check_width_for_settings(59)   # 59! > 10^80 > 58!
    assert not orderings_only and "sign" in orderings_only.message
    assert not ch10.check_width_for_settings(266)         # 2^n only
    off_by_one = ch10.check_width_for_settings(50)
    assert not off_by_one and "rounded" not in off_by_one.message
    assert not ch10.check_width_for_settings(None)


def test_fit_least_squares_reaches_the_tolerance_of_a_linear_fit():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = X @ np.array([[1.5], [-2.0]]) + 0.3 + 0.01 * rng.normal(size=(30, 1))
    model = knobs.Sequential(knobs.Linear(2, 1, rng=rng))
    info = ap.fit_least_squares(model, X, y, grad_tol=1e-12)
    A = np.column_stack([X, np.ones(30)])
    exact = np.linalg.lstsq(A, y, rcond=None)[0].ravel()
    assert info["grad_norm"] <= 1e-12
    assert np.allclose(np.r_[model[0].W.ravel(), model[0].b], exact, atol=1e-9)


@pytest.mark.parametrize("method", ["backward", "differences"])
def test_jacobian_methods_agree(method):
    rng = np.random.default_rng(1)
    model = knobs.Sequential(knobs.Linear(1, 3, rng=rng), knobs.Tanh(), knobs.Linear(3, 1, rng=rng))
    X = rng.normal(size=(5, 1))
    J = ap.jacobian(model, X, method)
    assert J.shape == (5, 10)
    assert np.allclose(J, ap.jacobian(model, X, "backward"), atol=1e-7)


def test_fit_least_squares_reports_non_convergence_and_bad_input():
    rng = np.random.default_rng(2)
    model = knobs.Sequential(knobs.Linear(1, 4, rng=rng), knobs.Tanh(), knobs.Linear(4, 1, rng=rng))
    X = np.linspace(-1, 1, 20)[:, None]
    with pytest.raises(ap.NotConvergedError, match="did not reach"):
        ap.fit_least_squares(model, X, np.sin(3 * X), grad_tol=1e-30, max_steps=2)
    with pytest.raises(ValueError, match="unpenalized"):
        ap.fit_least_squares(model, X, np.sin(3 * X), unpenalized=("nope",))
    with pytest.raises(ValueError, match="output shape"):
        ap.fit_least_squares(model, X, np.zeros(20))
    with pytest.raises(ValueError, match="method"):
        ap.jacobian(model, X, "magic")


def test_finished_dimer_fit_does_not_depend_on_where_adam_stopped():
    # The same fit finished from two Adam endpoints (1,500 and 2,000 steps) lands on one point:
    # the digits the chapter prints are the data's, not the step count's.
    r = np.geomspace(0.6, 5.0, 60)
    E = dimer.morse(r, **dimer.H2_MORSE, E_inf=2 * dimer.E_H_ATOM)
    fits = [dimer.fit_atomic_network(r, E, 0.5, 4, np.random.default_rng(2029), steps=s,
                                     grad_tol=1e-11)[0] for s in (1500, 2000)]
    far = [dimer.far_field_energy(m) for m in fits]
    assert far[0] == pytest.approx(far[1], abs=1e-6)
    assert np.sqrt(np.mean((dimer.dimer_energy(fits[1], r) - E) ** 2)) < 0.02
