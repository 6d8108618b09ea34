"""knobs.ui.language: the experiments in English by default, in Chinese from the catalog
locales/zh_CN/LC_MESSAGES/knobs.po, which tools/i18n.py keeps current and checks."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog

from knobs.ui import language
from knobs.ui.experiments import ALL, Choice
from knobs.ui.language import _, named, pad, set_language, use_language, width
from tools import i18n

CJK = re.compile(r"[\u4e00-\u9fff]")

# What a Chinese text may keep in Latin letters: names (the brief's, the logic gates', the
# acronyms the book writes in Latin letters in Chinese too), units, and the symbols of formulas
# that the English text prints the same way. Single letters (w, b, z) and symbols with an index
# or a subscript (w1, a_in, float32, kaiming_normal) are symbols anyway.
NAMES = {"BatchNorm", "LayerNorm", "RMSNorm", "ReLU", "tanh", "sigmoid", "Adam", "SGD", "Hessian",
         "AND", "OR", "NAND", "NOR", "XOR", "XNOR", "GPU", "MSE", "ECE", "RMS", "RGB", "NumPy",
         "Morse"}
UNITS = {"kB", "MB", "GB", "TB", "eV"}
NOTATION = {"Var", "SD", "diag", "logit", "sum", "delta", "dC", "da", "dw", "db", "dm", "lr", "np"}
ALLOWED = NAMES | UNITS | NOTATION


def english_words(text: str) -> set[str]:
    """Latin words of two or more letters that are not on the allowed list."""
    latin = re.sub(r"[^\x00-\x7f]", " ", text)  # λ_max -> " _max": a subscript, skipped below
    return {w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", latin)
            if not re.search(r"[\d_]", w) and len(w) >= 2 and w not in ALLOWED}


def settings(experiment):
    """The defaults, then each control at each extreme (every option of a menu)."""
    yield {}
    for c in experiment.controls:
        for value in c.options if isinstance(c, Choice) else (c.min, c.max):
            yield {c.name: value}


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")  # a failed test must not leave the others in Chinese


def test_english_is_the_default_and_returns_every_text_unchanged():
    assert language.language() == "en"
    for e in ALL:
        assert _(e.title) == e.title and _(e.alt) == e.alt
        assert all(_(c.label) == c.label for c in e.controls)


def test_the_english_words_check_finds_english():
    e = ALL[0]
    assert english_words(e.report(e.run())) >= {"the", "neuron", "computes"}


@pytest.mark.parametrize("experiment", ALL, ids=lambda e: e.name)
def test_chinese_reports_keep_no_english_word(experiment):
    for values in settings(experiment):
        numbers = experiment.run(**values)
        with use_language("zh_CN"):
            report = experiment.report(numbers)
        assert CJK.search(report), values
        assert english_words(report) == set(), (values, report)


@pytest.mark.parametrize("experiment", ALL, ids=lambda e: e.name)
def test_chinese_labels_titles_and_alt_texts(experiment):
    with use_language("zh_CN"):
        texts = [_(experiment.title), _(experiment.alt), *(_(c.label) for c in experiment.controls)]
    for text in texts:
        assert CJK.search(text), text
        assert english_words(text) == set(), text


def test_menu_options_are_shown_translated_and_keep_their_values():
    from knobs.ui.experiments import reduction

    values = reduction.EXPERIMENT.control("values")
    with use_language("zh_CN"):
        shown = [values.format(v) for v in values.options]
    assert shown == ["均匀分布 [0, 1)", "标准正态分布", "常数 0.1"]
    assert values.format(values.default) == "uniform [0, 1)"  # English again outside the block
    assert named("relu") == "relu"


def test_use_language_restores_the_previous_language():
    set_language("zh_CN")
    with use_language("en"):
        assert _("bias b") == "bias b"
    assert language.language() == "zh_CN" and _("bias b") == "偏置 b"


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match="fr.*available: en, zh_CN"):
        set_language("fr")
    assert language.language() == "en"


def test_english_reports_have_no_chinese_and_do_not_depend_on_earlier_chinese_ones():
    for e in ALL:
        numbers = e.run()
        english = e.report(numbers)
        with use_language("zh_CN"):
            e.report(numbers)
        assert e.report(numbers) == english and not CJK.search(english)


@pytest.mark.parametrize("text", ["", "abc", "output a = f(z)", "λ_b = 0 (reference)"])
def test_pad_is_format_for_text_without_chinese(text):
    assert pad(text, 22) == f"{text:<22}" and pad(text, 22, ">") == f"{text:>22}"


def test_a_chinese_character_takes_two_columns():
    assert width("损失") == 4 and pad("损失", 8, ">") == "    损失"


# The catalog (tools/i18n.py): current, complete, and every translation keeps its placeholders.

def test_the_catalog_holds_exactly_the_engines_messages():
    template = {m.id for m in i18n.knobs_template() if m.id}
    catalog = {m.id for m in i18n.read(language.catalog_path("zh_CN")) if m.id}
    assert template - catalog == set(), "make catalogs, then translate"
    assert catalog - template == set(), "make catalogs: messages the engine no longer has"


def test_the_catalog_is_translated_with_no_fuzzy_message_and_every_placeholder_kept():
    path = language.catalog_path("zh_CN")
    assert i18n.statistics(path) | {"translated": 0} == {"translated": 0, "fuzzy": 0,
                                                         "untranslated": 0}
    assert i18n.placeholder_problems(path) == []
    assert i18n.lint(path) == []


def test_the_placeholder_check_finds_a_broken_translation(tmp_path):
    catalog = Catalog(locale="zh_CN")
    catalog.add("changes by up to {change:.4f}", "最多变化 {change:.2f}")  # another format
    catalog.add("{n} steps", "{m} 步")  # a renamed field
    catalog.add("seed", "随机种子")
    path = tmp_path / "knobs.po"
    i18n.write(path, catalog)
    problems = i18n.placeholder_problems(path)
    assert len(problems) == 2
    assert "{change:.2f}" in problems[0] and "{m}" in problems[1]
