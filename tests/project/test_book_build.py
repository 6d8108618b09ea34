"""The website builds with every Sphinx warning treated as an error."""

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_book_builds_without_warnings():
    jb = pathlib.Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run([str(jb), "build", "--all", "-W", "-n", "--keep-going", str(ROOT)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert (ROOT / "_build" / "html" / "index.html").exists()
