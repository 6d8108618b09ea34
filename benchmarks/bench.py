"""The book's benchmark: one command, one JSON result file, one table, budgets enforced.

    python benchmarks/bench.py            # full: notebooks, widgets, engine, classroom (K = 8)
    python benchmarks/bench.py --quick    # CI: notebooks, widgets on a coarser grid, engine
    python benchmarks/bench.py --record   # full, and store it as the instructor guide's reference

``make bench`` runs the first. Results go to ``benchmarks/results/bench.json`` and
``benchmarks/results/bench.md``. The exit status is 1 when a budget is missed, a notebook fails,
or a classroom run fails:

- every notebook, top to bottom in a fresh kernel (start-up and shutdown included, as
  ``tools/refresh_notebooks.py`` times it), under 10 s, and the whole book under 60 s;
- every live experiment's update (``knobs.ui.widgets.outputs``: compute, draw, PNG) under 100 ms at
  the 95th percentile over its controls' ranges.

Everything comes from ``_toc.yml`` and ``knobs.ui.experiments.ALL``: a new chapter or experiment is
benchmarked with no change here.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import statistics
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import notebook_runs  # noqa: E402

ROOT = notebook_runs.ROOT
RESULTS = HERE / "results"
REFERENCE = HERE / "reference"
BUDGETS = {"notebook_s": 10.0, "book_s": 60.0, "widget_p95_ms": 100.0}
MIB = 1024**2


# ----------------------------------------------------------------------------------- measuring

def bench_notebooks(paths) -> dict:
    """Each notebook once, in order, each in a fresh kernel; sequential so nothing competes."""
    runs = []
    for path in paths:
        run, _ = notebook_runs.execute(path)
        runs.append(run.to_dict())
        print(f"  {run.seconds:6.2f} s  {run.peak_rss_bytes / MIB:6.0f} MiB  "
              f"{'ok' if run.ok else 'FAILED'}  {run.notebook}", flush=True)
    return {"runs": runs, "total_s": sum(r["seconds"] for r in runs)}


def percentile(values, q: float) -> float:
    """The q-th percentile, linear interpolation between closest ranks (NumPy's default)."""
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=float), q))


