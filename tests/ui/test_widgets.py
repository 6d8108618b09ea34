"""knobs.ui.widgets: controls built from an experiment, the live widget, its redraw caches."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


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


def test_live_updates_freeze_the_long_lived_heap_once():
    import gc

    from knobs.ui.experiments import BY_NAME
    from knobs.ui.widgets import outputs

    gates = BY_NAME["gates"]
    outputs(gates, gates.defaults())
    frozen = gc.get_freeze_count()
    assert frozen > 10_000, "the modules and classes alive at the first redraw are frozen"
    outputs(gates, gates.defaults() | {gates.main: gates.control(gates.main).grid(2)[-1]})
    assert gc.get_freeze_count() <= frozen, "frozen once, not again at every update"
    plt.close("all")


def test_a_displayed_widget_has_a_background_for_every_menu_combination():
    from knobs.ui.experiments import BY_NAME
    from knobs.ui.widgets import menu_settings, outputs, prepare, redrawer

    gradients = BY_NAME["gradients"]
    settings = menu_settings(gradients)
    assert [s["activation"] for s in settings] == ["sigmoid", "tanh", "relu", "identity"]
    assert all(s["z"] == gradients.defaults()["z"] for s in settings)
    first = prepare(gradients)
    assert "image/png" in first[-1]["data"]
    cache = redrawer(gradients)
    hits, misses = cache.hits, cache.misses
    for values in settings:  # choosing any option now reuses a rendered background
        outputs(gradients, values | {"z": -3.0})
    assert (cache.hits - hits, cache.misses - misses) == (len(settings), 0)
    plt.close("all")


def test_a_reader_who_chose_chinese_gets_chinese_controls_and_numbers():
    from knobs.ui.experiments import gates, reduction
    from knobs.ui.language import use_language
    from knobs.ui.widgets import build_live, controls

    with use_language("zh_CN"):
        menu = controls(reduction.EXPERIMENT)["values"]
        box = build_live(gates.EXPERIMENT)
    assert menu.description == "数值分布" and menu.value == "uniform [0, 1)"
    assert menu.options[0] == ("均匀分布 [0, 1)", "uniform [0, 1)")  # the engine's values
    sliders, out = box.children[0].children, box.children[1]
    assert [s.description for s in sliders] == ["权重 w1", "权重 w2", "偏置 b"]
    assert "该神经元计算的是 AND" in out.outputs[0]["text"]
    assert controls(gates.EXPERIMENT)["b"].description == "bias b"  # English again
