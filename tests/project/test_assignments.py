"""The assignments (tools/assignments.py, ``make assignments``): one per chapter, graded by otter.

The module builds every chapter's assignment once, in the grading environment
(``.venv-grading``, made by ``make`` from ``requirements-grading.txt``), with the tool's own
self-check: otter grades the solutions (full marks), the untouched student notebook (zero) and
the solutions with one answer deliberately wrong (partial). The tests read what it wrote.
"""

from __future__ import annotations

import ast
import json
import pathlib
import re
import subprocess
import zipfile

import nbformat
import numpy as np
import pytest

from knobs.ui.exercises import ch05, ch16
from tools import assignments, colab_setup

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHAPTERS = colab_setup.chapter_notebooks()
IDS = [p.stem for p in CHAPTERS]
GRADING_PYTHON = ROOT / ".venv-grading" / "bin" / "python"
BUILD_TIMEOUT_S = 900

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """``make assignments`` into a temporary folder: (the folder, selfcheck.json by chapter)."""
    make = subprocess.run(["make", ".venv-grading/.installed"], cwd=ROOT, capture_output=True,
                          text=True, timeout=BUILD_TIMEOUT_S)
    assert make.returncode == 0, make.stdout[-3000:] + make.stderr[-3000:]
    out = tmp_path_factory.mktemp("assignments")
    run = subprocess.run([str(GRADING_PYTHON), "tools/assignments.py", "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    print("\n" + run.stdout)
    report = json.loads((out / "selfcheck.json").read_text(encoding="utf-8"))
    return out, {row["chapter"]: row for row in report}


def exercises_of(path):
    return assignments.read_exercises(path, nbformat.read(path, as_version=4))


def student_text(out, stem) -> str:
    """Everything a student receives: every cell's source and outputs, and the metadata."""
    nb = nbformat.read(out / stem / "student" / f"{stem}.ipynb", as_version=4)
    return json.dumps(nb, ensure_ascii=False)


def test_selfcheck_lists_every_chapter_with_the_issues_fields(built):
    out, report = built
    assert list(report) == IDS
    rows = json.loads((out / "selfcheck.json").read_text(encoding="utf-8"))
    for row in rows:
        assert {"chapter", "questions", "reference_score", "reference_max", "blank_score",
                "wrong_score"} <= set(row)


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_reference_full_marks_blank_zero_one_wrong_answer_partial(built, path):
    _, report = built
    row = report[path.stem]
    assert row["errors"] == [], row["errors"]
    assert row["reference_max"] > 0
    assert row["reference_score"] == row["reference_max"]
    assert row["blank_score"] == 0
    assert row["blank_score"] < row["wrong_score"] < row["reference_score"]
    # the wrong answer costs exactly one point, in the first autograded question
    assert row["wrong_score"] == row["reference_max"] - 1
    exercises = exercises_of(path)
    first = next(e for e in exercises if e.autograded)
    assert row["wrong_question"] == first.name


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_every_exercise_is_a_question_and_every_code_exercise_is_autograded(built, path):
    out, report = built
    row = report[path.stem]
    source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                       if c.cell_type == "markdown")
    n_exercises = len(re.findall(r"^[`:]{3,}\{exercise\}", source, re.M))
    exercises = exercises_of(path)
    assert row["questions"] == len(exercises) == n_exercises
    assert row["autograded"] == sum(e.autograded for e in exercises)
    assert row["autograded"] + row["written"] == row["questions"]
    # one point per self-check call of the exercise's code cell
    calls = {e.name: len(re.findall(r"\bch\d\d\.check_\w+\(", e.student[0]))
             for e in exercises if e.autograded}
    assert row["reference_questions"] == {name: float(n) for name, n in calls.items()}
    # the student sees every exercise, numbered as in the book, and which kind it is
    text = student_text(out, path.stem)
    for e in exercises:
        assert f"### Exercise {e.number}" in text
    assert text.count("_Written answer:") == row["written"]
    assert text.count("_Autograded:") == row["autograded"]


def _lines(code: str) -> set[str]:
    return {line.strip() for line in code.splitlines() if len(line.strip()) >= 12
            and not line.strip().startswith("#")}


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_student_notebook_has_no_solution_and_no_hidden_test(built, path):
    out, _ = built
    stem = path.stem
    text = student_text(out, stem)
    nb = nbformat.read(out / stem / "student" / f"{stem}.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    given = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for e in exercises_of(path):
        # the solution's text, sentence by sentence (long enough to be its own)
        for sentence in re.split(r"(?<=[.:;])\s+", e.solution):
            if len(sentence.strip()) >= 30:
                assert json.dumps(sentence.strip())[1:-1] not in text, (e.label, sentence)
        # the solution's code, line by line, except lines the student's own cell has too
        own = _lines("\n".join(e.student))
        for line in _lines("\n".join(e.reference)) - own:
            assert line not in given, (e.label, line)
    # the hidden tests: their file names are in the metadata, their bodies nowhere
    with zipfile.ZipFile(out / stem / "autograder" / f"{stem}-autograder.zip") as zf:
        tests = {n: zf.read(n).decode() for n in zf.namelist() if n.startswith("tests/")}
    assert tests
    for source in tests.values():
        names = [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
        assert names
        assert not [name for name in names if name in text]
        assert not [line for line in _lines(source) if "result" in line and line in given]


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_hidden_tests_ask_the_engines_checks(built, path):
    out, _ = built
    stem = path.stem
    with zipfile.ZipFile(out / stem / "autograder" / f"{stem}-autograder.zip") as zf:
        tests = [zf.read(n).decode() for n in zf.namelist() if n.startswith("tests/")]
    for e in exercises_of(path):
        if not e.autograded:
            continue
        (source,) = [t for t in tests if f'name = "{e.name}"' in t]
        for call in re.findall(r"\b(ch\d\d\.check_\w+)\(", e.student[0]):
            assert f"result = {call}(" in source
            assert "hidden=True" in source
        # no expected number is written into a hidden test: the engine computes it
        assert not re.search(r"==\s*-?\d", source)


def test_solutions_copy_has_the_solution_code_and_no_otter_markers(built):
    out, _ = built
    for path in CHAPTERS:
        nb = nbformat.read(out / path.stem / "solutions" / f"{path.stem}.ipynb", as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert not re.search(r"BEGIN (PROMPT|SOLUTION)|END (PROMPT|SOLUTION)", code)
        for e in exercises_of(path):
            assert f"**Solution.** {e.solution.strip()}" in markdown
            # every statement of the solution's code, except its self-check calls (the
            # student cell's own calls follow the solution, on the student's names)
            for source in e.reference:
                for stmt in ast.parse(source).body:
                    segment = ast.get_source_segment(source, stmt)
                    if not re.search(r"\bch\d\d\.check_", segment):
                        assert segment in code, (e.label, segment)


# -- the hidden tests' logic, without otter ----------------------------------------------------

def _hidden_test_functions(path, label):
    """The hidden test functions the tool writes for one exercise, compiled here."""
    e = next(x for x in exercises_of(path) if x.label == label)
    module = f"ch{int(path.stem[:2]):02d}"
    cell = assignments.split_student_cell(e.student[0], module, e.label)
    functions = []
    for source in assignments.hidden_tests(e, cell, module):
        body = source.split('""" # END TEST CONFIG\n', 1)[1]
        namespace: dict = {}
        exec(compile(body, label, "exec"), namespace)  # noqa: S102 - our own generated test
        functions += [v for k, v in namespace.items() if k.startswith("test_")]
    return functions


PROBLEMS = ROOT / "book" / "part4" / "16-problems.ipynb"
NORMALIZATION = ROOT / "book" / "part1" / "05-normalization.ipynb"


def test_a_function_is_tested_on_new_inputs_not_the_self_checks():
    (test,) = _hidden_test_functions(PROBLEMS, "ch16-ex-batch")
    test(layer_gradients=lambda X, dZ: (dZ.T @ X, dZ.sum(axis=0)))
    seen = {}

    def recording(X, dZ):
        seen[X.tobytes()] = (dZ.T @ X, dZ.sum(axis=0))
        return seen[X.tobytes()]

    assert ch16.check_layer_gradients(recording)

    def memorised(X, dZ):   # right on the self-check's cases only
        return seen.get(X.tobytes(), (np.zeros((dZ.shape[1], X.shape[1])), np.zeros(dZ.shape[1])))

    assert ch16.check_layer_gradients(memorised)
    with pytest.raises(AssertionError, match="new inputs"):
        test(layer_gradients=memorised)


def test_a_number_rounded_as_asked_gets_the_mark_and_a_wrong_one_does_not():
    beta, share = _hidden_test_functions(NORMALIZATION, "ch05-ex-fold")
    exact = 0.5 + 2.0 * 3.0 / np.sqrt(ch05.FOLD_VAR + 1e-5)
    beta(my_beta_folded=exact)
    beta(my_beta_folded=round(exact, 3))     # "give both numbers to three decimals"
    with pytest.raises(AssertionError):
        beta(my_beta_folded=round(exact, 3) + 0.002)
    share(my_share=round(1 - 0.95**30, 3))
    with pytest.raises(AssertionError):
        share(my_share=None)


# -- chapters that do not fit stop the tool -----------------------------------------------------

def _chapter(*cells):
    made = [nbformat.v4.new_markdown_cell(c) if isinstance(c, str) else
            nbformat.v4.new_code_cell(c[0]) for c in cells]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), *made])


def test_a_code_exercise_without_solution_code_is_refused():
    nb = _chapter("## Exercises\n\n```{exercise}\n:label: ch05-ex-a\nQ\n```",
                  ("my_x = None\nch05.check_orthogonal_part(my_x)",),
                  "```{solution} ch05-ex-a\n:class: dropdown\nIt is 3.\n```\n\n## Summary")
    (e,) = assignments.read_exercises(ROOT / "book" / "part1" / "05-t.ipynb", nb)
    assert e.autograded and not e.reference and e.solution.strip() == "It is 3."
    with pytest.raises(assignments.NotGradable, match="no code in its solution"):
        assignments.question_cells(e, "ch05")


def test_a_solution_that_never_calls_the_check_is_refused():
    nb = _chapter("## Exercises\n\n```{exercise}\n:label: ch05-ex-a\nQ\n```",
                  ("my_x = None\nch05.check_orthogonal_part(my_x)",),
                  "```{solution-start} ch05-ex-a\n```\nA:", ("x = 3",),
                  "```{solution-end}\n```\n\n## Summary\n\nNot an exercise.")
    (e,) = assignments.read_exercises(ROOT / "book" / "part1" / "05-t.ipynb", nb)
    assert e.reference == ["x = 3"]
    with pytest.raises(assignments.NotGradable, match="never calls ch05.check_orthogonal_part"):
        assignments.question_cells(e, "ch05")


def test_the_placeholder_is_bound_to_what_the_solution_passes_the_same_check():
    e = assignments.Exercise("ch08-ex-c", "8.3", "", "Q", reference=[
        "dW_ex = 1\ndb_ex = 2\nch08.check_column_gradients((dW_ex, db_ex))"])
    cell = assignments.split_student_cell(
        "A = 1\nmy_dW, my_db = None, None\n"
        "ch08.check_column_gradients(None if my_dW is None else (my_dW, my_db))", "ch08",
        e.label)
    assert cell.data == "A = 1" and cell.answers == ["my_dW", "my_db"]
    code = assignments.solution_code(e, cell, "ch08")
    assert code.splitlines()[-2:] == ["my_dW = dW_ex", "my_db = db_ex"]
    assert "check_column_gradients" not in code


def test_the_instructor_guide_states_these_question_counts(built):
    _, report = built
    guide = (ROOT / "book" / "instructor-guide.md").read_text(encoding="utf-8")
    section = guide.split("\n## Assignments and grading\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", section, re.M)
    assert rows == [(str(int(stem[:2])), str(r["questions"]), str(r["autograded"]),
                     str(r["written"]), f"{r['reference_max']:g}") for stem, r in report.items()]
    rows_all = report.values()
    total = (f"{sum(r['questions'] for r in rows_all)} questions, "
             f"{sum(r['autograded'] for r in rows_all)} autograded "
             f"({sum(r['reference_max'] for r in rows_all):g} points) and "
             f"{sum(r['written'] for r in rows_all)} written")
    assert total in " ".join(section.split())
