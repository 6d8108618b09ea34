"""Every page of the toc in a real browser (Playwright driving Debian's Chromium).

Each page is loaded once from a loopback server (``visits``); the tests below then check what
was recorded: requests (all local, none failed), console errors, typeset math, loaded images
with alt text, widgets rendered from embedded state, kernel-free experiments, an axe-core audit.
A screenshot of each page's first screen is saved in test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import pathlib
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import EDITIONS, ROOT, edition_of, source_page, toc_pages
from conftest import HTML as SITE

from knobs.ui.language import named, use_language
from knobs_site import assets, frames, pages
from tools import vendor_assets

pytestmark = pytest.mark.browser

PAGES = toc_pages()
AXE = vendor_assets.TEST_DIR / "axe-core" / "axe.min.js"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"




def shown_experiments(page: str) -> list:
    """The experiments a page shows, read as the site's extension reads them."""
    notebook = (ROOT / source_page(page)).with_suffix(".ipynb")
    return pages.notebook_experiments(notebook) if notebook.exists() else []


SHOWN = {page: shown_experiments(page) for page in PAGES}
# each kernel-free experiment on its page, in both editions
CASES = [(page, e) for page in PAGES for e in SHOWN[page]]
CASE_IDS = [f"{e.name}-{edition_of(page)}" for page, e in CASES]


@dataclass
class Visit:
    page: str
    requests: list = field(default_factory=list)
    finished: list = field(default_factory=list)
    remote: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    console: list = field(default_factory=list)
    math: dict = field(default_factory=dict)
    images: list = field(default_factory=list)
    widgets: dict = field(default_factory=dict)
    components: list = field(default_factory=list)
    violations: list = field(default_factory=list)


def watch(page, base_url: str, visit: Visit) -> None:
    """Record every request; abort (and record) any to another host."""
    host = urlsplit(base_url).netloc

    def route(r):
        url = r.request.url
        if url.startswith("data:") or urlsplit(url).netloc == host:
            r.continue_()
        else:
            visit.remote.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: visit.requests.append(req.url))
    page.on("requestfinished", lambda req: visit.finished.append(req.url))
    page.on("requestfailed", lambda req: visit.failed.append(f"{req.url}: {req.failure}"))
    page.on("response", lambda res: res.status >= 400 and visit.failed.append(
        f"{res.url}: HTTP {res.status}"))
    page.on("console", lambda msg: msg.type == "error" and visit.console.append(msg.text))
    page.on("pageerror", lambda err: visit.console.append(f"uncaught: {err}"))


WAIT_FOR_MATH = """async () => {
  if (!window.MathJax || !MathJax.startup) return false;
  await MathJax.startup.promise;
  return true;
}"""

MATH = r"""() => {
  const nodes = [...document.querySelectorAll('span.math, div.math')];
  const untypeset = nodes.filter(n => !n.querySelector('mjx-container'))
                         .map(n => n.textContent.slice(0, 80));
  const skip = 'pre, code, script, style, mjx-container, .highlight, textarea';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT
                                                   : NodeFilter.FILTER_ACCEPT});
  const raw = [];
  const tex = /\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$\s][^$]*\$|\\(begin|frac|mathbf)\b/;
  while (walker.nextNode()) {
    const t = walker.currentNode.textContent;
    if (tex.test(t)) raw.push(t.trim().slice(0, 80));
  }
  return {count: nodes.length, untypeset, raw};
}"""

IMAGES = """async () => {
  await Promise.all([...document.images].map(i => i.complete ? null :
    new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); })));
  return [...document.images].map(i => ({src: i.currentSrc || i.src, alt: i.getAttribute('alt'),
    width: i.naturalWidth, height: i.naturalHeight}));
}"""

WIDGETS = """() => {
  const views = [...document.querySelectorAll('script[type="VIEW_MIME"]')];
  const rendered = views.filter(v => {
    const area = v.previousElementSibling;
    return area && area.classList.contains('widget-subarea')
      && area.querySelector('.jupyter-widgets') && area.getBoundingClientRect().height > 0;
  });
  const images = [...document.querySelectorAll('.widget-subarea img')];
  return {views: views.length, rendered: rendered.length,
          broken_images: images.filter(i => !(i.complete && i.naturalWidth > 0)).length,
          sliders: document.querySelectorAll('.widget-subarea .widget-slider').length};
}""".replace("VIEW_MIME", WIDGET_VIEW)

