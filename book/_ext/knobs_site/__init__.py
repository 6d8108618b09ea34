"""Sphinx extension for the book's website: self-contained, kernel-free experiments, metadata.

Loaded from ``_config.yml`` (``sphinx.local_extensions``). It applies to every page the book
builds, so a new chapter needs nothing of its own. One module per concern; this one only wires
them to Sphinx's events.

1. **No CDN** (``assets``). MathJax, require.js and the ipywidgets HTML manager are served from
   ``_static/third_party/`` (fetched and pinned by ``tools/vendor_assets.py``; the build stops
   if they are missing). ``mathjax_path`` and myst-nb's ``nb_ipywidgets_js`` are pointed there.
2. **Experiments without a kernel** (``frames``, ``components``). Where a chapter shows
   ``live(EXPERIMENT)`` (a widget box with the CSS classes ``knobs-live`` and
   ``knobs-experiment-<name>``), the page gets a small HTML slider instead of widgets that
   cannot move without a kernel: for each value of the experiment's ``main`` control the engine
   computes the report and draws the figure at build time (``frames``); the slider swaps them.
   The other controls stay at their defaults; the notebook keeps the full ipywidgets version.
   Pages left with no widget view do not load the widget manager or the widget state.
   ``engine`` is the one place that imports the engine (``knobs``).
3. **Metadata** (``metadata``). Every page gets a ``<meta name="description">`` from its opening
   text, and every image must have readable alt text (a warning otherwise, an error under
   ``-W``); ``index.html`` is a redirect with a title.
4. **Theme fixes** found by the browser tests (tests/browser): one search box and no empty top
   header, which also makes the sidebar toggles work on phones, tablets and wide screens
   (``theme``); two buttons' accessible names, and no script a page does not use (Font
   Awesome's JavaScript, the search index outside search.html) (``templates/``); citation list
   roles, link contrast in tinted boxes, tables, code and long equations that scroll in their
   own box instead of the page (``knobs-site.css``); sphinx-thebe's duplicated inline script and
   its CDN loader (thebe is off), formulas typeset in search.html's result snippets (``theme``,
   ``knobs-search.js``). The theme's default colour mode is set in
   ``_config.yml`` (``html_context``), the favicon there (``html.favicon``).
5. **Footer** (``footer``): the license (from ``LICENSE``) and the engine's version
   (``knobs.__version__``), read at build time.
6. **A teacher's JupyterHub** (``hub``). The launch menu offers a JupyterHub only when the site
   is built with ``KNOBS_JUPYTERHUB_URL`` set (the one place a hub is named).
7. **Colab** (``colab``): the launch button opens the chapter's Colab edition (``colab/``).
8. **Two editions** (``language``): every page links to its counterpart in the other
   language (English in ``_build/html/``, Chinese in ``_build/html/zh_CN/``, ``tools/i18n.py``);
   a translated edition also translates what Sphinx's i18n does not reach (``translation``).
9. **Glued numbers in the text** (``glued``): ``{eval}`name``` quotes the value the page's code
   glued under ``name``, on the website as in JupyterLab.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import (
    assets,
    colab,
    components,
    figures,
    footer,
    frames,
    glued,
    hub,
    language,
    metadata,
    theme,
    translation,
)


def setup(app: Sphinx) -> dict:
    glued.add_role(app)
    translation.setup_translation(app)
    app.connect("config-inited", assets.use_vendored_assets, priority=400)
    app.connect("config-inited", hub.apply_hub, priority=400)
    app.connect("config-inited", theme.theme_options, priority=400)
    app.connect("config-inited", footer.add_footer, priority=400)
    app.connect("config-inited", language.header_slot, priority=400)
    app.add_css_file("knobs-site.css")
    app.connect("env-updated", frames.precompute_frames)
    app.connect("doctree-resolved", components.replace_live_widgets)
    app.connect("doctree-resolved", metadata.check_alt_text)
    app.connect("html-page-context", theme.page_fixes, priority=900)
    app.connect("html-page-context", theme.search_page_math, priority=900)
    app.connect("html-page-context", components.page_scripts, priority=900)
    app.connect("html-page-context", metadata.page_description, priority=900)
    app.connect("html-page-context", figures.page_assets, priority=900)
    app.connect("html-page-context", colab.colab_edition_button, priority=900)
    # before pydata-sphinx-theme drops the templates that render empty (priority 500)
    app.connect("html-page-context", footer.page_footer, priority=400)
    app.connect("html-page-context", language.language_link, priority=400)
    app.connect("build-finished", metadata.write_root_redirect, priority=400)
    return {"version": frames.VERSION, "parallel_read_safe": True, "parallel_write_safe": False}
