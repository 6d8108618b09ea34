"""What a student sees of the chapters' MyST in JupyterLab (jupyterlab-myst), in a real Chromium.

A JupyterLab server from the project's environment (as Binder or a hub runs it from
``requirements.txt``) serves a temporary copy of ``book/``; every cell stays in the DOM
(``labserver.SETTINGS`` turns JupyterLab 4's windowing off). Each notebook of ``_toc.yml`` is
opened with its stored outputs, no cell is run, and its rendered markdown cells must show:

- no raw MyST: no directive fence, option line or role in the rendered text (``RAW_MARKUP``);
- every exercise as a box headed "Exercise", and every solution (``{solution}`` and the
  ``{solution-start}`` of a gated one) as a closed dropdown: its body is not visible until its
  summary is clicked, and is visible, with text, afterwards;
- every ``{term}`` as its plain text;
- every glued number the text quotes (``{eval}`name```) as the number the website shows, from
  the markdown cell's stored ``user_expressions`` (``tools/inline_values.py``), not its name.

The copies are opened from a fresh Jupyter data folder, so JupyterLab does not trust them (no
stored signature), exactly as a student's freshly pulled notebook: the test asserts that, so the
rendering it checks is the untrusted one. Stored inline values in plain text render untrusted;
trust would be needed only for richer output types, which the book does not glue.

Measured when jupyterlab-myst was added: with JupyterLab's own Markdown renderer the 16 chapters
showed 576 occurrences of ``RAW_MARKUP`` and all 72 solutions in full; with it, 0 and 72 closed
dropdowns, and 271 glued numbers shown as their names until the text quoted them with
``{eval}`` and the cells stored their values (0 since).

- every code cell of a gated solution (between ``{solution-start}`` and ``{solution-end}``, which
  jupyterlab-myst cannot fold into the dropdown: it renders one markdown cell at a time)
  collapsed, its source and outputs hidden until clicked (``tools/solution_cells.py``).

What this does not cover: ``{solution-end}`` renders as an empty box.
"""

from __future__ import annotations

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

from tools import colab_variant, inline_values, solution_cells  # noqa: E402  (they read the sources)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = notebook_runs.toc_notebooks()
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
RENDER_TIMEOUT_S = 90   # a whole notebook's markdown, on a shared 2-core machine
ARTIFACTS = ROOT / "test-artifacts" / "lab-myst"

# Markup that a MyST renderer consumes: any of it in the rendered text is raw MyST on the page.
# Roles without their backtick: JupyterLab's own renderer shows {term}`bias` as "{term}" and a
# code span, whose text has no backtick; a directive as a code block of its options and body.
RAW_MARKUP = ["```", "{exercise", "{solution", ":label:", ":class:", "{term}", "{eval}",
              "{glue:text}", "{glue}", "{cite}", "{doc}", "{ref}"]
ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")

# Every markdown cell of the open notebook: its rendered text, its exercise boxes and solutions.
# The rendered part is the input area's widget that is not the editor: jupyterlab-myst's
# ``.myst`` or, without it, JupyterLab's own ``.jp-RenderedMarkdown``.
MARKDOWN_STATE_JS = """() => {
  const cells = [...document.querySelectorAll(
      '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')];
  return cells.map(cell => {
    if (!cell.classList.contains('jp-MarkdownCell')) return null;
    const out = cell.querySelector(
        '.jp-InputArea > .myst, .jp-InputArea > .jp-RenderedMarkdown');
    if (!out) return {rendered: false};
    const header = box => (box.querySelector('.myst-exercise-title') || {}).textContent || '';
    return {
      rendered: true,
      text: out.textContent,
      codes: [...out.querySelectorAll('code')].map(c => c.textContent),
      exercises: [...out.querySelectorAll('aside.myst-exercise')].map(header),
      solutions: [...out.querySelectorAll('details.myst-exercise')].map(d => ({
        summary: d.querySelector('summary').textContent.trim(), open: d.open})),
    };
  });
}"""


