"""A gated solution's code cells start collapsed in JupyterLab, as its text does.

sphinx-exercise's gated form (a markdown cell opening ``{solution-start}``, then ordinary cells,
then one opening ``{solution-end}``) puts the code inside the solution's dropdown on the website.
JupyterLab renders each cell on its own, so jupyterlab-myst can close the dropdown of the text
but not the code cells after it: they would print the solution under the exercise. Jupyter's own
cell metadata, ``jupyter.source_hidden`` and ``jupyter.outputs_hidden``, collapses them until a
click (JupyterLab and Notebook honour it; myst-nb ignores it, so the website is unchanged).

``make refresh`` applies this to every notebook it writes (``tools/refresh_notebooks.py``);
``tests/project/test_notebooks.py`` checks that every stored chapter has it.
"""

from __future__ import annotations

import re

START = re.compile(r"^```\{solution-start\}", re.MULTILINE)
END = re.compile(r"^```\{solution-end\}", re.MULTILINE)
HIDDEN = {"source_hidden": True, "outputs_hidden": True}


def _text(cell) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def gated_code_cells(nb) -> list[int]:
    """Indices of the code cells between a ``{solution-start}`` and its ``{solution-end}``."""
    inside, found = False, []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            text = _text(cell)
            if END.search(text):
                if not inside:
                    raise ValueError(f"cell {i}: a solution-end without a solution-start")
                inside = False
            if START.search(text):
                if inside:
                    raise ValueError(f"cell {i}: a solution-start inside another solution")
                inside = True
        elif cell["cell_type"] == "code" and inside:
            found.append(i)
    if inside:
        raise ValueError("a solution-start without its solution-end")
    return found


def is_collapsed(cell) -> bool:
    return all(cell.get("metadata", {}).get("jupyter", {}).get(k) is True for k in HIDDEN)


def collapse_gated_solutions(nb) -> int:
    """Mark every gated solution's code cells collapsed; return how many were not yet."""
    changed = 0
    for i in gated_code_cells(nb):
        cell = nb["cells"][i]
        if not is_collapsed(cell):
            cell.setdefault("metadata", {}).setdefault("jupyter", {}).update(HIDDEN)
            changed += 1
    return changed
