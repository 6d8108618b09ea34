"""Every live experiment, swept over each control's whole range, extremes included."""

import dataclasses
import itertools
import sys
from functools import lru_cache

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from knobs.ui.experiments import ALL, Choice, Experiment, Slider  # noqa: E402

IDS = [e.name for e in ALL]
MAX_STEPS = 41  # sweep every step of a slider with at most this many, else 41 of its steps


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_each_control_over_its_whole_range(experiment):
    for control in experiment.controls:
        for value in control.sample(MAX_STEPS):
            numbers = experiment.run(**{control.name: value})
            assert experiment.report(numbers).strip()
            assert "nan" not in experiment.report(numbers).lower().replace("nand", "")


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_every_corner_of_the_control_box_computes_and_draws(experiment):
    ends = [c.grid(2) if not isinstance(c, Choice) else c.values() for c in experiment.controls]
    for corner in itertools.product(*ends):
        values = dict(zip([c.name for c in experiment.controls], corner, strict=True))
        fig = experiment.draw(experiment.run(**values))
        ax = fig.axes[0]
        assert ax.get_xlabel() and (ax.get_title() or fig._suptitle is not None)
        plt.close(fig)


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_out_of_range_values_are_refused_not_clipped(experiment):
    for control in experiment.controls:
        bad = "not-an-option" if isinstance(control, Choice) else control.max + 10 * control.step
        with pytest.raises(ValueError, match=control.name):
            experiment.run(**{control.name: bad})
    with pytest.raises(TypeError, match="no control named"):
        experiment.run(no_such_knob=1)


def module_caches(experiment):
    """The functools caches of the module that defines the experiment's ``compute``."""
    module = sys.modules[experiment.compute.__module__]
    return {name: fn for name, fn in vars(module).items()
            if callable(getattr(fn, "cache_clear", None))
            and getattr(fn, "__module__", None) == module.__name__}


# the experiments whose run() goes through a functools cache of their module (the others draw
# through one only, or none); each must show a cache miss in the second run
CACHED_RUN = {"saturation", "approximation", "carbon_copy", "reduction", "depth", "centering",
              "dimer"}


def assert_same(a, b, where):
    """``a`` equals ``b`` exactly, through dicts, sequences and dataclasses of arrays."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        a, b = vars(a), vars(b)
    if isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            assert_same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)


def assert_deterministic(experiment):
    """Two runs at the defaults, each computed afresh (every cache of the module cleared before
    it), agree in every number and in the report."""
    caches = module_caches(experiment)
    for fn in caches.values():
        fn.cache_clear()
    first = experiment.run()
    info = {name: fn.cache_info() for name, fn in caches.items()}
    for fn in caches.values():
        fn.cache_clear()
    second = experiment.run()
    # from an empty cache again: the same misses and hits as the first run (a second run served
    # by the cache would add hits and no misses)
    again = {name: fn.cache_info() for name, fn in caches.items()}
    assert again == info, f"{experiment.name}: the second run was not computed afresh"
    assert_same(second, first, experiment.name)
    assert experiment.report(second) == experiment.report(first)
    return {name: i.misses for name, i in info.items()}


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_defaults_are_deterministic(experiment):
    misses = assert_deterministic(experiment)
    if experiment.name in CACHED_RUN:   # the second run really recomputed through the cache
        assert sum(misses.values()) > 0, (experiment.name, misses)


def test_the_cached_experiments_are_the_ones_listed():
    cached = {e.name for e in ALL if module_caches(e)}
    assert CACHED_RUN <= cached and cached - CACHED_RUN == {"gradients"}   # a draw-only cache


_calls = itertools.count()


@lru_cache(maxsize=1)
def _fresh_number() -> int:   # a cached computation that differs on every real call
    return next(_calls)


def test_the_determinism_check_fails_when_a_fresh_run_differs():
    # comparing two cached runs would pass (the second is the first, from the cache); the check
    # clears the cache, recomputes and sees the difference
    flaky = Experiment("flaky", "flaky", lambda x: {"n": _fresh_number()}, lambda r: None,
                       lambda r: f"n = {r['n']}", (Slider("x", "x", 0.0, 1.0, 0.5, 0.5),), "x")
    assert flaky.run() == flaky.run()
    with pytest.raises(AssertionError, match="flaky"):
        assert_deterministic(flaky)


def test_names_are_unique():
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_sample_is_even_on_the_steps_through_the_default(experiment):
    for control in experiment.controls:
        values = control.sample(MAX_STEPS)
        if isinstance(control, Choice):
            assert values == list(control.options)
            continue
        steps = control.values()
        assert len(values) <= MAX_STEPS + (control.default not in steps)
        assert values[0] == control.min and values[-1] == control.max
        assert control.default in values and values == sorted(set(values))
        if len(steps) <= MAX_STEPS:
            assert values == steps
            continue
        index = [steps.index(v) for v in values if v in steps]
        gaps = {b - a for a, b in zip(index[1:-2], index[2:-1], strict=True)}
        assert len(gaps) == 1  # one stride between the first and the last


def test_sample_of_a_fine_slider():
    s = Slider("x", "x", 0.0, 10.0, 0.01, 3.33)  # 1001 steps
    values = s.sample(41)
    assert len(values) <= 41 and 3.33 in values and {0.0, 10.0} <= set(values)
    inner = np.diff(values[1:-1])
    np.testing.assert_allclose(inner, inner[0], rtol=1e-9)
    assert s.sample(2000) == s.values()
    off = Slider("y", "y", 0.0, 1.0, 0.25, 0.3)  # a default between two steps
    assert off.sample(41) == [0.0, 0.25, 0.3, 0.5, 0.75, 1.0]
    for bad in (2, 3.5, True, "41"):
        with pytest.raises(ValueError, match="at least 3 points"):
            s.sample(bad)


@pytest.mark.parametrize(("step", "value", "shown"), [
    (0.25, 1.0, "1.00"), (0.1, 0.3, "0.30"), (0.005, 0.015, "0.015"), (1e-5, 2e-5, "0.00002"),
    (0.05, 1.234, "1.23")])
def test_readout_has_the_decimals_the_step_needs(step, value, shown):
    assert Slider("x", "x", 0.0, 1.0, step, 0.0).format(value) == shown
    assert Slider("n", "n", 1, 9, 1, 3, integer=True).format(4) == "4"
    assert Choice("c", "c", ("a", "b"), "a").format("b") == "b"
