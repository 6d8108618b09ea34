"""The package's floors are a contract (pyproject.toml [tool.importlinter], run by `make lint`):
it holds on the real tree, and it breaks when a lower floor imports a higher one."""

import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LINT_IMPORTS = pathlib.Path(sys.executable).with_name("lint-imports")


def lint_imports(src: pathlib.Path, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(src), "HOME": str(cwd)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def tree(tmp_path):
    """A copy of the package and of the project's contracts, to break on purpose."""
    shutil.copytree(ROOT / "src" / "knobs", tmp_path / "src" / "knobs",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_floors_hold_on_the_real_tree(tree):
    result = lint_imports(tree / "src", tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_engine_module_importing_a_widget_breaks_the_layers(tree):
    linear = tree / "src" / "knobs" / "nn" / "linear.py"
    linear.write_text(linear.read_text() + "\nfrom knobs.ui import widgets  # noqa: E402\n")
    result = lint_imports(tree / "src", tree)
    assert result.returncode != 0
    assert "knobs is layered" in result.stdout and "BROKEN" in result.stdout
    assert "knobs.nn.linear -> knobs.ui.widgets" in result.stdout


def test_an_analysis_module_importing_matplotlib_breaks_the_display_rule(tree):
    moments = tree / "src" / "knobs" / "analysis" / "moments.py"
    moments.write_text(moments.read_text() + "\nimport matplotlib  # noqa: E402\n")
    result = lint_imports(tree / "src", tree)
    assert result.returncode != 0
    assert "knobs.analysis.moments -> matplotlib" in result.stdout
