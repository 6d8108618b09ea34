"""The English and Chinese editions link every page to its counterpart.

The English site is ``_build/html/``, the Chinese one (``tools/i18n.py build``, the same sources
read through ``locales/zh_CN``) is ``_build/html/zh_CN/``. Every page gets a link, in its
article header next to the theme's buttons, to the same page in the other edition, written in
that edition's language (``中文`` on an English page, ``English`` on a Chinese one) with its
``lang`` and ``hreflang``. Chinese pages also get a CJK font stack of fonts that systems ship
(``knobs-site.css``): no font is downloaded.
"""

from __future__ import annotations

from sphinx.application import Sphinx

EDITIONS = {"en": ("English", "en", ""), "zh_CN": ("中文", "zh-CN", "zh_CN/")}
TEMPLATE = "knobs-language.html"


def other_edition(language: str) -> str:
    """The edition a page links to: Chinese from English, English from Chinese."""
    if language not in EDITIONS:
        raise ValueError(f"no edition for language {language!r} (expected one of "
                         f"{', '.join(EDITIONS)})")
    return "zh_CN" if language == "en" else "en"


def counterpart(pagename: str, language: str) -> str:
    """The relative URL of ``pagename``'s page in the other edition."""
    depth = pagename.count("/") + (0 if language == "en" else 1)
    return "../" * depth + EDITIONS[other_edition(language)][2] + pagename + ".html"


def header_slot(app: Sphinx, config) -> None:
    """``config-inited``: the link's template before the theme's own article-header buttons."""
    options = dict(config.html_theme_options)
    end = options.get("article_header_end") or ["article-header-buttons.html"]
    end = [end] if isinstance(end, str) else list(end)
    options["article_header_end"] = [TEMPLATE, *[t for t in end if t != TEMPLATE]]
    config.html_theme_options = options


def language_link(app: Sphinx, pagename: str, templatename: str, context: dict,
                  doctree) -> None:
    """``html-page-context``: what ``knobs-language.html`` shows."""
    language = app.config.language or "en"
    label, lang, _ = EDITIONS[other_edition(language)]
    context["knobs_language"] = {"href": counterpart(pagename, language), "label": label,
                                 "lang": lang}