def bench_widgets(points: int, breakdown: str = "always") -> list[dict]:
    """Latency of one widget update per experiment, each control swept over its range.

    The timed call is ``knobs.ui.widgets.outputs(experiment, values)``, what the widget runs when a
    control moves: compute, draw the figure, render it to PNG (``knobs.ui.redraw``, which reuses a
    rendered background when the axes did not change). What the widget does when it is
    displayed comes first, untimed (``knobs.ui.widgets.prepare``: the figure at the defaults and
    a background for each combination of its menus); no student waits for that after. The
    steps are then timed apart on the same values, to show where the time goes
    (``breakdown="always"``, or ``"never"`` in the quick mode).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from knobs.ui.experiments import ALL
    from knobs.ui.plotting import use_book_style
    from knobs.ui.widgets import outputs, prepare, redrawer

    use_book_style()  # as every chapter's imports cell
    chapters = notebook_runs.experiment_chapters()
    results = []
    for experiment in ALL:
        prepare(experiment)  # as the widget, when it is displayed
        settings = [experiment.defaults() | {c.name: v} for c in experiment.controls
                    for v in c.sample(points)]
        cache = redrawer(experiment)
        before = (cache.hits, cache.misses, cache.full)
        wall, cpu, parts = [], [], {"compute": [], "draw": [], "png": []}
        for values in settings:
            t0, c0 = time.perf_counter(), time.process_time()
            outputs(experiment, values)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        hits, misses, full = (after - b for after, b in
                              zip((cache.hits, cache.misses, cache.full), before, strict=True))
        for values in settings if breakdown == "always" else []:
            t0 = time.perf_counter()
            numbers = experiment.run(**values)
            t1 = time.perf_counter()
            fig = experiment.draw(numbers)
            t2 = time.perf_counter()
            cache.png(fig)
            t3 = time.perf_counter()
            plt.close(fig)
            parts["compute"].append(t1 - t0)
            parts["draw"].append(t2 - t1)
            parts["png"].append(t3 - t2)
        result = {
            "experiment": experiment.name, "chapter": chapters[experiment.name],
            "updates": len(wall), "background_hits": hits, "background_misses": misses,
            "full_renders": full,
            "median_ms": 1e3 * statistics.median(wall), "p95_ms": 1e3 * percentile(wall, 95),
            "max_ms": 1e3 * max(wall), "cpu_median_ms": 1e3 * statistics.median(cpu),
            **{f"{k}_median_ms": 1e3 * statistics.median(v) if v else None
               for k, v in parts.items()},
        }
        results.append(result)
        print(f"  {result['median_ms']:6.0f} ms median  {result['p95_ms']:6.0f} ms p95  "
              f"{hits}/{len(wall)} backgrounds reused  {experiment.name}", flush=True)
    return results


def bench_engine(rounds: int, seconds: float) -> list[dict]:
    """The engine step against its references (``engine_step.py``), in a fresh process per BLAS
    setting: OpenBLAS's default threads (a laptop) and one thread (the hub setting of the
    instructor guide). With other work on the machine, default threads make small products
    erratic, which is worth seeing next to the one-thread figures."""
    import subprocess

    from classroom import BLAS_VARIABLES, ONE_BLAS_THREAD

    results = []
    for label, extra in (("default", {}), ("1 thread", ONE_BLAS_THREAD)):
        env = {k: v for k, v in os.environ.items() if k not in BLAS_VARIABLES} | extra
        out = subprocess.run([sys.executable, str(HERE / "engine_step.py"), "--rounds",
                              str(rounds), "--seconds", str(seconds)], env=env, check=True,
                             capture_output=True, text=True).stdout
        for r in json.loads(out):
            r["blas"] = label
            results.append(r)
            print(f"  loop/engine {r['loop_over_engine']:7.1f}x  engine/matmul "
                  f"{r['engine_over_matmul']:5.2f}x  {r['model']} (BLAS {label})", flush=True)
    return results


def bench_classroom(students: int, env: dict | None, server_rss_bytes: int) -> dict:
    import classroom

    load = classroom.simulate(students, "all", env=env)
    ok = load["per_notebook"] and not load["failures"]
    load["capacity"] = classroom.capacity(load, server_rss_bytes) if ok else None
    print(f"  {students} students, {load['runs']} runs, {len(load['failures'])} failures, "
          f"{load['wall_s']:.0f} s, BLAS threads {load['env']}", flush=True)
    return load


# ------------------------------------------------------------------------------------- budgets

def check_budgets(results: dict) -> list[dict]:
    """Each budget with its measured value and verdict."""
    checks = []
    notebooks = results["notebooks"]
    for run in notebooks["runs"]:
        checks.append({"budget": f"notebook {run['notebook']}", "limit": BUDGETS["notebook_s"],
                       "value": run["seconds"], "unit": "s",
                       "ok": run["ok"] and run["seconds"] < BUDGETS["notebook_s"]})
    checks.append({"budget": "whole book", "limit": BUDGETS["book_s"],
                   "value": notebooks["total_s"], "unit": "s",
                   "ok": notebooks["total_s"] < BUDGETS["book_s"]})
    for w in results["widgets"]:
        checks.append({"budget": f"widget {w['experiment']} p95", "unit": "ms",
                       "limit": BUDGETS["widget_p95_ms"], "value": w["p95_ms"],
                       "ok": w["p95_ms"] < BUDGETS["widget_p95_ms"]})
    for key in ("classroom", "classroom_default_blas"):
        load = results.get(key)
        if load is not None:
            checks.append({"budget": f"{key} of {load['students']}: failures", "limit": 0,
                           "value": len(load["failures"]), "unit": "",
                           "ok": not load["failures"] and load["runs"] == load["expected_runs"]})
    return checks


# ------------------------------------------------------------------------------------ reporting

def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |",
             "| " + " | ".join("---" if i == 0 else "---:" for i in range(len(header))) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _nb_name(path: str) -> str:
    return pathlib.Path(path).stem


def notebook_table(results: dict) -> str:
    rows = [[_nb_name(r["notebook"]), f"{r['seconds']:.1f}", f"{r['cpu_s']:.1f}",
             f"{r['peak_rss_bytes'] / MIB:.0f}",
             "ok" if r["ok"] and r["seconds"] < BUDGETS["notebook_s"] else "**over budget**"
             if r["ok"] else "**failed**"]
            for r in results["notebooks"]["runs"]]
    rows.append(["**whole book**", f"{results['notebooks']['total_s']:.1f}",
                 f"{sum(r['cpu_s'] for r in results['notebooks']['runs']):.1f}", "",
                 "ok" if results["notebooks"]["total_s"] < BUDGETS["book_s"]
                 else "**over budget**"])
    return _table(["notebook", "time (s)", "kernel CPU (s)", "peak memory (MiB)",
                   f"budget {BUDGETS['notebook_s']:g} s / {BUDGETS['book_s']:g} s"], rows)


def widget_table(results: dict) -> str:
    def ms(value, digits=0):
        return "" if value is None else f"{value:.{digits}f}"

    rows = [[w["experiment"], w["updates"], w.get("background_hits", ""),
             f"{w['median_ms']:.0f}", f"{w['p95_ms']:.0f}",
             ms(w["compute_median_ms"], 1), ms(w["draw_median_ms"]), ms(w["png_median_ms"]),
             "ok" if w["p95_ms"] < BUDGETS["widget_p95_ms"] else "**over budget**"]
            for w in results["widgets"]]
    return _table(["experiment", "updates", "backgrounds reused", "median (ms)", "p95 (ms)",
                   "compute (ms)", "draw (ms)", "render + PNG (ms)",
                   f"budget p95 {BUDGETS['widget_p95_ms']:g} ms"], rows)


def widget_summary_table(results: dict) -> str:
    """The instructor guide's short form of ``widget_table``: latency and budget only."""
    rows = [[w["experiment"], _nb_name(w["chapter"]), w["updates"], f"{w['median_ms']:.0f}",
             f"{w['p95_ms']:.0f}",
             "ok" if w["p95_ms"] < BUDGETS["widget_p95_ms"] else "**over budget**"]
            for w in results["widgets"]]
    return _table(["experiment", "chapter", "updates", "median (ms)", "p95 (ms)",
                   f"budget p95 {BUDGETS['widget_p95_ms']:g} ms"], rows)


