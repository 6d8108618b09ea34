"""Part III, chapters 12-14: budgets and counts in ``knobs.analysis.accounting``, and the helpers
of the sharing, budget and memory experiments."""

import math

import numpy as np
import pytest

import knobs
from knobs.analysis import accounting
from knobs.analysis.checkpoint import predicted_memory
from knobs.studies import depth_budget, pattern_detector
from knobs.ui.experiments import budget, sharing

# --- accounting: budgets ---------------------------------------------------------------------

def build_mlp(d, m, L, rng, k=1):
    sizes = accounting.mlp_sizes(d, m, L, k)
    layers = []
    for n_in, n_out in zip(sizes[:-2], sizes[1:-1], strict=True):
        layers += [knobs.Linear(n_in, n_out, rng=rng), knobs.ReLU()]
    layers.append(knobs.Linear(sizes[-2], sizes[-1], rng=rng))
    return knobs.Sequential(*layers)


@pytest.mark.parametrize(("d", "m", "L"), [(100, 500, 1), (100, 135, 3), (10, 20, 4), (1, 3, 8)])
def test_rule_leaves_out_exactly_the_biases_and_the_output_layer(d, m, L, rng):
    built = knobs.count_parameters(build_mlp(d, m, L, rng))
    assert built - accounting.mlp_parameter_estimate(d, m, L) == L * m + m + 1


@pytest.mark.parametrize("L", [1, 2, 3, 7, 12])
@pytest.mark.parametrize("exact", [False, True])
def test_width_for_budget_is_the_largest_width_that_fits(L, exact):
    P, d = 50_000, 100
    m = accounting.width_for_budget(P, d, L, exact=exact)

    def cost(w):
        if exact:
            return accounting.dense_parameter_count(accounting.mlp_sizes(d, w, L))
        return accounting.mlp_parameter_estimate(d, w, L)

    assert cost(m) <= P < cost(m + 1)
    if not exact and L > 1:  # the closed form of the quadratic
        assert m == math.floor((-d + math.sqrt(d * d + 4 * (L - 1) * P)) / (2 * (L - 1)))


def test_the_chapter_budget_table():
    assert accounting.width_for_budget(50_000, 100, 1) == 500
    assert accounting.width_for_budget(50_000, 100, 2) == 179
    assert accounting.width_for_budget(50_000, 100, 1, exact=True) == 490
    # nothing fits below d + 3 parameters (one unit: d weights, a bias, an output weight and bias)
    assert accounting.width_for_budget(102, 99, 1, exact=True) == 1
    assert accounting.width_for_budget(101, 99, 1, exact=True) == 0


def test_budget_experiment_at_the_extremes():
    r = budget.compute(budget_k=1, d=1000)
    assert r["feasible"] == 0 and np.all(r["exact"] == 0) and r["rule"][0] == 1
    r = budget.compute(budget_k=1000, d=1)
    assert r["feasible"] == budget.MAX_DEPTH and np.all(r["used"] <= 1_000_000)


# --- the sawtooth ----------------------------------------------------------------------------

@pytest.mark.parametrize("L", [1, 2, 5, 10])
def test_sawtooth_has_2_to_the_L_pieces_with_6L_plus_1_parameters(L):
    net = depth_budget.sawtooth_network(L)
    x = np.linspace(0.0, 1.0, 2**12 + 1)[:, None]
    y = net.forward(x).ravel()
    assert depth_budget.linear_pieces(y, x.ravel()) == 2**L
    assert knobs.count_parameters(net) == 6 * L + 1
    # the tent map composed L times, evaluated directly
    t = x.ravel()
    for _ in range(L):
        t = np.where(t <= 0.5, 2 * t, 2 - 2 * t)
    np.testing.assert_allclose(y, t, atol=1e-12)


def test_a_shallow_relu_net_has_one_kink_per_unit(rng):
    kinks = np.array([-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5])   # on the grid below
    net = knobs.Sequential(knobs.Linear.from_arrays(np.ones((7, 1)), -kinks), knobs.ReLU(),
                           knobs.Linear.from_arrays(rng.uniform(0.5, 1.0, size=(1, 7)), [0.0]))
    x = np.linspace(-2, 2, 4001)[:, None]
    assert depth_budget.linear_pieces(net.forward(x).ravel(), x.ravel()) == 8
    net[2].W[0, 3] = 0.0   # a unit whose output weight is 0 adds no kink
    assert depth_budget.linear_pieces(net.forward(x).ravel(), x.ravel()) == 7


def test_tradeoff_runs_and_decomposes(rng):
    r = depth_budget.tradeoff(60, (1, 3), rng, n_clean=40, n_noisy=10, steps=50)
    assert [row["depth"] for row in r["rows"]] == [1, 3]
    for row in r["rows"]:
        assert row["params"] <= 60
        assert row["estimation"] == pytest.approx(row["total"] - row["approximation"])
        assert np.all(np.isfinite(row["curve_noisy"]))
    fig = budget.draw_tradeoff(r)
    assert fig.axes[0].get_ylabel() and fig.axes[1].get_xlabel()
    with pytest.raises(ValueError, match="no network of depth 50 fits"):
        depth_budget.tradeoff(60, (50,), rng, steps=1)


# --- sharing ---------------------------------------------------------------------------------

def test_sharing_ratio_is_one_over_the_patches_over_the_whole_control_box():
    for size in (16, 256):
        for kernel in (1, 11):
            for stride in (1, 4):
                r = sharing.compute(size, kernel, stride, filters=5)
                assert r["local"] == r["patches"] * r["conv"]
                assert r["dense"] > r["local"] or r["patches"] == 1


def test_motif_signals_place_the_motif_where_asked(rng):
    X, y = pattern_detector.motif_signals(50, 12, [3], rng, noise=0.0)
    motif = np.where(y[:, :1] > 0.5, 1.0, -1.0) * pattern_detector.MOTIF
    np.testing.assert_array_equal(X[:, 0, 0, 3:7], motif)
    assert np.all(X[:, 0, 0, :3] == 0) and np.all(X[:, 0, 0, 7:] == 0)
    with pytest.raises(ValueError, match="positions must lie in"):
        pattern_detector.motif_signals(5, 12, [9], rng)
    with pytest.raises(ValueError, match="kind must be"):
        pattern_detector.detector("dense", 12, 2, rng)


def test_a_shared_detector_generalizes_to_unseen_positions_and_a_local_one_does_not(rng):
    X, y = pattern_detector.motif_signals(200, 24, range(0, 9), rng)
    X_right, y_right = pattern_detector.motif_signals(400, 24, range(12, 21), rng)
    conv, local = (pattern_detector.detector(kind, 24, 4, rng) for kind in ("conv", "local"))
    for model in (conv, local):
        pattern_detector.train_detector(model, X, y)
    assert pattern_detector.accuracy(conv, X_right, y_right) > 0.85
    assert pattern_detector.accuracy(local, X_right, y_right) < 0.7


# --- memory experiment -----------------------------------------------------------------------

def test_memory_prediction_matches_accounting():
    r = predicted_memory(depth=16, batch=256, width=512)
    sizes = [512] * 33
    assert r["training"] == accounting.activation_bytes(sizes, 256)
    assert r["inference"] == accounting.activation_bytes(sizes, 256, training=False)
    assert r["params"] == 8 * 16 * (512 * 512 + 512)
    assert r["segments"] == 6 and r["checkpointed"] < r["training"]
