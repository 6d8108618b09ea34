"""Assignments a teacher can hand out and grade: one per chapter, built from its exercises.

    make assignments                  # every chapter of _toc.yml -> _build/assignments/
    python tools/assignments.py book/part1/05-normalization.ipynb --out /tmp/assignments

Runs in the grading environment (``.venv-grading``, from ``requirements-grading.txt``): the
autograder is otter-grader. For every chapter this tool writes an otter *master notebook* from the
chapter's own cells, nothing copied by hand:

- the setup: the chapter's imports cell, pruned to the names the exercises use, and the chapter's
  cells that define anything else they use (chapter 13's five training trials, for instance);
- one question per ``{exercise}``: its text as plain Markdown (``tools/colab_variant.py``'s
  conversion, so it reads the same in any Jupyter); an exercise with a code cell is *autograded*:
  the student's cell as the prompt, the gated solution's code as the solution, the placeholder
  bound to what the solution passes to the same self-check (``ch05.check_orthogonal_part(...)``),
  and one hidden test per self-check call. A hidden test asks the engine's own check
  (``knobs.ui.exercises``), so the expected value, its tolerance and its rounding rule
  (``decimals=3``: an answer rounded as asked gets the mark) are the book's; where the answer is a
  function, the hidden test calls it on new inputs (``FRESH_SEEDS``), not on the self-check's.
  An exercise without a code cell (explain, derive, show) is a *written* question: otter's manual
  question, graded by the teacher, not by the autograder, and the notebook says so.

``otter assign`` turns each master into ``student/<chapter>.ipynb`` (no solution, no hidden test,
no output) and ``autograder/<chapter>-autograder.zip`` (the hidden tests; ``otter run`` grades a
submission with it, no Docker); ``solutions/<chapter>.ipynb`` is otter's solution notebook without
its markers. Then the tool grades, for every chapter, the solutions (full marks), the untouched
student notebook (zero) and the solutions with the first autograded answer deliberately wrong
(partial), two gradings at a time, and writes ``selfcheck.json``. It stops with a message where a
chapter does not fit this shape (a code cell without a solution's code, a self-check the solution
does not call), so that a new exercise is made gradable deliberately.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import copy
import importlib
import inspect
import io
import json
import logging
import os
import pathlib
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: tools/ imports as a package
    sys.path.insert(0, str(ROOT))

from tools.colab_setup import chapter_notebooks, is_setup_cell  # noqa: E402
from tools.colab_variant import Converter, directives  # noqa: E402
from tools.solution_cells import gated_code_cells  # noqa: E402

OUT = ROOT / "_build" / "assignments"
# The hidden tests' inputs for a function: other seeds than the self-check's (ch16._CASES_SEED),
# so a function that only reproduces the self-check's cases loses the mark.
FRESH_SEEDS = (20261, 20262, 20263)
WORKERS = 2
# names a notebook has without defining them (IPython's display)
KERNEL_NAMES = set(dir(builtins)) | {"display", "get_ipython"}
WRITTEN = ("_Written answer: your teacher grades it (the autograder does not). Type it in the "
           "cell below._")
CONFIG = """# ASSIGNMENT CONFIG
name: {name}
init_cell: false
check_all_cell: false
export_cell: false
run_tests: false
solutions_pdf: false
tests:
  files: false
  ok_format: false
"""


class NotGradable(ValueError):
    """A chapter's exercise section that this tool cannot turn into an assignment as it is."""


# -- reading a chapter's exercises -----------------------------------------------------------

@dataclass
class Exercise:
    label: str
    number: str                      # "5.2", as the book numbers it
    title: str
    statement: str                   # plain Markdown
    heading: str = ""                # a section heading just before it ("### Part II: ...")
    student: list[str] = field(default_factory=list)     # the reader's code cells
    reference: list[str] = field(default_factory=list)   # the gated solution's code cells
    solution: str = ""               # the solution's text, plain Markdown

    @property
    def name(self) -> str:
        """otter's question name: the exercise's label as an identifier."""
        return re.sub(r"\W", "_", self.label)

    @property
    def autograded(self) -> bool:
        return bool(self.student)


