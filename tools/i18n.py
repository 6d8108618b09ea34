"""The Chinese edition: gettext catalogs kept in step with the English text, and its build.

    python -m tools.i18n catalogs   # extract the English messages, update locales/zh_CN (make catalogs)
    python -m tools.i18n check      # fail on a stale, fuzzy or untranslated catalog (make test)
    python -m tools.i18n build      # the Chinese site into _build/html/zh_CN/ (make html)

The English text is the source. Sphinx's gettext builder extracts every message a reader reads
(paragraphs, headings, list items, captions, exercise and solution text, glossary entries) into
one template per page; ``sphinx-intl update`` merges them into
``locales/zh_CN/LC_MESSAGES/<page>.po``, where a changed English sentence becomes *fuzzy* and a
new one *untranslated*. ``check`` regenerates the templates and fails when a catalog lacks a
message of the English text or keeps one it no longer has, or when ``msgfmt --statistics``
counts a fuzzy or untranslated message (``sphinx-intl stat`` would count fuzzy ones as
translated). A change to an English sentence therefore needs its translation in the same change.

Two kinds of message are filled in here rather than translated, and say so in a comment:
messages with nothing to translate (display math, code, a bare citation) and, on the engine
reference (``book/api.md``), the docstrings that autodoc inserts: the API stays English, as its
names do; the page's own prose is translated.

The Chinese build is Jupyter Book's own build with a second configuration (``_config.yml`` plus
``language: zh_CN``; Jupyter Book 1.x has no language flag), written to ``_build/zh_CN/``; its
site is copied into ``_build/html/zh_CN/``, so both editions are served from one folder. Every
page links to its counterpart (``book/_ext/knobs_site/language.py``).
"""

from __future__ import annotations

import argparse
import pathlib
import re
import shutil
import subprocess
import sys

import yaml
from babel.messages import pofile

ROOT = pathlib.Path(__file__).resolve().parents[1]
LANGUAGE = "zh_CN"
LOCALES = ROOT / "locales"
CATALOGS = LOCALES / LANGUAGE / "LC_MESSAGES"
BIN = pathlib.Path(sys.executable).parent
POT_BUILD = ROOT / "_build" / "pot"
TEMPLATES = POT_BUILD / "_build" / "gettext"
EDITION_BUILD = ROOT / "_build" / LANGUAGE
SITE = ROOT / "_build" / "html"

KEPT_COMMENT = "kept in English"
# what a reader need not read in another language: math, code, roles' targets, URLs
NOT_PROSE = [
    re.compile(r"\$\$.*?\$\$", re.S), re.compile(r"\$[^$]*\$"), re.compile(r"\\\(.*?\\\)", re.S),
    re.compile(r"\\\[.*?\\\]", re.S), re.compile(r"`[^`]*`"), re.compile(r"https?://\S+"),
    re.compile(r"\\[A-Za-z]+"),
]


def has_prose(msgid: str) -> bool:
    """Whether a message has words to translate (three letters in a row outside math/code)."""
    if msgid.startswith("\n") or msgid.lstrip().startswith("\\begin"):  # a display equation
        return False
    text = msgid
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    return re.search(r"[A-Za-z]{3,}", text) is not None


