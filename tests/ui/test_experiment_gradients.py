"""Chapter 6's gradients experiment: backpropagated against finite-difference gradients."""

import pytest

from knobs.ui.experiments import gradients as gradients_experiment


def test_experiment_gradients_agree_with_finite_differences_except_at_the_relu_kink():
    exp = gradients_experiment.EXPERIMENT
    for activation in exp.control("activation").values():
        for z in exp.control("z").values():
            for a_in in (-2.0, 0.0, 0.75, 2.0):
                r = exp.run(activation=activation, z=z, a_in=a_in, y=-1.0)
                assert r["at_kink"] == (activation == "relu" and z == 0.0)
                if not r["at_kink"]:
                    assert max(r["error_w"], r["error_b"]) < gradients_experiment.AGREE
                    assert "dC/dw yes, dC/db yes" in exp.report(r)
                assert r["dw"] == pytest.approx(r["delta"] * a_in)
                assert r["db"] == r["delta"]
    assert "kink of ReLU" in exp.report(exp.run(activation="relu", z=0.0))


def test_experiment_saturation_and_relu_facts():
    exp = gradients_experiment.EXPERIMENT
    centre, flat = exp.run(z=0.0), exp.run(z=8.0)
    assert abs(flat["db"]) < abs(centre["db"]) / 100
    relu_on = exp.run(activation="relu", z=8.0)
    assert relu_on["activity"] == 1.0          # no saturation on the positive side
    assert exp.run(activation="relu", z=-3.0)["db"] == 0.0
    assert exp.run(a_in=0.0)["dw"] == 0.0 and exp.run(a_in=0.0)["db"] != 0.0