def _source(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def exercise_start(nb) -> int:
    """Index of the markdown cell that opens ``## Exercises``."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and re.search(r"^## Exercises\s*$", _source(cell), re.M):
            return i
    raise NotGradable("no '## Exercises' section")


def read_exercises(path: pathlib.Path, nb) -> list[Exercise]:
    """The chapter's exercises in order, each with its student cell, solution code and text."""
    conv = Converter(path, nb)
    start = exercise_start(nb)
    in_solutions = set(gated_code_cells(nb))
    found: list[Exercise] = []
    gated: Exercise | None = None     # the exercise whose gated solution is open
    heading: list[str] = []
    for i, cell in enumerate(nb.cells[start:], start):
        if cell.cell_type == "code":
            if i in in_solutions:
                if gated is None:
                    raise NotGradable(f"{path.name}: cell {i} is in a solution of no exercise")
                gated.reference.append(_source(cell))
            elif found:
                found[-1].student.append(_source(cell))
            continue
        if cell.cell_type != "markdown":
            continue
        text = _source(cell)
        if cell is nb.cells[start]:
            text = text[re.search(r"^## Exercises\s*$", text, re.M).end():]
        for name, arg, options, body in directives(text):
            if name is None:
                after = re.search(r"^## ", body, re.M)   # the next section: the exercises end
                before = body[:after.start()] if after else body
                if gated is not None:
                    gated.solution += conv.roles(before)
                elif before.strip():
                    heading.append(conv.roles(before).strip())
                if after:
                    if gated is not None:
                        raise NotGradable(f"{path.name}: the solution of {gated.label} never ends")
                    return found
            elif name == "exercise":
                label = options.get("label") or ""
                if label not in conv.numbers:
                    raise NotGradable(f"{path.name}: an exercise without a :label:")
                found.append(Exercise(label, conv.numbers[label], conv.roles(arg),
                                      conv.markdown_body(body), "\n\n".join(heading)))
                heading = []
            elif name in ("solution", "solution-start"):
                exercise = next((e for e in found if e.label == arg), None)
                if exercise is None:
                    raise NotGradable(f"{path.name}: a solution to {arg!r}, which is no exercise")
                exercise.solution += conv.markdown_body(body)
                gated = exercise if name == "solution-start" else None
            elif name == "solution-end":
                gated = None
            else:
                raise NotGradable(f"{path.name}: directive {{{name}}} in the exercises")
    if gated is not None:
        raise NotGradable(f"{path.name}: the solution of {gated.label} never ends")
    return found


# -- the code: placeholders, self-checks, what the solution passes them -----------------------

def _check_calls(tree: ast.AST, module: str) -> list[ast.Call]:
    """Calls of ``<module>.check_*(...)`` in ``tree``, in source order."""
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute) and node.func.attr.startswith("check_")
             and isinstance(node.func.value, ast.Name) and node.func.value.id == module]
    return sorted(calls, key=lambda c: (c.lineno, c.col_offset))


def _is_placeholder(stmt: ast.stmt) -> bool:
    """``my_x = None`` / ``a, b = None, None`` / ``def f(...): return None``."""
    def none(node):
        return (isinstance(node, ast.Constant) and node.value is None) or (
            isinstance(node, ast.Tuple) and all(none(e) for e in node.elts))
    if isinstance(stmt, ast.Assign):
        return none(stmt.value)
    if isinstance(stmt, ast.FunctionDef):
        return (len(stmt.body) == 1 and isinstance(stmt.body[0], ast.Return)
                and (stmt.body[0].value is None or none(stmt.body[0].value)))
    return False


@dataclass
class StudentCell:
    """A reader's code cell, split into what the student gets and what the grader asks."""

    data: str          # lines before the placeholders (the exercise's data), kept
    prompt: str        # the placeholders, replaced by the solution
    checks: str        # the self-check calls, kept
    answers: list[str]            # the placeholder names, in order
    functions: set[str]           # those that are functions
    calls: list[ast.Call]         # the self-check calls


