"""The classroom simulation (benchmarks/classroom.py): its plan, its arithmetic, and a real run.

The real run in the test suite is the bounded one: K = 8 students start together and share the
book's notebooks out (``plan="share"``), so every notebook of ``_toc.yml`` runs while eight
kernels are busy, for about one book's worth of work. ``make bench`` runs the full classroom
(every student runs every notebook) and records the figures the instructor guide quotes.
"""

from __future__ import annotations

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import classroom  # noqa: E402
import notebook_runs  # noqa: E402

STUDENTS = 8
GIB, MIB = 1024**3, 1024**2


@pytest.mark.parametrize("n_notebooks", [1, 5, 8, 13, 16, 23])
def test_share_plan_runs_every_notebook_with_equal_work(n_notebooks):
    notebooks = [f"nb{i}" for i in range(n_notebooks)]
    work = classroom.plan(notebooks, STUDENTS, "share")
    assert len(work) == STUDENTS
    assert len({len(w) for w in work}) == 1, "every student has the same number of notebooks"
    assert {nb for w in work for nb in w} == set(notebooks)
    assert len(work[0]) == -(-n_notebooks // STUDENTS)


def test_all_plan_gives_every_student_the_whole_book_in_order():
    notebooks = ["a", "b", "c"]
    assert classroom.plan(notebooks, 9, "all") == [notebooks] * 9
    with pytest.raises(ValueError, match="plan must be"):
        classroom.plan(notebooks, 9, "some")


def test_capacity_arithmetic():
    load = {"students": 8, "cpus": 2, "wall_s": 40.0, "runs": 32,
            "kernel_peak_rss_bytes": {"max": 150 * MIB},
            "per_notebook": {"a": {"wall_s_max": 12.0}, "b": {"wall_s_max": 20.0}}}
    cap = classroom.capacity(load, server_rss_bytes=100 * MIB, budget_s=10.0, session_s=3600.0)
    # 2 cores for 40 s shared by 8 students: 10 core-seconds each for the whole book, so one
    # core gives 360 students a pass through the book in an hour
    assert cap["core_s_per_student_book"] == 10.0 and cap["students_per_core"] == 360
    # 80 core-seconds for 32 chapter runs: 2.5 each; 4 at once fit in 10 s on one core
    assert cap["core_s_per_run"] == 2.5 and cap["students_per_core_at_once"] == 4
    assert cap["slowest_notebook"] == "b" and cap["students_per_core_measured"] == 4
    # 100 MiB server + 150 MiB kernel = 250 MiB per student: 1024 / 250 = 4.1 -> 4 per GiB
    assert cap["per_student_bytes"] == 250 * MIB and cap["students_per_gib"] == 4


@pytest.mark.slow
def test_a_classroom_of_eight_runs_the_book_without_failure():
    notebooks = notebook_runs.toc_notebooks()
    load = classroom.simulate(STUDENTS, "share", notebooks, env=classroom.ONE_BLAS_THREAD)
    print(f"\nclassroom: {load['students']} students, {load['runs']} runs, "
          f"{len(load['failures'])} failures, wall {load['wall_s']:.0f} s, peak kernel memory "
          f"{load['kernel_peak_rss_bytes']['max'] / MIB:.0f} MiB, all kernels at once "
          f"{load['all_kernels_peak_bytes'] / MIB:.0f} MiB ({load['all_kernels_peak_count']} "
          f"kernels)")
    assert load["failures"] == [], load["failures"]
    assert load["runs"] == load["expected_runs"] >= len(notebooks)
    ran = set(load["per_notebook"])
    assert ran == {str(p.relative_to(ROOT)) for p in notebooks}, "every notebook ran"
    # the load was real: all eight kernels were alive at the same moment (they meet at a
    # barrier before any cell runs, so this holds on a slow or busy machine too)
    assert load["most_kernels_at_once"] >= STUDENTS
    assert 0 < load["kernel_peak_rss_bytes"]["max"] < GIB
