"""Fixes to the theme's pages found by the browser tests (tests/browser): citation list roles,
sphinx-thebe's duplicated inline script and its CDN loader (thebe is off)."""

from __future__ import annotations

from sphinx.application import Sphinx


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