COMPONENTS = """() => [...document.querySelectorAll('.knobs-static')].map(c => ({
  name: c.dataset.experiment, ready: c.dataset.ready === 'true',
  controls_shown: !c.querySelector('.knobs-static-controls').hidden,
  image_ok: c.querySelector('img').complete && c.querySelector('img').naturalWidth > 0}))"""

AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""


def open_page(browser, server, path: str, visit: Visit, **options):
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch(page, server.base_url, visit)
    page.goto(f"{server.base_url}/{path}", wait_until="load")
    page.wait_for_load_state("networkidle")
    return context, page


def wait_for_widgets(page) -> None:
    """The widget manager renders after load: wait until every view has its widget area."""
    page.wait_for_function("""() => [...document.querySelectorAll('script[type="VIEW_MIME"]')]
        .every(v => v.previousElementSibling
                    && v.previousElementSibling.classList.contains('widget-subarea')
                    && v.previousElementSibling.querySelector('.jupyter-widgets'))"""
                           .replace("VIEW_MIME", WIDGET_VIEW), timeout=20_000)


@pytest.fixture(scope="session")
def visits(browser, server, artifacts):
    """Load each page once; returns a function page -> Visit (cached)."""
    done: dict[str, Visit] = {}
    axe = AXE.read_text(encoding="utf-8")

    def get(path: str) -> Visit:
        if path not in done:
            visit = Visit(path)
            context, page = open_page(browser, server, path, visit)
            try:
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                page.evaluate(WAIT_FOR_MATH)
                wait_for_widgets(page)
                visit.math = page.evaluate(MATH)
                visit.images = page.evaluate(IMAGES)
                visit.widgets = page.evaluate(WIDGETS)
                visit.components = page.evaluate(COMPONENTS)
                page.evaluate("window.scrollTo(0, 0)")
                page.wait_for_load_state("networkidle")
                name = path.replace("/", "__").removesuffix(".html")
                # the first screen a reader sees (a full page took 11-14 s for api.html, ~90,000
                # px tall, on a busy 2-core machine, and twice as many pages with two editions)
                page.screenshot(path=artifacts / "screenshots" / f"{name}.png", timeout=60_000)
                page.add_script_tag(content=axe)
                visit.violations = page.evaluate(AXE_RUN)
            finally:
                context.close()
            done[path] = visit
        return done[path]

    return get


@pytest.mark.parametrize("path", PAGES)
def test_loads_only_local_resources_without_failure(visits, path):
    visit = visits(path)
    assert visit.requests, "no request recorded"
    assert not visit.remote, f"requests to other hosts: {visit.remote}"
    assert not visit.failed, f"failed requests: {visit.failed}"


# scripts the theme loaded on every page and no page uses (knobs_site/templates/layout.html):
# Font Awesome's JavaScript (the theme's CSS draws the same icons), the search index and its
# scripts (for search-as-you-type, which is off; search.html loads them itself)
UNUSED = ["_static/scripts/fontawesome.js", "searchindex.js", "_static/searchtools.js",
          "_static/language_data.js"]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_loads_a_script_it_does_not_use(visits, server, path):
    requested = [r.removeprefix(server.base_url + "/").split("?")[0]
                 for r in visits(path).requests]
    assert not [r for r in requested if r in UNUSED], requested


@pytest.mark.parametrize("path", PAGES)
def test_no_console_error(visits, path):
    assert not visits(path).console


@pytest.mark.parametrize("path", PAGES)
def test_every_formula_is_typeset(visits, path):
    math = visits(path).math
    assert not math["untypeset"], f"{len(math['untypeset'])} formulas not typeset"
    assert not math["raw"], f"raw TeX left in the text: {math['raw'][:5]}"


@pytest.mark.parametrize("path", PAGES)
def test_every_image_loaded_with_alt_text(visits, path):
    for image in visits(path).images:
        assert image["width"] > 0 and image["height"] > 0, f"not loaded: {image['src']}"
        alt = (image["alt"] or "").strip()
        assert len(alt) >= 10 and not re.fullmatch(r"\S+\.(png|jpe?g|svg|gif)", alt), (
            f"no readable alt text on {image['src']}: {alt!r}")


@pytest.mark.parametrize("path", PAGES)
def test_every_widget_rendered_and_experiments_ready(visits, path):
    visit = visits(path)
    widgets = visit.widgets
    assert widgets["rendered"] == widgets["views"], widgets
    assert widgets["broken_images"] == 0, widgets
    expected = sorted(e.name for e in SHOWN[path])
    assert sorted(c["name"] for c in visit.components) == expected
    for component in visit.components:
        assert component["ready"] and component["controls_shown"] and component["image_ok"], (
            component)


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_accessibility_violation(visits, path):
    bad = [v for v in visits(path).violations if v["impact"] in ("serious", "critical")]
    assert not bad, json.dumps(bad, indent=1)


