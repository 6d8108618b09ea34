"""The website as phone (390 px), tablet (900 px) and desktop (1280 px) readers meet it: the
navigation opens and closes, no page scrolls sideways, one search box, a favicon, and a footer
with the license and the engine's version."""

from __future__ import annotations

import pathlib

import pytest
from conftest import EDITIONS, ROOT, toc_pages
from test_site_pages import WAIT_FOR_MATH, Visit, open_page

import knobs

pytestmark = pytest.mark.browser

PAGES = toc_pages()
WIDTHS = [390, 900, 1280]
NARROW = [390, 900]   # below the themes' 992 px breakpoint the navigation is a dialog
CHAPTERS = {e: f"{prefix}book/part1/01-two-knobs.html" for e, prefix in EDITIONS.items()}
NEXT = "book/part1/02-statistics-of-z.html"

SIDEWAYS = """() => {
  const e = document.scrollingElement;
  return {scroll_width: e.scrollWidth, client_width: e.clientWidth};
}"""


def visit_at(browser, server, path: str, width: int, visit: Visit):
    context, page = open_page(browser, server, path, visit,
                              viewport={"width": width, "height": 800})
    return context, page


@pytest.fixture(scope="session")
def widths_seen(browser, server):
    """Every page of the toc at each width: the page's width after load and after MathJax.

    One load per page: at the narrowest width (where a page scrolls sideways first), measured
    after load and after MathJax; then the same page widened to each other width, measured again
    once its layout has settled (a resize lays the typeset page out again, without reloading)."""
    seen: dict[tuple[int, str], dict] = {}

    def load(path: str) -> None:
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 800})
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            page.goto(f"{server.base_url}/{path}", wait_until="load")
            loaded = page.evaluate(SIDEWAYS)
            page.evaluate(WAIT_FOR_MATH)
            page.wait_for_load_state("networkidle")
            seen[WIDTHS[0], path] = {"after load": loaded, "after math": page.evaluate(SIDEWAYS)}
            for width in WIDTHS[1:]:
                page.set_viewport_size({"width": width, "height": 800})
                page.evaluate("() => new Promise(r => requestAnimationFrame("
                              "() => requestAnimationFrame(r)))")
                seen[width, path] = {"after math, resized": page.evaluate(SIDEWAYS)}
        finally:
            context.close()

    def get(width: int, path: str) -> dict:
        if (width, path) not in seen:
            load(path)
        return seen[width, path]

    return get


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways(widths_seen, width, path):
    """Wide tables, code, outputs and equations scroll in their own box, never the page."""
    for moment, size in widths_seen(width, path).items():
        assert size["scroll_width"] <= size["client_width"], f"{moment}: {size}"


@pytest.mark.parametrize("width", NARROW)
@pytest.mark.parametrize("edition", EDITIONS)
def test_phone_and_tablet_readers_open_the_navigation_and_follow_a_link(browser, server, edition,
                                                                        width):
    """The article header's toggle opens the navigation (pydata-sphinx-theme #2451 made it
    do nothing: knobs_site.theme) and a link in it leads to its page."""
    chapter = CHAPTERS[edition]
    visit = Visit(chapter)
    context, page = visit_at(browser, server, chapter, width, visit)
    try:
        nav = page.locator("#pst-primary-sidebar-modal")
        assert not nav.is_visible()
        toggle = page.locator(".primary-toggle:visible")
        assert toggle.count() == 1
        toggle.click()
        page.wait_for_function(
            "() => document.querySelector('#pst-primary-sidebar-modal').open")
        link = nav.locator(f'a[href$="{pathlib.Path(NEXT).name}"]').first
        link.click()   # Playwright waits until it is visible and still
        page.wait_for_url(f"**/{EDITIONS[edition]}{NEXT}")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not visit.remote and not visit.failed and not visit.console, visit


@pytest.mark.parametrize("edition", EDITIONS)
def test_desktop_readers_hide_and_show_the_navigation(browser, server, edition):
    """At 1280 px the toggle hides the sidebar and brings it back (sphinx-book-theme #865)."""
    chapter = CHAPTERS[edition]
    visit = Visit(chapter)
    context, page = visit_at(browser, server, chapter, 1280, visit)
    try:
        sidebar = page.locator("#pst-primary-sidebar")
        toggle = page.locator(".primary-toggle:visible")
        assert toggle.count() == 1 and sidebar.is_visible()
        left = page.locator("main").bounding_box()["x"]
        toggle.click()
        sidebar.wait_for(state="hidden")
        page.wait_for_function(f"() => document.querySelector('main')"
                               f".getBoundingClientRect().x < {left}")  # the article widens
        toggle.click()
        sidebar.wait_for(state="visible")
        assert not page.locator("#pst-primary-sidebar-modal").evaluate("d => d.open")
    finally:
        context.close()
    assert not visit.remote and not visit.failed and not visit.console, visit


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_one_search_box(browser, server, edition, width):
    """One search field or button, not a second one in an empty header above the sidebar."""
    chapter = CHAPTERS[edition]
    visit = Visit(chapter)
    context, page = visit_at(browser, server, chapter, width, visit)
    try:
        shown = page.locator(".search-button-field:visible, .search-button:visible")
        assert shown.count() == 1, shown.evaluate_all("bs => bs.map(b => b.outerHTML)")
        assert page.evaluate("() => !document.querySelector('.bd-header__inner')"), (
            "an empty top header again")
    finally:
        context.close()


def test_favicon_and_no_missing_file(browser, server):
    """A favicon is declared and served; the browser asks for no file that is not there
    (without one, Chromium asked every page for /favicon.ico: a 404)."""
    visit = Visit(CHAPTERS["en"])
    context, page = open_page(browser, server, CHAPTERS["en"], visit)
    try:
        href = page.eval_on_selector("link[rel~=icon]", "l => l.href")
        response = page.request.get(href)
        assert response.ok and response.headers["content-type"].startswith("image/"), href
        page.wait_for_timeout(500)   # the browser fetches the icon after load
    finally:
        context.close()
    assert not visit.failed and not visit.console, visit
    assert not server.not_found, f"the server answered 404 for {server.not_found}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_footer_names_the_license_and_the_engine_version(browser, server, edition):
    license_name = (ROOT / "LICENSE").read_text(encoding="utf-8").strip().splitlines()[0]
    chapter = CHAPTERS[edition]
    visit = Visit(chapter)
    context, page = open_page(browser, server, chapter, visit)
    try:
        footer = page.locator("footer.bd-footer-content").inner_text()
        link = page.locator("footer.bd-footer-content a", has_text=license_name)
        href = link.get_attribute("href")
    finally:
        context.close()
    assert license_name in footer and f"knobs {knobs.__version__}" in footer, footer
    assert href.endswith("/LICENSE"), href