# For every cell of the open notebook: whether it is a code cell whose source or outputs show.
CODE_SHOWN_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')].map(cell => {
  if (!cell.classList.contains('jp-CodeCell')) return false;
  const shown = selector => [...cell.querySelectorAll(selector)].some(e => e.checkVisibility());
  return shown('.jp-InputArea-editor') || shown('.jp-OutputArea-output');
})"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = labserver.copy_book(ROOT, tmp_path_factory.mktemp("lab-root"))
    with labserver.lab_server(root) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with launched("the JupyterLab MyST tests") as chromium:
        yield chromium


@pytest.fixture(scope="module")
def lab_page(lab, browser):
    """One JupyterLab page for the module; each test opens and closes one notebook in it."""
    page = new_lab_page(browser, lab, "knobs-myst")
    yield page
    page.context.close()


def source_of(cell) -> str:
    return "".join(cell["source"])


def solution_texts(markdown: list[str]) -> list[bool]:
    """For each solution in order, whether its markdown has text: a ``{solution}``'s body, or
    what follows a ``{solution-start}`` in its cell (a gated solution may be all code)."""
    has_text = []
    for source in markdown:
        parts = list(colab_variant.directives(source))
        for k, (name, _, _, body) in enumerate(parts):
            if name == "solution":
                has_text.append(bool(body.strip()))
            elif name == "solution-start":
                after = parts[k + 1] if k + 1 < len(parts) else None
                has_text.append(after is not None and after[0] is None
                                and bool(after[3].strip()))
    return has_text


def expected(cells) -> dict:
    """What the notebook's markdown asks for: directives counted, terms per cell, and per cell
    the glued names it quotes with the text the website shows for each."""
    markdown = [source_of(c) for c in cells if c["cell_type"] == "markdown"]
    values = inline_values.glued_values({"cells": cells})
    whole = "\n".join(markdown)
    return {
        "exercises": len(re.findall(r"^[`:]{3,}\{exercise\}", whole, re.M)),
        "solutions": solution_texts(markdown),
        "terms": [[re.sub(r"\s*<[^>]*>$", "", m.group(2)) for m in ROLE.finditer(s)
                   if m.group(1) == "term"] for s in markdown],
        "glue": [{name: colab_variant.glue_text(name, values)
                  for name in inline_values.quoted_names(s)} for s in markdown],
    }


def occurrences(text: str, pattern: str) -> int:
    """``pattern`` in rendered text, except in a formula's own TeX: the ``{eval}`` of
    ``\\mathrm{BN}_{\\text{eval}}`` is no role."""
    return len(re.findall(r"(?<!\\text)" + re.escape(pattern), text))


def raw_markup_count(texts: list[str]) -> int:
    """Occurrences of ``RAW_MARKUP`` in rendered text (also used for the report's 'before')."""
    return sum(occurrences(t, pattern) for t in texts for pattern in RAW_MARKUP)


def open_notebook(page, rel: str, n_cells: int) -> list[dict]:
    """Open ``rel`` (stored outputs, nothing run); wait until every markdown cell is rendered
    and its text has stopped changing; return the markdown cells' states."""
    menu(page, "File", "filebrowser:open-path")
    page.locator(".jp-Dialog input").fill(rel)
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_function(  # every cell is in the DOM (windowing off)
        "n => document.querySelectorAll("
        "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').length === n",
        arg=n_cells, timeout=60_000)
    deadline = time.monotonic() + RENDER_TIMEOUT_S
    previous = None
    while True:
        state = [s for s in page.evaluate(MARKDOWN_STATE_JS) if s is not None]
        if all(s["rendered"] for s in state) and state == previous:
            return state
        if time.monotonic() > deadline:
            missing = sum(not s["rendered"] for s in state)
            raise AssertionError(f"{rel}: {missing} markdown cells not rendered after "
                                 f"{RENDER_TIMEOUT_S} s")
        previous = state
        time.sleep(1.0)


