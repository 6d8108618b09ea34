"""One truth on every machine: every notebook, re-executed under other machine profiles (OpenBLAS
kernels, one BLAS thread, a lower NumPy SIMD level), prints and glues exactly its stored outputs.

The default test run checks the notebooks on this machine as it is (nbval, strict); this file
runs the same nbval comparison under each profile ``tools/portability.py`` finds for this CPU,
two at a time, and fails with the profile, the notebook cell and nbval's diff.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import portability  # noqa: E402

PROFILES = portability.profiles()


@pytest.fixture(scope="module")
def results():
    """Every profile's run, computed once (two profiles at a time on the two cores)."""
    return {r.profile.name: r for r in portability.run_all(PROFILES)}


def test_at_least_three_profiles_besides_the_default():
    assert len(PROFILES) >= 3, [p.name for p in PROFILES]
    assert len({tuple(sorted(p.env.items())) for p in PROFILES}) == len(PROFILES)
    assert all(p.env for p in PROFILES), "each profile changes something"


@pytest.mark.slow
@pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
def test_every_notebook_prints_its_stored_outputs_under(profile, results):
    result = results[profile.name]
    assert result.cells >= len(portability.notebooks()), result.report()
    assert result.ok, result.report()


# --- the check itself -------------------------------------------------------------------------

def _notebook(path: pathlib.Path, source: str, stored: str) -> pathlib.Path:
    cell = {"cell_type": "code", "execution_count": 1, "id": "c1", "metadata": {},
            "source": source, "outputs": [{"output_type": "stream", "name": "stdout",
                                           "text": stored}]}
    nb = {"cells": [cell], "nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                      "language": "python"}}}
    path.write_text(json.dumps(nb))
    return path


@pytest.mark.slow
def test_a_changed_output_is_reported_with_its_profile_and_cell(tmp_path):
    # the sum of 0.1 ten times is 0.9999999999999999 in float64; the stored 1.0 is a rounded claim
    bad = _notebook(tmp_path / "bad.ipynb", "print(sum([0.1] * 10))\n", "1.0\n")
    good = _notebook(tmp_path / "good.ipynb", "print(2 + 2)\n", "4\n")
    profile = portability.Profile("one-thread", {"OPENBLAS_NUM_THREADS": "1"}, "test")
    result = portability.run(profile, [bad, good])
    assert result.cells == 2 and not result.ok
    assert [(d.cell, pathlib.Path(d.notebook).name) for d in result.differences] == [
        ("Cell 0", "bad.ipynb")]
    report = result.report()
    assert report.startswith("profile one-thread") and "1 of 2 cells differ" in report
    assert "bad.ipynb::Cell 0" in report and "0.9999999999999999" in report


# OpenBLAS's own mapping of kernel names, as OPENBLAS_VERBOSE=2 reports it on x86-64
CORES = {"Zen": "Haswell", "Prescott": "Katmai"}


def _profiles(flags, default_core="SkylakeX", machine="x86_64"):
    return portability.profiles(machine, flags, default_core=default_core,
                                core_of=lambda name: CORES.get(name, name))


def test_profiles_follow_the_cpu():
    # an x86-64 CPU without AVX runs only the SSE profile
    old = _profiles({"sse3"}, default_core="Nehalem")
    assert [p.name for p in old] == ["prescott-sse"]
    assert "NPY_DISABLE_CPU_FEATURES" not in old[0].env, "nothing above NumPy's baseline to lower"
    full = [p.name for p in _profiles({"sse4_2", "avx", "avx2", "fma", "avx512f"})]
    assert full == ["sandybridge-1thread", "zen", "numpy-avx2", "nehalem", "prescott-sse"]
    arm = portability.profiles("aarch64", {"asimd", "asimdhp"}, default_core="NEOVERSEV1",
                                 core_of=lambda name: name)
    assert len(arm) >= 3 and all("ARMV8" in str(p.env) or "CORTEX" in str(p.env)
                                 or "NEOVERSE" in str(p.env) or "NPY" in str(p.env) for p in arm)
    kernels = portability.kernel_profiles("x86_64", {"avx"})
    assert "openblas-sandybridge" in [p.name for p in kernels]
    assert "openblas-haswell" not in [p.name for p in kernels], "Haswell needs AVX2 and FMA"


def test_a_profile_that_names_the_default_kernel_is_replaced():
    # on an AVX2 machine OpenBLAS already runs Haswell's kernels, which is what Zen maps to
    avx2 = _profiles({"sse4_2", "avx", "avx2", "fma"}, default_core="Haswell")
    assert [p.name for p in avx2] == ["sandybridge-1thread", "nehalem", "prescott-sse"]


def test_this_machine_offers_distinct_kernels():
    default = portability.openblas_core()
    assert default is not None, "NumPy's wheels ship OpenBLAS; it reports its kernel"
    cores = {portability.openblas_core({"OPENBLAS_CORETYPE": p.env["OPENBLAS_CORETYPE"]})
             for p in PROFILES if set(p.env) == {"OPENBLAS_CORETYPE"}}
    assert default not in cores, "a kernel-only profile must change the kernel"


def test_no_profile_is_forced_from_inside_the_project():
    """The reader's machine decides the BLAS kernel, SIMD level and threads: nothing the book, the
    engine, the kernel spec or the test configuration runs may set them."""
    forcing = re.compile(r"OPENBLAS_|NPY_DISABLE|NPY_ENABLE|OMP_NUM_THREADS|MKL_NUM_THREADS|"
                         r"threadpool_limits|GOTO_NUM_THREADS")
    places = [*(ROOT / "book").rglob("*.ipynb"), *(ROOT / "book").rglob("*.py"),
              *(ROOT / "src").rglob("*.py"), ROOT / "pyproject.toml", ROOT / "_config.yml",
              ROOT / "tests" / "conftest.py", *(ROOT / "book").rglob("kernel.json")]
    found = [str(p.relative_to(ROOT)) for p in places if forcing.search(p.read_text())]
    assert found == []
