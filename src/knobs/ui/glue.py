"""``glue``: store a value in a notebook's outputs for the book's text to quote (myst-nb's glue).

This is myst-nb's own ``glue`` protocol, written out: the value's display bundle, its MIME types
prefixed with ``application/papermill.record/`` when it is not to be shown, and a ``scrapbook``
entry in the output's metadata naming it. myst-nb's reader then finds it exactly as it finds the
output of ``myst_nb.glue``; ``tests/ui/test_glue.py`` checks that both publish the same output.

Why not import ``myst_nb.glue`` in the chapters: its first call imports myst-nb's build-time
machinery (nbformat, jsonschema, docutils), about 1.1 s in every kernel, which is 18 s of the
whole book's 60 s execution budget. This module imports nothing beyond IPython.

The text quotes a glued value as ``{eval}`name``` (``book/_ext/knobs_site/glued.py``): the
website pastes the stored value, and JupyterLab's MyST renderer evaluates ``name`` in the
kernel. So ``glue`` also binds ``name`` to the value in the notebook's namespace; a name must be
a Python identifier and may not be one of the notebook's own variables (the text would then show
that variable in JupyterLab, and the chapter's code would lose it).
"""

from __future__ import annotations

from typing import Any

GLUE_PREFIX = "application/papermill.record/"  # myst_nb.ext.glue.GLUE_PREFIX
_bound: set[str] = set()  # the names glue has bound in this kernel (and may bind again)


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Glue ``variable``'s display under ``name`` (shown in the cell only if ``display``), and
    bind ``name`` to ``variable`` in the running notebook's namespace."""
    if not isinstance(name, str) or not name.isidentifier():
        raise TypeError(f"glue needs a Python identifier as its name (the text quotes it as "
                        f"{{eval}}`name`), got {name!r}")
    from IPython import get_ipython
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    shell = get_ipython()
    if shell is not None:
        if name in shell.user_ns and name not in _bound:
            raise ValueError(f"glue name {name!r} is already a variable of this notebook: glue "
                             f"under another name (such as the chapter's prefix, 'ch9_{name}')")
        shell.user_ns[name] = variable
        _bound.add(name)

    bundle, metadata = format_display_data(variable)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