@pytest.mark.parametrize("path", PAGES)
def test_screenshot_saved(visits, artifacts, path):
    visits(path)
    name = path.replace("/", "__").removesuffix(".html")
    shot = artifacts / "screenshots" / f"{name}.png"
    assert shot.exists() and shot.stat().st_size > 10_000


STATE = """(root) => ({
  index: Number(root.querySelector('input').value),
  label: root.querySelector('output').textContent,
  valuetext: root.querySelector('input').getAttribute('aria-valuetext'),
  report: root.querySelector('.knobs-static-report').textContent,
  src: root.querySelector('img').getAttribute('src'),
  alt: root.querySelector('img').alt})"""


@pytest.mark.parametrize("path, experiment", CASES, ids=CASE_IDS)
def test_kernel_free_experiment_follows_its_main_control(browser, server, path, experiment):
    """Keyboard on the slider: figure, numbers, alt text and what a screen reader hears follow,
    matching the engine."""
    visit = Visit(path)
    context, page = open_page(browser, server, visit.page, visit)
    try:
        root = page.locator(f"#knobs-static-{experiment.name}")
        assert root.count() == 1, f"{visit.page} has no kernel-free {experiment.name!r}"
        slider = root.locator("input[type=range]")
        slider.scroll_into_view_if_needed()
        values, default_index = frames.main_values(experiment)
        control = experiment.control(experiment.main)
        language = edition_of(path)  # the engine's text in the page's language
        with use_language(language):
            label = named(control.label)
        # a screen reader finds the slider by the control's name and the report as a live
        # region, read out when it changes
        assert root.get_by_role("slider", name=label, exact=True).count() == 1
        report = root.get_by_role("status")
        assert report.count() == 1 and report.get_attribute("aria-live") == "polite"
        assert label in report.get_attribute("aria-label")
        seen = [root.evaluate(STATE)]
        assert seen[0]["index"] == default_index
        for key in ("End", "Home", "ArrowRight"):
            slider.focus()
            page.keyboard.press(key)
            page.wait_for_function("""(root) => {
                const img = root.querySelector('img');
                return img.complete && img.naturalWidth > 0;
            }""", arg=root.element_handle())
            seen.append(root.evaluate(STATE))
        assert [s["index"] for s in seen] == [default_index, len(values) - 1, 0, 1]
        for state in seen:
            value = values[state["index"]]
            # what the page shows is what the engine computes at that value
            numbers = experiment.run(**{experiment.main: value})
            with use_language(language):
                assert state["label"] == state["valuetext"] == control.format(value)
                assert state["report"] == experiment.report(numbers)
            assert state["label"] in state["alt"]
        # moving the control changes what is shown: the figure (its pixels, not only its file
        # name) between the extremes, and figure or numbers at each single step
        def shown(state):
            src = urlsplit(f"{server.base_url}/{visit.page}").path
            image = (SITE / urljoin(src, state["src"]).lstrip("/")).read_bytes()
            return image, state["report"]

        assert shown(seen[1])[0] != shown(seen[2])[0], "the figure must change with the control"
        assert shown(seen[2]) != shown(seen[3]), "one step of the control changes nothing"
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not visit.remote and not visit.failed and not visit.console, visit


FRAME_URLS = """(root) => JSON.parse(root.querySelector('script.knobs-static-data').textContent)
  .frames.map(f => new URL(f.src, location.href).href)"""


def wait_until(page, condition, what: str, seconds: float = 15) -> None:
    """Polls ``condition`` while the page runs (its events reach the test in the meantime)."""
    for _ in range(int(seconds * 10)):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("path, experiment", CASES, ids=CASE_IDS)
