"""Every chapter's live experiment, driven in JupyterLab by a real Chromium (Playwright).

A JupyterLab server runs on loopback from the project's own environment (as a student's server
on a hub) and serves a temporary copy of ``book/``. For each notebook in ``_toc.yml`` the test
opens it, clears the stored outputs, runs all cells, and then checks:

- every non-empty code cell ran, and no output is an error or stderr (a warning) except in cells
  tagged ``raises-exception``; no widget failed to render; no uncaught JavaScript error;
- each live experiment's box (CSS class ``knobs-live``) first shows the engine's report at the
  experiment's defaults, and after the *main* control is moved by one step with the keyboard
  (or its menu set to the next option) it shows exactly
  ``experiment.report(experiment.run(main=new_value))`` computed here, and a new figure;
- every glued number the text quotes (``{eval}`name```), which jupyterlab-myst re-evaluates in
  the kernel when Run All reaches its markdown cell, shows the value the website shows (a
  wall-clock timing: a value, measured again), with no error (``glue`` binds the name in the
  kernel; ``book/_ext/knobs_site/glued.py``).

Nothing is specific to a chapter: the chapters come from ``_toc.yml`` and a chapter's experiments
from its stored widget state, read as the website's extension reads it
(``knobs_site.pages.notebook_experiments``).
"""

from __future__ import annotations

import base64
import json
import pathlib
import re
import sys
import time

import pytest
from _chromium import launched
from _jupyterlab import menu, new_lab_page, open_lab

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import labserver  # noqa: E402
import notebook_runs  # noqa: E402

from tools import colab_variant, inline_values  # noqa: E402  (they read the sources)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = notebook_runs.toc_notebooks()
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
RUN_TIMEOUT_S = 180      # a whole notebook, cell by cell, in a browser on a shared 2-core machine
UPDATE_TIMEOUT_S = 30    # one widget update: kernel round trip + compute + redraw + render
ARTIFACTS = ROOT / "test-artifacts" / "lab"

# The state of the open notebook, read from the DOM in one call.
NOTEBOOK_STATE_JS = """() => {
  const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')];
  return cells.map(cell => {
    const prompt = cell.querySelector('.jp-InputArea-prompt');
    const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')];
    return {
      code: cell.classList.contains('jp-CodeCell'),
      prompt: prompt ? prompt.textContent.trim() : '',
      errors: outputs.filter(o => o.dataset.mimeType === 'application/vnd.jupyter.stderr')
                     .map(o => o.textContent.slice(0, 500)),
      text: outputs.map(o => o.textContent).join('\\n'),
    };
  });
}"""

