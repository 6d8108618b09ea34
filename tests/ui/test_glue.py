"""knobs.ui.glue publishes exactly what myst_nb.glue publishes, without myst-nb's import cost."""

import subprocess
import sys

import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell

from knobs.ui.glue import glue as knobs_glue


def published(glue_function, *args, **kwargs):
    """The (data, metadata) pairs a call sends to IPython's display publisher."""
    shell = InteractiveShell.instance()
    sent = []
    original = shell.display_pub.publish
    shell.display_pub.publish = lambda data, metadata=None, **kw: sent.append((data, metadata))
    try:
        glue_function(*args, **kwargs)
    finally:
        shell.display_pub.publish = original
    return sent


@pytest.mark.parametrize("value", ["0.125", 3, 2.5e-17, np.float64(0.1), [1, 2]])
@pytest.mark.parametrize("display", [True, False])
def test_same_output_as_myst_nb(value, display):
    from myst_nb import glue as myst_glue

    ours = published(knobs_glue, "name", value, display=display)
    theirs = published(myst_glue, "name", value, display=display)
    assert ours == theirs and len(ours) == 1
    data, metadata = ours[0]
    assert metadata["scrapbook"]["name"] == "name"
    assert all(k.startswith("application/papermill.record/") != display for k in data)


@pytest.mark.parametrize("name", ["", "ch2-mean", "2nd", "a b", 3])
def test_a_name_is_a_python_identifier(name):
    with pytest.raises(TypeError, match="Python identifier"):
        knobs_glue(name, 1)


def test_the_name_is_bound_in_the_notebook_for_jupyterlab_to_evaluate():
    shell = InteractiveShell.instance()
    shell.user_ns.pop("ch0_value", None)
    published(knobs_glue, "ch0_value", "0.125", display=False)
    assert shell.user_ns["ch0_value"] == "0.125"
    # what jupyterlab-myst asks the kernel for an inline {eval}`ch0_value`: the glued bundle
    reply = shell.user_expressions({"0": "ch0_value"})["0"]
    assert reply["status"] == "ok" and reply["data"] == {"text/plain": "'0.125'"}
    published(knobs_glue, "ch0_value", "0.25", display=False)  # a cell run again glues again
    assert shell.user_ns["ch0_value"] == "0.25"


def test_a_name_the_notebook_already_uses_is_refused():
    shell = InteractiveShell.instance()
    shell.user_ns["worst"] = 17  # the chapter's own variable
    with pytest.raises(ValueError, match="'worst' is already a variable of this notebook"):
        knobs_glue("worst", "0.02", display=False)
    assert shell.user_ns["worst"] == 17


def test_imports_none_of_the_build_machinery():
    code = ("import sys, knobs.ui.glue; knobs.ui.glue.glue('x', 1, display=False); "
            "print(sorted(m for m in ('nbformat', 'docutils', 'jsonschema', 'myst_nb') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