def split_student_cell(source: str, module: str, label: str) -> StudentCell:
    """Split an exercise's code cell into its data, its placeholders and its self-checks (the
    order every chapter writes them in; another order stops the tool)."""
    tree = ast.parse(source)
    kinds = []
    for stmt in tree.body:
        if _check_calls(stmt, module) and isinstance(stmt, ast.Expr):
            kinds.append("check")
        elif _is_placeholder(stmt):
            kinds.append("placeholder")
        else:
            kinds.append("data")
    order = "".join({"data": "d", "placeholder": "p", "check": "c"}[k] for k in kinds)
    if not re.fullmatch(r"d*p+c+", order):
        raise NotGradable(f"{label}: its code cell is not 'data, placeholders (= None), "
                          f"self-checks' in that order")
    lines = source.splitlines()
    first_p = tree.body[kinds.index("placeholder")].lineno - 1
    first_c = tree.body[kinds.index("check")].lineno - 1
    placeholders = [s for s, k in zip(tree.body, kinds, strict=True) if k == "placeholder"]
    answers = [name for s in placeholders
               for name in ([s.name] if isinstance(s, ast.FunctionDef)
                            else sorted(_defined(s), key=source.find))]
    return StudentCell(
        data="\n".join(lines[:first_p]).rstrip(),
        prompt="\n".join(lines[first_p:first_c]).rstrip(),
        checks="\n".join(lines[first_c:]).rstrip(),
        answers=answers,
        functions={s.name for s in placeholders if isinstance(s, ast.FunctionDef)},
        calls=_check_calls(tree, module))


def _unify(student: ast.expr, reference: ast.expr, answers: list[str]) -> list[str]:
    """Assignments that make the student's argument what the solution passes to the same check:
    ``my_x`` against ``b - b.mean()`` gives ``my_x = b - b.mean()``."""
    if isinstance(student, ast.Name):
        if student.id not in answers or (isinstance(reference, ast.Name)
                                         and reference.id == student.id):
            return []
        return [f"{student.id} = {ast.unparse(reference)}"]
    if isinstance(student, ast.IfExp):   # `None if my_dW is None else (my_dW, my_db)`
        return _unify(student.orelse, reference, answers)
    if isinstance(student, ast.Tuple) and all(isinstance(e, ast.Name) for e in student.elts):
        if isinstance(reference, ast.Tuple) and len(reference.elts) == len(student.elts):
            return [line for s, r in zip(student.elts, reference.elts, strict=True)
                    for line in _unify(s, r, answers)]
        return [f"{ast.unparse(student)} = {ast.unparse(reference)}"]
    if {n.id for n in ast.walk(student) if isinstance(n, ast.Name)} & set(answers):
        raise NotGradable(f"cannot read the answer out of {ast.unparse(student)!r}")
    return []


def solution_code(exercise: Exercise, cell: StudentCell, module: str) -> str:
    """The gated solution's code without its self-check calls, then the placeholders bound to
    what it passed to them."""
    kept, bindings = [], []
    ref_calls: dict[str, ast.Call] = {}
    for source in exercise.reference:
        tree = ast.parse(source)
        for call in _check_calls(tree, module):
            ref_calls[call.func.attr] = call          # the last call of each check counts
        lines = source.splitlines()
        drop = set()
        for stmt in tree.body:
            if isinstance(stmt, ast.Expr) and _check_calls(stmt, module):
                drop.update(range(stmt.lineno - 1, stmt.end_lineno))
        kept.append("\n".join(line for i, line in enumerate(lines) if i not in drop).strip())
    for call in cell.calls:
        ref = ref_calls.get(call.func.attr)
        if ref is None:
            raise NotGradable(f"{exercise.label}: the solution never calls "
                              f"{module}.{call.func.attr}, so its answer is unknown")
        for s_arg, r_arg in zip(call.args, ref.args, strict=False):
            bindings += _unify(s_arg, r_arg, cell.answers)
    unbound = [a for a in cell.answers if a not in cell.functions
               and not any(re.match(rf"(\w+, )*{a}\b", b) for b in bindings)]
    missing_functions = [f for f in cell.functions
                         if not any(re.search(rf"^def {f}\(", s, re.M) for s in kept)]
    if unbound or missing_functions:
        raise NotGradable(f"{exercise.label}: the solution gives no value for "
                          f"{unbound + missing_functions}")
    return "\n\n".join([k for k in kept if k] + ["\n".join(bindings)]).strip()