def trusted(page) -> bool:
    """Whether JupyterLab trusts the open notebook (its status bar's trust indicator)."""
    item = page.locator("#jp-main-statusbar .jp-StatusItem-trust")
    return "not trusted" not in (item.get_attribute("title") or "").lower()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_renders_as_myst_with_solutions_closed(path, lab, lab_page):
    rel = str(path.relative_to(ROOT))
    cells = json.loads(path.read_text())["cells"]
    want = expected(cells)
    page = lab_page
    del page.errors[:]
    name = re.sub(r"\W", "-", rel)
    try:
        state = open_notebook(page, rel, len(cells))
        assert not trusted(page), "the copy opened untrusted, as a student's fresh notebook"

        texts = [s["text"] for s in state]
        raw = {p: sum(occurrences(t, p) for t in texts) for p in RAW_MARKUP}
        assert raw_markup_count(texts) == 0, f"{rel}: raw MyST in the rendered markdown: " + \
            ", ".join(f"{p!r} x{n}" for p, n in raw.items() if n)

        boxes = [h.strip() for s in state for h in s["exercises"]]
        headed = [h for h in boxes if h.startswith("Exercise")]
        assert len(headed) == want["exercises"], (
            f"{rel}: {want['exercises']} exercises in the source, {len(headed)} exercise boxes "
            f"rendered: {boxes}")

        solutions = [d for s in state for d in s["solutions"]]
        assert len(solutions) == len(want["solutions"]), (
            f"{rel}: {len(want['solutions'])} solutions in the source, {len(solutions)} "
            "dropdowns")
        assert all(re.match(r"(Start of )?Solution to\s+Exercise", d["summary"])
                   for d in solutions), [d["summary"] for d in solutions]
        assert not any(d["open"] for d in solutions), f"{rel}: a solution is open on arrival"

        for i, (terms, s) in enumerate(zip(want["terms"], state, strict=True)):
            shown = " ".join(s["text"].split())  # textContent: closed solutions' terms too
            unread = [t for t in terms if " ".join(t.split()) not in shown]
            assert not unread, f"{rel}, markdown cell {i}: terms not shown as text: {unread}"
        for i, (glued, s) in enumerate(zip(want["glue"], state, strict=True)):
            # a value not stored shows as its name in a code span (jupyterlab-myst)
            unread = {k: v for k, v in glued.items() if v not in s["text"] or k in s["codes"]}
            assert not unread, f"{rel}, markdown cell {i}: glued numbers not shown: {unread}"

        # a gated solution's code cells: collapsed, not printing the solution under the exercise
        shown = page.evaluate(CODE_SHOWN_JS)
        gated = solution_cells.gated_code_cells({"cells": cells})
        leaked = [i for i in gated if shown[i]]
        assert not leaked, f"{rel}: code cells {leaked} of a gated solution are in plain view"
        assert any(shown), f"{rel}: no code cell shows at all (the detector is blind)"

        # every solution's body: hidden, then shown by a click on its summary
        details = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) details.myst-exercise")
        assert details.count() == len(solutions)
        for k, has_text in enumerate(want["solutions"]):
            dropdown = details.nth(k)
            body = dropdown.locator(".details-body")
            assert body.count() == 1 and not body.is_visible(), (
                f"{rel}: the body of solution {k + 1} is visible before its summary is clicked")
            summary = dropdown.locator("summary")
            summary.scroll_into_view_if_needed()
            summary.click()
            page.wait_for_function("d => d.open", arg=dropdown.element_handle(), timeout=5_000)
            if has_text:  # (a gated solution that is all code opens on an empty body)
                body.wait_for(state="visible", timeout=5_000)
                assert body.inner_text().strip(), f"{rel}: solution {k + 1} opened empty"

        assert not page.errors, f"uncaught JavaScript errors: {page.errors}"
        menu(page, "File", "filemenu:close-and-cleanup")
        page.locator(".jp-Dialog .jp-mod-accept").click()  # and shut down its kernel
        page.wait_for_selector(".jp-NotebookPanel", state="detached", timeout=30_000)
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        (ARTIFACTS / f"{name}-server.log").write_text(lab.log_tail(20_000))
        lab.shutdown_kernels()
        open_lab(page, lab)
        raise


def test_raw_markup_patterns_find_what_the_notebooks_write():
    """The detector can fail: the book's own sources, unrendered, are full of the patterns."""
    sources = [source_of(c) for p in NOTEBOOKS for c in json.loads(p.read_text())["cells"]
               if c["cell_type"] == "markdown"]
    found = {p for p in RAW_MARKUP if any(p in s for s in sources)}
    assert {"```", "{exercise", "{solution", ":label:", ":class:", "{term}", "{eval}"} <= found
    assert raw_markup_count(sources) > 500
