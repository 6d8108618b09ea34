"""The Binder / JupyterHub path: a fresh environment from ``requirements.txt`` alone runs the book.

Binder (repo2docker) and a hub image build their environment with ``pip install -r
requirements.txt`` on the Python named in ``runtime.txt``, with none of the development pins in
``constraints.txt``. This test does the same in a new virtual environment and then executes every
notebook of ``_toc.yml`` top to bottom in a kernel of that environment: no error, no stderr.
"""

from __future__ import annotations

import pathlib
import re
import shutil
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import notebook_runs  # noqa: E402

pytestmark = pytest.mark.slow

NOTEBOOKS = notebook_runs.toc_notebooks()
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
INSTALL_TIMEOUT_S = 900


def runtime_python() -> str:
    """The interpreter ``runtime.txt`` asks for (``python-3.11`` -> ``python3.11``)."""
    text = (ROOT / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", text)
    assert match, f"runtime.txt must read like 'python-3.11', got {text!r}"
    found = shutil.which(f"python{match.group(1)}")
    assert found, f"runtime.txt asks for Python {match.group(1)}, which is not on this machine"
    return found


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """A new virtual environment with ``pip install -r requirements.txt`` and nothing else."""
    env = tmp_path_factory.mktemp("binder") / "env"
    subprocess.run([runtime_python(), "-m", "venv", str(env)], check=True)
    python = env / "bin" / "python"
    start = time.perf_counter()
    # from the repository root, as repo2docker does: requirements.txt installs the engine by `-e .`
    result = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r",
                             "requirements.txt"], cwd=ROOT, capture_output=True, text=True,
                            timeout=INSTALL_TIMEOUT_S)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(f"\nfresh environment installed from requirements.txt in "
          f"{time.perf_counter() - start:.0f} s")
    return env


def test_environment_is_consistent_and_has_the_widget_frontend(binder_env):
    python = binder_env / "bin" / "python"
    check = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    # the JupyterLab extension that draws ipywidgets comes with ipywidgets (jupyterlab_widgets)
    listing = subprocess.run([str(binder_env / "bin" / "jupyter"), "labextension", "list"],
                             capture_output=True, text=True)
    text = listing.stdout + listing.stderr
    assert re.search(r"@jupyter-widgets/jupyterlab-manager\b.*enabled.*OK", text), text
    # and the one that renders the chapters' MyST (exercises, closed solutions, terms). The list
    # marks it "X": it asks for @jupyter/ydoc 3, JupyterLab 4.6 has 4; it loads and renders all
    # the same, which tests/project/test_lab_myst.py checks in a browser
    assert re.search(r"jupyterlab-myst v\S+ .*enabled", text), text
    # the engine is importable, from this checkout
    where = subprocess.run([str(python), "-c", "import knobs; print(knobs.__file__)"],
                           capture_output=True, text=True, cwd="/")
    assert where.returncode == 0, where.stderr
    assert pathlib.Path(where.stdout.strip()).is_relative_to(ROOT / "src")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_in_the_binder_environment(path, binder_env):
    run, _ = notebook_runs.execute(path, python=str(binder_env / "bin" / "python"))
    assert run.ok, run.error or "\n".join(run.problems)
    # the kernel really was the fresh environment's, not the development .venv
    assert pathlib.Path(run.prefix) == binder_env, run.prefix