def own_text(page: pathlib.Path) -> str:
    """A Markdown page's own text without its ``eval-rst`` blocks (autodoc's directives)."""
    text = re.sub(r"```\{eval-rst\}.*?```", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(text.split())


def kept_in_english(catalog_path: pathlib.Path, msgid: str) -> str | None:
    """Why ``msgid`` is filled with itself, or None when it is to be translated."""
    if not has_prose(msgid):
        return "nothing to translate (math, code or a reference)"
    if catalog_path.relative_to(CATALOGS).with_suffix("") == pathlib.Path("book/api"):
        if " ".join(msgid.split()) not in own_text(ROOT / "book" / "api.md"):
            return "a docstring: the engine reference's API text stays English"
    return None


ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<text>[^`]*)`")
TITLED = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
CODE = re.compile(r"(?<!\})``?[^`]+``?")
GLOSSARY = ROOT / "book" / "glossary.md"


def glossary_terms() -> dict[str, str]:
    """English term -> the Chinese term the glossary gives for it (from the source notes)."""
    text = GLOSSARY.read_text(encoding="utf-8")
    body = text[text.index("```{glossary}"):]
    return dict(re.findall(r"^(\S[^\n]*)\n  (\S+) \(", body, re.M))


def _roles(text: str) -> list[tuple[str, str]]:
    """(role, target) of every role: a {term}'s target is its glossary entry, shown text aside."""
    found = []
    for m in ROLE.finditer(text):
        titled = TITLED.match(m["text"])
        target = titled["target"] if titled else m["text"]
        if m["name"] in ("term", "doc", "ref", "numref") and titled:
            found.append((m["name"], target.strip()))
        elif m["name"] == "term":
            found.append((m["name"], None))  # {term}`bias`: the target is the shown text
        else:
            found.append((m["name"], m["text"].strip()))
    return sorted(found, key=str)


def problems(msgid: str, msgstr: str, terms: dict[str, str]) -> list[str]:
    """What a translation breaks: its math, code, roles and glossary terms must be the English
    text's (a {term} may show other text, but must point at the same entry and show the
    glossary's Chinese term)."""
    if not msgstr:
        return ["untranslated"]
    found = []
    if sorted(MATH.findall(msgid)) != sorted(MATH.findall(msgstr)):
        found.append("math differs from the English text's")
    if sorted(CODE.findall(ROLE.sub("", msgid))) != sorted(CODE.findall(ROLE.sub("", msgstr))):
        found.append("code spans differ from the English text's")
    english = [(m["name"], m["text"]) for m in ROLE.finditer(msgid)]
    chinese = [(m["name"], m["text"]) for m in ROLE.finditer(msgstr)]
    fixed = ("eval", "cite", "cite:p", "cite:t", "doc", "ref", "numref")
    if sorted(t for n, t in english if n in fixed and not TITLED.match(t)) != \
            sorted(t for n, t in chinese if n in fixed and not TITLED.match(t)):
        found.append("a {eval}, {cite}, {doc}, {ref} or {numref} role changed")
    want = sorted(_entry(t) for n, t in english if n == "term")
    got = sorted(_entry(t) for n, t in chinese if n == "term")
    if want != got:
        found.append(f"{{term}} roles point at {got}, the English text's at {want}")
    for n, t in chinese:
        if n != "term":
            continue
        entry, shown = _entry(t), _shown(t)
        zh = terms.get(entry) or terms.get(entry.lower())
        if zh and zh not in shown:
            found.append(f"{{term}}`{t}` does not show the glossary's term {zh} for {entry!r}")
    return found


def _entry(role_text: str) -> str:
    titled = TITLED.match(role_text)
    return (titled["target"] if titled else role_text).strip()


def _shown(role_text: str) -> str:
    titled = TITLED.match(role_text)
    return (titled["text"] if titled else role_text).strip()


def lint(path: pathlib.Path) -> list[str]:
    """Every problem of one catalog, as ``path: msgid…: problem`` lines."""
    terms, found = glossary_terms(), []
    for message in read(path):
        if not message.id:
            continue
        issues = problems(message.id, message.string, terms)
        if "fuzzy" in message.flags:
            issues.append("fuzzy")
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        found += [f"{name}: {message.id[:60]!r}: {issue}" for issue in issues]
    return found


def extract() -> None:
    """Sphinx's gettext builder over the book: one template per page in ``TEMPLATES``."""
    shutil.rmtree(TEMPLATES, ignore_errors=True)
    subprocess.run([str(BIN / "jupyter-book"), "build", str(ROOT), "--builder", "custom",
                    "--custom-builder", "gettext", "--path-output", str(POT_BUILD)],
                   check=True, stdout=subprocess.DEVNULL)


def read(path: pathlib.Path):
    with path.open("rb") as f:
        return pofile.read_po(f)


def write(path: pathlib.Path, catalog) -> None:
    with path.open("wb") as f:
        pofile.write_po(f, catalog, width=100, omit_header=False)


def fill_kept(path: pathlib.Path) -> int:
    """Fill the messages kept in English with themselves; return how many were filled."""
    catalog, filled = read(path), 0
    for message in catalog:
        if not message.id or message.string:
            continue
        why = kept_in_english(path, message.id)
        if why:
            message.string = message.id
            message.auto_comments = [f"{KEPT_COMMENT}: {why}"]
            message.flags.discard("fuzzy")
            filled += 1
    if filled:
        write(path, catalog)
    return filled


def catalogs() -> None:
    """Extract the English messages and merge them into the Chinese catalogs."""
    extract()
    subprocess.run([str(BIN / "sphinx-intl"), "update", "--pot-dir", str(TEMPLATES),
                    "--locale-dir", str(LOCALES), "--language", LANGUAGE, "--line-width", "100"],
                   check=True, stdout=subprocess.DEVNULL)
    for path in sorted(CATALOGS.rglob("*.po")):
        fill_kept(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["catalogs", "lint"])
    parser.add_argument("paths", nargs="*", type=pathlib.Path, help="lint: catalogs (default all)")
    args = parser.parse_args(argv)
    if args.command == "catalogs":
        catalogs()
    elif args.command == "lint":
        paths = [p.resolve() for p in args.paths] or sorted(CATALOGS.rglob("*.po"))
        found = [line for path in paths for line in lint(path)]
        print("\n".join(found) or f"{len(paths)} catalogs: no problem")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
