"""knobs.studies.depth_budget: the sawtooth, linear pieces, and the width-against-depth trade-off
and its trials (their spread, and when a depth counts as best)."""


import numpy as np
import pytest

import knobs
from knobs.studies import depth_budget


def _row(depth, values):
    return {"depth": depth, "width": 1, "params": 1, "approximation": np.array(values)}


def test_clear_best_compares_the_depths_trial_by_trial():
    separated = [_row(1, [0.1, 0.2]), _row(2, [0.3, 0.4])]
    assert depth_budget.clear_best(separated, "approximation")["depth"] == 1
    assert depth_budget.clear_best(separated, "approximation", lowest=False)["depth"] == 2
    # the ranges overlap (0.3 > 0.2), yet depth 1 is lower in each paired trial
    paired = [_row(1, [0.1, 0.3]), _row(2, [0.2, 0.4])]
    assert depth_budget.clear_best(paired, "approximation")["depth"] == 1
    assert depth_budget.trial_wins(paired, "approximation").tolist() == [2, 0]
    # the winner changes from one trial to the next: no clear best
    swapped = [_row(1, [0.1, 0.4]), _row(2, [0.2, 0.3])]
    assert depth_budget.trial_wins(swapped, "approximation").tolist() == [1, 1]
    assert depth_budget.clear_best(swapped, "approximation") is None
    assert depth_budget.clear_best(swapped, "approximation", lowest=False) is None


def test_a_near_tie_counts_for_nobody():
    tie = [_row(1, [0.1, 0.1]), _row(2, [0.1 + 1e-9, 0.3]), _row(4, [0.5, 0.5])]
    assert depth_budget.trial_wins(tie, "approximation").tolist() == [1, 0, 0]
    assert depth_budget.clear_best(tie, "approximation") is None
    assert depth_budget.trial_wins(tie, "approximation", margin=0.0).tolist() == [2, 0, 0]


def test_trial_wins_needs_two_depths():
    with pytest.raises(ValueError, match="two depths"):
        depth_budget.trial_wins([_row(1, [0.1, 0.2])], "approximation")


def test_trials_with_a_small_step_are_not_chaotic():
    # a change far below rounding size in the data must not move the chapter's three decimals
    results = []
    for shift in (0.0, 1e-13):
        rng = np.random.default_rng(13)
        r = depth_budget.tradeoff(150, (8,), rng, steps=500, lr=0.02, noise=0.3 + shift)
        results.append(r["rows"][0]["total"])
    assert abs(results[0] - results[1]) < 1e-6


def test_trials_need_at_least_two():
    with pytest.raises(ValueError, match="trials"):
        depth_budget.tradeoff_trials(60, (1,), np.random.default_rng(0), trials=1)


def test_trials_collect_every_error_per_depth():
    r = depth_budget.tradeoff_trials(60, (1, 3), np.random.default_rng(0), trials=3, n_clean=20,
                               n_noisy=8, steps=20, lr=0.02)
    assert len(r["trials"]) == 3 and [s["depth"] for s in r["summary"]] == [1, 3]
    for s in r["summary"]:
        assert s["approximation"].shape == (3,)
        assert np.allclose(s["estimation"], s["total"] - s["approximation"])


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
    with pytest.raises(ValueError, match="no network of depth 50 fits"):
        depth_budget.tradeoff(60, (50,), rng, steps=1)
