"""The website's Sphinx extension (book/_ext/knobs_site) without a build: a live() box names its
experiment with a CSS class, which the extension reads from the stored widget state."""

import json
import pathlib
import types

import matplotlib
import pytest

matplotlib.use("Agg")

import ipywidgets as w  # noqa: E402
from docutils import nodes  # noqa: E402
from docutils.utils import new_document  # noqa: E402
from sphinx.errors import ExtensionError  # noqa: E402

import knobs.ui.widgets as widgets  # noqa: E402
from knobs.ui.experiments import ALL, gates  # noqa: E402
from knobs_site import components, pages  # noqa: E402
from knobs_site.frames import Frames  # noqa: E402

GATES = gates.EXPERIMENT
ROOT = pathlib.Path(__file__).resolve().parents[2]


def stored_state(box) -> dict:
    """The widget state of ``box``, as a notebook stores it (model id -> model and state)."""
    return w.Widget.get_manager_state(widgets=[box])["state"]


@pytest.mark.parametrize("experiment", ALL, ids=[e.name for e in ALL])
def test_the_extension_finds_each_live_box_by_its_experiment_class(experiment, monkeypatch):
    # the box without its first outputs: drawing them is tests/ui/test_experiments.py's (seconds)
    monkeypatch.setattr(widgets, "prepare", lambda experiment: ())
    box = widgets.build_live(experiment)
    model = stored_state(box)[box.model_id]["state"]
    assert pages.LIVE_CLASS in model["_dom_classes"]
    assert pages.experiment_for("page", box.model_id, model) is experiment


@pytest.mark.parametrize("classes, message", [
    (["knobs-live", "knobs-experiment-nonesuch"], "names the experiment 'nonesuch'"),
    (["knobs-live"], "has no CSS class knobs-experiment-"),
    (["knobs-live", "knobs-experiment-gates", "knobs-experiment-depth"], "several experiments"),
], ids=["unknown", "none", "several"])
def test_a_box_naming_no_known_experiment_is_a_build_error(classes, message):
    with pytest.raises(ExtensionError, match=message):
        pages.experiment_for("page", "m1", {"_dom_classes": classes})


def test_a_page_says_which_experiments_it_shows():
    boxes = [widgets.build_live(e) for e in (GATES, ALL[1])]
    state = {k: v for box in boxes for k, v in stored_state(box).items()}
    assert pages.experiments_in("page", state) == [GATES, ALL[1]]
    assert pages.experiments_in("page", {}) == []


def test_every_experiment_is_shown_by_exactly_one_chapter():
    shown = {}
    for notebook in sorted(ROOT.glob("book/**/*.ipynb")):
        if "_build" in notebook.parts or ".ipynb_checkpoints" in notebook.parts:
            continue
        for experiment in pages.notebook_experiments(notebook):
            shown.setdefault(experiment.name, []).append(notebook.name)
    assert {name: where for name, where in shown.items() if len(where) != 1} == {}
    assert sorted(shown) == sorted(e.name for e in ALL), "an experiment no chapter shows"


def _page(*model_ids: str) -> nodes.document:
    """A page showing one widget view per model, as myst-nb writes it."""
    doctree = new_document("page")
    for model_id in model_ids:
        view = json.dumps({"version_major": 2, "version_minor": 0, "model_id": model_id})
        doctree += nodes.raw("", f'<script type="{components.WIDGET_VIEW}">{view}</script>',
                             format="html")
    return doctree


def _app(state: dict, monkeypatch):
    monkeypatch.setattr(components, "widget_state", lambda app, docname: state)
    frames = Frames(GATES, labels=["-1.50"], reports=["the gates report"], images=[b"png"],
                    default_index=0, key="0" * 64)
    builder = types.SimpleNamespace(format="html", get_target_uri=lambda docname: docname)
    return types.SimpleNamespace(builder=builder, _knobs_frames={GATES.name: frames})


def test_a_live_box_becomes_its_experiments_component(monkeypatch):
    state = {"live": {"state": {"_dom_classes": ["knobs-live", "knobs-experiment-gates"]}},
             "other": {"state": {"_dom_classes": ["knobs-experiment-depth"]}}}  # not live()
    doctree = _page("live", "other")
    components.replace_live_widgets(_app(state, monkeypatch), doctree, "page")
    first, second = doctree.children
    assert 'id="knobs-static-gates"' in first.astext() and "the gates report" in first.astext()
    assert components.WIDGET_VIEW in second.astext(), "another widget stays a widget"


def test_a_page_whose_live_box_names_an_unknown_experiment_stops_the_build(monkeypatch):
    state = {"live": {"state": {"_dom_classes": ["knobs-live", "knobs-experiment-nonesuch"]}}}
    with pytest.raises(ExtensionError, match="nonesuch"):
        components.replace_live_widgets(_app(state, monkeypatch), _page("live"), "page")
