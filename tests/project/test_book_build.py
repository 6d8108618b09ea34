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


@pytest.mark.slow
def test_book_builds_without_warnings(build):
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    assert (HTML / "index.html").exists()


def chapter_pages() -> list[tuple[int, pathlib.Path]]:
    """(chapter number from the file name, its built page) for book/partN/NN-*.ipynb."""
    return [(int(nb.name[:2]), HTML / nb.relative_to(ROOT).with_suffix(".html"))
            for nb in sorted(ROOT.glob("book/part*/[0-9][0-9]-*.ipynb"))]


def numbering_problems(chapter: int, html: str) -> list[str]:
    """What a reader would cite wrongly on a chapter page: every exercise titled "Exercise
    <chapter>.<k>" (k = 1, 2, ... in page order), every solution linked to its exercise, every
    figure of a notebook output numbered "Figure <chapter>.<k>" with a caption."""
    page = BeautifulSoup(html, "html.parser")
    problems = []
    titles = [e.select_one(".admonition-title").get_text(" ", strip=True)
              for e in page.select("div.exercise")]
    expected = [f"Exercise {chapter}.{k}" for k in range(1, len(titles) + 1)]
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
        if number is None or number.get_text(strip=True) != f"Figure {chapter}.{k}":
            problems.append(f"figure {k} ({img.get('src')}) is not numbered Figure {chapter}.{k}")
        elif text is None or not re.search(r"\w.*\.$", text.get_text(strip=True)):
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
