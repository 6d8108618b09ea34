import numpy as np
import pytest

from knobs.nn import activations
from knobs.ui.experiments import saturation


def test_large_initial_biases_saturate_the_hidden_layer():
    r = saturation.EXPERIMENT.run(b0=8.0, lam_b=0.0)
    assert r["slope"][0] < 1e-3  # tanh'(z) is nearly 0 where the units start
    assert r["loss"][-1] > 0.9 * r["loss"][10]  # and the network barely learns after the start
    assert r["b_abs"] == pytest.approx(8.0, abs=0.05)  # the biases hardly move


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("b0", [4.0, 6.0, 8.0])
def test_bias_penalty_restores_the_slope_and_the_fit(activation, b0):
    r = saturation.EXPERIMENT.run(b0=b0, lam_b=0.2, activation=activation)
    peak = activations.get(activation).derivative(np.array([0.0]))[0]
    assert r["slope"][-1] > 0.5 * peak
    assert r["slope"][-1] > 4 * r["slope_free"][-1]
    assert r["loss"][-1] < 0.2 * r["loss_free"][-1]
    assert r["b_abs"] < 0.1 * b0


def test_without_saturation_the_penalty_barely_matters():
    r = saturation.EXPERIMENT.run(b0=0.0, lam_b=0.5)
    assert r["loss"][-1] == pytest.approx(r["loss_free"][-1], rel=0.1)


def test_zero_penalty_reproduces_the_reference_run():
    r = saturation.EXPERIMENT.run(lam_b=0.0)
    np.testing.assert_array_equal(r["loss"], r["loss_free"])
    # both are one cached run (the same arguments); a fresh training without the cache agrees
    fresh = saturation.train.__wrapped__(r["b0"], 0.0, r["activation"])
    assert fresh["loss"] is not r["loss_free"]
    np.testing.assert_array_equal(fresh["loss"], r["loss_free"])
    np.testing.assert_array_equal(fresh["slope"], r["slope_free"])


def test_cached_results_are_read_only():
    r = saturation.EXPERIMENT.run()
    with pytest.raises(ValueError):
        r["loss"][0] = 0.0
