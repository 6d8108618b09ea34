"""A self-contained site: the vendored MathJax, require.js and widget manager, this extension's
own static files and templates, all served from the site itself (no CDN)."""

from __future__ import annotations

import pathlib
import sys

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

ROOT = pathlib.Path(__file__).resolve().parents[3]
HERE = pathlib.Path(__file__).resolve().parent
# tools/ is a package of the repository, not an installed one: Jupyter Book has no conf.py to
# extend sys.path in, so the extension does it, once (the tests get the root from pytest)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools import vendor_assets  # noqa: E402  (the one place that knows what is vendored)

# the vendored entry points, relative to _static/third_party/ (see vendor/vendor.toml)
MATHJAX = "mathjax/es5/tex-mml-chtml.js"
REQUIREJS = "requirejs/require.js"
WIDGET_MANAGER = "html-manager/dist/embed-amd.js"


def use_vendored_assets(app: Sphinx, config) -> None:
    stale = vendor_assets.missing()
    if stale:
        raise ExtensionError("the website's third-party assets are not vendored: "
                             f"{', '.join(stale)}. Run `make vendor` "
                             "(python tools/vendor_assets.py, needs npm).")
    config.html_static_path = [*config.html_static_path, str(vendor_assets.SITE_ROOT),
                               str(HERE / "static")]
    base = vendor_assets.SITE_DIR.relative_to(vendor_assets.SITE_ROOT).as_posix()  # third_party
    config.mathjax_path = f"{base}/{MATHJAX}"
    # no data-jupyter-widgets-cdn: the manager bundles the core widgets, and a widget it would
    # have to fetch from a CDN must fail loudly (the browser tests forbid remote requests)
    config.nb_ipywidgets_js = {f"{base}/{REQUIREJS}": {}, f"{base}/{WIDGET_MANAGER}": {}}
    # two of the theme's buttons, with their accessible names fixed (see the templates)
    config.templates_path = [str(HERE / "templates"), *config.templates_path]