def hidden_tests(exercise: Exercise, cell: StudentCell, module: str) -> list[str]:
    """One exception-based otter test per self-check call: the engine's check must pass; for a
    function, on the new inputs of every seed in FRESH_SEEDS."""
    tests = []
    for k, call in enumerate(cell.calls, 1):
        values = call.args + [kw.value for kw in call.keywords]
        args = ", ".join([ast.unparse(a) for a in call.args]
                         + [f"{kw.arg}={ast.unparse(kw.value)}" for kw in call.keywords])
        params = sorted({n.id for a in values for n in ast.walk(a)
                         if isinstance(n, ast.Name) and n.id not in KERNEL_NAMES})
        functions = [p for p in params if p in cell.functions]
        header = ('""" # BEGIN TEST CONFIG\nhidden: true\npoints: 1\n""" # END TEST CONFIG\n')
        name = f"test_{exercise.name}_{k}_{call.func.attr}"
        if functions:
            check = getattr(importlib.import_module(f"knobs.ui.exercises.{module}"),
                            call.func.attr)
            if "seed" not in inspect.signature(check).parameters:
                raise NotGradable(f"{exercise.label}: {module}.{call.func.attr} checks a "
                                  "function, so it must take seed= (the hidden test's inputs)")
            body = (f"def {name}_on_new_inputs({', '.join(params)}):\n"
                    f"    from knobs.ui.exercises import {module}\n"
                    f"    for seed in {FRESH_SEEDS!r}:\n"
                    f"        result = {module}.{call.func.attr}({args}, seed=seed)\n"
                    f"        assert result.passed, f'new inputs (seed {{seed}}): "
                    f"{{result.message}}'\n")
        else:
            body = (f"def {name}({', '.join(params)}):\n"
                    f"    from knobs.ui.exercises import {module}\n"
                    f"    result = {module}.{call.func.attr}({args})\n"
                    f"    assert result.passed, result.message\n")
        tests.append(header + body)
    return tests


# -- the setup: only what the exercises use ----------------------------------------------------

def _loaded(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _defined(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):     # a function's or lambda's parameter
            names.add(node.arg)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _free(sources: list[str]) -> set[str]:
    trees = [ast.parse(s) for s in sources]
    used = set().union(*(_loaded(t) for t in trees)) if trees else set()
    return used - set().union(*(_defined(t) for t in trees)) - KERNEL_NAMES


def _modules(tree: ast.AST) -> set[str]:
    """The names that ``import`` statements bind (``np``, ``knobs``, ``accounting``)."""
    return {(a.asname or a.name).split(".")[0] for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom) for a in node.names}


