"""Which page shows which experiment, read from the page itself: the engine's ``live()`` gives
its widget box the CSS classes ``knobs-live`` and ``knobs-experiment-<name>``, and myst-nb keeps
each notebook's stored widget state, so no experiment needs to know the path of its chapter."""

from __future__ import annotations

import json
import pathlib

from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from .engine import BY_NAME

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
LIVE_CLASS = "knobs-live"
EXPERIMENT_CLASS = "knobs-experiment-"  # + the experiment's name


def widget_state(app: Sphinx, docname: str) -> dict:
    """The widget state myst-nb read with this page (not the file now: it may have changed)."""
    js = NbMetadataCollector.get_js_files(app.env, docname).get("ipywidgets_state")
    if not js:
        return {}
    return json.loads(js[1]["body"]).get("state", {})


def experiment_for(docname: str, model_id: str, model: dict):
    """The experiment a live() box names with its CSS class ``knobs-experiment-<name>``.

    ``model`` is the box's stored widget state (``_dom_classes`` among it). A box that names no
    experiment the engine knows (``engine.BY_NAME``), or several, stops the build.
    """
    names = [c.removeprefix(EXPERIMENT_CLASS) for c in model.get("_dom_classes", ())
             if c.startswith(EXPERIMENT_CLASS)]
    where = f"knobs_site: {docname}: the live() widget box {model_id}"
    if not names:
        raise ExtensionError(f"{where} has no CSS class {EXPERIMENT_CLASS}<name>: its stored "
                             f"output is older than that class (refresh the notebook: "
                             f"make refresh NB={docname}.ipynb)")
    if len(names) > 1:
        raise ExtensionError(f"{where} names several experiments: {', '.join(names)}")
    if names[0] not in BY_NAME:
        raise ExtensionError(f"{where} names the experiment {names[0]!r} (CSS class "
                             f"{EXPERIMENT_CLASS}{names[0]}), which the engine does not have "
                             f"(it has: {', '.join(sorted(BY_NAME))}); a renamed experiment? "
                             f"Refresh the notebook: make refresh NB={docname}.ipynb")
    return BY_NAME[names[0]]


def live_boxes(state: dict) -> dict:
    """The ``live()`` boxes of a notebook's widget state: ``{model_id: the box's state}``."""
    return {model_id: entry.get("state", {}) for model_id, entry in state.items()
            if LIVE_CLASS in entry.get("state", {}).get("_dom_classes", ())}


def experiments_in(docname: str, state: dict) -> list:
    """The experiments a page shows, in the order of its widget state."""
    return [experiment_for(docname, model_id, model)
            for model_id, model in live_boxes(state).items()]


def experiments_on(app: Sphinx, docname: str) -> list:
    """The experiments a page of this build shows (its stored widget state as myst-nb read it)."""
    return experiments_in(docname, widget_state(app, docname))


def notebook_experiments(notebook: pathlib.Path) -> list:
    """The experiments a notebook file shows, read from its stored widget state without a build
    (for the benchmarks and the tests)."""
    metadata = json.loads(pathlib.Path(notebook).read_text(encoding="utf-8"))["metadata"]
    state = metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return experiments_in(str(notebook), state)
