"""Every live experiment, swept over each control's whole range, extremes included."""

import itertools

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from knobs.ui.experiments import ALL, Choice, Slider  # noqa: E402

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


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_defaults_are_deterministic(experiment):
    a, b = experiment.run(), experiment.run()
    assert experiment.report(a) == experiment.report(b)


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
