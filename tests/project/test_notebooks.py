"""The book's notebooks follow one template and are stored as one clean run (nbval checks the
outputs themselves; see pyproject.toml)."""

import json
import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from notebook_runs import toc_files  # noqa: E402 (Jupyter Book's own reading of _toc.yml)

from tools import inline_values, solution_cells  # noqa: E402

NOTEBOOKS = sorted(p for p in (ROOT / "book").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
CHAPTERS = [p for p in NOTEBOOKS if re.match(r"\d\d-", p.name)]
TOC = toc_files()
IDS = [str(p.relative_to(ROOT / "book")) for p in NOTEBOOKS]
CHAPTER_IDS = [str(p.relative_to(ROOT / "book")) for p in CHAPTERS]


def cells(path):
    return json.loads(path.read_text())["cells"]


def source(cell):
    return "".join(cell["source"])


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks found under book/"


def test_every_toc_entry_exists():
    assert TOC[0] == "book/intro" and len(TOC) == len(set(TOC)), "root first, no page twice"
    for entry in TOC:
        matches = list(ROOT.glob(entry + ".*"))
        assert matches, f"_toc.yml lists {entry}, which does not exist"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_listed_in_toc(path):
    assert str(path.relative_to(ROOT).with_suffix("")) in TOC  # an exact entry, not a substring


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_as_one_clean_run(path):
    code = [c for c in cells(path) if c["cell_type"] == "code" and source(c).strip()]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"execution counts {counts}: refresh with `make refresh NB={path.relative_to(ROOT)}`")
    for c in code:
        for out in c["outputs"]:
            assert out["output_type"] != "error", source(c)[:80]
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), (
                f"stderr output (a warning?) stored in a cell: {''.join(out['text'])[:200]}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_kernel_and_imports(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    text = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "code")
    assert "sys.path" not in text, "import knobs as an installed package, never via sys.path"


@pytest.mark.parametrize("path", CHAPTERS, ids=CHAPTER_IDS)
def test_chapter_template(path):
    cs = cells(path)
    first = source(cs[0])
    assert cs[0]["cell_type"] == "markdown" and first.startswith("# ")
    assert "What you will learn" in first and "Prerequisites" in first
    # the Colab setup cell (tools/colab_setup.py, hidden on the website) comes before the imports
    code = [source(c) for c in cs if c["cell_type"] == "code"
            and "colab-setup" not in c.get("metadata", {}).get("tags", [])]
    assert code[0].count("default_rng(") == 1, "one seeded Generator, made in the imports cell"
    assert sum(s.count("default_rng(") for s in code) == 1, "only one Generator per chapter"
    markdown = "\n".join(source(c) for c in cs if c["cell_type"] == "markdown")
    assert re.search(r"^## Exercises", markdown, re.M) and re.search(r"^## Summary", markdown, re.M)
    assert len(re.findall(r"\{exercise\}", markdown)) >= 3, "at least three exercises"
    n_solutions = len(re.findall(r"\{solution(-start)?\}", markdown))
    assert n_solutions >= len(re.findall(r"\{exercise\}", markdown)), "a solution per exercise"
    assert re.search(r":class: dropdown", markdown), "solutions hidden behind a toggle"
    assert any("live(" in s for s in code), "a live experiment"
    assert any("render(" in s for s in code), "the experiment shown at its defaults"
    assert any(re.search(r"ch\d\d\.check_\w+\(", s) for s in code), "a self-checked exercise"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_figure_has_alt_text(path):
    for c in cells(path):
        if c["cell_type"] != "code":
            continue
        has_image = any("image/png" in out.get("data", {}) for out in c["outputs"])
        if has_image:
            alt = c["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 20, f"figure without alt text in cell: {source(c)[:80]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=CHAPTER_IDS)
def test_an_experiment_shown_at_its_defaults_has_the_experiments_alt_text(path):
    """One description per figure: the render(X.EXPERIMENT) cell's alt text is the experiment's
    own (which tests/ui/test_experiments.py checks against what draw() puts on the axes), not a
    copy in the notebook that drifts when the figure changes."""
    import importlib

    for c in cells(path):
        match = re.search(r"\brender\((\w+)\.EXPERIMENT\b", source(c))
        if c["cell_type"] != "code" or not match:
            continue
        experiment = importlib.import_module(f"knobs.ui.experiments.{match[1]}").EXPERIMENT
        alt = c["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
        assert alt == experiment.alt, (f"{path.name}: the alt text of render({match[1]}) "
                                       f"differs from {match[1]}.EXPERIMENT.alt")


def test_only_wall_clock_timings_are_exempt_from_output_checks():
    """nbval compares every cell's output except those tagged nbval-ignore-output: at most three
    in the whole book, each printing a wall-clock measurement (timing.best_time's results)."""
    exempt = [(path, c) for path in NOTEBOOKS for c in cells(path)
              if "nbval-ignore-output" in c.get("metadata", {}).get("tags", [])]
    assert len(exempt) <= 3, [str(p.relative_to(ROOT)) for p, _ in exempt]
    for path, c in exempt:
        text = "\n".join(source(d) for d in cells(path) if d["cell_type"] == "code")
        assert "timing.best_time" in text and re.search(r"\btime", source(c)), (
            f"{path.name}: an exempt cell that shows no timing: {source(c)[:120]}")
    skipped = [path.name for path in NOTEBOOKS for c in cells(path)
               if "nbval-skip" in c.get("metadata", {}).get("tags", [])]
    assert skipped == [], "no cell is skipped by the notebook check"


@pytest.mark.parametrize("path", CHAPTERS, ids=CHAPTER_IDS)
def test_gated_solution_code_starts_collapsed(path):
    """In JupyterLab a gated solution's code cells would print the solution under its exercise
    (tools/solution_cells.py); ``make refresh`` collapses them."""
    nb = json.loads(path.read_text())
    open_cells = [i for i in solution_cells.gated_code_cells(nb)
                  if not solution_cells.is_collapsed(nb["cells"][i])]
    assert not open_cells, f"code cells {open_cells} of a gated solution are not collapsed: " \
                           f"make refresh NB={path.relative_to(ROOT)}"


@pytest.mark.parametrize("path", CHAPTERS, ids=CHAPTER_IDS)
def test_glued_numbers_are_stored_for_jupyterlab(path):
    """Every {eval}`name` of the text quotes a name the chapter glues, and the markdown cell
    stores that glued value for jupyterlab-myst (tools/inline_values.py; ``make refresh``)."""
    nb = json.loads(path.read_text())
    stale = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"
             and c.get("metadata", {}).get(inline_values.METADATA, [])
             != inline_values.expressions_for(c, inline_values.glued_values(nb))]
    assert not stale, f"markdown cells {stale} do not store their glued numbers: " \
                      f"make refresh NB={path.relative_to(ROOT)}"
    assert not any("{glue:text}" in source(c) for c in nb["cells"]), \
        "the text quotes glued numbers as {eval}`name` (JupyterLab cannot show {glue:text})"


@pytest.mark.parametrize("path", CHAPTERS, ids=CHAPTER_IDS)
def test_no_glued_name_is_also_a_variable_of_the_chapter(path):
    """glue binds its name in the kernel for JupyterLab's {eval}: a chapter variable of the same
    name would be overwritten, or shown in the text instead of the glued value."""
    import ast

    keys, names = set(), set()
    for c in cells(path):
        if c["cell_type"] == "code":
            keys |= set(re.findall(r'glue\("([^"{}]+)"', source(c)))
            tree = ast.parse(source(c))
            names |= {n.id for n in ast.walk(tree)
                      if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            names |= {n.name for n in ast.walk(tree)
                      if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    assert not keys & names, f"glued names that are also variables: {sorted(keys & names)}"


def test_inline_values_are_the_glued_bundles():
    glued = {"output_type": "display_data", "metadata": {"scrapbook": {"name": "w"}},
             "data": {"application/papermill.record/text/plain": "'0.50'"}}
    md = lambda text: {"cell_type": "markdown", "source": text, "metadata": {}}  # noqa: E731
    nb = {"cells": [{"cell_type": "code", "source": "glue('w', '0.50', display=False)",
                     "metadata": {}, "outputs": [glued]},
                    md("w is {eval}`w`, again {eval}` w `."), md("none")]}
    assert inline_values.store_inline_values(nb) == 1
    assert nb["cells"][1]["metadata"]["user_expressions"] == [
        {"expression": "w", "result": {"status": "ok", "data": {"text/plain": "'0.50'"},
                                       "metadata": {}}}]
    assert inline_values.store_inline_values(nb) == 0
    nb["cells"][1]["source"] = "no number"
    assert inline_values.store_inline_values(nb) == 1
    assert "user_expressions" not in nb["cells"][1]["metadata"]
    nb["cells"][2]["source"] = "{eval}`missing`"
    with pytest.raises(KeyError, match="does not glue"):
        inline_values.store_inline_values(nb)


def test_gated_solution_cells_are_found_and_collapsed():
    md = lambda text: {"cell_type": "markdown", "source": text, "metadata": {}}  # noqa: E731
    code = lambda: {"cell_type": "code", "source": "x = 1", "metadata": {}}  # noqa: E731
    nb = {"cells": [code(), md("```{solution-start} ex\n```\ntext"), code(), code(),
                    md("```{solution-end}\n```\n## Summary"), code()]}
    assert solution_cells.gated_code_cells(nb) == [2, 3]
    assert solution_cells.collapse_gated_solutions(nb) == 2
    assert solution_cells.collapse_gated_solutions(nb) == 0
    assert [solution_cells.is_collapsed(c) for c in nb["cells"]] == [False] * 2 + [True] * 2 + \
        [False] * 2
    with pytest.raises(ValueError, match="without its solution-end"):
        solution_cells.gated_code_cells({"cells": [md("```{solution-start} ex\n```")]})
