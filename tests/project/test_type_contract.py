"""Type hints are a contract too (pyproject.toml [tool.mypy]): `make lint` (so `make test`) runs
mypy on the real package and fails on any error; this test shows that the contract catches what
it is for, on a copy of the package broken on purpose: an engine function without annotations
(the public API must annotate everything) and a wrong argument type in the top floor."""

import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
MYPY = pathlib.Path(sys.executable).with_name("mypy")

pytestmark = pytest.mark.slow


def test_mypy_fails_on_an_unannotated_engine_function_and_a_wrong_argument(tmp_path):
    shutil.copytree(ROOT / "src" / "knobs", tmp_path / "src" / "knobs",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    linear = tmp_path / "src" / "knobs" / "nn" / "linear.py"
    linear.write_text(linear.read_text() + "\n\ndef scale(x, factor):\n    return x * factor\n")
    budget = tmp_path / "src" / "knobs" / "ui" / "experiments" / "budget.py"
    budget.write_text(budget.read_text() + "\n\ndef _wrong() -> None:\n"
                      "    from knobs.nn.linear import Linear\n"
                      "    Linear(\"three\", 2)\n")
    result = subprocess.run([str(MYPY), "--no-incremental", "--cache-dir", str(tmp_path / "cache")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    errors = result.stdout.splitlines()
    assert any("nn/linear.py" in e and "[no-untyped-def]" in e for e in errors), result.stdout
    assert any("experiments/budget.py" in e and "[arg-type]" in e for e in errors), result.stdout
    assert "Found 2 errors" in result.stdout, result.stdout
