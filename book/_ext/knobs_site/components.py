"""Kernel-free experiments on the page: each ``live(EXPERIMENT)`` widget box is replaced by an
HTML slider over the experiment's precomputed frames; the widget manager and the widget state
are loaded only where a widget view is left to render."""

from __future__ import annotations

import html
import json
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from .engine import _, use_language
from .frames import Frames, build_language, frames_for
from .pages import LIVE_CLASS, WIDGET_STATE, experiment_for, widget_state

logger = logging.getLogger(__name__)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _alt(experiment, control, text: str) -> str:
    base = _(experiment.alt or experiment.title)
    return _("{description} ({control} = {value})").format(description=base,
                                                           control=_(control.label), value=text)


def component_html(frames: Frames, static_uri: str) -> str:
    """The kernel-free experiment: slider, fixed controls, report and figure, in the current
    language of the engine (``knobs.ui.language``; ``replace_live_widgets`` sets the build's).

    Without JavaScript the controls stay hidden and the default result is shown; the script
    (``knobs-static.js``) reveals the slider and swaps report, figure and alt text.

    For screen readers the slider is named by its ``<label>`` (the control's label) and speaks
    its value as the readout shows it (``aria-valuetext``: ``Slider.format``), not the frame's
    index it holds; the readout itself is hidden from them, since the slider already says it.
    The report is a polite live region, read out whole when a move changes it.
    """
    exp = frames.experiment
    control = exp.control(exp.main)
    ident = f"knobs-static-{exp.name}"
    i0 = frames.default_index
    data = {
        "frames": [{"label": text, "report": report,
                    "src": f"{static_uri}/{frames.folder}/{i:02d}.png",
                    "alt": _alt(exp, control, text)}
                   for i, (text, report) in enumerate(zip(frames.labels, frames.reports,
                                                          strict=True))],
    }
    label = _(control.label)
    fixed = [f"{_(c.label)} = {c.format(c.default)}" for c in exp.controls if c.name != exp.main]
    e = html.escape
    note = [e(_("Results computed by the engine when this page was built: the slider moves "
                "{control} over {count} values.")).format(control=f"<strong>{e(label)}</strong>",
                                                          count=len(frames.labels))]
    if fixed:
        note.append(e(_("The other controls stay at their defaults ({controls}).").format(
            controls=", ".join(fixed))))
    note.append(e(_("To move every control, launch this notebook (the rocket button at the top "
                    "of the page).")))
    report_name = _("Results at the chosen {control}").format(control=label)
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return f"""
<figure class="knobs-static" id="{ident}" data-experiment="{e(exp.name)}">
  <figcaption class="knobs-static-title">{e(_(exp.title))}</figcaption>
  <div class="knobs-static-controls" hidden>
    <label for="{ident}-input">{e(label)}</label>
    <input type="range" id="{ident}-input" min="0" max="{len(frames.labels) - 1}" step="1"
           value="{i0}" aria-valuetext="{e(frames.labels[i0])}">
    <output for="{ident}-input" class="knobs-static-value"
            aria-hidden="true">{e(frames.labels[i0])}</output>
  </div>
  <p class="knobs-static-note">{" ".join(note)}</p>
  <pre class="knobs-static-report" id="{ident}-report" role="status" aria-live="polite"
       aria-atomic="true" aria-label="{e(report_name)}">{e(frames.reports[i0])}</pre>
  <img class="knobs-static-figure" src="{static_uri}/{frames.folder}/{i0:02d}.png"
       alt="{e(_alt(exp, control, frames.labels[i0]))}">
  <script type="application/json" class="knobs-static-data">{payload}</script>
</figure>
"""


def replace_live_widgets(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    state = widget_state(app, docname)
    static_uri = relative_uri(app.builder.get_target_uri(docname), "_static")
    for raw in list(doctree.findall(nodes.raw)):
        match = re.search(r'"model_id":\s*"(\w+)"', raw.astext())
        if WIDGET_VIEW not in raw.astext() or not match:
            continue
        model = state.get(match[1], {}).get("state", {})
        if LIVE_CLASS not in model.get("_dom_classes", ()):
            continue  # another widget: the widget manager renders it from the embedded state
        frames = frames_for(app, experiment_for(docname, match[1], model))
        with use_language(build_language(app)):
            component = component_html(frames, static_uri)
        raw.replace_self(nodes.raw("", component, format="html"))


def page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict,
                 doctree) -> None:
    """The widget manager and state only where a widget view is left to render; the
    component's script and style where it is shown."""
    body = context.get("body", "")
    if WIDGET_VIEW not in body and "script_files" in context:
        manager = tuple(f"_static/{path}" for path in app.config.nb_ipywidgets_js)
        context["script_files"][:] = [
            js for js in context["script_files"]
            if js.attributes.get("type") != WIDGET_STATE and str(js.filename) not in manager]
    if "knobs-static" in body:
        app.add_css_file("knobs-static.css")
        app.add_js_file("knobs-static.js", loading_method="defer")