def _base(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _changed(tree: ast.AST, modules: set[str]) -> set[str]:
    """Names whose object a cell may change without rebinding them: an item or attribute
    assigned (``model[2].W[...] = 0.5``), or the name handed first to a function whose result
    is dropped or that runs in a loop (``for ...: knobs.train_step(field, ...)``), a function of
    a module or a bare one. A call whose result is kept, outside a loop (``fig =
    budget.draw_trials(result)``), and a method of another object (``ax.plot(x, y)``) do not
    count: they read, they do not train."""
    def handed(call) -> set[str]:
        if isinstance(call, ast.Call) and (isinstance(call.func, ast.Name) or (
                isinstance(call.func, ast.Attribute) and _base(call.func) in modules)):
            first = call.args[0] if call.args else None
            return {first.id} if isinstance(first, ast.Name) else set()
        return set()

    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {_base(t) for t in targets if isinstance(t, ast.Attribute | ast.Subscript)}
        elif isinstance(node, ast.Expr):
            names |= handed(node.value)
        elif isinstance(node, ast.For | ast.While):
            names |= set().union(*(handed(n) for n in ast.walk(node)))
    return names - {None}


def setup_code(nb, start: int, exercises: list[Exercise], module: str) -> list[str]:
    """The chapter's code before its exercises that they need: the imports cell pruned to the
    names used, and every later cell that defines or changes a name used (with what it needs
    in turn), walking back from the exercises."""
    code = [(i, _source(c)) for i, c in enumerate(nb.cells[:start])
            if c.cell_type == "code" and not is_setup_cell(c)]
    if not code:
        return []
    # what the hidden tests read from the notebook is in the student cells' self-check calls
    needed = _free([s for e in exercises for s in e.student + e.reference])
    imports = ast.parse(code[0][1])
    modules = _modules(imports)
    chosen: list[str] = []
    for _, source in reversed(code[1:]):
        tree = ast.parse(source)
        # the imports cell's names (rng among them) change in many cells; none of it matters
        changed = _changed(tree, modules) - _defined(imports)
        if (_defined(tree) | changed) & needed:
            needed = (needed - _defined(tree)) | _free([source])
            chosen.insert(0, source)
    # the imports cell (the chapter's first), statement by statement, from its end
    source = code[0][1]
    kept = []
    for stmt in reversed(ast.parse(source).body):
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            aliases = [a for a in stmt.names if (a.asname or a.name).split(".")[0] in needed]
            if aliases:
                kept.insert(0, ast.unparse(type(stmt)(**{**stmt.__dict__, "names": aliases})))
        elif _defined(stmt) & needed:
            kept.insert(0, ast.get_source_segment(source, stmt) + _trailing_comment(source, stmt))
            needed |= _loaded(stmt)
    return ["\n".join(kept), *chosen]


def _trailing_comment(source: str, stmt: ast.stmt) -> str:
    line = source.splitlines()[stmt.end_lineno - 1]
    comment = line[stmt.end_col_offset:]
    return comment if comment.strip().startswith("#") else ""


# -- the master notebook in otter's format -----------------------------------------------------

def _raw(text: str):
    return nbformat.v4.new_raw_cell(text)


INTRO = """# Assignment {n}: {title}

The exercises of Chapter {n} of *Weights and Biases*: {auto} autograded, {written} written. Run
the setup cell first. In an autograded exercise, replace each placeholder (`= None`) with your
answer and run the cell: its check tells you whether your answer matches the engine's result,
never what the result is. Your teacher grades the notebook with hidden tests that ask the same
checks; where your answer is a function, they call it on new inputs. Round only where a question
asks you to. Your teacher grades the written answers."""


def question_cells(e: Exercise, module: str) -> list:
    """One exercise as an otter question: its text, the prompt, the solution, the hidden tests."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    solution = md(f"**Solution.** {e.solution.strip()}")
    if e.autograded:
        if len(e.student) != 1:
            raise NotGradable(f"{e.label}: {len(e.student)} code cells; one is expected")
        if not e.reference:
            raise NotGradable(f"{e.label}: a code cell, but no code in its solution (make it a "
                              "gated solution that calls the same check)")
        cell = split_student_cell(e.student[0], module, e.label)
        tests = hidden_tests(e, cell, module)
        config = f"name: {e.name}\npoints: {len(tests)}"
        note = (f"_Autograded: {len(tests)} point{'s' if len(tests) > 1 else ''}, one per check "
                "in the cell below._")
        answer = code("\n".join(part for part in (
            cell.data, f'""" # BEGIN PROMPT\n{cell.prompt}\n"""  # END PROMPT',
            f"# BEGIN SOLUTION NO PROMPT\n{solution_code(e, cell, module)}\n# END SOLUTION",
            cell.checks) if part))
        answer.metadata["knobs_assignment"] = {"question": e.name, "answers": cell.answers}
        body = [solution, answer]
    else:
        tests = []
        config = f"name: {e.name}\nmanual: true\npoints: 1"
        note = WRITTEN
        # the solution's code, if any, runs in the solutions copy; the student gets empty cells
        body = [solution] + [code(f"# BEGIN SOLUTION NO PROMPT\n{s.strip()}\n# END SOLUTION")
                             for s in e.reference]
    title = f" ({e.title})" if e.title else ""
    cells = [md(e.heading)] if e.heading else []
    cells += [_raw(f"# BEGIN QUESTION\n{config}"),
              md(f"### Exercise {e.number}{title}\n\n{e.statement}\n\n{note}"),
              _raw("# BEGIN SOLUTION"), *body, _raw("# END SOLUTION")]
    if tests:
        cells += [_raw("# BEGIN TESTS"), *[code(t) for t in tests], _raw("# END TESTS")]
    return cells + [_raw("# END QUESTION")]


