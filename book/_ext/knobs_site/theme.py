"""Fixes to the theme's pages found by the browser tests (tests/browser): one header and one
search box (which also makes the sidebar toggles work), citation list roles, sphinx-thebe's
duplicated inline script and its CDN loader (thebe is off), typeset formulas in search.html's
result snippets."""

from __future__ import annotations

from sphinx.application import Sphinx


def theme_options(app: Sphinx, config) -> None:
    """``config-inited``: no top header (pydata-sphinx-theme's ``navbar_persistent`` emptied).

    sphinx-book-theme leaves pydata-sphinx-theme's header empty but for ``navbar_persistent``,
    which pydata-sphinx-theme 0.17 fills with a search field when it is not set: at 1280 px a
    64 px bar held a second search box above the sidebar's own. With nothing in it the header
    is not rendered at all, and with it go its two hidden sidebar toggles, the first
    ``.primary-toggle`` and ``.secondary-toggle`` of the page. Both themes bind only that first
    one (``document.querySelector``), so the visible toggles in the article header did nothing:
    the navigation could not be opened on a phone or a tablet (pydata-sphinx-theme #2451,
    ``setupMobileSidebarKeyboardHandlers``) nor hidden on a wide screen (sphinx-book-theme #865,
    ``fixSidebarToggle``). Without the header the article header's toggles are the first, and
    the themes' own handlers work as designed (tests/browser/test_site_layout.py checks both).
    Below 992 px the article header has its own search button, from 992 px the sidebar has the
    search field.
    """
    config.html_theme_options = {**config.html_theme_options, "navbar_persistent": []}


def _thebe_enabled(app: Sphinx) -> bool:
    return bool(app.config.html_theme_options.get("launch_buttons", {}).get("thebe"))


def page_fixes(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body", "")
    if 'role="doc-biblioentry"' in body:
        # docutils wraps citations in role="list" but marks each with the deprecated DPub role
        # doc-biblioentry, which is no list item (axe-core: aria-required-children, critical)
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')
    if "script_files" in context:
        seen, kept = set(), []
        for js in context["script_files"]:
            body_js = js.attributes.get("body", "")
            # thebe (live code through Binder) is off: its loader only names a CDN
            if not _thebe_enabled(app) and ("sphinx-thebe" in str(js.filename)
                                            or "THEBE_JS_URL" in body_js):
                continue
            # sphinx-thebe's inline config is added twice, a console error ("already declared")
            key = (str(js.filename), tuple(sorted(js.attributes.items())))
            if key not in seen:
                seen.add(key)
                kept.append(js)
        context["script_files"][:] = kept
    if not _thebe_enabled(app) and "css_files" in context:
        context["css_files"][:] = [css for css in context["css_files"]
                                   if "sphinx-thebe" not in str(css.filename)]


def search_page_math(app: Sphinx, pagename: str, templatename: str, context: dict,
                     doctree) -> None:
    """search.html: the result snippets' formulas typeset (``static/knobs-search.js``) by the
    site's own MathJax, which that script loads only when a snippet holds one."""
    if pagename != "search":
        return
    mathjax = context["pathto"](f"_static/{app.config.mathjax_path}", 1)
    app.add_js_file("knobs-search.js", loading_method="defer", **{"data-mathjax": mathjax})
