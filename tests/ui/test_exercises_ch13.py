"""Chapter 13's exercises: the exact shallow sawtooth, and counting each depth's winning trials."""

import itertools

import numpy as np
import pytest

import knobs
from knobs.studies import depth_budget
from knobs.ui.exercises import ch13


def _shallow_sawtooth(L):
    # the chapter's solution: one unit for the first slope, one per kink
    kinks = np.arange(1, 2**L) / 2**L
    changes = 2.0 ** (L + 1) * (-1.0) ** np.arange(1, 2**L)
    return knobs.Sequential(
        knobs.Linear.from_arrays(np.ones((2**L, 1)), -np.concatenate([[0.0], kinks])),
        knobs.ReLU(), knobs.Linear.from_arrays(np.concatenate([[2.0**L], changes])[None, :], [0.0]))


@pytest.mark.parametrize("L", [1, 2, 5, 10])
def test_the_solutions_shallow_network_draws_the_sawtooth(L):
    x = np.linspace(0.0, 1.0, 2**12 + 1)[:, None]
    net = _shallow_sawtooth(L)
    assert np.max(np.abs(net.forward(x) - depth_budget.sawtooth_network(L).forward(x))) < 1e-6
    assert knobs.count_parameters(net) == 3 * ch13.shallow_sawtooth_units(L) + 1


@pytest.mark.parametrize("L", [1, 2, 3])
def test_one_unit_per_kink_is_not_enough(L):
    # every choice of directions for the 2^L - 1 kink units: the best fit still misses
    x = np.linspace(0.0, 1.0, 2**8 + 1)
    y = depth_budget.sawtooth_network(L).forward(x[:, None]).ravel()
    kinks = np.arange(1, 2**L) / 2**L
    for signs in itertools.product((1.0, -1.0), repeat=len(kinks)):
        A = np.column_stack([np.ones_like(x)] + [np.maximum(0.0, s * (x - k))
                                                 for s, k in zip(signs, kinks, strict=True)])
        coef, *_ = np.linalg.lstsq(A, y, rcond=None)
        assert np.max(np.abs(A @ coef - y)) > 1e-3


def test_shallow_sawtooth_accepts_the_solution_and_hints_one_unit_per_kink():
    assert ch13.check_shallow_sawtooth(3073)
    wrong = ch13.check_shallow_sawtooth(3070)          # one unit per kink, the table's bound
    assert not wrong and "Hint" in wrong.message
    with pytest.raises(ValueError, match="depth"):
        ch13.shallow_sawtooth_units(0)


def _result(clean, total):
    summary = [{"depth": L, "width": 1, "params": 1, "approximation": np.array(c),
                "total": np.array(t)} for L, c, t in zip((1, 2, 4, 8), clean, total, strict=True)]
    return {"summary": summary}


def test_clean_wins_accepts_the_solutions_counts_and_hints_other_errors():
    clean = [[0.08, 0.08, 0.08], [0.04, 0.05, 0.05], [0.05, 0.04, 0.06], [0.06, 0.06, 0.04]]
    total = [[0.09, 0.09, 0.09], [0.10, 0.10, 0.10], [0.11, 0.11, 0.11], [0.12, 0.12, 0.12]]
    result = _result(clean, total)
    counts = np.bincount(np.argmin(np.array(clean), axis=0), minlength=4)
    assert counts.tolist() == [0, 1, 1, 1]
    assert ch13.check_clean_wins(counts.tolist(), result)
    from_noisy = np.bincount(np.argmin(np.array(total), axis=0), minlength=4)  # the wrong key
    wrong = ch13.check_clean_wins(from_noisy.tolist(), result)
    assert not wrong and "Hint" in wrong.message


def test_clean_wins_needs_the_chapter_trials_for_an_answer():
    assert "no answer yet" in ch13.check_clean_wins(None).message
    with pytest.raises(ValueError, match="pass the chapter's trials"):
        ch13.check_clean_wins([0, 2, 2, 1])
