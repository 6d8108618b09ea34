"""Give every chapter notebook its Colab setup cell: insert it, or update it, idempotently.

    python tools/colab_setup.py                   # every notebook listed in _toc.yml
    python tools/colab_setup.py book/part1/01-two-knobs.ipynb
    python tools/colab_setup.py --check           # exit 1 if a notebook lacks the current cell

Binder, a JupyterHub and a reader's laptop install the engine with requirements.txt. Colab opens
the notebook alone, from the repository, in its own Python: the chapter's first code cell must
install ``knobs`` there. The cell acts only in Colab (``google.colab`` is imported): it installs
``knobs`` if it is missing and turns on Colab's widget renderer; everywhere else, nbval
included, it does nothing and prints nothing. Its text comes from ``_config.yml``
(``repository.url`` and ``branch``), the one place the repository is named, so run this tool
again after changing them. A changed cell has no stored output yet: refresh the notebook
afterwards (``make refresh NB=...``).

The cell is tagged ``remove-cell`` (the website does not show it) and ``colab-setup`` (how this
tool and the tests find it).
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import nbformat
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
TAG = "colab-setup"
CELL_ID = "colab-setup"
# what the notebooks need besides the engine and Colab's own packages: myst-nb gives `glue`;
# knobs.ui.widgets.live displays through ipywidgets 8's _repr_mimebundle_ (Colab has shipped 7.x)
EXTRA_PACKAGES = ["myst-nb==1.4.0", "ipywidgets>=8,<9"]


def repository() -> tuple[str, str]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]
    return repo["url"].rstrip("/"), repo.get("branch", "main")


def cell_source() -> str:
    url, branch = repository()
    packages = (",\n" + " " * 24).join(f'"{p}"' for p in [f"knobs @ git+{url}@{branch}",
                                                            *EXTRA_PACKAGES])
    return f'''\
# Colab only: install this book's engine, `knobs`, from its repository. Everywhere else
# (Binder, JupyterHub, your laptop) requirements.txt has installed it and this cell does nothing.
import importlib.util
import subprocess
import sys

if "google.colab" in sys.modules:
    if importlib.util.find_spec("knobs") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                        {packages}], check=True)
        importlib.invalidate_caches()
    from google.colab import output

    output.enable_custom_widget_manager()  # Colab's renderer for ipywidgets 8'''


def chapter_notebooks() -> list[pathlib.Path]:
    """Every notebook that _toc.yml lists, in reading order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(ROOT / "_toc.yml")
    paths = [ROOT / f"{docname}.ipynb" for docname in site_map]
    return [p for p in paths if p.exists()]


def is_setup_cell(cell) -> bool:
    return cell.get("cell_type") == "code" and TAG in cell.get("metadata", {}).get("tags", [])


def setup_cells(nb) -> list:
    return [c for c in nb.cells if is_setup_cell(c)]


def is_current(nb) -> bool:
    """One setup cell, before every other code cell, with the current text."""
    cells = setup_cells(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    return len(cells) == 1 and code[0] is cells[0] and cells[0].source == cell_source()


def apply(nb) -> bool:
    """Insert or update the setup cell in ``nb`` (in place). Returns whether it changed."""
    if is_current(nb):
        return False
    for cell in setup_cells(nb):
        nb.cells.remove(cell)
    cell = nbformat.v4.new_code_cell(source=cell_source(),
                                     metadata={"tags": ["remove-cell", TAG]})
    if "id" in cell or nb.nbformat_minor >= 5:
        cell["id"] = CELL_ID
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"),
                      len(nb.cells))
    nb.cells.insert(first_code, cell)
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks (default: every one in _toc.yml)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    paths = [pathlib.Path(p).resolve() for p in args.paths] or chapter_notebooks()
    stale = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if args.check:
            if not is_current(nb):
                stale.append(path)
            continue
        if apply(nb):
            nbformat.write(nb, path)
            print(f"updated {path.relative_to(ROOT)}: refresh its outputs "
                  f"(make refresh NB={path.relative_to(ROOT)})")
    if stale:
        print("no current Colab setup cell (run tools/colab_setup.py): "
              + ", ".join(str(p.relative_to(ROOT)) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