def master_notebook(path: pathlib.Path) -> tuple[nbformat.NotebookNode, list[Exercise]]:
    """The chapter's otter master notebook (assignment config, setup, one question per
    exercise) and its exercises."""
    nb = nbformat.read(path, as_version=4)
    stem, module = path.stem, f"ch{int(path.stem[:2]):02d}"
    exercises = read_exercises(path, nb)
    title = re.search(r"^# (.+)$", _source(nb.cells[0]), re.M)
    auto = sum(e.autograded for e in exercises)
    setup = setup_code(nb, exercise_start(nb), exercises, module)
    cells = [_raw(CONFIG.format(name=stem)),
             nbformat.v4.new_markdown_cell(INTRO.format(
                 n=int(stem[:2]), title=title[1] if title else stem, auto=auto,
                 written=len(exercises) - auto)),
             nbformat.v4.new_markdown_cell("## Setup\n\nThe chapter's imports, and the cells "
                                           "of the chapter that the exercises use."),
             *[nbformat.v4.new_code_cell(s) for s in setup],
             nbformat.v4.new_markdown_cell("## Exercises")]
    for e in exercises:
        cells += question_cells(e, module)
    source = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name
    master = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "knobs_assignment": {"source": source,
                             "written_by": "tools/assignments.py (make assignments); do not edit"}})
    return master, exercises


# -- otter assign, the solutions copy, the deliberately wrong notebook -------------------------

PROMPT_BLOCK = re.compile(r'^""" # BEGIN PROMPT\n.*?^"""  # END PROMPT\n', re.M | re.S)
MARKER = re.compile(r"^# (BEGIN SOLUTION NO PROMPT|END SOLUTION)\n?", re.M)


