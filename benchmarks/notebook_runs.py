"""The book's notebooks as _toc.yml lists them, and one measured top-to-bottom run of a notebook.

Shared by the benchmark command, the classroom simulation and the classroom tests, so that every
chapter listed in ``_toc.yml`` (present and future) is covered with no per-chapter code.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import pathlib
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]
CELL_TIMEOUT_S = 60  # as tools/refresh_notebooks.py

# Appended (in memory only) after a notebook's last cell: the kernel reports its own peak resident
# memory and CPU time, which no sampling from outside could catch exactly.
PROBE = """\
import json as _json, resource as _resource, sys as _sys
_usage = _resource.getrusage(_resource.RUSAGE_SELF)
# ru_maxrss is in KiB on Linux and in bytes on macOS
_peak = _usage.ru_maxrss * (1 if _sys.platform == "darwin" else 1024)
print(_json.dumps({"peak_rss_bytes": _peak, "cpu_s": _usage.ru_utime + _usage.ru_stime,
                   "prefix": _sys.prefix}))
"""


def toc_files(toc: pathlib.Path = ROOT / "_toc.yml") -> list[str]:
    """Every page of a Jupyter Book table of contents (root first), in reading order, as
    Jupyter Book itself reads it (sphinx-external-toc)."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    return list(parse_toc_yaml(toc))


def experiment_chapters(root: pathlib.Path = ROOT) -> dict[str, str]:
    """For each live experiment, the notebook that shows it (relative to ``root``), read from
    the notebooks' stored widget state as the website's extension reads it."""
    sys.path.insert(0, str(root / "book" / "_ext"))
    from knobs_site.pages import notebook_experiments

    return {e.name: str(path.relative_to(root).with_suffix("")) for path in toc_notebooks(root)
            for e in notebook_experiments(path)}


def toc_notebooks(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    """The notebooks (``.ipynb``) among the table of contents' entries, in reading order."""
    paths = [root / (entry + ".ipynb") for entry in toc_files(root / "_toc.yml")]
    return [p for p in paths if p.exists()]


@functools.cache
def _kernel_dir(python: str) -> str:
    """A private kernelspec folder whose ``python3`` kernel is run by ``python``."""
    home = tempfile.mkdtemp(prefix="knobs-kernel-")
    atexit.register(shutil.rmtree, home, True)
    spec_dir = pathlib.Path(home) / "python3"
    spec_dir.mkdir()
    spec = {"argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return home


def kernel_manager(python: str = sys.executable) -> AsyncKernelManager:
    """A manager for an IPython kernel run by ``python`` (another environment's, if given).

    The kernelspec is explicit rather than looked up, so no ``python3`` kernel registered in a
    user's ``~/.local/share/jupyter`` can stand in for the environment under test.
    """
    specs = KernelSpecManager(kernel_dirs=[_kernel_dir(python)], ensure_native_kernel=False)
    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=specs)


@dataclass
class Run:
    """One top-to-bottom run of a notebook in a fresh kernel."""

    notebook: str
    ok: bool
    seconds: float                  # kernel start + every cell + shutdown, as refresh_notebooks
    peak_rss_bytes: int = 0         # the kernel process's peak resident memory
    cpu_s: float = 0.0              # the kernel process's user + system CPU time
    prefix: str = ""                # sys.prefix of the kernel: which environment ran it
    error: str = ""
    problems: list = field(default_factory=list)  # stderr or error outputs found
    start_retries: int = 0          # kernel starts repeated because a port was taken

    def to_dict(self) -> dict:
        return asdict(self)


def output_problems(nb) -> list[str]:
    """Error outputs and stderr text in executed cells (a warning is a problem too)."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        expected_error = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            if out["output_type"] == "error" and not expected_error:
                problems.append(f"cell {index}: {out['ename']}: {out['evalue']}"[:300])
            if out["output_type"] == "stream" and out["name"] == "stderr":
                problems.append(f"cell {index}: stderr: {out['text']}"[:300])
    return problems


def _port_taken(log: str) -> bool:
    """Whether a kernel died at start-up because another process took one of its ports.

    jupyter_client picks free ports and closes them; the kernel binds them a moment later. With
    many kernels starting at once on one host (the classroom), another process can bind a port
    in between. A user would restart the kernel; the harness does the same, and counts it.
    """
    return "Address already in use" in log


def execute(path: pathlib.Path, python: str = sys.executable, root: pathlib.Path = ROOT,
            start_attempts: int = 3, kernel_ready=None) -> tuple[Run, object]:
    """Run ``path`` top to bottom in a fresh kernel of ``python``; return the Run and notebook.

    Nothing is written back: the executed notebook stays in memory. A kernel that dies at
    start-up because its port was taken is started again (at most ``start_attempts`` times in
    all); ``Run.start_retries`` says how often. ``kernel_ready()``, if given, is called once the
    kernel answers and before the first cell runs (nbclient's ``on_notebook_start`` hook).
    """
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    start = time.perf_counter()
    for attempt in range(start_attempts):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:  # a fresh run: no stored output can pass for a new one
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nb.cells.append(nbformat.v4.new_code_cell(PROBE))
        client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, allow_errors=False,
                                km=kernel_manager(python),
                                resources={"metadata": {"path": str(path.parent)}})
        if kernel_ready is not None:
            client.on_notebook_start = lambda notebook: kernel_ready()
        # the kernel process's own stderr (start-up notices, a crash) goes to a file
        with tempfile.TemporaryFile(mode="w+") as kernel_log:
            try:
                # cleanup_kc: shut the kernel down even though the manager is ours
                client.execute(cleanup_kc=True, stderr=kernel_log)
                break
            except Exception as err:  # a failed run is a measured result, reported not raised
                kernel_log.seek(0)
                log = kernel_log.read()
                started = any(c.get("outputs") or c.get("execution_count")
                              for c in nb.cells if c.cell_type == "code")
                if not started and _port_taken(log) and attempt + 1 < start_attempts:
                    continue
                return Run(name, False, time.perf_counter() - start, start_retries=attempt,
                           error=(f"{type(err).__name__}: {err}"[-1500:]
                                  + f"\nkernel stderr: {log[-1500:]}")), nb
    seconds = time.perf_counter() - start
    probe = nb.cells.pop()
    usage = json.loads("".join(o.get("text", "") for o in probe.outputs
                               if o.get("name") == "stdout"))
    problems = output_problems(nb)
    return Run(name, not problems, seconds, usage["peak_rss_bytes"], usage["cpu_s"],
               usage["prefix"], problems=problems, start_retries=attempt), nb


def machine() -> dict:
    """Where a measurement was taken."""
    import platform

    info = {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "processor": platform.processor() or "",
            # other work on the machine slows every measurement: say how much there was
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None}
    try:
        with open("/proc/meminfo") as f:
            info["memory_bytes"] = int(f.readline().split()[1]) * 1024
        with open("/proc/cpuinfo") as f:
            model = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        info["processor"] = model[0] if model else info["processor"]
    except OSError:
        pass
    return info
