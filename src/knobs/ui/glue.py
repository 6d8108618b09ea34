"""``glue``: store a value in a notebook's outputs for the book's text to quote (myst-nb's glue).

This is myst-nb's own ``glue`` protocol, written out: the value's display bundle, its MIME types
prefixed with ``application/papermill.record/`` when it is not to be shown, and a ``scrapbook``
entry in the output's metadata naming it. myst-nb's reader then finds it exactly as it finds the
output of ``myst_nb.glue``; ``tests/ui/test_glue.py`` checks that both publish the same output.

Why not import ``myst_nb.glue`` in the chapters: its first call imports myst-nb's build-time
machinery (nbformat, jsonschema, docutils), about 1.1 s in every kernel, which is 18 s of the
whole book's 60 s execution budget. This module imports nothing beyond IPython.
"""

from __future__ import annotations

from typing import Any

GLUE_PREFIX = "application/papermill.record/"  # myst_nb.ext.glue.GLUE_PREFIX


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Glue ``variable``'s display under ``name`` (shown in the cell only if ``display``)."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"glue needs a non-empty string name, got {name!r}")
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    bundle, metadata = format_display_data(variable)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