# Inside one .knobs-live box: the text and images of its Output widget, and any other output.
# Each markdown cell's rendered text and its inline expressions that rendered as errors.
MARKDOWN_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')].map(cell => {
  const out = cell.querySelector('.jp-MarkdownCell .jp-InputArea > .myst');
  return out ? {text: out.textContent, errors: out.querySelectorAll(
      '[data-mime-type="application/vnd.jupyter.stderr"]').length,
      codes: [...out.querySelectorAll('code')].map(c => c.textContent)} : null;
})"""
GLUE_TIMEOUT_S = 30      # the last markdown cells' expressions, after the last code cell

BOX_STATE_JS = """box => {
  const out = box.querySelector('.widget-output');
  const texts = [...out.querySelectorAll('.jp-OutputArea-output')]
      .filter(o => o.dataset.mimeType === 'application/vnd.jupyter.stdout')
      .map(o => o.textContent);
  const images = [...out.querySelectorAll('img')].map(img => img.getAttribute('src'));
  const other = [...out.querySelectorAll('.jp-OutputArea-output')]
      .filter(o => !['application/vnd.jupyter.stdout', 'image/png'].includes(o.dataset.mimeType))
      .map(o => o.dataset.mimeType + ': ' + o.textContent.slice(0, 300));
  return {text: texts.join(''), images, other};
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = labserver.copy_book(ROOT, tmp_path_factory.mktemp("lab-root"))
    with labserver.lab_server(root) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with launched("the JupyterLab widget tests") as chromium:
        yield chromium


@pytest.fixture(scope="module")
def lab_page(lab, browser):
    """One JupyterLab page for the module; each test opens and closes one notebook in it."""
    page = new_lab_page(browser, lab, "knobs-test")
    yield page
    page.context.close()


def experiments_of(path: pathlib.Path) -> list:
    """The experiments a notebook shows, from its stored widget state (as the site reads it)."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from knobs_site.pages import notebook_experiments

    return notebook_experiments(path)


def next_value(control):
    """The main control's value one step (or one option) away from its default."""
    from knobs.ui.experiments import Choice

    if isinstance(control, Choice):
        options = list(control.options)
        return options[(options.index(control.default) + 1) % len(options)], None
    up = control.default + control.step <= control.max + 1e-12
    value = control.default + (control.step if up else -control.step)
    value = int(round(value)) if control.integer else round(value, 10)
    return value, ("ArrowRight" if up else "ArrowLeft")


def png_of(experiment, values) -> bytes:
    """The figure the kernel's widget would show, rendered here with the book's style."""
    import matplotlib

    matplotlib.use("Agg")
    from knobs.ui.plotting import use_book_style
    from knobs.ui.widgets import outputs

    use_book_style()
    image = [o for o in outputs(experiment, values) if o["output_type"] == "display_data"]
    return base64.b64decode(image[0]["data"]["image/png"]) if image else b""


def check_glued_numbers(page, cells, chapter: str) -> None:
    """After Run All: each markdown cell shows the glued values it quotes, evaluated again in
    the kernel, and no expression error (a name the kernel does not know, for instance)."""
    values = inline_values.glued_values({"cells": cells})
    # a wall-clock timing (a cell exempt from nbval's output check) is measured again: shown,
    # but not the stored number
    timed = {out["metadata"]["scrapbook"]["name"] for c in cells
             if "nbval-ignore-output" in c.get("metadata", {}).get("tags", [])
             for out in c.get("outputs", []) if "scrapbook" in out.get("metadata", {})}
    want = {i: {name: colab_variant.glue_text(name, values)
                for name in inline_values.quoted_names("".join(c["source"]))}
            for i, c in enumerate(cells) if c["cell_type"] == "markdown"}
    want = {i: glued for i, glued in want.items() if glued}
    deadline = time.monotonic() + GLUE_TIMEOUT_S
    while True:
        shown = page.evaluate(MARKDOWN_JS)
        wrong = {i: {k: v for k, v in glued.items()
                     if shown[i] is None or k in shown[i]["codes"]
                     or (k not in timed and v not in shown[i]["text"])}
                 for i, glued in want.items()}
        wrong = {i: w for i, w in wrong.items() if w}
        errors = [i for i, s in enumerate(shown) if s and s["errors"]]
        if (not wrong and not errors) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert not errors, f"{chapter}: markdown cells {errors} show an inline expression error"
    assert not wrong, f"{chapter}: glued numbers not shown after Run All: {wrong}"


def wait_for_run(page, code_cells_expected: list[bool]) -> list[dict]:
    """Poll the notebook until no cell is queued or running; return the final cell states."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while True:
        state = page.evaluate(NOTEBOOK_STATE_JS)
        busy = [c for c in state if c["code"] and "*" in c["prompt"]]
        ran = [bool(re.fullmatch(r"\[\d+\]:", c["prompt"])) for c in state if c["code"]]
        stopped_on_error = any(c["errors"] for c in state)
        if not busy and (all(r for r, e in zip(ran, code_cells_expected, strict=True) if e)
                         or stopped_on_error):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"notebook still running after {RUN_TIMEOUT_S} s: "
                                 f"{sum(ran)} of {sum(code_cells_expected)} code cells ran")
        time.sleep(0.5)


def box_state(box) -> dict:
    return box.evaluate(BOX_STATE_JS)


def move_main_control(page, box, experiment):
    """Move the experiment's main control in the browser; return the value it should now have."""
    control = experiment.control(experiment.main)
    value, key = next_value(control)
    row = box.locator(".widget-inline-hbox", has=page.locator(".widget-label",
                                                             has_text=control.label))
    if key is None:
        row.locator("select").select_option(label=str(value))
    else:
        handle = row.locator(".noUi-handle")
        handle.focus()
        handle.press(key)
        # the readout shows the value the widget holds (".2f" for a FloatSlider)
        readout = row.locator(".widget-readout").text_content().replace("\u2212", "-")
        now = float(readout)
        assert abs(now - value) <= 0.0051, (
            f"{experiment.name}: one {key} press moved {control.name} from {control.default} "
            f"to {now}, expected {value} (one step of {control.step})")
    return value


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_and_live_widgets_follow_the_engine(path, lab, lab_page):
    chapter = str(path.relative_to(ROOT).with_suffix(""))
    cells = json.loads(path.read_text())["cells"]
    expected_to_run = [bool("".join(c["source"]).strip()) for c in cells
                       if c["cell_type"] == "code"]
    allowed_errors = [i for i, c in enumerate(cells)
                      if "raises-exception" in c.get("metadata", {}).get("tags", [])]
    experiments = experiments_of(path)
    calls_live = any(re.search(r"\blive\(", "".join(c["source"])) for c in cells
                     if c["cell_type"] == "code")
    assert experiments or not calls_live, (
        f"{chapter} calls live(), but its stored widget state names no experiment "
        f"(make refresh NB={chapter}.ipynb)")

    page = lab_page
    del page.errors[:]
    name = re.sub(r"\W", "-", chapter)
    try:
        menu(page, "File", "filebrowser:open-path")
        page.locator(".jp-Dialog input").fill(f"{chapter}.ipynb")
        page.locator(".jp-Dialog .jp-mod-accept").click()
        page.wait_for_function(  # the whole notebook is rendered
            "n => document.querySelectorAll("
            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').length === n",
            arg=len(cells), timeout=60_000)
        # a gated solution's code cells are stored collapsed (tools/solution_cells.py), and a
        # collapsed cell shows no prompt: expand them, so every cell's execution count shows
        menu(page, "View", "notebook:show-all-cell-code")
        menu(page, "View", "notebook:show-all-cell-outputs")
        # the stored outputs go, then every cell runs (the kernel may still be starting: the
        # cells queue until it is ready)
        menu(page, "Edit", "editmenu:clear-all")
        menu(page, "Run", "runmenu:run-all")
        state = wait_for_run(page, expected_to_run)

        assert len(state) == len(cells), "every cell of the notebook is in the page"
        problems = [f"cell {i}: {e}" for i, c in enumerate(state) if i not in allowed_errors
                    for e in c["errors"]]
        assert not problems, f"error or stderr output in {chapter}:\n" + "\n".join(problems)
        not_run = [i for i, (c, cell) in enumerate(zip(state, cells, strict=True))
                   if cell["cell_type"] == "code" and "".join(cell["source"]).strip()
                   and not re.fullmatch(r"\[\d+\]:", c["prompt"])]
        assert not not_run, f"cells {not_run} of {chapter} did not run"
        broken = [i for i, c in enumerate(state)
                  if re.search(r"Error displaying widget|Error rendering output", c["text"])]
        assert not broken, f"cells {broken} of {chapter}: a widget failed to render"
        check_glued_numbers(page, cells, chapter)

        boxes = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .knobs-live")
        assert boxes.count() == len(experiments), (
            f"{chapter}: {boxes.count()} live widgets in the page, {len(experiments)} "
            f"experiments in its stored widget state")
        unmatched = list(experiments)
        for k in range(boxes.count()):
            box = boxes.nth(k)
            box.scroll_into_view_if_needed()
            before = box_state(box)
            assert not before["other"], f"{chapter}: unexpected widget output {before['other']}"
            # which experiment is this box? the one whose report at its defaults it shows
            match = [e for e in unmatched
                     if before["text"].strip() == e.report(e.run()).strip()]
            assert match, (f"{chapter}: live widget {k} shows\n{before['text']}\nwhich is no "
                           f"experiment's report at its defaults: {[e.name for e in unmatched]}")
            experiment = match[0]
            unmatched.remove(experiment)

            value = move_main_control(page, box, experiment)
            moved = {experiment.main: value}
            expected = experiment.report(experiment.run(**moved)).strip()
            new_figure = png_of(experiment, experiment.defaults()) != png_of(
                experiment, experiment.defaults() | moved)
            assert expected != before["text"].strip() or new_figure, (
                f"{experiment.name}: one step of its main control {experiment.main} changes "
                f"neither its report nor its figure")
            try:  # the new report and figure arrive in one widget state message
                page.wait_for_function(
                    "([box, old, images]) => { const s = (" + BOX_STATE_JS + ")(box);"
                    " return s.other.length > 0 || (s.images.length > 0 && "
                    " (s.text.trim() !== old.trim() || s.images[0] !== images[0])); }",
                    arg=[box.element_handle(), before["text"], before["images"]],
                    timeout=UPDATE_TIMEOUT_S * 1000)
            except Exception as err:
                raise AssertionError(f"{chapter}: moving {experiment.main} of "
                                     f"{experiment.name} to {value} did not change the "
                                     f"output within {UPDATE_TIMEOUT_S} s") from err
            after = box_state(box)
            assert not after["other"], f"{experiment.name}: {after['other']}"
            assert after["text"].strip() == expected, (
                f"{experiment.name} at {experiment.main}={value!r}: the page shows\n"
                f"{after['text']}\nthe engine computes\n{expected}")
            assert len(after["images"]) == 1 and after["images"][0].startswith(
                "data:image/png;base64,"), f"{experiment.name}: one PNG figure expected"
            if new_figure:
                assert after["images"] != before["images"], (
                    f"{experiment.name}: the figure did not change with {experiment.main}")
        assert not unmatched, f"{chapter}: no live widget for {[e.name for e in unmatched]}"
        assert not page.errors, f"uncaught JavaScript errors: {page.errors}"
        # a student closing the notebook: its kernel is shut down, its tab goes
        menu(page, "File", "filemenu:close-and-cleanup")
        page.locator(".jp-Dialog .jp-mod-accept").click()
        page.wait_for_selector(".jp-NotebookPanel", state="detached", timeout=30_000)
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}-server.log").write_text(lab.log_tail(20_000))
        lab.shutdown_kernels()
        open_lab(page, lab)  # a clean page for the next notebook
        raise


def test_every_experiment_is_in_a_toc_chapter():
    """An experiment that no chapter of ``_toc.yml`` shows would escape the browser test."""
    from knobs.ui.experiments import ALL

    shown = notebook_runs.experiment_chapters(ROOT)
    orphans = sorted(e.name for e in ALL if e.name not in shown)
    assert not orphans, f"experiments that no notebook in _toc.yml shows: {orphans}"