def engine_table(results: dict) -> str:
    rows = [[e["model"], e["blas"], e["parameters"], e["batch"], f"{1e3 * e['engine_s']:.3f}",
             f"{1e3 * e['loop_s']:.2f}", f"{1e3 * e['matmul_s']:.3f}",
             f"{e['loop_over_engine']:.1f}x", f"{e['engine_over_matmul']:.2f}x"]
            for e in results["engine"]]
    return _table(["model", "BLAS threads", "parameters", "batch", "engine step (ms)",
                   "per-sample loop (ms)",
                   "matmuls alone (ms)", "loop / engine", "engine / matmuls"], rows)


def classroom_table(load: dict) -> str:
    rows = [[_nb_name(nb), v["runs"], f"{v['wall_s_median']:.1f}", f"{v['wall_s_max']:.1f}",
             f"{v['cpu_s_median']:.1f}", f"{v['peak_rss_bytes_max'] / MIB:.0f}"]
            for nb, v in load["per_notebook"].items()]
    return _table(["notebook", "runs", "time under load, median (s)", "slowest (s)",
                   "kernel CPU (s)", "peak kernel memory (MiB)"], rows)


def blas_setting(load: dict) -> str:
    threads = load["env"].get("OPENBLAS_NUM_THREADS")
    return "one BLAS thread per kernel" if threads == "1" else "OpenBLAS's default threads"


def retries(load: dict) -> str:
    n = load.get("kernel_start_retries", 0)
    if not n:
        return "no kernel had to be started twice"
    return (f"{n} kernel start{'s' if n > 1 else ''} repeated because another process had "
            f"taken a port between jupyter_client choosing it and the kernel binding it")