def solutions_copy(autograder_nb) -> nbformat.NotebookNode:
    """otter's autograder notebook (the solutions) without otter's prompt and solution markers."""
    nb = copy.deepcopy(autograder_nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = MARKER.sub("", PROMPT_BLOCK.sub("", cell.source)).strip()
    return nb


WRONG = '''def _deliberately_wrong(value):
    """Every number moved by 1 + |x|/2 (a set gains an element, a function's results move)."""
    import numpy as np
    if callable(value):
        return lambda *args: _deliberately_wrong(value(*args))
    if isinstance(value, set | frozenset):
        return set(value) | {123.456}
    if isinstance(value, tuple):
        return tuple(_deliberately_wrong(v) for v in value)
    if isinstance(value, int):
        return value + 1 + abs(value) // 2
    x = np.asarray(value, dtype=float)
    return x + 1.0 + 0.5 * np.abs(x)


{name} = _deliberately_wrong({name})'''


def wrong_notebook(solutions) -> tuple[nbformat.NotebookNode, str]:
    """The solutions with the first answer of the first autograded question deliberately wrong."""
    nb = copy.deepcopy(solutions)
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("knobs_assignment")
        if cell.cell_type == "code" and meta:
            # in the same cell: otter runs a question's hidden tests right after its cell
            cell.source += "\n\n" + WRONG.replace("{name}", meta["answers"][0])
            return nb, meta["question"]
    raise NotGradable("no autograded question")


def assign(master_path: pathlib.Path, out: pathlib.Path) -> dict[str, pathlib.Path]:
    """``otter assign`` into ``out``; the student notebook, autograder zip and solutions copy."""
    import otter.assign

    stem = master_path.stem.removesuffix("-master")
    result = out / "otter"
    shutil.rmtree(result, ignore_errors=True)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        otter.assign.main(str(master_path), str(result), no_pdfs=True, no_run_tests=True)
    paths = {"student": out / "student" / f"{stem}.ipynb",
             "autograder": out / "autograder" / f"{stem}-autograder.zip",
             "solutions": out / "solutions" / f"{stem}.ipynb"}
    for p in paths.values():
        shutil.rmtree(p.parent, ignore_errors=True)
        p.parent.mkdir(parents=True)
    shutil.move(result / "student" / master_path.name, paths["student"])
    (zip_path,) = (result / "autograder").glob("*.zip")
    shutil.move(zip_path, paths["autograder"])
    ag_nb = nbformat.read(result / "autograder" / master_path.name, as_version=4)
    nbformat.write(solutions_copy(ag_nb), paths["solutions"])
    shutil.rmtree(result)
    return paths


def grade(submission: pathlib.Path, autograder: pathlib.Path) -> dict:
    """``otter run`` (no Docker) on one notebook: its score, the maximum, per question, seconds."""
    import otter.run

    start = time.perf_counter()
    logging.disable(logging.WARNING)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        results = otter.run.main(str(submission), autograder=str(autograder), output_dir=None,
                                 no_logo=True)
    error = results.catastrophic_error
    return {"score": float(results.total), "max": float(results.possible),
            "questions": {name: float(tf.score) for name, tf in results.results.items()},
            "error": None if error is None else repr(error),
            "seconds": round(time.perf_counter() - start, 2)}


def build(path: pathlib.Path, out: pathlib.Path) -> dict:
    """One chapter's assignment in ``out/<chapter>/``; what to grade for its self-check."""
    stem = path.stem
    folder = out / stem
    folder.mkdir(parents=True, exist_ok=True)
    master, exercises = master_notebook(path)
    master_path = folder / f"{stem}-master.ipynb"
    nbformat.write(master, master_path)
    paths = assign(master_path, folder)
    wrong, question = wrong_notebook(nbformat.read(paths["solutions"], as_version=4))
    (folder / "selfcheck").mkdir(exist_ok=True)
    wrong_path = folder / "selfcheck" / f"{stem}-wrong.ipynb"
    nbformat.write(wrong, wrong_path)
    return {"chapter": stem, "paths": paths, "wrong": wrong_path, "wrong_question": question,
            "questions": len(exercises),
            "autograded": sum(e.autograded for e in exercises),
            "written": sum(not e.autograded for e in exercises)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="chapters (default: every one in _toc.yml)")
    parser.add_argument("--out", type=pathlib.Path, default=OUT, help=f"default: {OUT}")
    parser.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args(argv)
    paths = [pathlib.Path(p).resolve() for p in args.paths] or chapter_notebooks()
    start = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    built = [build(p, args.out) for p in paths]
    print(f"generated {len(built)} assignments in {time.perf_counter() - start:.1f} s", flush=True)
    jobs = [(b["chapter"], kind, sub, b["paths"]["autograder"]) for b in built
            for kind, sub in (("reference", b["paths"]["solutions"]),
                              ("blank", b["paths"]["student"]), ("wrong", b["wrong"]))]
    graded_start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(grade, sub, ag) for _, _, sub, ag in jobs]
        results = {(chapter, kind): f.result() for (chapter, kind, _, _), f in
                   zip(jobs, futures, strict=True)}
    report = []
    for b in built:
        ref, blank, wrong = (results[b["chapter"], k] for k in ("reference", "blank", "wrong"))
        report.append({
            "chapter": b["chapter"], "questions": b["questions"],
            "autograded": b["autograded"], "written": b["written"],
            "reference_score": ref["score"], "reference_max": ref["max"],
            "blank_score": blank["score"], "wrong_score": wrong["score"],
            "wrong_question": b["wrong_question"],
            "errors": [r["error"] for r in (ref, blank, wrong) if r["error"]],
            "grading_seconds": {k: results[b["chapter"], k]["seconds"]
                                for k in ("reference", "blank", "wrong")},
            "reference_questions": ref["questions"]})
        print(f"{b['chapter']:42} {b['questions']:2d} questions ({b['autograded']} autograded): "
              f"reference {ref['score']:g}/{ref['max']:g}, blank {blank['score']:g}, "
              f"wrong {wrong['score']:g}", flush=True)
    (args.out / "selfcheck.json").write_text(json.dumps(report, indent=1) + "\n",
                                             encoding="utf-8")
    print(f"graded {len(jobs)} notebooks in {time.perf_counter() - graded_start:.1f} s "
          f"({args.workers} at a time); total {time.perf_counter() - start:.1f} s -> "
          f"{args.out / 'selfcheck.json'}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    sys.exit(main())
