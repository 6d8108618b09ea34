"""A classroom on one machine: K students run the book's notebooks at the same time.

Each student is a separate process, in the place of the student's JupyterLab (the browser runs
on the student's own computer; what loads a hub is the kernels). It executes its notebooks top to
bottom, one after the other, each in a fresh kernel talking to it over loopback TCP, as a student
opening chapter after chapter would. All K students start together, the worst moment of a lab
session: everyone presses "Run All" on the same chapter (their first kernels meet at a barrier,
so all K are alive at once before any cell runs, on a fast machine as on a slow one).

    python benchmarks/classroom.py --students 8                # every student, every notebook
    python benchmarks/classroom.py --students 8 --plan share   # each notebook once, under load
    python benchmarks/classroom.py --one-blas-thread ...       # the instructor guide's setting

Reported: failures (must be 0), wall time, each kernel's peak resident memory and CPU time (the
kernel reports them itself, see ``notebook_runs.PROBE``), the peak of all kernels' memory at once
(sampled), and from these the capacity figures of the instructor guide (``capacity``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import notebook_runs  # noqa: E402

ROOT = notebook_runs.ROOT
NOTEBOOK_BUDGET_S = 10.0   # the book's own budget for one notebook in a fresh kernel
SESSION_S = 3600.0         # the sustained usage model: each student runs the book once an hour
GIB = 1024**3


def plan(notebooks: list, students: int, kind: str) -> list[list]:
    """Which notebooks each student runs, in order.

    ``all``: every student runs every notebook. ``share``: each student runs the same number of
    notebooks, ``ceil(N / K)``, starting at a different place, so that every notebook runs at
    least once while K kernels are busy (bounded: about one book's worth of work in total).
    """
    if kind == "all":
        return [list(notebooks) for _ in range(students)]
    if kind == "share":
        n = len(notebooks)
        per = math.ceil(n / students)
        return [[notebooks[(s * per + j) % n] for j in range(per)] for s in range(students)]
    raise ValueError(f"plan must be 'all' or 'share', got {kind!r}")


BARRIER_TIMEOUT_S = 600.0


def wait_for_classmates(barrier: pathlib.Path, students: int) -> None:
    """Say this student's first kernel is up (a file in ``barrier``), then wait until every
    student's is: all K kernels are alive together before any cell runs, whatever the machine's
    speed, so the start is the worst moment it is meant to be (and a measured one, not a race
    between the first student's finish and the last one's start). A classmate that never comes
    (its kernel failed to start) releases the others after ``BARRIER_TIMEOUT_S``."""
    (barrier / str(os.getpid())).touch()
    deadline = time.monotonic() + BARRIER_TIMEOUT_S
    while len(list(barrier.iterdir())) < students and time.monotonic() < deadline:
        time.sleep(0.05)


def student(paths: list[str], barrier: str | None = None, students: int = 1) -> None:
    """A student process: run the notebooks in order, print one JSON line per run. With a
    ``barrier`` folder, the first notebook waits for every classmate's kernel before it runs."""
    for k, path in enumerate(paths):
        ready = None
        if barrier and k == 0:
            def ready():
                wait_for_classmates(pathlib.Path(barrier), students)
        run, _ = notebook_runs.execute(pathlib.Path(path), kernel_ready=ready)
        print(json.dumps(run.to_dict()), flush=True)


class KernelMemory(threading.Thread):
    """Samples the summed resident memory of every kernel below this process (psutil)."""

    def __init__(self, interval: float = 0.25):
        super().__init__(daemon=True)
        self.interval, self.peak_bytes, self.peak_kernels = interval, 0, 0
        self.most_kernels = 0  # the most kernels alive at one sample (not only at the peak)
        self.stop = threading.Event()

    def run(self):
        import psutil

        me = psutil.Process()
        while not self.stop.is_set():
            total, count = 0, 0
            for proc in me.children(recursive=True):
                try:
                    if "ipykernel_launcher" in " ".join(proc.cmdline()):
                        total += proc.memory_info().rss
                        count += 1
                except psutil.Error:
                    pass  # a kernel that ended between listing and reading
            if total > self.peak_bytes:
                self.peak_bytes, self.peak_kernels = total, count
            self.most_kernels = max(self.most_kernels, count)
            self.stop.wait(self.interval)


# What the instructor guide recommends for a hub image: one BLAS thread per kernel. With many
# kernels per core, OpenBLAS's default (one thread per core, spinning while it waits) makes small
# matrix products orders of magnitude slower; the full benchmark measures both settings.
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
BLAS_VARIABLES = tuple(ONE_BLAS_THREAD)


def simulate(students: int = 8, kind: str = "all", notebooks: list | None = None,
             env: dict | None = None) -> dict:
    """Run the classroom; return the measurements (see the module docstring).

    ``env``: variables set for every student and so for its kernels (e.g. ``ONE_BLAS_THREAD``);
    the BLAS variables not named there are removed, so the setting measured is the one named.
    """
    notebooks = [str(p) for p in (notebooks or notebook_runs.toc_notebooks())]
    work = plan(notebooks, students, kind)
    child_env = {k: v for k, v in os.environ.items() if k not in BLAS_VARIABLES} | (env or {})
    sampler = KernelMemory()
    sampler.start()
    barrier = tempfile.TemporaryDirectory(prefix="knobs-classroom-")
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, __file__, "--barrier", barrier.name,
                               "--students", str(students), "--student", *paths],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                              env=child_env)
             for paths in work]
    outputs, finished = [None] * students, [0.0] * students

    def wait(s):
        outputs[s] = procs[s].communicate()
        finished[s] = time.perf_counter() - start

    waiters = [threading.Thread(target=wait, args=(s,)) for s in range(students)]
    for w in waiters:
        w.start()
    for w in waiters:
        w.join()
    runs, failures = [], []
    for s, proc in enumerate(procs):
        out, err = outputs[s]
        mine = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        for run in mine:
            run["student"] = s
        runs += mine
        if proc.returncode != 0 or len(mine) != len(work[s]):
            failures.append({"student": s, "error": f"exit {proc.returncode}: {err[-1500:]}"})
    wall = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    barrier.cleanup()
    failures += [{"student": r["student"], "notebook": r["notebook"],
                  "error": r["error"] or "; ".join(r["problems"])} for r in runs if not r["ok"]]
    ok = [r for r in runs if r["ok"]]
    per_notebook = {}
    for r in ok:
        per_notebook.setdefault(r["notebook"], []).append(r)
    return {
        "students": students, "plan": kind, "cpus": os.cpu_count(),
        "notebooks": [str(pathlib.Path(p).relative_to(ROOT)) for p in notebooks],
        "runs": len(runs), "expected_runs": sum(len(w) for w in work),
        "failures": failures, "wall_s": wall,
        "kernel_start_retries": sum(r.get("start_retries", 0) for r in runs),
        "student_wall_s": {"min": min(finished), "max": max(finished)},
        "kernel_peak_rss_bytes": {
            "max": max((r["peak_rss_bytes"] for r in ok), default=0),
            "median": statistics.median([r["peak_rss_bytes"] for r in ok]) if ok else 0},
        "all_kernels_peak_bytes": sampler.peak_bytes,
        "all_kernels_peak_count": sampler.peak_kernels,
        "most_kernels_at_once": sampler.most_kernels,
        "per_notebook": {
            nb: {"runs": len(rs),
                 "wall_s_median": statistics.median(r["seconds"] for r in rs),
                 "wall_s_max": max(r["seconds"] for r in rs),
                 "cpu_s_median": statistics.median(r["cpu_s"] for r in rs),
                 "peak_rss_bytes_max": max(r["peak_rss_bytes"] for r in rs)}
            for nb, rs in per_notebook.items()},
        "env": {k: child_env.get(k) for k in BLAS_VARIABLES},
    }


