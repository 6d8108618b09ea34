"""The benchmark's budgets in CI, and the instructor guide's figures tied to a real measurement.

- ``benchmarks/bench.py --quick`` runs here (every notebook in a fresh kernel, every experiment's
  widget update over its controls, the engine's training step) and must meet every budget:
  each notebook under 10 s, the book under 60 s, each widget update under 100 ms at p95.
- The guide's measured section (``benchmarks/reference/classroom.md``, included by
  ``book/instructor-guide.md``) must be exactly what ``bench.py --record`` renders from the
  recorded result file, and that record must cover the book as it is now.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench  # noqa: E402
import classroom  # noqa: E402
import engine_step  # noqa: E402
import notebook_runs  # noqa: E402

REFERENCE = ROOT / "benchmarks" / "reference"
RERECORD = "re-measure with `make bench-record` (python benchmarks/bench.py --record)"


def recorded() -> dict:
    return json.loads((REFERENCE / "bench.json").read_text())


@pytest.mark.slow
def test_quick_benchmark_meets_its_budgets(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick",
                             "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT,
                            timeout=1800)
    report = (tmp_path / "bench.md").read_text() if (tmp_path / "bench.md").exists() else ""
    print("\n" + report)
    assert report, result.stdout[-3000:] + result.stderr[-3000:]
    results = json.loads((tmp_path / "bench.json").read_text())
    # the result file covers the whole book and every experiment
    from knobs.experiments import ALL

    assert [r["notebook"] for r in results["notebooks"]["runs"]] == [
        str(p.relative_to(ROOT)) for p in notebook_runs.toc_notebooks()]
    assert [w["experiment"] for w in results["widgets"]] == [e.name for e in ALL]
    assert [e["model"] for e in results["engine"]] == [m.name for m in engine_step.MODELS] * 2
    for e in results["engine"]:
        assert e["max_update_difference"] < 1e-10, "the loop reference computes the same step"
        assert e["loop_over_engine"] > 0 and e["engine_over_matmul"] > 0
    missed = [c for c in results["budgets"] if not c["ok"]]
    assert result.returncode == (1 if missed else 0), result.stderr[-3000:]
    assert not missed, "budgets missed:\n" + "\n".join(
        f"{c['budget']}: {c['value']:.1f} {c['unit']} (limit {c['limit']:g})" for c in missed)


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
