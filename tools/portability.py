"""Re-execute the book's notebooks under other machine profiles and compare them with the stored
outputs exactly as the default test run does (nbval in strict mode).

    python tools/portability.py                      # every profile this CPU runs, all notebooks
    python tools/portability.py --profile zen        # one profile
    python tools/portability.py --all-kernels        # every OpenBLAS kernel this CPU can run
    python tools/portability.py book/part3/11-counting-knobs.ipynb

A profile is what another reader's machine decides and the book does not: which OpenBLAS kernel
runs the matrix products, how many BLAS threads split them, which SIMD level NumPy's own loops
dispatch to. Each changes the order or grouping of floating-point operations, so it perturbs
results in their last bits. A chapter is portable when every output it prints or glues is the
same under every profile. The profiles are set here, around a subprocess, for the check only;
the book, the package and the test configuration never set them.

Profiles run two at a time (the machine has two cores); each is one ``pytest --nbval`` run in
fresh kernels. The report names, per profile, every notebook cell whose output differs, with
nbval's own diff.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import os
import pathlib
import platform
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m|#x1B\[[0-9;]*m")
CELL_TIMEOUT_S = 120  # generous: two profiles share the two cores

# NumPy >= 2.4 groups its x86 SIMD targets by microarchitecture level; disabling a level
# disables every target above it too (numpy.show_runtime() lists what was found).
NUMPY_ABOVE_V3 = "X86_V4 AVX512_ICL AVX512_SPR"
NUMPY_ABOVE_V2 = "X86_V3 " + NUMPY_ABOVE_V3


@dataclasses.dataclass(frozen=True)
class Profile:
    name: str
    env: dict
    why: str


def cpu_flags() -> set[str]:
    """The CPU's feature flags as Linux reports them (empty where /proc/cpuinfo is absent)."""
    try:
        text = pathlib.Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return set(value.split())
    return set()


