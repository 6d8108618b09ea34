"""Every chapter opens in Colab with the engine installed: tools/colab_setup.py's first cell."""

import copy
import importlib.util
import pathlib
import subprocess
import sys
import types

import nbformat
import pytest

from tools import colab_setup

ROOT = pathlib.Path(__file__).resolve().parents[2]

CHAPTERS = colab_setup.chapter_notebooks()


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_every_chapter_has_the_current_colab_cell(path):
    nb = nbformat.read(path, as_version=4)
    rel = path.relative_to(ROOT)
    assert colab_setup.is_current(nb), (
        f"{rel} has no current Colab setup cell: run `python tools/colab_setup.py {rel}`, then "
        f"`make refresh NB={rel}`")
    cell = colab_setup.setup_cells(nb)[0]
    assert "remove-cell" in cell.metadata["tags"], "the website does not show the setup cell"
    assert cell.outputs == [], "outside Colab the setup cell prints nothing"


def test_the_cell_names_the_repository_of_config_yml():
    url, branch = colab_setup.repository()
    assert f"git+{url}@{branch}" in colab_setup.cell_source()


def run_cell(monkeypatch, in_colab: bool, knobs_installed: bool) -> list:
    """Execute the cell's code with pip replaced by a recorder; returns pip's command lines."""
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd))
    enabled = []
    if in_colab:
        output = types.SimpleNamespace(enable_custom_widget_manager=lambda: enabled.append(1))
        colab = types.ModuleType("google.colab")
        colab.output = output
        google = types.ModuleType("google")
        google.colab = colab
        monkeypatch.setitem(sys.modules, "google", google)
        monkeypatch.setitem(sys.modules, "google.colab", colab)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: (
        (real_find_spec(name) if knobs_installed else None) if name == "knobs"
        else real_find_spec(name, *a)))
    exec(compile(colab_setup.cell_source(), "colab-setup", "exec"), {})
    if in_colab:
        assert enabled == [1], "Colab's widget renderer is turned on"
    return calls


def test_the_cell_does_nothing_outside_colab(monkeypatch):
    assert run_cell(monkeypatch, in_colab=False, knobs_installed=False) == []


def test_the_cell_installs_the_engine_in_colab(monkeypatch):
    (cmd,) = run_cell(monkeypatch, in_colab=True, knobs_installed=False)
    url, branch = colab_setup.repository()
    assert cmd[:4] == [sys.executable, "-m", "pip", "install"]
    assert f"knobs @ git+{url}@{branch}" in cmd and "myst-nb==1.4.0" in cmd
    assert "ipywidgets>=8,<9" in cmd


def test_the_cell_does_not_reinstall_in_colab(monkeypatch):
    assert run_cell(monkeypatch, in_colab=True, knobs_installed=True) == []


def test_apply_is_idempotent_and_updates_a_stale_cell():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"),
                                         nbformat.v4.new_code_cell("import numpy as np")])
    assert colab_setup.apply(nb)
    once = copy.deepcopy(nb)
    assert not colab_setup.apply(nb) and nb == once
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert colab_setup.is_setup_cell(nb.cells[1]) and nb.cells[2].source == "import numpy as np"
    nb.cells[1].source = "# an older version of the cell"
    assert not colab_setup.is_current(nb) and colab_setup.apply(nb)
    assert colab_setup.is_current(nb) and len(colab_setup.setup_cells(nb)) == 1
