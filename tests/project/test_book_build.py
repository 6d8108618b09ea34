"""The website builds with every Sphinx warning treated as an error, and numbers what a reader
cites: chapters 1-16 as their files, exercises and figures within their chapter."""

import pathlib
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

ROOT = pathlib.Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="module")
def build() -> subprocess.CompletedProcess:
    jb = pathlib.Path(sys.executable).parent / "jupyter-book"
    return subprocess.run([str(jb), "build", "--all", "-W", "-n", "--keep-going", str(ROOT)],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def zh_build(build) -> subprocess.CompletedProcess:
    """The Chinese edition (tools/i18n.py build), after the English one: ``make html``'s order
    (the two share the experiments' frames, computed by the first)."""
    return subprocess.run([sys.executable, "-m", "tools.i18n", "build"],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.mark.slow
def test_book_builds_without_warnings(build):
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    assert (HTML / "index.html").exists()


@pytest.mark.slow
def test_the_chinese_edition_builds_without_warnings(zh_build):
    assert zh_build.returncode == 0, zh_build.stdout[-4000:] + zh_build.stderr[-4000:]
    assert (HTML / "zh_CN" / "index.html").exists()
    page = (HTML / "zh_CN" / "book" / "part1" / "01-two-knobs.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in page


def pasted(html: str) -> list[str]:
    """The glued values a page shows, in order."""
    return [s.get_text() for s in BeautifulSoup(html, "html.parser").select("span.pasted-text")]


@pytest.mark.slow
def test_glued_numbers_survive_translation(zh_build):
    """Every Chinese chapter shows the English chapter's glued values: numbers as they are,
    worded values as their page's catalog translates them (as many of each; a translated
    sentence may name two numbers in the other order, "0.57 … 128" as "128 … 0.57")."""
    from tools import i18n

    assert zh_build.returncode == 0, "the Chinese edition did not build"
    compared = 0
    for _, page in chapter_pages():
        english = pasted(page.read_text(encoding="utf-8"))
        chinese = pasted((HTML / "zh_CN" / page.relative_to(HTML)).read_text(encoding="utf-8"))
        catalog = {m.id: m.string for m in i18n.read(
            i18n.CATALOGS / page.relative_to(HTML).with_suffix(".po"))}
        expected = [catalog[en] if i18n.WORDS.search(en) else en for en in english]
        assert sorted(chinese) == sorted(expected), (page.name, english, chinese)
        compared += len(expected)
    assert compared > 250


@pytest.mark.slow
def test_every_page_links_to_its_counterpart(zh_build):
    assert zh_build.returncode == 0, "the Chinese edition did not build"
    english = sorted(p.relative_to(HTML) for p in HTML.glob("book/**/*.html"))
    assert len(english) >= 20
    for rel in english:
        for page, other, label in ((HTML / rel, HTML / "zh_CN" / rel, "中文"),
                                   (HTML / "zh_CN" / rel, HTML / rel, "English")):
            link = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
                "a.knobs-language")
            assert link is not None and link.get_text(strip=True) == label, page
            assert (page.parent / link["href"]).resolve() == other.resolve(), (page, link)


def chapter_pages() -> list[tuple[int, pathlib.Path]]:
    """(chapter number from the file name, its built page) for book/partN/NN-*.ipynb."""
    return [(int(nb.name[:2]), HTML / nb.relative_to(ROOT).with_suffix(".html"))
            for nb in sorted(ROOT.glob("book/part*/[0-9][0-9]-*.ipynb"))]


WORDS = {"en": ("Exercise", "Figure"), "zh_CN": ("练习", "图")}


def numbering_problems(chapter: int, html: str, language: str = "en") -> list[str]:
    """What a reader would cite wrongly on a chapter page: every exercise titled "Exercise
    <chapter>.<k>" (k = 1, 2, ... in page order), every solution linked to its exercise, every
    figure of a notebook output numbered "Figure <chapter>.<k>" with a caption (in the Chinese
    edition "练习 5.1", "图 3.1")."""
    exercise, figure_word = WORDS[language]
    page = BeautifulSoup(html, "html.parser")
    problems = []
    titles = [e.select_one(".admonition-title").get_text(" ", strip=True)
              for e in page.select("div.exercise")]
    expected = [f"{exercise} {chapter}.{k}" for k in range(1, len(titles) + 1)]
    if not titles or titles != expected:
        problems.append(f"exercises titled {titles}, expected {expected}")
    ids = {e.get("id") for e in page.select("div.exercise")}
    for solution in page.select("div.solution"):
        link = solution.select_one(".admonition-title a")
        if link is None or link.get("href", "").removeprefix("#") not in ids:
            problems.append(f"a solution not linked to an exercise: {solution.get('id')}")
    k = 0
    for img in page.select(".cell_output img"):
        if "knobs-static-figure" in img.get("class", []):
            continue  # the kernel-free experiment: its figure at the defaults is numbered above
        k += 1
        figure = img.find_parent("figure")
        number = figure.select_one(".caption-number") if figure else None
        text = figure.select_one(".caption-text") if figure else None
        if number is None or number.get_text(strip=True) != f"{figure_word} {chapter}.{k}":
            problems.append(f"figure {k} ({img.get('src')}) is not numbered "
                            f"{figure_word} {chapter}.{k}")
        elif text is None or not re.search(r"\w.*[.。]$", text.get_text(strip=True)):
            problems.append(f"figure {chapter}.{k} has no caption sentence")
    if k == 0:
        problems.append("no figure found (every chapter shows its experiment)")
    return problems


@pytest.mark.slow
def test_exercises_and_figures_are_numbered_within_their_chapter(build):
    assert build.returncode == 0, "the book did not build"
    pages = chapter_pages()
    assert [c for c, _ in pages] == list(range(1, 17))
    problems = {page.name: numbering_problems(chapter, page.read_text(encoding="utf-8"))
                for chapter, page in pages}
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}


@pytest.mark.slow
def test_the_chinese_edition_numbers_them_alike(zh_build):
    assert zh_build.returncode == 0, "the Chinese edition did not build"
    problems = {page.name: numbering_problems(
        chapter, (HTML / "zh_CN" / page.relative_to(HTML)).read_text(encoding="utf-8"), "zh_CN")
        for chapter, page in chapter_pages()}
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}


def test_the_numbering_check_fails_on_a_book_wide_count_and_an_uncaptioned_figure():
    html = """<div class="exercise admonition" id="e1"><p class="admonition-title">
    <span class="caption-number">Exercise 17 </span></p></div>
    <div class="solution admonition" id="s1"><p class="admonition-title">Solution to
    <a href="#elsewhere">Exercise 17</a></p></div>
    <div class="cell_output"><img src="a.png"></div>"""
    problems = numbering_problems(5, html)
    assert len(problems) == 3, problems
    assert numbering_problems(5, "<p>no exercise, no figure</p>") != []
    good = """<div class="exercise admonition" id="e1"><p class="admonition-title">
    <span class="caption-number">Exercise 5.1 </span></p></div>
    <div class="solution admonition" id="s1"><p class="admonition-title">Solution to
    <a href="#e1">Exercise 5.1</a></p></div>
    <div class="cell_output"><figure><img src="a.png"><figcaption><p>
    <span class="caption-number">Figure 5.1 </span><span class="caption-text">A plot.</span>
    </p></figcaption></figure></div>"""
    assert numbering_problems(5, good) == []
