"""The language of what the experiments show a reader: English unless a caller chooses another.

The reader-facing text of ``knobs.ui`` (reports, control labels, titles, alt texts) is written in
English and marked for translation:

- ``_("changes by up to {change:.4f}").format(change=...)`` translates a template *now*, in the
  current language, then fills it (a template with named placeholders, never an f-string: the
  translator moves the placeholders, the numbers stay the engine's);
- ``N_("weight w1")`` only marks a text that is defined at import time (a control's label, an
  experiment's alt text): whoever shows it translates it then, with ``_(control.label)``.

The translations are one gettext catalog, ``locales/<language>/LC_MESSAGES/knobs.po`` (domain
``knobs``), compiled when a language is first used (``tools/i18n.py`` extracts the messages and
checks the catalog). English needs no catalog: its text is the source, unchanged.

    >>> from knobs.ui.language import set_language, use_language
    >>> set_language("zh_CN")          # a notebook reader: every widget from now on in Chinese
    >>> with use_language("en"): ...   # one block in English, then back to the previous language
"""

from __future__ import annotations

import gettext
import io
import pathlib
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

DOMAIN = "knobs"
SOURCE = "en"  # the language the text is written in
# the repository's catalogs (the package is installed in development mode: requirements.txt)
LOCALES = pathlib.Path(__file__).resolve().parents[3] / "locales"

_current = SOURCE


def catalog_path(language: str) -> pathlib.Path:
    """Where the catalog of ``language`` lives (it need not exist)."""
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    """English and every language with a catalog."""
    found = sorted(p.parents[1].name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [SOURCE, *found]


def _check(code: str) -> str:
    if code not in languages():
        raise ValueError(f"no translation of the experiments into {code!r}; "
                         f"available: {', '.join(languages())}")
    return code


@cache
def translation(code: str) -> gettext.NullTranslations:
    """The translations of ``code``: its catalog compiled in memory (no ``.mo`` file needed);
    English returns every text unchanged."""
    if _check(code) == SOURCE:
        return gettext.NullTranslations()
    # babel comes with Sphinx (myst-nb needs it); imported only when a translation is used
    from babel.messages import mofile, pofile

    with catalog_path(code).open("rb") as f:
        catalog = pofile.read_po(f, locale=code)
    compiled = io.BytesIO()
    mofile.write_mo(compiled, catalog)  # skips fuzzy messages: those fall back to English
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def language() -> str:
    """The current language's code (``"en"`` unless ``set_language`` chose another)."""
    return _current


def set_language(code: str) -> None:
    """Show every experiment from now on in ``code`` (``"en"``, ``"zh_CN"``)."""
    global _current
    translation(code)  # fails here, on a bad code or catalog, not at the next report
    _current = code


@contextmanager
def use_language(code: str) -> Iterator[None]:
    """The experiments in ``code`` inside the block; the previous language after it."""
    previous = _current
    set_language(code)
    try:
        yield
    finally:
        set_language(previous)


def _(message: str) -> str:
    """``message`` in the current language (unchanged when it has no translation)."""
    return translation(_current).gettext(message)


def named(value: object) -> str:
    """A name the engine uses (a menu's option, a gate), as a reader reads it: its translation
    when it was marked with ``N_``, else the name itself."""
    return _(str(value))


def N_(message: str) -> str:
    """Marks ``message`` for translation and returns it unchanged: translate it where it is
    shown, with ``_``."""
    return message


def width(text: str) -> int:
    """Columns ``text`` takes in a monospaced report: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``columns`` columns, like ``format(text, "<34")`` but
    counting a Chinese character as two columns (the same as ``format`` for English)."""
    space = " " * max(0, columns - width(text))
    return text + space if align == "<" else space + text
