"""The JupyterHub launch button, only for a teacher who names a hub when building the site.

A hub is a course's own, so the published book shows Binder and Colab only. A teacher builds
the site with their hub's address in one environment variable::

    KNOBS_JUPYTERHUB_URL=https://hub.example.edu make html

and every chapter's launch menu (the rocket icon) gains a JupyterHub entry: an nbgitpuller link
that clones the repository on that hub and opens the chapter (``tools/hub_link.py`` makes the
same links by hand). The variable is the only way in: a ``jupyterhub_url`` in ``_config.yml``'s
``launch_buttons`` stops the build, so a placeholder there cannot reach the readers.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from sphinx.errors import ExtensionError

VARIABLE = "KNOBS_JUPYTERHUB_URL"


def hub_url(environ=os.environ) -> str:
    """The hub's address from ``KNOBS_JUPYTERHUB_URL`` ('' when unset or blank)."""
    url = environ.get(VARIABLE, "").strip().rstrip("/")
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise ExtensionError(f"{VARIABLE}={url!r} is not a hub's address "
                             "(expected https://your-hub.example.edu)")
    return url


def apply_hub(app, config, environ=os.environ) -> None:
    """``config-inited``: put the hub of ``KNOBS_JUPYTERHUB_URL`` into the theme's launch
    buttons, or leave the JupyterHub button out (sphinx-book-theme shows it for any non-empty
    ``launch_buttons.jupyterhub_url``)."""
    options = dict(config.html_theme_options)
    buttons = dict(options.get("launch_buttons") or {})
    if buttons.get("jupyterhub_url"):
        raise ExtensionError(
            f"_config.yml sets launch_buttons.jupyterhub_url ({buttons['jupyterhub_url']!r}); "
            f"the hub is set when building instead: {VARIABLE}=https://your-hub make html "
            "(book/instructor-guide.md, 'Your own JupyterHub'). Remove it from _config.yml.")
    buttons.pop("jupyterhub_url", None)
    url = hub_url(environ)
    if url:
        buttons["jupyterhub_url"] = url
    options["launch_buttons"] = buttons
    config.html_theme_options = options
