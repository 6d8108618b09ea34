"""Every live experiment, swept over each control's whole range, extremes included."""

import importlib
import inspect
import itertools
import pkgutil

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import knobs.ui.exercises  # noqa: E402
from knobs.ui.experiments import ALL, Choice  # noqa: E402

IDS = [e.name for e in ALL]
MAX_STEPS = 41  # sweep every step of a slider with at most this many, else a 41-point grid


def sweep_values(control):
    values = control.values()
    return values if len(values) <= MAX_STEPS else control.grid(MAX_STEPS)


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_each_control_over_its_whole_range(experiment):
    for control in experiment.controls:
        for value in sweep_values(control):
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


def exercise_checks():
    for info in pkgutil.iter_modules(knobs.ui.exercises.__path__):
        module = importlib.import_module(f"knobs.ui.exercises.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("check_") and fn.__module__ == module.__name__:
                yield pytest.param(fn, id=f"{info.name}.{name}")


@pytest.mark.parametrize("check_fn", list(exercise_checks()))
def test_exercise_checks_answer_placeholders_without_error(check_fn):
    result = check_fn(None)
    assert not result and "no answer yet" in result.message


def test_gates_widget_builds_with_the_control_ranges():
    from knobs.ui.experiments import gates
    from knobs.ui.widgets import controls

    made = controls(gates.EXPERIMENT)
    assert (made["b"].min, made["b"].max, made["b"].value) == (-3.0, 3.0, -1.5)
    assert np.isclose(made["w1"].step, 0.25)


def test_live_widget_starts_at_defaults_and_follows_its_controls():
    from knobs.ui.experiments import gates
    from knobs.ui.widgets import build_live

    box = build_live(gates.EXPERIMENT)
    sliders, out = box.children[0].children, box.children[1]
    assert "computes AND" in out.outputs[0]["text"]
    b_slider = next(s for s in sliders if s.description == "bias b")
    b_slider.value = -0.5
    assert "computes OR" in out.outputs[0]["text"]
    assert out.outputs[1]["data"]["image/png"]
    b_slider.value = b_slider.max  # an extreme: still a figure and numbers, no error text
    assert "computes TRUE" in out.outputs[0]["text"]