def openblas_core(env: dict | None = None) -> str | None:
    """The OpenBLAS kernel NumPy picks under ``env`` (its ``OPENBLAS_VERBOSE=2`` report), or None
    where NumPy is not built on OpenBLAS."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("OPENBLAS_", "NPY_"))}
    full.update(env or {})
    full["OPENBLAS_VERBOSE"] = "2"
    proc = subprocess.run([sys.executable, "-c", "import numpy"], env=full, capture_output=True,
                          text=True)
    found = re.search(r"Core: (\w+)", proc.stdout + proc.stderr)
    return found.group(1) if found else None


def profiles(machine: str | None = None, flags: set[str] | None = None,
             default_core: str | None = None, core_of=None) -> list[Profile]:
    """The alternative profiles this CPU can run, each different from the default one.

    A profile that only names an OpenBLAS kernel is dropped when OpenBLAS maps that name to the
    kernel the machine already runs by default (``OPENBLAS_CORETYPE=Zen`` is Haswell's kernel,
    the default on an AVX2 machine).
    """
    machine = machine or platform.machine()
    flags = cpu_flags() if flags is None else flags
    core_of = core_of or _core_of
    default_core = core_of(None) if default_core is None else default_core
    found = _candidates(machine, flags)
    return [p for p in found if set(p.env) != {"OPENBLAS_CORETYPE"}
            or default_core is None or core_of(p.env["OPENBLAS_CORETYPE"]) != default_core]


def _core_of(coretype: str | None) -> str | None:
    return openblas_core({"OPENBLAS_CORETYPE": coretype} if coretype else {})


def _candidates(machine: str, flags: set[str]) -> list[Profile]:
    found: list[Profile] = []
    if machine in ("x86_64", "AMD64"):
        if "avx" in flags:
            found.append(Profile("sandybridge-1thread",
                                 {"OPENBLAS_CORETYPE": "Sandybridge", "OPENBLAS_NUM_THREADS": "1"},
                                 "AVX kernels without FMA, one BLAS thread"))
        if {"avx2", "fma"} <= flags:
            found.append(Profile("zen", {"OPENBLAS_CORETYPE": "Zen"},
                                 "AMD Zen's choice (Haswell's AVX2+FMA kernels)"))
        if "avx512f" in flags:
            found.append(Profile("numpy-avx2", {"NPY_DISABLE_CPU_FEATURES": NUMPY_ABOVE_V3},
                                 "NumPy's loops lowered from AVX-512 to AVX2"))
        if "sse4_2" in flags:
            found.append(Profile("nehalem", {"OPENBLAS_CORETYPE": "Nehalem"},
                                 "SSE4.2 BLAS kernels"))
        found.append(Profile("prescott-sse",
                             {"OPENBLAS_CORETYPE": "Prescott",
                              "NPY_DISABLE_CPU_FEATURES": NUMPY_ABOVE_V2 if "avx2" in flags
                              else ""},
                             "SSE3 BLAS kernels, NumPy at its SSE4.2 baseline"))
    elif machine in ("aarch64", "arm64"):
        found.append(Profile("armv8-1thread",
                             {"OPENBLAS_CORETYPE": "ARMV8", "OPENBLAS_NUM_THREADS": "1"},
                             "generic ARMv8 kernels, one BLAS thread"))
        found.append(Profile("cortexa57", {"OPENBLAS_CORETYPE": "CORTEXA57"},
                             "Cortex-A57 kernels"))
        found.append(Profile("neoversen1", {"OPENBLAS_CORETYPE": "NEOVERSEN1"},
                             "Neoverse N1 kernels"))
        if "asimdhp" in flags:
            found.append(Profile("numpy-asimd", {"NPY_DISABLE_CPU_FEATURES": "ASIMDHP ASIMDDP "
                                                 "ASIMDFHM SVE"},
                                 "NumPy's loops at plain ASIMD"))
    else:
        found.append(Profile("1thread", {"OPENBLAS_NUM_THREADS": "1"}, "one BLAS thread"))
    return [dataclasses.replace(p, env={k: v for k, v in p.env.items() if v}) for p in found]


def kernel_profiles(machine: str | None = None, flags: set[str] | None = None) -> list[Profile]:
    """One profile per OpenBLAS kernel this CPU can run (OPENBLAS_CORETYPE), for a wider check
    than the test suite's: `--all-kernels`."""
    machine = machine or platform.machine()
    flags = cpu_flags() if flags is None else flags
    if machine in ("aarch64", "arm64"):
        names = ["ARMV8", "CORTEXA53", "CORTEXA57", "NEOVERSEN1"]
        if "sve" in flags:
            names += ["NEOVERSEV1", "ARMV8SVE"]
    else:
        names = ["Prescott", "Core2", "Nehalem", "Atom", "Barcelona"]
        if "avx" in flags:
            names += ["Sandybridge"]
        if {"avx2", "fma"} <= flags:
            names += ["Haswell", "Zen"]
        if "avx512f" in flags:
            names += ["SkylakeX", "Cooperlake", "SapphireRapids"]
    # OpenBLAS maps several names to one kernel (Atom and Barcelona to Nehalem's on an Intel CPU):
    # keep one name per kernel actually run
    seen, found = set(), []
    for n in names:
        core = _core_of(n) or n
        if core not in seen:
            seen.add(core)
            found.append(Profile(f"openblas-{n.lower()}", {"OPENBLAS_CORETYPE": n},
                                 f"OpenBLAS {n} name, {core} kernel"))
    return found


def notebooks() -> list[pathlib.Path]:
    """The notebooks the default test run checks with nbval (everything under book/)."""
    found = (ROOT / "book").rglob("*.ipynb")
    return sorted(p for p in found if ".ipynb_checkpoints" not in p.parts)


@dataclasses.dataclass
class Difference:
    notebook: str
    cell: str
    diff: str

    def __str__(self) -> str:
        return f"{self.notebook}::{self.cell}\n{self.diff}"


@dataclasses.dataclass
class Result:
    profile: Profile
    cells: int
    differences: list[Difference]
    returncode: int
    log: str
    restarted: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.differences and self.cells > 0

    def report(self, diff_lines: int = 12) -> str:
        env = " ".join(f"{k}={v!r}" for k, v in self.profile.env.items())
        head = (f"profile {self.profile.name} ({self.profile.why}; {env}): "
                f"{len(self.differences)} of {self.cells} cells differ")
        if self.restarted:
            head += (f" (run again because their kernel did not start: "
                     f"{', '.join(self.restarted)})")
        body = []
        for d in self.differences:
            lines = d.diff.strip().splitlines()
            body.append(f"  {d.notebook}::{d.cell}")
            body += ["    " + line for line in lines[:diff_lines]]
            if len(lines) > diff_lines:
                body.append(f"    ... {len(lines) - diff_lines} more lines")
        if self.returncode not in (0, 1) or self.cells == 0:
            body.append("  the nbval run itself failed:\n" + self.log[-3000:])
        return "\n".join([head, *body])