def server_memory(settle_s: float = 3.0) -> dict:
    """Resident memory of a student's JupyterLab server (no kernel), after serving the app."""
    import tempfile
    import urllib.request

    import labserver
    import psutil

    with tempfile.TemporaryDirectory() as tmp:
        root = labserver.copy_book(ROOT, pathlib.Path(tmp))
        with labserver.lab_server(root) as lab:
            # what a browser asks for when JupyterLab opens: the page, settings, a listing
            for path in ("/lab", "/lab/api/settings", "/api/contents/book", "/api/kernelspecs"):
                request = urllib.request.Request(f"{lab.base}{path}", headers={
                    "Authorization": f"token {lab.token}"})
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
            time.sleep(settle_s)
            info = psutil.Process(lab.process.pid).memory_info()
            return {"rss_bytes": info.rss}


def capacity(load: dict, server_rss_bytes: int, budget_s: float = NOTEBOOK_BUDGET_S,
             session_s: float = SESSION_S) -> dict:
    """How many students one core and one GiB serve, from a classroom measurement.

    CPU, sustained: the run cost ``c = cores x wall / K`` core-seconds per student for the whole
    book, everything included (kernel start-ups, the clients, the waiting on a full machine). If
    every student runs the whole book top to bottom once per ``session_s`` (an hour: a "Run All"
    every few minutes, heavier use than a lab session), one core serves
    ``floor(session_s / c)`` students.

    CPU, the worst moment: everyone presses "Run All" on the same chapter at once. A chapter run
    cost ``r = cores x wall / runs`` core-seconds on average, so with ``s`` students per core it
    takes about ``s r`` seconds, within the book's budget for one chapter when
    ``s <= floor(budget_s / r)``. Measured directly: with ``K / cores`` students per core the
    slowest chapter took ``w`` seconds (its slowest run).

    Memory: a student working in one notebook holds one JupyterLab server and one kernel:
    ``server RSS + peak kernel RSS``; ``floor(1 GiB / that)`` students fit in a GiB. Each further
    notebook a student keeps open adds one kernel.
    """
    slowest_nb, slowest = max(((nb, v["wall_s_max"]) for nb, v in load["per_notebook"].items()),
                              key=lambda item: item[1])
    per_book = load["cpus"] * load["wall_s"] / load["students"]
    per_run = load["cpus"] * load["wall_s"] / load["runs"]
    per_student = server_rss_bytes + load["kernel_peak_rss_bytes"]["max"]
    return {
        "session_s": session_s,
        "core_s_per_student_book": per_book,
        "students_per_core": math.floor(session_s / per_book),
        "budget_s": budget_s,
        "core_s_per_run": per_run,
        "students_per_core_at_once": math.floor(budget_s / per_run),
        "students_per_core_measured": load["students"] / load["cpus"],
        "slowest_notebook": slowest_nb,
        "slowest_notebook_wall_s": slowest,
        "server_rss_bytes": server_rss_bytes,
        "per_student_bytes": per_student,
        "students_per_gib": math.floor(GIB / per_student),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8, help="K, concurrent students")
    parser.add_argument("--plan", choices=["all", "share"], default="all")
    parser.add_argument("--one-blas-thread", action="store_true",
                        help="run every kernel with one BLAS thread (the guide's hub setting)")
    parser.add_argument("--json", type=pathlib.Path, help="write the measurements here")
    parser.add_argument("--student", nargs="+", help=argparse.SUPPRESS)  # a student process
    parser.add_argument("--barrier", help=argparse.SUPPRESS)  # where students meet (simulate)
    args = parser.parse_args(argv)
    if args.student:
        student(args.student, args.barrier, args.students)
        return 0
    result = simulate(args.students, args.plan,
                      env=ONE_BLAS_THREAD if args.one_blas_thread else None)
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
    print(text)
    return 1 if result["failures"] or result["runs"] != result["expected_runs"] else 0


if __name__ == "__main__":
    sys.exit(main())
