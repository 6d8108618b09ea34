"""The Chinese edition: gettext catalogs kept in step with the English text, and its build.

    python -m tools.i18n catalogs   # the English messages into locales/zh_CN (make catalogs)
    python -m tools.i18n check      # fail on a stale, fuzzy or untranslated catalog (make test)
    python -m tools.i18n lint       # a translation's math, code, roles and glossary terms
    python -m tools.i18n build      # the Chinese site into _build/html/zh_CN/ (make html)

The English text is the source. Sphinx's gettext builder extracts every message a reader reads
(paragraphs, headings, list items, captions, exercise and solution text, glossary entries) into
one template per page; ``sphinx-intl update`` merges them into
``locales/zh_CN/LC_MESSAGES/<page>.po``, where a changed English sentence becomes *fuzzy* and a
new one *untranslated*. ``check`` regenerates the templates and fails when a catalog lacks a
message of the English text or keeps one it no longer has, or when ``msgfmt --statistics``
counts a fuzzy or untranslated message (``sphinx-intl stat`` would count fuzzy ones as
translated). A change to an English sentence therefore needs its translation in the same change.

Two texts of a notebook page are not extracted by Sphinx and are added to its template here:
glued values that are words rather than numbers (a conclusion the chapter's code computed, such
as "one standard error") and the alt texts of its figures. They are translated like its prose;
the website looks them up in the page's catalog (``book/_ext/knobs_site/translation.py``).

The live experiments' text (reports, control labels, titles, alt texts, the website's experiment
box) is the engine's, not a page's: babel extracts the ``_()`` and ``N_()`` messages of
``src/knobs/ui`` (and of ``knobs_site/components.py``) into ``knobs.pot``, which joins the pages'
templates, so ``catalogs`` merges it into ``locales/zh_CN/LC_MESSAGES/knobs.po`` and ``check``
finds that catalog stale, fuzzy or untranslated like a page's; ``check`` also refuses a
translation whose ``{placeholders}`` differ from its English template's. ``knobs.ui.language``
reads the catalog at run time.

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
    """Whether a message has words to translate (two letters in a row outside math/code)."""
    if msgid.startswith("\n") or msgid.lstrip().startswith("\\begin"):  # a display equation
        return False
    text = msgid
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    return re.search(r"[A-Za-z]{2,}", text) is not None


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
PLACEHOLDER = re.compile(r"%\(\w+\)s")  # a template message's (knobs-footer.html)
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
    if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
        found.append("placeholders (%(name)s) differ from the English text's")
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


WORDS = re.compile(r"[a-z]{2,}")  # "one standard error", not "3.61 GB" (knobs_site.translation)


def page_texts(notebook: pathlib.Path) -> dict[str, str]:
    """What a notebook page shows that Sphinx's gettext does not extract, when it is words: the
    glued values its text quotes (such as "one standard error") and its figures' alt texts.
    Text -> where it comes from. ``book/_ext/knobs_site/translation.py`` looks them up in the
    page's catalog."""
    import nbformat

    from tools.colab_variant import glue_text
    from tools.inline_values import glued_values, quoted_names

    nb = nbformat.read(notebook, as_version=4)
    values = glued_values(nb)
    names = quoted_names("\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))
    found = {glue_text(name, values): f"glued value {name}: computed by the chapter's code"
             for name in names}
    for cell in nb.cells:
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
        if alt:
            found.setdefault(alt, "alt text of a figure (cell metadata mystnb.image.alt)")
    return {text: why for text, why in found.items() if WORDS.search(text)}


def add_page_texts(templates: pathlib.Path) -> int:
    """Append each notebook page's ``page_texts`` to its template; return how many."""
    added = 0
    for template in sorted(templates.rglob("*.pot")):
        notebook = ROOT / template.relative_to(templates).with_suffix(".ipynb")
        if not notebook.exists():
            continue
        catalog = read(template)
        for text, why in page_texts(notebook).items():
            if text not in catalog:
                catalog.add(text, auto_comments=[why])
                added += 1
        write(template, catalog)
    return added


# The live experiments' text (reports, control labels, titles, alt texts) is the engine's, not a
# page's: one catalog, domain "knobs", read at run time by knobs.ui.language. Its template joins
# the pages' templates, so `catalogs` merges it and `check` finds it stale, fuzzy or untranslated
# like theirs; `placeholder_problems` adds what only a format template can break.
KNOBS_DOMAIN = "knobs"
KNOBS_SOURCES = [ROOT / "src" / "knobs" / "ui",
                 # the website's experiment box: its own few sentences, in the same catalog
                 ROOT / "book" / "_ext" / "knobs_site" / "components.py"]
KNOBS_KEYWORDS = {"_": None, "N_": None}  # knobs.ui.language: translate now, mark for later
BRACE_FIELD = re.compile(r"\{[^{}]*\}")


def knobs_template():
    """The "knobs" domain's messages, extracted with babel from ``KNOBS_SOURCES``."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir, extract_from_file

    catalog = Catalog(project="knobs", domain=KNOBS_DOMAIN, fuzzy=False)
    found = []
    for source in KNOBS_SOURCES:
        if source.is_dir():
            found += [(source / name, line, message) for name, line, message, _, _ in
                      extract_from_dir(source, [("**.py", "python")], keywords=KNOBS_KEYWORDS)]
        else:
            found += [(source, line, message) for line, message, _, _ in
                      extract_from_file("python", source, keywords=KNOBS_KEYWORDS)]
    for path, line, message in found:
        catalog.add(message, locations=[(path.relative_to(ROOT).as_posix(), line)])
    return catalog


def write_knobs_template(templates: pathlib.Path) -> pathlib.Path:
    """``knobs.pot`` next to the pages' templates; returns its path."""
    path = templates / f"{KNOBS_DOMAIN}.pot"
    path.parent.mkdir(parents=True, exist_ok=True)
    write(path, knobs_template())
    return path


def placeholders(text: str) -> list[str]:
    """The ``{name:spec}`` fields of a format template, sorted (a translation keeps them all)."""
    return sorted(BRACE_FIELD.findall(text))


def placeholder_problems(path: pathlib.Path = CATALOGS / f"{KNOBS_DOMAIN}.po") -> list[str]:
    """Translations whose placeholders differ from their English template's: a missing, extra
    or renamed field, or another number format (the engine fills them with ``str.format``)."""
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    found = []
    for message in read(path):
        if message.id and message.string and \
                placeholders(message.string) != placeholders(message.id):
            found.append(f"{name}: {message.id[:60]!r}: placeholders "
                         f"{placeholders(message.string)}, the English text's "
                         f"{placeholders(message.id)}")
    return found


def extract(out: pathlib.Path = POT_BUILD) -> pathlib.Path:
    """Sphinx's gettext builder over the book: one template per page, with the page's worded
    glued values and alt texts (``add_page_texts``), and the experiments' ``knobs.pot``
    (``write_knobs_template``); returns their folder."""
    templates = out / "_build" / "gettext"
    shutil.rmtree(templates, ignore_errors=True)
    subprocess.run([str(BIN / "jupyter-book"), "build", str(ROOT), "--builder", "custom",
                    "--custom-builder", "gettext", "--path-output", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    add_page_texts(templates)
    write_knobs_template(templates)
    return templates


def stale(templates: pathlib.Path, catalogs_dir: pathlib.Path = CATALOGS) -> list[str]:
    """Where the catalogs no longer match the English text: a page without a catalog (or the
    reverse), a message of the text missing from its catalog, or one the text no longer has."""
    found = []
    pages = {p.relative_to(templates).with_suffix("") for p in templates.rglob("*.pot")}
    have = {p.relative_to(catalogs_dir).with_suffix("") for p in catalogs_dir.rglob("*.po")}
    found += [f"{page}: no catalog (make catalogs)" for page in sorted(pages - have)]
    found += [f"{page}: a catalog for no page" for page in sorted(have - pages)]
    for page in sorted(pages & have):
        want = {m.id for m in read(templates / f"{page}.pot") if m.id}
        got = {m.id for m in read(catalogs_dir / f"{page}.po") if m.id}
        found += [f"{page}: the English text has {m[:70]!r}, the catalog has not (make catalogs, "
                  "then translate it)" for m in sorted(want - got)]
        found += [f"{page}: the catalog has {m[:70]!r}, the English text no longer has "
                  "(make catalogs)" for m in sorted(got - want)]
    return found


def statistics(path: pathlib.Path) -> dict[str, int]:
    """``msgfmt --statistics``: translated, fuzzy and untranslated messages of a catalog."""
    out = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)],
                         capture_output=True, text=True, check=True).stderr
    counts = {kind: 0 for kind in ("translated", "fuzzy", "untranslated")}
    # "75 translated messages, 1 fuzzy translation, 2 untranslated messages."
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated) (?:message|translation)",
                                   out):
        counts[kind] = int(number)
    return counts