KERNEL_START_FAILED = "Kernel died before replying to kernel_info"


def run(profile: Profile, paths: list[pathlib.Path] | None = None) -> Result:
    """Execute ``paths`` (default: every notebook) under ``profile`` with nbval in strict mode.

    A notebook whose kernel died before it ran a cell (two kernels starting at once can race for
    a port on a busy machine) runs once more; that says nothing about its outputs, and the
    report names it.
    """
    paths = paths or notebooks()
    result = _run_once(profile, paths)
    failed_start = sorted({d.notebook for d in result.differences
                           if KERNEL_START_FAILED in d.diff})
    if not failed_start:
        return result
    again = _run_once(profile, [ROOT / n if not pathlib.Path(n).is_absolute() else
                                pathlib.Path(n) for n in failed_start])
    kept = [d for d in result.differences if d.notebook not in failed_start]
    return Result(profile, result.cells, kept + again.differences,
                  max(result.returncode if kept else 0, again.returncode),
                  result.log + again.log, failed_start)


def _run_once(profile: Profile, paths: list[pathlib.Path]) -> Result:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENBLAS_", "NPY_", "OMP_", "MKL_", "GOTO"))}
    env.update(profile.env)
    with tempfile.TemporaryDirectory(prefix=f"portability-{profile.name}-") as tmp:
        junit = pathlib.Path(tmp) / "junit.xml"
        cmd = [sys.executable, "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider",
               "--nbval", "--nbval-current-env", f"--nbval-cell-timeout={CELL_TIMEOUT_S}",
               "-q", "--tb=no", f"--junitxml={junit}", *map(str, paths)]
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        cells, differences = parse_junit(junit, paths) if junit.exists() else (0, [])
    return Result(profile, cells, differences, proc.returncode, proc.stdout + proc.stderr)


def _shown(path: pathlib.Path) -> str:
    """A notebook's path as reports show it: relative to the project where it is inside."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def parse_junit(path: pathlib.Path, paths: list[pathlib.Path]) -> tuple[int, list[Difference]]:
    """The number of cells nbval compared in ``paths`` and the ones that failed, with nbval's
    message."""
    tree = ET.parse(path)
    cases = list(tree.iter("testcase"))
    differences = []
    for case in cases:
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            continue
        # nbval's junit class name is the notebook's path, relative to pytest's root folder,
        # with dots for slashes: the notebook whose full path ends that way
        dotted = case.get("classname", "")
        notebook = next((_shown(p) for p in paths
                         if str(p.resolve()).replace("/", ".").endswith("." + dotted)), dotted)
        text = ANSI.sub("", problem.text or problem.get("message") or "")
        # nbval's report repeats the cell's source, then says what mismatched: keep the latter
        _, found, mismatch = text.partition("Traceback:")
        differences.append(Difference(notebook, case.get("name", "?"),
                                      (mismatch if found else text).strip()))
    return len(cases), differences


def run_all(selected: list[Profile], paths: list[pathlib.Path] | None = None,
            workers: int = 2) -> list[Result]:
    """Run several profiles, ``workers`` at a time; results in the order of ``selected``."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda p: run(p, paths), selected))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=pathlib.Path, help="notebooks (default: all)")
    parser.add_argument("--profile", action="append", help="run only these profiles (by name)")
    parser.add_argument("--all-kernels", action="store_true",
                        help="one profile per OpenBLAS kernel this CPU supports")
    parser.add_argument("--list", action="store_true", help="list the profiles and stop")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--diff-lines", type=int, default=12,
                        help="lines of nbval's diff shown per cell")
    args = parser.parse_args(argv)
    selected = kernel_profiles() if args.all_kernels else profiles()
    if args.profile:
        unknown = set(args.profile) - {p.name for p in selected}
        if unknown:
            parser.error(f"unknown profile(s) {sorted(unknown)}; this CPU offers "
                         f"{[p.name for p in selected]}")
        selected = [p for p in selected if p.name in args.profile]
    if args.list:
        for p in selected:
            print(f"{p.name:22} {p.why}: {p.env}")
        return 0
    paths = [p.resolve() for p in args.paths] or None
    results = run_all(selected, paths, args.workers)
    for r in results:
        print(r.report(args.diff_lines), flush=True)
    total = sum(len(r.differences) for r in results)
    print(f"{total} differing cells over {len(results)} profiles")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
