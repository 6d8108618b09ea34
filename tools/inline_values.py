"""The glued numbers of a chapter's text, stored where JupyterLab shows them without a kernel.

The prose quotes a number the chapter's code glued as ``{eval}`name```
(``book/_ext/knobs_site/glued.py``). jupyterlab-myst renders an ``{eval}`` from the markdown
cell's ``user_expressions`` metadata: a list of ``{"expression": name, "result": reply}`` where
``reply`` is what the kernel answers for ``name`` (``{"status": "ok", "data": bundle,
"metadata": {}}``). Without it a student who opens a chapter sees the name, not the number, until
the cell is run. This module writes that metadata from the notebook's own glue outputs (the
bundle ``knobs.ui.glue.glue`` stored, which is the bundle the kernel answers, since ``glue``
binds the name to the same value). myst-nb ignores it, so the website is unchanged.

``make refresh`` applies it to every notebook it writes (``tools/refresh_notebooks.py``);
``tests/project/test_notebooks.py`` checks that every stored chapter is up to date.
"""

from __future__ import annotations

import re

GLUE_PREFIX = "application/papermill.record/"  # knobs.ui.glue.GLUE_PREFIX, myst-nb's
METADATA = "user_expressions"  # jupyterlab-myst's markdown cell metadata key
EVAL = re.compile(r"\{eval\}`([^`]*)`")


def _text(cell) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def glued_values(nb) -> dict[str, dict]:
    """Every value the notebook glues (myst-nb's protocol): name -> its output's data bundle."""
    values = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is not None:
                values[name] = {k.removeprefix(GLUE_PREFIX): v for k, v in output["data"].items()}
    return values


def quoted_names(text: str) -> list[str]:
    """The names a markdown text quotes with ``{eval}``, each once, in order."""
    return list(dict.fromkeys(m.strip() for m in EVAL.findall(text)))


def expressions_for(cell, values: dict[str, dict]) -> list[dict]:
    """What jupyterlab-myst stores for ``cell``'s ``{eval}`` roles, from the glued ``values``."""
    found = []
    for name in quoted_names(_text(cell)):
        if name not in values:
            raise KeyError(f"{{eval}}`{name}` quotes a name the notebook does not glue "
                           f"(glued: {', '.join(sorted(values)) or 'none'})")
        found.append({"expression": name,
                      "result": {"status": "ok", "data": values[name], "metadata": {}}})
    return found


def store_inline_values(nb) -> int:
    """Write every markdown cell's ``user_expressions``; return how many cells changed."""
    values, changed = glued_values(nb), 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        want = expressions_for(cell, values)
        metadata = cell.setdefault("metadata", {})
        if metadata.get(METADATA, []) == want:
            continue
        if want:
            metadata[METADATA] = want
        else:
            del metadata[METADATA]
        changed += 1
    return changed
