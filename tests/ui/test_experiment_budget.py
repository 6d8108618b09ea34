"""Chapter 13's budget experiment: its extremes and its figures."""


import numpy as np

from knobs.studies import depth_budget
from knobs.ui.experiments import budget


def test_budget_experiment_at_the_extremes():
    r = budget.compute(budget_k=1, d=1000)
    assert r["feasible"] == 0 and np.all(r["exact"] == 0) and r["rule"][0] == 1
    r = budget.compute(budget_k=1000, d=1)
    assert r["feasible"] == budget.MAX_DEPTH and np.all(r["used"] <= 1_000_000)


def test_the_trials_figure_draws():
    # the trials of studies/test_depth_budget.py::test_trials_collect_every_error_per_depth
    r = depth_budget.tradeoff_trials(60, (1, 3), np.random.default_rng(0), trials=3, n_clean=20,
                                     n_noisy=8, steps=20, lr=0.02)
    assert budget.draw_trials(r) is not None


def test_the_tradeoff_figure_has_its_axis_labels(rng):
    # the trade-off of studies/test_depth_budget.py::test_tradeoff_runs_and_decomposes
    r = depth_budget.tradeoff(60, (1, 3), rng, n_clean=40, n_noisy=10, steps=50)
    fig = budget.draw_tradeoff(r)
    assert fig.axes[0].get_ylabel() and fig.axes[1].get_xlabel()
