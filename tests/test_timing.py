import time

import pytest

from knobs import timing


def test_best_time_measures_a_sleep():
    t = timing.best_time(lambda: time.sleep(0.002), repeat=2, min_seconds=1e-3)
    assert 0.0018 < t < 0.05


def test_best_time_of_a_fast_function_is_small_but_positive():
    t = timing.best_time(lambda: None, repeat=3)
    assert 0 < t < 1e-4


def test_speedup_summary():
    s = timing.speedup_summary({10: 4.0, 100: 20.0, 1000: 50.0}, at_least=10)
    assert s == {"faster everywhere": True, "at least at the largest": True,
                 "grows with the batch": True}
    s = timing.speedup_summary({10: 0.8, 1000: 0.5}, at_least=10)
    assert s == {"faster everywhere": False, "at least at the largest": False,
                 "grows with the batch": False}


def test_errors():
    with pytest.raises(TypeError, match="fn must be callable"):
        timing.best_time(3)
    with pytest.raises(ValueError, match="repeat must be a positive integer"):
        timing.best_time(lambda: None, repeat=0)
    with pytest.raises(ValueError, match="at least two batch sizes"):
        timing.speedup_summary({10: 2.0}, at_least=1)
