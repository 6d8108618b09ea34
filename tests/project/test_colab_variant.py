"""The Colab edition (tools/colab_variant.py): MyST as plain Markdown, solutions closed."""

import json
import pathlib
import re

import nbformat
import pytest

from tools import colab_setup, colab_variant, inline_values

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHAPTERS = colab_setup.chapter_notebooks()
CITES = {"glorot2010": "Glorot and Bengio, 2010", "he2015": "He et al., 2015"}
# what a MyST renderer would consume; none of it may reach Colab
RAW_MARKUP = ["```{", ":::{", ":label:", ":class:", "{term}`", "{glue", "{eval}`", "{cite}`",
              "{doc}`", "{numref}`", "{ref}`", "{exercise", "{solution"]


def glue_output(name: str, text_plain: str) -> dict:
    """A hidden glue output, as knobs.ui.glue.glue(name, value, display=False) stores it."""
    return nbformat.v4.new_output(
        "display_data", data={"application/papermill.record/text/plain": text_plain},
        metadata={"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}})


def notebook(*cells) -> nbformat.NotebookNode:
    made = []
    for cell in cells:
        if isinstance(cell, str):
            made.append(nbformat.v4.new_markdown_cell(cell))
        else:
            source, outputs = cell
            made.append(nbformat.v4.new_code_cell(source, outputs=outputs, execution_count=1))
    return nbformat.v4.new_notebook(cells=made)


def convert(nb, name="03-example.ipynb"):
    path = ROOT / "book" / "part1" / name
    return colab_variant.Converter(path, nb, CITES).convert()


EXERCISE = """## Exercises

```{exercise}
:label: ex-a
What is {term}`the bias <bias>` for?
```

```{solution} ex-a
:class: dropdown
It moves the boundary by {glue:text}`shift:.2f`, that is {eval}`shift`.
```
"""


def test_exercise_becomes_a_numbered_heading_and_solution_a_closed_dropdown():
    nb = notebook(("glue('shift', 0.125)", [glue_output("shift", "0.125")]), EXERCISE)
    text = convert(nb).cells[1].source
    assert "### Exercise 3.1\n\nWhat is the bias for?" in text
    assert ("<details>\n<summary>Solution to Exercise 3.1</summary>\n\n"
            "It moves the boundary by 0.12, that is 0.125.\n\n</details>") in text
    assert "<details open" not in text
    assert not [p for p in RAW_MARKUP if p in text]


def test_exercises_are_numbered_in_order_and_titles_kept():
    nb = notebook("````{exercise} Warm-up\n:label: one\nFirst.\n```python\nx = 1\n```\n````",
                  "```{exercise}\n:label: two\nSecond.\n```\n\nSee {ref}`two`.")
    first, second = (c.source for c in convert(nb, "12-chapter.ipynb").cells)
    assert first.startswith("### Exercise 12.1 (Warm-up)\n\nFirst.\n```python\nx = 1\n```")
    assert second.startswith("### Exercise 12.2\n\nSecond.")
    assert second.endswith("See Exercise 12.2.\n")


def test_a_gated_solution_hides_its_text_its_code_and_its_outputs():
    nb = notebook(
        "```{exercise}\n:label: ex-b\nCompute it.\n```",
        ("answer = None", [nbformat.v4.new_output("stream", text="no answer yet\n")]),
        "```{solution-start} ex-b\n:class: dropdown\n```\nThe engine agrees:",
        ("answer = 42\nprint(answer)", [nbformat.v4.new_output("stream", text="42\n")]),
        "```{solution-end}\n```\n\n## Summary",
    )
    cells = convert(nb).cells
    assert "cellView" not in cells[1].metadata, "the exercise's code stays open"
    assert cells[2].source == ("<details>\n<summary>Solution to Exercise 3.1</summary>\n\n"
                               "The engine agrees:\n\n</details>\n")
    code = cells[3]
    assert code.metadata["cellView"] == "form" and code.outputs == []
    assert code.source.splitlines()[0].startswith("# @title Solution to Exercise 3.1")
    assert code.source.endswith("answer = 42\nprint(answer)")
    assert cells[4].source == "## Summary\n"
    assert not cells[1].outputs, "the edition stores no outputs (Colab runs it)"
    assert nb.cells[1].outputs and nb.cells[3].outputs, "the source notebook is not changed"


def test_a_gated_solution_may_start_and_end_in_one_cell():
    nb = notebook("```{exercise}\n:label: ex-c\nQ.\n```\n\n```{solution-start} ex-c\n"
                  ":class: dropdown\n```\nA.\n```{solution-end}\n```\nAfter.")
    text = convert(nb).cells[0].source
    assert "<summary>Solution to Exercise 3.1</summary>\n\nA.\n\n\n</details>" in text
    assert text.endswith("After.\n")


def test_roles_become_plain_text():
    nb = notebook("{term}`net input`, {cite}`glorot2010,he2015`, {doc}`Chapter 1 "
                  "<01-two-knobs>`, {doc}`01-two-knobs`.")
    assert convert(nb).cells[0].source == (
        "net input, (Glorot and Bengio, 2010; He et al., 2015), Chapter 1, "
        "Two knobs: orientation and offset.\n")


def test_figure_references_read_as_their_numbers():
    nb = notebook(("plot()", []), ("plot()", []),
                  "As {numref}`fig-b` shows, and {numref}`Panel %s <fig-a>`.")
    nb.cells[0].metadata["mystnb"] = {"figure": {"name": "fig-a", "caption": "A."}}
    nb.cells[1].metadata["mystnb"] = {"figure": {"name": "fig-b", "caption": "B."}}
    assert convert(nb).cells[2].source.strip() == "As Figure 3.2 shows, and Panel 3.1."


def test_glue_text_matches_myst_nb_formatting():
    values = {"s": {"text/plain": "'[-2, -1)'"}, "x": {"text/plain": "0.3333333"}}
    assert colab_variant.glue_text("s", values) == "[-2, -1)"   # quotes go, as on the website
    assert colab_variant.glue_text("x:.3f", values) == "0.333"
    with pytest.raises(KeyError, match="missing"):
        colab_variant.glue_text("missing", values)


@pytest.mark.parametrize("source", ["{eq}`one`", "```{figure} a.png\n```", "```{note}\nx\n```"])
def test_unknown_markup_stops_the_tool(source):
    with pytest.raises(colab_variant.UnknownMarkup):
        convert(notebook(source))


def test_an_unclosed_gated_solution_stops_the_tool():
    nb = notebook("```{exercise}\n:label: e\nQ\n```", "```{solution-start} e\n```\nA",
                  ("x = 1", []))
    with pytest.raises(colab_variant.UnknownMarkup, match="never ends"):
        convert(nb)


def test_citations_read_the_books_bibliography():
    cites = colab_variant.citations()
    assert cites["glorot2010"] == "Glorot and Bengio, 2010"
    assert cites["he2015"] == "He et al., 2015"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_every_chapter_has_a_colab_edition_without_myst(path, tmp_path):
    target = colab_variant.write_edition(path, tmp_path)
    assert target == tmp_path / path.relative_to(ROOT)
    source = nbformat.read(path, as_version=4)
    edition = nbformat.read(target, as_version=4)
    assert len(edition.cells) == len(source.cells)
    markdown = "\n".join(c.source for c in edition.cells if c.cell_type == "markdown")
    raw = [p for p in RAW_MARKUP if p in markdown]
    assert not raw, f"{path.name}: raw MyST left in the Colab edition: {raw}"
    whole = "\n".join(c.source for c in source.cells if c.cell_type == "markdown")
    exercises = len(re.findall(r"^[`:]{3,}\{exercise\}", whole, re.M))
    solutions = len(re.findall(r"^[`:]{3,}\{solution(?:-start)?\}", whole, re.M))
    assert len(re.findall(r"^### Exercise \d+\.\d+", markdown, re.M)) == exercises
    assert markdown.count("<details>") == markdown.count("</details>") == solutions
    # every glued value the text quotes appears as the website prints it
    values = inline_values.glued_values(source)
    for key in inline_values.quoted_names(whole):
        assert colab_variant.glue_text(key, values) in markdown
    # the Colab setup cell is still the first code cell: Colab needs it to install the engine
    assert colab_setup.is_current(edition)
    assert json.dumps(edition.metadata["knobs_colab_edition"])
    # no outputs: Colab runs the edition, its text carries the numbers
    assert not [c for c in edition.cells if c.cell_type == "code" and c.outputs]
    # the committed edition, which the website's Colab button opens, is this one
    committed = colab_variant.OUT / path.relative_to(ROOT)
    assert committed.is_file() and nbformat.read(committed, as_version=4) == edition, (
        f"colab/ holds a stale edition of {path.name}: make colab (make refresh writes it too)")


def test_no_edition_without_its_chapter():
    editions = sorted(colab_variant.OUT.rglob("*.ipynb"))
    assert editions, "colab/ has the Colab editions"
    assert [colab_variant.OUT / p.relative_to(ROOT) for p in CHAPTERS] == editions