def check() -> list[str]:
    """Every reason the Chinese edition is not complete and current (empty when it is)."""
    found = stale(extract())
    for path in sorted(CATALOGS.rglob("*.po")):
        counts = statistics(path)
        if counts["fuzzy"] or counts["untranslated"]:
            found.append(f"{path.relative_to(ROOT)}: {counts['fuzzy']} fuzzy, "
                         f"{counts['untranslated']} untranslated messages")
        found += lint(path)
    return found + placeholder_problems()


def read(path: pathlib.Path):
    with path.open("rb") as f:
        return pofile.read_po(f)


def write(path: pathlib.Path, catalog) -> None:
    with path.open("wb") as f:
        pofile.write_po(f, catalog, width=100, omit_header=False)


def fill_kept(path: pathlib.Path) -> int:
    """Fill the messages kept in English with themselves (and empty those this rule no longer
    keeps); return how many changed."""
    catalog, filled = read(path), 0
    if catalog.obsolete:  # sentences the text no longer has: the catalog holds the text's own
        catalog.obsolete.clear()
        filled += 1
    for message in catalog:
        if not message.id:
            continue
        was_kept = any(c.startswith(KEPT_COMMENT) for c in message.auto_comments)
        if was_kept and not kept_in_english(path, message.id):
            message.string, message.auto_comments = "", []
            filled += 1
        if message.string and "fuzzy" not in message.flags:
            continue
        why = kept_in_english(path, message.id)
        if why:  # (also a changed docstring, which the merge left fuzzy with its old text)
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


