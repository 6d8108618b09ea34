"""What a page weighs: the bytes a reader's browser downloads for it, with nothing cached.

Measured on this site (Playwright, the sum of the response bodies of a fresh browser context),
chapter 1 at 1280 px: 4,028,800 bytes in 42 responses before Font Awesome's JavaScript (1.5 MB)
and the search index with its scripts (~250 kB) were cut from every page
(knobs_site/templates/layout.html), 2,289,128 bytes in 38 responses after. The budget leaves
~5 % for the book to grow; a page that needs more should say why in its commit.
"""

from __future__ import annotations

import pytest
from test_site_pages import Visit, open_page, watch

pytestmark = pytest.mark.browser

CHAPTER = "book/part1/01-two-knobs.html"
BUDGET = 2_400_000   # bytes, chapter 1 uncached (measured after: 2,289,128)


def bytes_loaded(browser, server, path: str) -> tuple[int, dict[str, int]]:
    """Every response body of one uncached visit (typeset math and its fonts included)."""
    visit = Visit(path)
    sizes: dict[str, int] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        watch(page, server.base_url, visit)
        page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())))
        page.goto(f"{server.base_url}/{path}", wait_until="load")
        page.evaluate("""async () => {
            if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
            await document.fonts.ready; }""")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not visit.remote and not visit.failed, visit
    return sum(sizes.values()), sizes


def test_a_chapter_page_stays_within_its_budget(browser, server):
    total, sizes = bytes_loaded(browser, server, CHAPTER)
    heaviest = sorted(sizes.items(), key=lambda item: -item[1])[:8]
    assert total <= BUDGET, f"{total:,} bytes > {BUDGET:,}; heaviest: {heaviest}"


def test_the_search_page_keeps_its_index(browser, server):
    """Every other page goes without the index (test_site_pages.py); search.html needs it."""
    _, sizes = bytes_loaded(browser, server, "search.html?q=bias")
    assert any(url.split("?")[0].endswith("/searchindex.js") for url in sizes)


def test_icons_are_drawn_by_the_font(browser, server):
    """Without Font Awesome's script the icons come from its webfont: the toggle's bars."""
    visit = Visit(CHAPTER)
    context, page = open_page(browser, server, CHAPTER, visit)
    try:
        icon = page.evaluate("""async () => {
            await document.fonts.ready;
            const i = document.querySelector('.primary-toggle .fa-bars');
            const before = getComputedStyle(i, '::before');
            return {content: before.content, family: before.fontFamily,
                    width: i.getBoundingClientRect().width,
                    loaded: document.fonts.check('900 16px "Font Awesome 6 Free"')};
        }""")
    finally:
        context.close()
    assert icon["content"] not in ("none", "normal", '""') and icon["width"] > 0, icon
    assert "Font Awesome" in icon["family"] and icon["loaded"], icon
