"""Chapter 9's dimer experiment: the far field, the bias shift, the fit to the Morse curve."""

import numpy as np
import pytest

from knobs.studies import dimer_potential as dimer
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
