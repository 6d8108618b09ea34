"""Chapter 3's experiment: measured per-layer variance against the mean-field recursion."""

import math

import numpy as np
import pytest

from knobs.ui.experiments import depth

E = depth.EXPERIMENT


def test_default_is_he_relu_and_stays_in_the_finite_width_band():
    r = E.run()
    assert (r["scheme"], r["activation"]) == ("kaiming_normal", "relu")
    assert r["gain"] == pytest.approx(2.0)
    np.testing.assert_allclose(r["theory"], r["theory"][0])
    band = 3 * math.sqrt(5 * r["depth"] / depth.WIDTH)  # log-variance wobble of a finite width
    assert np.all(np.abs(np.log(r["var_z"] / r["theory"])) < band)


@pytest.mark.parametrize(("scheme", "activation", "low", "high"), [
    ("xavier_normal", "relu", 0.0, 1e-6),        # halves per layer: 2^-30
    ("normal (std 0.01)", "relu", 0.0, 1e-60),   # n Var(w)/2 = 0.005 per layer
    ("normal (std 1)", "relu", 1e40, math.inf),  # 50 per layer
    ("xavier_normal", "identity", 0.2, 5.0),     # Glorot: n Var(w) = 1 for a linear net
])
def test_schemes_vanish_explode_or_hold(scheme, activation, low, high):
    r = E.run(scheme=scheme, activation=activation, depth=30)
    assert low <= r["ratio"] <= high


@pytest.mark.parametrize("scheme", list(depth.SCHEMES))
@pytest.mark.parametrize("bias_std", [0.0, 1.0])
def test_first_layer_matches_the_one_layer_law(scheme, bias_std):
    r = E.run(scheme=scheme, depth=1, bias_std=bias_std)
    weight_part = r["theory"][0] - bias_std**2
    # each unit's wᵀCw (C: second moments of SAMPLES inputs, rank SAMPLES) has relative SD
    # about √(2/SAMPLES), averaged over WIDTH units; the biases are WIDTH draws
    sd = (weight_part * math.sqrt(2 / (depth.SAMPLES * depth.WIDTH))
          + bias_std**2 * math.sqrt(2 / depth.WIDTH))
    assert abs(r["var_z"][0] - r["theory"][0]) < 4 * sd


def test_random_bias_adds_its_variance_per_layer_in_the_mean_field():
    r = E.run(bias_std=0.5, depth=40)
    np.testing.assert_allclose(np.diff(r["theory"]), 0.25)
    assert r["var_z"][-1] > 2 * r["var_z"][0]  # the measured trend follows: 2.25 -> 12


def test_deeper_network_extends_the_shallower_one():
    short, long = E.run(depth=10), E.run(depth=25)
    np.testing.assert_array_equal(short["var_z"], long["var_z"][:10])


def test_report_mentions_both_ends():
    text = E.report(E.run(depth=12))
    assert "layer 1:" in text and "layer 12:" in text


def test_log_axis_helpers_handle_a_dead_network_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log10(0) must not even warn: a notebook shows stderr
        logs = depth.log10_positive(np.array([100.0, 0.0, 1e-3]))
    assert logs[0] == pytest.approx(2.0) and np.isnan(logs[1]) and logs[2] == pytest.approx(-3.0)
    low, high = depth.y_range({"var_z": np.array([1.0, 0.0]), "theory": np.array([1.0, 1e-9])})
    assert low <= -9.0 and high >= 2.0
    low, high = depth.y_range({"var_z": np.array([1.0]), "theory": np.array([1.0])})
    assert (low, high) == (-2.0, 2.0)


def test_networks_are_independent_draws_shown_with_their_geometric_mean():
    r = E.run(depth=20)
    assert r["var_each"].shape == (depth.NETWORKS, 20)
    np.testing.assert_allclose(r["var_z"], np.exp(np.log(r["var_each"]).mean(axis=0)), rtol=1e-12)
    assert r["ratio_low"] <= r["ratio"] <= r["ratio_high"]
    # the weights of every network are their own draws, none a copy of the inputs' stream
    X = depth._inputs()
    for k in range(depth.NETWORKS):
        first = depth._draws(k)[0].W.ravel()
        assert abs(np.corrcoef(first[: X.size], X.ravel())[0, 1]) < 0.05
    assert not np.allclose(depth._draws(0)[0].W, depth._draws(1)[0].W)


def test_a_setting_does_not_leak_into_the_next():
    before = E.run(depth=15)
    E.run(depth=15, scheme="normal (std 1)", bias_std=1.0)   # rewrites the shared layers
    np.testing.assert_array_equal(E.run(depth=15)["var_each"], before["var_each"])


def test_he_relu_layer_one_matches_the_mean_field_in_every_network():
    r = E.run(depth=1)
    assert np.all(np.abs(r["var_each"][:, 0] / r["theory"][0] - 1) < 0.15)