# The Chinese edition's settings on top of _config.yml (the only differences between editions)
EDITION = {
    "title": "权重与偏置：神经元的两个旋钮",
    "sphinx": {"config": {
        "language": LANGUAGE,
        "numfig_format": {"figure": "图 %s", "table": "表 %s", "code-block": "代码 %s",
                          "section": "第 %s 节"},
        # sphinx-togglebutton's hints are settings, not messages
        "togglebutton_hint": "点击显示", "togglebutton_hint_hide": "点击隐藏",
    }},
}


def _merged(base: dict, top: dict) -> dict:
    merged = dict(base)
    for key, value in top.items():
        merged[key] = (_merged(base[key], value) if isinstance(value, dict)
                       and isinstance(base.get(key), dict) else value)
    return merged


def edition_config() -> pathlib.Path:
    """``_config.yml`` with the Chinese edition's settings, written under ``_build/``."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    # Jupyter Book reads these paths relative to the configuration file: make them absolute
    config["sphinx"]["local_extensions"] = {
        name: str(ROOT / folder) for name, folder in config["sphinx"]["local_extensions"].items()}
    config["bibtex_bibfiles"] = [str(ROOT / p) for p in config["bibtex_bibfiles"]]
    config["html"]["favicon"] = str(ROOT / config["html"]["favicon"])
    # Sphinx's Chinese search segments words with jieba: the glossary's terms stay whole, so a
    # search for 层归一化 finds the pages that use it (jieba alone splits it into 层 + 归一化)
    terms = ROOT / "_build" / f"search-terms.{LANGUAGE}.txt"
    terms.parent.mkdir(parents=True, exist_ok=True)
    terms.write_text("".join(f"{zh} 100000 n\n" for zh in sorted(set(glossary_terms().values()))
                             if " " not in zh), encoding="utf-8")
    config["sphinx"]["config"]["html_search_options"] = {"dict": str(terms)}
    path = ROOT / "_build" / f"_config.{LANGUAGE}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(_merged(config, EDITION), allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
    return path


def build(extra: list[str] | None = None) -> pathlib.Path:
    """Build the Chinese site and copy it to ``_build/html/zh_CN/``; return that folder."""
    subprocess.run([str(BIN / "jupyter-book"), "build", str(ROOT), "--config",
                    str(edition_config()), "--path-output", str(EDITION_BUILD), *(extra or [])],
                   check=True)
    target = SITE / LANGUAGE
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(EDITION_BUILD / "_build" / "html", target)
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["catalogs", "check", "lint", "build"])
    parser.add_argument("paths", nargs="*", type=pathlib.Path, help="lint: catalogs (default all)")
    args = parser.parse_args(argv)
    if args.command == "catalogs":
        catalogs()
    elif args.command == "check":
        found = check()
        print("\n".join(found) or "the Chinese catalogs are complete and current")
        return 1 if found else 0
    elif args.command == "build":
        build(["--all", "-W", "-n", "--keep-going"])
    elif args.command == "lint":
        paths = [p.resolve() for p in args.paths] or sorted(CATALOGS.rglob("*.po"))
        found = [line for path in paths for line in lint(path)]
        print("\n".join(found) or f"{len(paths)} catalogs: no problem")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
