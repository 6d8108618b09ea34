"""Refresh the stored outputs of the book's notebooks: one clean top-to-bottom run each.

    python -m tools.refresh_notebooks              # every notebook under book/
    python -m tools.refresh_notebooks book/part1/01-two-knobs.ipynb

Each notebook runs in a fresh kernel from its own folder, with a bounded per-cell timeout and no
error allowed; its outputs, execution counts 1..n and widget state are written back in place,
and a chapter's Colab edition (``colab/``, ``tools/colab_variant.py``) is written again.
This is the only supported way to update stored outputs (``make refresh``).
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys
import time

import nbformat
from nbclient import NotebookClient

from tools.colab_variant import write_edition
from tools.inline_values import store_inline_values
from tools.solution_cells import collapse_gated_solutions

ROOT = pathlib.Path(__file__).resolve().parents[1]
CELL_TIMEOUT_S = 60


def notebooks(paths: list[str]) -> list[pathlib.Path]:
    if paths:
        return [pathlib.Path(p).resolve() for p in paths]
    found = (ROOT / "book").rglob("*.ipynb")
    return sorted(p for p in found if ".ipynb_checkpoints" not in p.parts)


def refresh(path: pathlib.Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", allow_errors=False,
                   store_widget_state=True, resources={"metadata": {"path": str(path.parent)}}
                   ).execute()
    elapsed = time.perf_counter() - start
    collapse_gated_solutions(nb)  # a gated solution's code starts collapsed in JupyterLab
    store_inline_values(nb)  # the text's glued numbers, shown by JupyterLab without a kernel
    nbformat.write(nb, path)
    if re.match(r"\d\d-", path.name):
        write_edition(path)  # its Colab edition (colab/), with the numbers of this run
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks to refresh (default: all)")
    args = parser.parse_args(argv)
    total = 0.0
    for path in notebooks(args.paths):
        elapsed = refresh(path)
        total += elapsed
        print(f"{elapsed:6.2f} s  {path.relative_to(ROOT)}", flush=True)
    print(f"{total:6.2f} s  total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