def test_kernel_free_experiment_moves_without_waiting_for_a_frame(browser, server, path,
                                                                  experiment):
    """After load, once the browser is idle, the default's neighbours are fetched (a first
    keyboard step); a pointer over the experiment fetches every frame. Moving the slider then
    shows each frame from memory: not one request more."""
    visit = Visit(path)
    context, page = open_page(browser, server, visit.page, visit)
    try:
        root = page.locator(f"#knobs-static-{experiment.name}")
        urls = root.evaluate(FRAME_URLS)
        values, default_index = frames.main_values(experiment)
        assert len(urls) == len(values)

        def fetched(log):   # the frames of this experiment the log holds, by index
            return sorted(urls.index(url) for url in log if url in urls)

        page.wait_for_selector(f"#knobs-static-{experiment.name}[data-preloaded=true]")
        idle = sorted({default_index - 1, default_index, default_index + 1}
                      & set(range(len(values))))
        wait_until(page, lambda: fetched(visit.finished) == idle, f"frames {idle} after load")
        assert fetched(visit.requests) == idle   # those only, each once

        root.hover()  # the reader's pointer on its way to the slider
        every = list(range(len(values)))
        wait_until(page, lambda: fetched(visit.finished) == every, "every frame after a hover")
        assert fetched(visit.requests) == every
        before = len(visit.requests)

        root.locator("input[type=range]").focus()
        for key, index in (("ArrowRight", min(default_index + 1, len(values) - 1)),
                           ("End", len(values) - 1), ("Home", 0)):
            page.keyboard.press(key)
            shown = root.evaluate("""(root) => { const img = root.querySelector('img');
                return {index: Number(root.querySelector('input').value), complete: img.complete,
                        width: img.naturalWidth}; }""")
            # complete right after the key press: drawn from memory, no download to wait for
            assert shown["index"] == index and shown["complete"] and shown["width"] > 0, shown
        page.wait_for_timeout(500)   # a request a move made would be logged by now
        again = [url for url in visit.requests[before:] if "/_static/knobs/" in url]
        assert not again, f"a move had to fetch its frame from the network: {again}"
    finally:
        context.close()
    assert not visit.remote and not visit.failed and not visit.console, visit


REPORT_BOXES = """(root) => {
  const input = root.querySelector('input[type=range]');
  const report = root.querySelector('.knobs-static-report');
  const problems = [];
  for (let i = Number(input.min); i <= Number(input.max); i++) {
    input.value = String(i);
    input.dispatchEvent(new Event('input'));
    const box = report.getBoundingClientRect();
    const style = getComputedStyle(report);
    const wraps = report.scrollWidth <= report.clientWidth;
    const scrolls = ['auto', 'scroll'].includes(style.overflowX);
    if (!wraps) problems.push(`frame ${i}: ${report.scrollWidth - report.clientWidth} px of `
                              + (scrolls ? 'text behind a scrollbar' : 'text cut off'));
    for (let a = report.parentElement; a; a = a.parentElement) {   // nothing clips the box
      if (getComputedStyle(a).overflowX === 'visible') continue;
      const r = a.getBoundingClientRect();
      if (a !== document.documentElement && (box.left < r.left - 1 || box.right > r.right + 1))
        problems.push(`frame ${i}: the report sticks out of ${a.tagName}.${a.className}`);
    }
    if (root.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      problems.push(`frame ${i}: the experiment is wider than the page`);
  }
  return problems;
}"""

EXPERIMENT_PAGES = [p for p in PAGES if SHOWN[p]]


@pytest.mark.parametrize("path", EXPERIMENT_PAGES)
def test_every_report_fits_its_box_on_a_phone_and_a_desktop(browser, server, path):
    """Each frame's report (preformatted text, lines of up to 150 characters) wraps inside its
    own box at 390 px (a phone) and 1280 px: no text cut off or hidden behind a scrollbar that a
    phone does not show, and the experiment never wider than the page."""
    visit = Visit(path)
    context, page = open_page(browser, server, path, visit,
                              viewport={"width": 390, "height": 844})
    try:
        problems = {}
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 844})
            for root in page.locator(".knobs-static").all():
                found = root.evaluate(REPORT_BOXES)
                if found:
                    problems[f"{root.get_attribute('data-experiment')} at {width} px"] = found[:5]
    finally:
        context.close()
    assert not problems, json.dumps(problems, indent=1)
    assert not visit.remote and not visit.failed and not visit.console, visit


def _widget_test_page(notebook: pathlib.Path) -> str | None:
    """A page holding a notebook's stored widget state and views, with the site's manager."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    state = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE)
    views = [out["data"][WIDGET_VIEW] for cell in nb["cells"] for out in cell.get("outputs", [])
             if WIDGET_VIEW in out.get("data", {})]
    if not state or not views:
        return None
    base = "/_static/" + vendor_assets.SITE_DIR.relative_to(vendor_assets.SITE_ROOT).as_posix()
    body = "\n".join(f'<div class="view"><script type="{WIDGET_VIEW}">{json.dumps(v)}</script>'
                     "</div>" for v in views)
    state_json = json.dumps(state).replace("</", "<\\/")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Widgets of {notebook.name}</title>
<script src="{base}/{assets.REQUIREJS}"></script>
<script src="{base}/{assets.WIDGET_MANAGER}"></script>
<script type="{WIDGET_STATE}">{state_json}</script>
</head><body><main>{body}</main></body></html>"""


