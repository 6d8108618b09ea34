"""The figures of every chapter as a reader sees them (book/_ext/knobs_site/figures.py): on a
1280 px desktop each is shown at the CSS width it was drawn for, with at least two image pixels
per CSS pixel; on a 390 px phone a figure scaled down to the column opens at full width on a tap.
"""

from __future__ import annotations

import pytest
from conftest import source_page, toc_pages

from knobs.ui.plotting import DENSITY
from knobs_site.figures import FIGURES

pytestmark = pytest.mark.browser

CHAPTERS = [p for p in toc_pages() if source_page(p).startswith("book/part")]

MEASURE = """async (selector) => {
  const figures = [...document.querySelectorAll(selector)];
  await Promise.all(figures.map(i => i.complete ? null :
    new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); })));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return figures.map(i => ({src: i.getAttribute('src').split('/').pop(), natural: i.naturalWidth,
    shown: i.getBoundingClientRect().width,
    enlargeable: i.classList.contains('knobs-figure-enlargeable')}));
}"""


def figures_at(browser, server, path: str, width: int) -> tuple:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{server.base_url}/{path}", wait_until="load")
    return context, page, page.evaluate(MEASURE, FIGURES)


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_figure_is_sharp_and_unscaled_on_a_desktop(browser, server, path):
    context, _, figures = figures_at(browser, server, path, 1280)
    context.close()
    assert figures, "no figure found: has the page's markup changed?"
    for f in figures:
        # drawn for its width (natural / DENSITY CSS pixels, up to a pixel of rounding)
        assert abs(f["shown"] - f["natural"] / DENSITY) <= 1, f"{f['src']} scaled: {f}"
        assert f["natural"] / f["shown"] >= DENSITY - 0.01, f"{f['src']}: {f}"
        assert not f["enlargeable"], f"{f['src']} offers to enlarge a full-size figure"


@pytest.mark.parametrize("path", CHAPTERS[:2] + CHAPTERS[-2:])
def test_a_figure_scaled_down_on_a_phone_opens_at_full_width(browser, server, path):
    context, page, figures = figures_at(browser, server, path, 390)
    try:
        scaled = [k for k, f in enumerate(figures) if f["shown"] < f["natural"] / DENSITY - 1]
        assert scaled, "no figure is wider than a phone's column: nothing to check"
        assert all(figures[k]["enlargeable"] for k in scaled)
        first = page.locator(FIGURES).nth(scaled[0])
        first.scroll_into_view_if_needed()
        first.click()
        dialog = page.locator("dialog.knobs-figure-dialog")
        assert dialog.is_visible()
        big = dialog.locator("img").bounding_box()["width"]
        assert abs(big - figures[scaled[0]]["natural"] / DENSITY) <= 1
        page.keyboard.press("Escape")
        assert not dialog.is_visible()
    finally:
        context.close()
