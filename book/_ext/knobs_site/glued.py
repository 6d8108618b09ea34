"""``{eval}`name```: a number the page's own code glued, quoted in its text.

The chapters compute the numbers their prose quotes and store them with
``knobs.ui.glue.glue(name, value)`` (myst-nb's glue protocol). The prose quotes them with
``{eval}`name``` rather than myst-nb's ``{glue:text}`name```, because that one role reads as the
number in every place the book is read:

- **On the website** (this module) it is myst-nb's glue: the value stored under ``name`` in this
  page's outputs, as ``{glue:text}`this-page.ipynb::name``` would paste it. myst-nb's own
  ``{eval}`` needs a kernel at build time (``execution_mode: inline``); the book builds from
  stored outputs, so the role is replaced here, and it accepts only a glued name. Going through
  myst-nb's cross-document form (a reference resolved from the page's glue cache after
  reading) also keeps the number in a translated paragraph, which Sphinx re-parses without the
  page's glue data.
- **In JupyterLab** (jupyterlab-myst) it is an inline expression: shown from the value stored
  in the markdown cell's ``user_expressions`` metadata (``make refresh`` writes it from the
  glue outputs, ``tools/inline_values.py``), and re-evaluated in the kernel when the cell runs,
  where ``glue`` has bound ``name`` to the same value.
- In the Colab edition (``tools/colab_variant.py``) it is written out as the number.

A name that the page does not glue is a build warning (an error under ``-W``).

In a translated edition a glued value that is words, not a number, is translated from the
page's catalog (``translation.py``).
"""

from __future__ import annotations

import pathlib
import re

from docutils import nodes
from myst_nb.ext.glue.utils import PendingGlueReferenceError, create_pending_glue_ref, glue_warning
from myst_nb.ext.utils import RoleBase

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class GluedText(RoleBase):
    """``{eval}`name```: the text/plain value this page glued under ``name``."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        name = self.text.strip()
        if not NAME.fullmatch(name):
            return [], [glue_warning(
                f"{{eval}} quotes a glued name (a Python identifier), got {self.text!r}",
                self.document, self.line)]
        env = self.document.settings.env
        page = pathlib.Path(env.doc2path(env.docname)).name
        try:
            ref = create_pending_glue_ref(self.document, self.source, self.line, page, name,
                                          inline=True, gtype="text", fmt_spec="s")
        except PendingGlueReferenceError as exc:
            return [], [glue_warning(str(exc), self.document, self.line)]
        return [ref], []


def add_role(app) -> None:
    """Replace myst-nb's kernel-evaluated ``{eval}`` (set up by ``myst_nb``, loaded first)."""
    app.add_role("eval", GluedText(), override=True)