# the notebooks themselves (one per chapter, English): the English pages name them
NOTEBOOK_PAGES = [p for p in toc_pages(["en"]) if (ROOT / p).with_suffix(".ipynb").exists()]


@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_notebook_widgets_render_from_embedded_state(browser, server, path):
    """The notebook's own ipywidgets (the live version) render from their stored state with
    the site's vendored manager, offline: sliders and the Output's figure and numbers."""
    html = _widget_test_page((ROOT / path).with_suffix(".ipynb"))
    assert html is not None, (
        f"{path}: the notebook stores no widget state (refresh it: make refresh NB=...)")
    route = f"/__widgets__/{path}"
    server.extra[route] = html
    visit = Visit(route)
    context, page = open_page(browser, server, route.lstrip("/"), visit)
    try:
        wait_for_widgets(page)
        widgets = page.evaluate(WIDGETS)
        texts = page.locator(".widget-subarea").all_inner_texts()
    finally:
        context.close()
    assert widgets["views"] > 0 and widgets["rendered"] == widgets["views"], widgets
    assert widgets["broken_images"] == 0, widgets
    assert all(t.strip() for t in texts), "a widget rendered empty"
    assert not visit.remote and not visit.failed and not visit.console, visit


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_first_visit_follows_the_readers_colour_scheme(browser, server, scheme):
    """The theme's default mode is auto (html_context in _config.yml): a first visit, nothing
    stored yet, shows the reader's system colour scheme."""
    visit = Visit(PAGES[0])
    context, page = open_page(browser, server, PAGES[0], visit, color_scheme=scheme)
    try:
        shown = page.evaluate("() => ({...document.documentElement.dataset})")
    finally:
        context.close()
    assert (shown.get("mode"), shown.get("theme")) == ("auto", scheme), shown
    assert not visit.remote and not visit.failed and not visit.console, visit


@pytest.mark.parametrize("edition, query, chapter", [
    ("en", "bias", "book/part1/04-bias-activations-regularization.html"),
    ("en", "layer normalization", "book/part1/05-normalization.html"),
    # Sphinx's Chinese search segments the words with jieba (pinned in requirements-dev.txt)
    ("zh_CN", "偏置", "book/part1/04-bias-activations-regularization.html"),
    ("zh_CN", "层归一化", "book/part1/05-normalization.html"),
])
def test_search_finds_the_chapter(browser, server, edition, query, chapter):
    path = f"{EDITIONS[edition]}search.html?q={query}"
    visit = Visit(path)
    context, page = open_page(browser, server, path, visit)
    try:
        page.wait_for_selector("ul.search li a", timeout=20_000)
        hits = [urlsplit(h).path.lstrip("/") for h in
                page.eval_on_selector_all("ul.search li a", "as => as.map(a => a.href)")]
    finally:
        context.close()
    assert EDITIONS[edition] + chapter in hits, hits
    assert all(h in PAGES and edition_of(h) == edition for h in hits), hits
    assert not visit.remote and not visit.failed and not visit.console, visit


RAW_TEX = r"""(root) => {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement.closest('mjx-container') ? NodeFilter.FILTER_REJECT
                                                              : NodeFilter.FILTER_ACCEPT});
  const raw = [];
  while (walker.nextNode()) {
    const t = walker.currentNode.textContent;
    if (/\\\(|\\\)|\\\[|\\\]|\\(frac|mathbf|partial)\b/.test(t)) raw.push(t.trim().slice(0, 80));
  }
  return {raw, typeset: root.querySelectorAll('mjx-container').length};
}"""


def test_search_snippets_show_formulas_typeset(browser, server):
    """A result's snippet is cut from the page's text, where a formula is TeX source; search.html
    typesets it with the site's MathJax (knobs-search.js) instead of showing \\(z > 0\\)."""
    visit = Visit("search.html")
    context, page = open_page(browser, server, "search.html?q=saturate", visit)
    try:
        page.wait_for_function("() => /Search finished/.test("
                               "document.querySelector('#search-results').textContent)",
                               timeout=30_000)
        page.wait_for_selector("#search-results mjx-container", timeout=30_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)   # the last snippets' typesetting
        shown = page.eval_on_selector("#search-results", RAW_TEX)
    finally:
        context.close()
    assert shown["typeset"] > 0, "no formula in the snippets: choose a query that shows one"
    assert not shown["raw"], shown["raw"]
    assert not visit.remote and not visit.failed and not visit.console, visit
