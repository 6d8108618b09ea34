"""The claims of the live experiments and self-checks of chapters 9-11."""


import numpy as np
import pytest

from knobs.analysis import accounting
from knobs.nn.flat import flatten_parameters
from knobs.studies import dimer_potential as dimer
from knobs.ui.exercises import ch09, ch10, ch11
from knobs.ui.experiments import approximation as approximation_experiment
from knobs.ui.experiments import counting as counting_experiment
from knobs.ui.experiments import dimer as dimer_experiment

DIMER = dimer_experiment.EXPERIMENT


@pytest.mark.parametrize("eta", [0.05, 0.5, 1.0, 2.0])
def test_eta_never_moves_the_far_field(eta):
    base = DIMER.run()
    r = DIMER.run(eta=eta)
    assert r["far_bias"] == pytest.approx(base["far_bias"], abs=1e-12)
    assert r["far_model"] == pytest.approx(r["far_bias"], abs=1e-10)


@pytest.mark.parametrize(("unit", "delta_b"), [(1, -3.0), (3, 0.7), (4, 3.0)])
def test_a_bias_moves_the_far_field_by_the_predicted_amount(unit, delta_b):
    base, r = DIMER.run(), DIMER.run(unit=unit, delta_b=delta_b)
    assert r["far_bias"] - base["far_bias"] == pytest.approx(r["predicted_shift"], abs=1e-10)
    assert r["far_model"] == pytest.approx(r["far_bias"], abs=1e-10)


def test_the_fitted_dimer_is_close_to_the_morse_curve():
    r = DIMER.run()
    near = (r["r"] > 0.7) & (r["r"] < 5.0)
    assert np.max(np.abs(r["E"] - r["E_ref"])[near]) < 0.25          # eV, well depth 4.75
    assert r["far_bias"] == pytest.approx(2 * dimer.E_H_ATOM, abs=0.1)
    assert 0.7 < r["r_min"] < 0.85


def test_dimer_report_has_no_negative_zero():
    assert "-0.0000" not in DIMER.report(DIMER.run())


def test_approximation_experiment_errors_fall_like_one_over_n_squared():
    r = approximation_experiment.EXPERIMENT.run(target="bump", width=40)
    errors = r["errors"]
    assert errors[19] / errors[39] == pytest.approx(4.0, rel=0.1)      # width 20 -> 40
    assert r["error"] == pytest.approx(errors[39])
    assert np.allclose(r["knots"], np.arange(40) / 40)
    assert r["n_params"] == 3 * 40 + 1


def test_counting_experiment_defaults_are_the_seed_network():
    r = counting_experiment.EXPERIMENT.run()
    assert r["n_params"] == r["formula"] == 21_249
    assert r["hessian_bytes"] == 8 * 21_249**2
    assert "3.61 GB" in counting_experiment.EXPERIMENT.report(r)


def test_counting_experiment_extremes():
    big = counting_experiment.EXPERIMENT.run(n_in=1000, h1=1024, h2=512, n_out=100)
    assert big["n_params"] == accounting.dense_parameter_count([1000, 1024, 512, 100])
    assert "neither machine" in counting_experiment.EXPERIMENT.report(big)
    small = counting_experiment.EXPERIMENT.run(n_in=1, h1=1, h2=1, n_out=1)
    assert small["n_params"] == 6


def test_the_self_checks_accept_the_right_answers_and_refuse_wrong_ones():
    atom = float(ch09.V[0] @ np.tanh(ch09.B1) + ch09.C[0])
    assert ch09.check_isolated_atom_energy(atom)
    assert not ch09.check_isolated_atom_energy(float(ch09.C[0]))       # forgot the hidden units
    assert ch09.check_dimer_far_field(2 * atom) and not ch09.check_dimer_far_field(atom)
    assert ch09.check_shifted_output_bias(float(ch09.C[0]) + 0.5)
    assert not ch09.check_shifted_output_bias(float(ch09.C[0]) + 1.0)
    a = np.array([2.0, 1.0, 0.5])
    theta = np.concatenate([(ch10.W1 * a[:, None]).ravel(), ch10.B1 * a,
                            (ch10.W2 / a).ravel(), ch10.B2])
    assert ch10.check_rescaled_parameters(theta)
    assert not ch10.check_rescaled_parameters(flatten_parameters(ch10.exercise_network()))
    assert ch11.check_mnist_count(203_530) and not ch11.check_mnist_count(203_264)
    assert ch11.check_mnist_hessian_gb(203_530**2 * 4 / 1e9)
    assert not ch11.check_mnist_hessian_gb(203_530**2 * 8 / 1e9)


def test_top_eigenvalue_check_accepts_power_iteration():
    from knobs.analysis import hessian as hs

    model, loss, X, y = ch11.exercise_problem()
    lam, _ = hs.power_iteration(lambda u: hs.hvp(model, loss, X, y, u),
                                len(flatten_parameters(model)), np.random.default_rng(0),
                                iters=300)
    assert ch11.check_top_eigenvalue(lam)
    assert not ch11.check_top_eigenvalue(lam * 1.01)
