import pytest

from knobs.analysis import timing


class FakeClock:
    """perf_counter for best_time: each call of the timed function costs ``costs`` in turn, so
    the arithmetic is tested without a wall-clock bound that a busy machine could break."""

    def __init__(self, costs):
        self.now, self.costs, self.calls = 0.0, list(costs), 0

    def perf_counter(self):
        return self.now

    def fn(self):
        self.now += self.costs[min(self.calls, len(self.costs) - 1)]
        self.calls += 1


def test_best_time_is_the_fastest_round_per_call(monkeypatch):
    # 1 call of 3 ms already lasts min_seconds = 2 ms; rounds of 3, 1, 2 ms: best 1 ms
    clock = FakeClock([3e-3, 1e-3, 2e-3])
    monkeypatch.setattr(timing.time, "perf_counter", clock.perf_counter)
    assert timing.best_time(clock.fn, repeat=3, min_seconds=2e-3) == pytest.approx(1e-3)
    assert clock.calls == 3


def test_best_time_doubles_the_calls_of_a_fast_function(monkeypatch):
    # 0.3 ms a call: rounds of 1, 2, 4 calls are too short, 8 calls last 2.4 ms >= 2 ms
    clock = FakeClock([3e-4])
    monkeypatch.setattr(timing.time, "perf_counter", clock.perf_counter)
    assert timing.best_time(clock.fn, repeat=2, min_seconds=2e-3) == pytest.approx(3e-4)
    assert clock.calls == 1 + 2 + 4 + 8 + 8


def test_best_time_on_the_real_clock_is_at_least_the_sleep():
    # a lower bound only: sleep guarantees it, however busy the machine is
    import time

    assert timing.best_time(lambda: time.sleep(0.002), repeat=2, min_seconds=1e-3) >= 0.0019


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
