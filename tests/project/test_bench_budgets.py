"""The instructor guide's figures tied to a real measurement.

The budgets themselves (each notebook under 10 s, the book under 60 s, each widget update under
100 ms at p95) are wall-clock measurements: ``make bench`` measures, reports and enforces them
(exit status 1 on a missed budget). They are not part of ``make test``, where a busy machine
would fail them for reasons no change caused. What is checked here cannot depend on the clock:

- The guide's measured section (``benchmarks/reference/classroom.md``, included by
  ``book/instructor-guide.md``) must be exactly what ``bench.py --record`` renders from the
  recorded result file, and that record must cover the book as it is now.
"""

from __future__ import annotations

import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench  # noqa: E402
import classroom  # noqa: E402
import engine_step  # noqa: E402
import notebook_runs  # noqa: E402

from knobs.ui.experiments import ALL  # noqa: E402

REFERENCE = ROOT / "benchmarks" / "reference"
RERECORD = "re-measure with `make bench-record` (python benchmarks/bench.py --record)"


def recorded() -> dict:
    return json.loads((REFERENCE / "bench.json").read_text())


def test_guide_section_is_rendered_from_the_recorded_measurement():
    assert (REFERENCE / "classroom.md").read_text() == bench.render_guide(recorded()), (
        "benchmarks/reference/classroom.md was edited by hand or is stale: " + RERECORD)
    guide = (ROOT / "book" / "instructor-guide.md").read_text()
    assert "../benchmarks/reference/classroom.md" in guide, "the guide includes the section"


def test_recorded_measurement_is_a_full_classroom_run_of_the_current_book():
    results = recorded()
    assert not results["quick"], "the guide quotes a full run"
    book = [str(p.relative_to(ROOT)) for p in notebook_runs.toc_notebooks()]
    assert [r["notebook"] for r in results["notebooks"]["runs"]] == book, (
        "the book's notebooks changed since the recorded measurement: " + RERECORD)
    load = results["classroom"]
    assert load["students"] >= 8 and load["plan"] == "all"
    assert load["notebooks"] == book
    assert load["failures"] == []
    assert load["runs"] == load["expected_runs"] == load["students"] * len(book)
    # the capacity figures follow from the recorded data, not from an edit
    assert load["capacity"] == classroom.capacity(load, load["capacity"]["server_rss_bytes"])


def test_recorded_widgets_are_every_experiment_with_the_chapter_that_shows_it():
    # the chapter comes from the notebooks' widget state, as the website reads it
    chapters = notebook_runs.experiment_chapters()
    assert sorted(chapters) == sorted(e.name for e in ALL)
    assert {w["experiment"]: w["chapter"] for w in recorded()["widgets"]} == chapters, (
        "the experiments or their chapters changed since the recorded measurement: " + RERECORD)


def test_budget_verdicts_follow_the_measured_values():
    """``make bench`` fails on exactly the budgets a result misses (no clock involved here)."""
    results = {
        "notebooks": {"runs": [{"notebook": "a", "seconds": 9.9, "ok": True},
                               {"notebook": "b", "seconds": 10.0, "ok": True},
                               {"notebook": "c", "seconds": 1.0, "ok": False}],
                      "total_s": 20.9},
        "widgets": [{"experiment": "fast", "p95_ms": 99.0}, {"experiment": "slow",
                                                              "p95_ms": 100.5}],
    }
    verdicts = {c["budget"]: c["ok"] for c in bench.check_budgets(results)}
    assert verdicts == {"notebook a": True, "notebook b": False, "notebook c": False,
                        "whole book": True, "widget fast p95": True, "widget slow p95": False}


@pytest.mark.parametrize("spec", engine_step.MODELS, ids=[m.name for m in engine_step.MODELS])
def test_the_benchmark_loop_reference_computes_the_engine_step(spec):
    # the per-sample loop the benchmark times against the engine is the same computation
    assert engine_step.check_same_update(spec, seed=0) < 1e-10