def capacity_lines(load: dict) -> list[str]:
    cap = load["capacity"]
    n_nb = len(load["notebooks"])
    sustained = cap["session_s"] / cap["core_s_per_student_book"]
    every_min = cap["session_s"] / n_nb / 60
    at_once = cap["students_per_core_at_once"]
    return [
        f"- **{load['students']} students** on {load['cpus']} cores ({blas_setting(load)}) "
        f"each ran {n_nb} notebooks top to bottom at the same time: "
        f"{load['runs']} runs, **{len(load['failures'])} failures**, "
        f"wall time {load['wall_s']:.0f} s "
        f"(students finished between {load['student_wall_s']['min']:.0f} s and "
        f"{load['student_wall_s']['max']:.0f} s); {retries(load)}.",
        f"- Peak resident memory per kernel: {load['kernel_peak_rss_bytes']['median'] / MIB:.0f}"
        f" MiB median, {load['kernel_peak_rss_bytes']['max'] / MIB:.0f} MiB at most; all "
        f"{load['all_kernels_peak_count']} kernels together at most "
        f"{load['all_kernels_peak_bytes'] / MIB:.0f} MiB. A student's JupyterLab server: "
        f"{cap['server_rss_bytes'] / MIB:.0f} MiB.",
        f"- **One core serves {cap['students_per_core']} students** who each run the whole book "
        f"top to bottom once an hour (a Run All every {every_min:.1f} minutes, heavier use than "
        f"a lab session): one student's pass through the book cost "
        f"{cap['core_s_per_student_book']:.0f} core-seconds, everything included, and "
        f"{cap['session_s']:.0f} / {cap['core_s_per_student_book']:.1f} = {sustained:.2f} "
        f"(rounded down).",
        f"- At the worst moment, everyone pressing Run All on the same chapter at once, a chapter "
        f"run cost {cap['core_s_per_run']:.1f} core-seconds on average, so **{at_once} "
        f"student{'s' if at_once != 1 else ''} per core** "
        f"get{'' if at_once != 1 else 's'} the "
        f"chapter within the {cap['budget_s']:g} s the book allows it "
        f"({cap['budget_s']:g} / {cap['core_s_per_run']:.1f} = "
        f"{cap['budget_s'] / cap['core_s_per_run']:.2f}, rounded down). Measured: with "
        f"{cap['students_per_core_measured']:g} students per core, the slowest chapter "
        f"({_nb_name(cap['slowest_notebook'])}) took {cap['slowest_notebook_wall_s']:.0f} s.",
        f"- **One GiB serves {cap['students_per_gib']} students**, each with one notebook open: "
        f"a server ({cap['server_rss_bytes'] / MIB:.0f} MiB) and a kernel "
        f"({load['kernel_peak_rss_bytes']['max'] / MIB:.0f} MiB at its peak) make "
        f"{cap['per_student_bytes'] / MIB:.0f} MiB per student; 1024 / "
        f"{cap['per_student_bytes'] / MIB:.0f} = {1024 / (cap['per_student_bytes'] / MIB):.2f} "
        f"(rounded down). Every further open notebook adds a kernel.",
    ]


def machine_line(results: dict) -> str:
    m = results["machine"]
    memory = f", {m['memory_bytes'] / 1024**3:.0f} GiB" if "memory_bytes" in m else ""
    load = results.get("load_average_after")
    busy = (f" Load average (1 min) when it started {m['load_average'][0]:.1f}, when it ended "
            f"{load[0]:.1f}: other work on the machine slows every figure."
            if m.get("load_average") and load else "")
    return (f"Measured {results['date']} on {m['cpus']} cores ({m['processor']}){memory}, "
            f"Python {m['python']}, by `python benchmarks/bench.py` "
            f"({'quick' if results['quick'] else 'full'} mode).{busy}")


def default_blas_lines(results: dict) -> list[str]:
    """The classroom again without the one-thread setting, for comparison."""
    other = results.get("classroom_default_blas")
    if not other:
        return []
    if not other.get("capacity"):
        return [f"- With OpenBLAS's default threads: {len(other['failures'])} failures."]
    cap = other["capacity"]
    return [f"- The same classroom with OpenBLAS's default threads: {len(other['failures'])} "
            f"failures, wall time {other['wall_s']:.0f} s, slowest chapter "
            f"({_nb_name(cap['slowest_notebook'])}) {cap['slowest_notebook_wall_s']:.0f} s; "
            f"one core would serve {cap['students_per_core']} students once an hour and "
            f"{cap['students_per_core_at_once']} at once; {retries(other)}."]


def render_markdown(results: dict) -> str:
    """The full report: every section, every budget."""
    parts = ["# Benchmark", "", machine_line(results), "",
             "## Notebooks, each in a fresh kernel", "", notebook_table(results), "",
             "## Widget updates (compute + redraw)", "", widget_table(results), "",
             "## Engine training step", "", engine_table(results), ""]
    if results.get("classroom"):
        load = results["classroom"]
        parts += ["## Classroom", ""]
        parts += capacity_lines(load) if load.get("capacity") else [
            f"{len(load['failures'])} failures: {load['failures']}"]
        parts += default_blas_lines(results)
        parts += ["", classroom_table(load), ""]
    failed = [c for c in results["budgets"] if not c["ok"]]
    parts += ["## Budgets", "",
              f"{len(results['budgets']) - len(failed)} of {len(results['budgets'])} met."]
    parts += [f"- MISSED: {c['budget']}: {c['value']:.1f} {c['unit']} (limit {c['limit']:g})"
              for c in failed]
    return "\n".join(parts) + "\n"


