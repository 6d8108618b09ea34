"""The Chinese edition's catalogs (tools/i18n.py): complete, current and consistent with the
glossary; and a changed English sentence without its translation fails the suite."""

import pathlib
import shutil
import subprocess
import sys

import pytest

from tools import i18n

ROOT = pathlib.Path(__file__).resolve().parents[2]
CATALOGS = sorted(i18n.CATALOGS.rglob("*.po"))
IDS = [str(p.relative_to(i18n.CATALOGS)) for p in CATALOGS]


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> pathlib.Path:
    """The English text's messages now: Sphinx's gettext builder over the book (~15 s)."""
    return i18n.extract(tmp_path_factory.mktemp("pot"))


def test_the_catalogs_hold_exactly_the_english_texts_messages(templates):
    assert sorted(p.relative_to(templates).with_suffix("") for p in templates.rglob("*.pot")) \
        == sorted(p.relative_to(i18n.CATALOGS).with_suffix("") for p in CATALOGS)
    assert i18n.stale(templates) == []


@pytest.mark.parametrize("path", CATALOGS, ids=IDS)
def test_every_message_is_translated_and_keeps_its_markup(path):
    counts = i18n.statistics(path)  # msgfmt --statistics, which counts fuzzy ones apart
    assert counts["translated"] > 0 and counts["fuzzy"] == 0 and counts["untranslated"] == 0, \
        counts
    assert i18n.lint(path) == []


def test_a_changed_english_sentence_without_its_translation_fails(templates, tmp_path):
    """Change one sentence of chapter 5 as an author would (its template then has the new
    sentence): the catalogs are stale; after ``make catalogs`` the message is fuzzy or
    untranslated. Either way ``check`` fails until the translation follows."""
    changed = tmp_path / "templates"
    shutil.copytree(templates, changed)
    page = changed / "book" / "part1" / "05-normalization.pot"
    old = "RMSNorm subtracts no mean and cancels no part of the bias."
    new = "RMSNorm subtracts no mean, and so it cancels no part of the bias."
    text = page.read_text(encoding="utf-8")
    assert f'msgid "{old}"' in text, "the sentence this test changes is still in chapter 5"
    page.write_text(text.replace(f'msgid "{old}"', f'msgid "{new}"'), encoding="utf-8")

    problems = i18n.stale(changed)
    assert any(new[:40] in p and "catalog has not" in p for p in problems), problems
    assert any(old[:40] in p and "no longer has" in p for p in problems), problems

    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES, locales)
    subprocess.run([str(pathlib.Path(sys.executable).parent / "sphinx-intl"), "update",
                    "--pot-dir", str(changed), "--locale-dir", str(locales),
                    "--language", i18n.LANGUAGE], check=True, capture_output=True)
    catalog = locales / i18n.LANGUAGE / "LC_MESSAGES" / "book" / "part1" / "05-normalization.po"
    counts = i18n.statistics(catalog)
    assert counts["fuzzy"] + counts["untranslated"] == 1, counts
    assert i18n.stale(changed, locales / i18n.LANGUAGE / "LC_MESSAGES") == []


def test_the_glossary_page_uses_its_own_chinese_terms():
    """Each entry of the glossary's Chinese page is headed by its Chinese term (from the source
    notes, as the English definition gives it), with the English term after it."""
    terms = i18n.glossary_terms()
    catalog = {m.id: m.string for m in i18n.read(i18n.CATALOGS / "book" / "glossary.po")}
    assert len(terms) > 60
    wrong = {en: catalog.get(en) for en, zh in terms.items()
             if not (catalog.get(en, "").startswith(zh) and en in catalog.get(en, ""))}
    assert not wrong, wrong


@pytest.mark.parametrize("english, chinese, problem", [
    ("The {term}`bias` moves $z$.", "{term}`偏移 <bias>` 移动 $z$。", "glossary's term 偏置"),
    ("The {term}`bias` moves $z$.", "{term}`偏置 <weight>` 移动 $z$。", "point at"),
    ("It is {eval}`ch2_mean`.", "它是 {eval}`ch2_men`。", "role changed"),
    ("Set $b = 0$.", "令 $b=0$。", "math differs"),
    ("Call `Linear`.", "调用 Linear。", "code spans differ"),
    ("Under the %(license)s.", "以 %(licence)s 发布。", "placeholders"),
    ("Some text.", "", "untranslated"),
])
def test_the_lint_finds_a_broken_translation(english, chinese, problem):
    assert any(problem in p for p in i18n.problems(english, chinese, i18n.glossary_terms()))
    good = i18n.problems("The {term}`bias` moves $z$ by {eval}`ch2_mean`.",
                         "{term}`偏置 <bias>` 使 $z$ 移动 {eval}`ch2_mean`。",
                         i18n.glossary_terms())
    assert good == []


@pytest.mark.parametrize("msgid, kept", [
    ("\n\\mu_B = \\frac1m\\sum_i z_i\n", True), ("$\\mathbf{x}$", True), ("`b[k]`", True),
    ("10.3", True), ("So", False), ("$Z$ is $(m, n)$", False), ("Exercises", False),
])
def test_messages_with_nothing_to_translate_are_filled_with_themselves(msgid, kept):
    assert i18n.has_prose(msgid) is not kept


def test_msgfmt_statistics_are_read_as_msgfmt_writes_them(tmp_path):
    catalog = tmp_path / "a.po"
    catalog.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       '#, fuzzy\nmsgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr ""\n\n'
                       'msgid "d"\nmsgstr "e"\n', encoding="utf-8")
    assert i18n.statistics(catalog) == {"translated": 1, "fuzzy": 1, "untranslated": 1}