def render_guide(results: dict) -> str:
    """The instructor guide's measured section (included by book/instructor-guide.md)."""
    load = results["classroom"]
    lines = [
        "% Generated by `python benchmarks/bench.py --record` from benchmarks/reference/"
        "bench.json. Do not edit by hand.", "",
        machine_line(results), "", *capacity_lines(load), *default_blas_lines(results), "",
        "Each notebook under that load:", "", classroom_table(load), "",
        "Each notebook alone, in a fresh kernel (budget: "
        f"{BUDGETS['notebook_s']:g} s each, {BUDGETS['book_s']:g} s for the book):", "",
        notebook_table(results), "",
        "Each live experiment's update when a control moves (compute, figure, PNG), over its "
        f"controls' ranges (budget: {BUDGETS['widget_p95_ms']:g} ms at the 95th percentile). "
        "A figure whose axes did not change is drawn over its stored background (ticks, labels, "
        "grid; `knobs.ui.redraw`); a widget renders the background of each of its menus' options "
        "when it is displayed:", "",
        widget_summary_table(results), ""]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------- main

def run(quick: bool, students: int, classroom_run: bool) -> dict:
    results = {"date": datetime.date.today().isoformat(), "quick": quick,
               "machine": notebook_runs.machine(), "budgets_limits": BUDGETS,
               "blas_threads": {k: os.environ.get(k) for k in
                                ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}}
    print("notebooks (fresh kernel each):", flush=True)
    results["notebooks"] = bench_notebooks(notebook_runs.toc_notebooks())
    print("widget updates:", flush=True)
    results["widgets"] = bench_widgets(points=7 if quick else 11,
                                       breakdown="never" if quick else "always")
    print("engine training step:", flush=True)
    results["engine"] = bench_engine(rounds=3 if quick else 9, seconds=0.02 if quick else 0.1)
    if classroom_run:
        import classroom

        server = classroom.server_memory()["rss_bytes"]
        print(f"classroom ({students} students, every notebook, one BLAS thread):", flush=True)
        results["classroom"] = bench_classroom(students, classroom.ONE_BLAS_THREAD, server)
        print(f"classroom ({students} students, every notebook, default BLAS):", flush=True)
        results["classroom_default_blas"] = bench_classroom(students, None, server)
    results["load_average_after"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    results["budgets"] = check_budgets(results)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="CI mode: coarser widget grid, fewer engine rounds, no classroom")
    parser.add_argument("--students", type=int, default=8, help="classroom size K (>= 8)")
    parser.add_argument("--record", action="store_true",
                        help="also store the result as the instructor guide's reference")
    parser.add_argument("--render-guide", action="store_true",
                        help="only re-render the guide's section from the recorded result "
                             "(after a change to its layout); measures nothing")
    parser.add_argument("--out", type=pathlib.Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.render_guide:
        recorded = json.loads((REFERENCE / "bench.json").read_text())
        (REFERENCE / "classroom.md").write_text(render_guide(recorded))
        print(f"rendered: {REFERENCE / 'classroom.md'} from {REFERENCE / 'bench.json'}")
        return 0
    if args.students < 8:
        parser.error("a classroom has at least 8 students")
    if args.record and args.quick:
        parser.error("--record needs the full benchmark (the guide quotes the classroom run)")
    results = run(args.quick, args.students, classroom_run=not args.quick)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    report = render_markdown(results)
    (args.out / "bench.md").write_text(report)
    print("\n" + report)
    print(f"written: {args.out / 'bench.json'}, {args.out / 'bench.md'}")
    if args.record:
        REFERENCE.mkdir(parents=True, exist_ok=True)
        (REFERENCE / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
        (REFERENCE / "classroom.md").write_text(render_guide(results))
        print(f"recorded: {REFERENCE / 'bench.json'}, {REFERENCE / 'classroom.md'}")
    return 0 if all(c["ok"] for c in results["budgets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
