"""Sphinx extension for the book's website: self-contained, kernel-free experiments, metadata.

Loaded from ``_config.yml`` (``sphinx.local_extensions``). It applies to every page the book
builds, so a new chapter needs nothing of its own.

1. **No CDN.** MathJax, require.js and the ipywidgets HTML manager are served from
   ``_static/third_party/`` (fetched and pinned by ``tools/vendor_assets.py``; the build stops
   if they are missing). ``mathjax_path`` and myst-nb's ``nb_ipywidgets_js`` are pointed there.
2. **Experiments without a kernel.** Where a chapter shows ``live(EXPERIMENT)`` (a widget box
   with the CSS class ``knobs-live``), the page gets a small HTML slider instead of widgets that
   cannot move without a kernel: for each value of the experiment's ``main`` control the engine
   computes the report and draws the figure at build time (``frames``); the slider swaps them.
   The other controls stay at their defaults; the notebook keeps the full ipywidgets version.
   Pages left with no widget view do not load the widget manager or the widget state.
3. **Metadata.** Every page gets a ``<meta name="description">`` from its opening text, and
   every image must have readable alt text (a warning otherwise, an error under ``-W``);
   ``index.html`` is a redirect with a title.
4. **Theme fixes** found by the browser tests (tests/browser): two buttons' accessible names
   (``templates/``), citation list roles, link contrast in tinted boxes (``knobs-site.css``),
   sphinx-thebe's duplicated inline script and its CDN loader (thebe is off), the theme's
   empty default colour mode (a console error).
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import io
import json
import math
import os
import pathlib
import re
import shutil
from dataclasses import dataclass

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

logger = logging.getLogger(__name__)

ROOT = pathlib.Path(__file__).resolve().parents[3]
HERE = pathlib.Path(__file__).resolve().parent
VERSION = "2"  # bump to invalidate cached frames when the frame format changes

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
LIVE_CLASS = "knobs-live"
MAX_FRAMES = 41          # a finer main control is sampled at most ~41 values, default included
DESCRIPTION_CHARS = 160  # what search engines show
# the vendored entry points, relative to _static/third_party/ (see vendor/vendor.toml)
MATHJAX = "mathjax/es5/tex-mml-chtml.js"
REQUIREJS = "requirejs/require.js"
WIDGET_MANAGER = "html-manager/dist/embed-amd.js"


def _vendor_module():
    """``tools/vendor_assets.py``, the one place that knows what is vendored and where."""
    spec = importlib.util.spec_from_file_location("vendor_assets", ROOT / "tools" /
                                                  "vendor_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------------------------
# 1. Self-contained site
# --------------------------------------------------------------------------------------------

def use_vendored_assets(app: Sphinx, config) -> None:
    vendor = _vendor_module()
    stale = vendor.missing()
    if stale:
        raise ExtensionError("the website's third-party assets are not vendored: "
                             f"{', '.join(stale)}. Run `make vendor` "
                             "(python tools/vendor_assets.py, needs npm).")
    config.html_static_path = [*config.html_static_path, str(vendor.SITE_ROOT),
                               str(HERE / "static")]
    base = vendor.SITE_DIR.relative_to(vendor.SITE_ROOT).as_posix()  # "third_party"
    config.mathjax_path = f"{base}/{MATHJAX}"
    # no data-jupyter-widgets-cdn: the manager bundles the core widgets, and a widget it would
    # have to fetch from a CDN must fail loudly (the browser tests forbid remote requests)
    config.nb_ipywidgets_js = {f"{base}/{REQUIREJS}": {}, f"{base}/{WIDGET_MANAGER}": {}}
    # two of the theme's buttons, with their accessible names fixed (see the templates)
    config.templates_path = [str(HERE / "templates"), *config.templates_path]


def _thebe_enabled(app: Sphinx) -> bool:
    return bool(app.config.html_theme_options.get("launch_buttons", {}).get("thebe"))


# --------------------------------------------------------------------------------------------
# 2. Kernel-free experiments
# --------------------------------------------------------------------------------------------

@dataclass
class Frames:
    """An experiment's precomputed results along its main control."""

    experiment: object
    labels: list[str]
    reports: list[str]
    images: list[bytes]
    default_index: int
    key: str

    @property
    def folder(self) -> str:
        return f"knobs/{self.experiment.name}-{self.key[:10]}"

    @property
    def image_bytes(self) -> int:
        return sum(len(png) for png in self.images)


def main_values(experiment) -> tuple[list, int]:
    """The main control's values to precompute (at most MAX_FRAMES) and the default's index."""
    control = experiment.control(experiment.main)
    values = control.values()
    default = control.default
    if len(values) > MAX_FRAMES:  # every k-th step, evenly spaced, both extremes kept
        k = math.ceil((len(values) - 1) / (MAX_FRAMES - 1))
        values = values[::k] + ([values[-1]] if (len(values) - 1) % k else [])
    if default not in values:  # the page opens at the default, as the notebook does
        values.append(default)
        if not isinstance(default, str):
            values.sort()
    return values, values.index(default)


def label(control, value) -> str:
    """The value as the notebook's widget shows it (readout ``.2f`` for floats), with more
    decimals when the step needs them (a step of 0.005 must not show 0.05 twice)."""
    if hasattr(control, "options"):
        return str(value)
    if control.integer:
        return str(int(value))
    step = f"{control.step:.10g}"
    decimals = len(step.split(".")[1]) if "." in step and "e" not in step else 2
    return f"{value:.{max(2, decimals)}f}"


def _png(fig) -> bytes:
    """The figure as a 256-colour PNG: a third of the bytes, no visible difference."""
    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                   dither=Image.Dither.NONE).save(out, format="PNG")
    return out.getvalue()


def _engine_fingerprint() -> str:
    """Changes whenever the engine's code or the drawing libraries change."""
    import matplotlib
    import numpy
    import PIL

    import knobs

    digest = hashlib.sha256(f"{VERSION} {matplotlib.__version__} {numpy.__version__} "
                            f"{PIL.__version__}".encode())
    package = pathlib.Path(knobs.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _cache_folder(experiment, cache: pathlib.Path, fingerprint: str) -> tuple[pathlib.Path, str]:
    values, _ = main_values(experiment)
    key = hashlib.sha256(f"{fingerprint} {experiment.name} {values!r}".encode()).hexdigest()
    return cache / f"{experiment.name}-{key[:16]}", key


def is_cached(experiment, cache: pathlib.Path, fingerprint: str) -> bool:
    folder, _ = _cache_folder(experiment, cache, fingerprint)
    return (folder / "reports.json").exists()  # written last: the folder is complete


def compute_frames(experiment, cache: pathlib.Path, fingerprint: str) -> Frames:
    values, default_index = main_values(experiment)
    control = experiment.control(experiment.main)
    folder, key = _cache_folder(experiment, cache, fingerprint)
    labels = [label(control, v) for v in values]
    if (folder / "reports.json").exists():
        reports = json.loads((folder / "reports.json").read_text())
        images = [(folder / f"{i:02d}.png").read_bytes() for i in range(len(values))]
        return Frames(experiment, labels, reports, images, default_index, key)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from knobs.ui.plotting import use_book_style

    use_book_style()
    reports, images = [], []
    for value in values:
        numbers = experiment.run(**{experiment.main: value})
        reports.append(experiment.report(numbers))
        fig = experiment.draw(numbers)
        images.append(_png(fig))
        plt.close(fig)
    for stale in cache.glob(f"{experiment.name}-*"):  # older engine versions' frames
        shutil.rmtree(stale, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    for i, png in enumerate(images):
        (folder / f"{i:02d}.png").write_bytes(png)
    (folder / "reports.json").write_text(json.dumps(reports))
    return Frames(experiment, labels, reports, images, default_index, key)


def _frame_cache(app: Sphinx) -> tuple[pathlib.Path, str]:
    if not hasattr(app, "_knobs_fingerprint"):
        app._knobs_fingerprint = _engine_fingerprint()
    return pathlib.Path(app.doctreedir) / "knobs-frames", app._knobs_fingerprint


def _compute_into_cache(name: str, cache: pathlib.Path, fingerprint: str) -> float:
    """Worker: one experiment's frames into the cache; returns the seconds it took."""
    import time

    from knobs.ui.experiments import BY_NAME

    start = time.perf_counter()
    compute_frames(BY_NAME[name], cache, fingerprint)
    return time.perf_counter() - start


def precompute_frames(app: Sphinx, env) -> None:
    """Before pages are written: the frames of every chapter's experiments, computed into the
    cache one process per core (drawing hundreds of figures is the slow part of the build) and
    published in ``_static/knobs/`` (also for pages an incremental build does not rewrite)."""
    if app.builder.format != "html":
        return
    from concurrent.futures import ProcessPoolExecutor

    from knobs.ui.experiments import ALL

    experiments = [e for e in ALL if e.chapter in env.found_docs]
    cache, fingerprint = _frame_cache(app)
    todo = [e.name for e in experiments if not is_cached(e, cache, fingerprint)]
    if todo:
        with ProcessPoolExecutor(max_workers=min(len(todo), os.cpu_count() or 1)) as pool:
            jobs = {name: pool.submit(_compute_into_cache, name, cache, fingerprint)
                    for name in todo}
            for name, job in jobs.items():
                try:
                    seconds = job.result()
                except Exception as err:  # name the experiment; Sphinx shows the traceback
                    raise ExtensionError(f"knobs_site: experiment {name!r} failed to "
                                         f"precompute its frames: {err!r}") from err
                logger.verbose(f"[knobs] {name}: frames computed in {seconds:.1f} s")
    published = pathlib.Path(app.outdir) / "_static" / "knobs"
    app._knobs_frames = {}
    for experiment in experiments:
        frames = compute_frames(experiment, cache, fingerprint)  # from the cache now
        out = published / frames.folder.removeprefix("knobs/")
        if not out.exists() or len(list(out.glob("*.png"))) != len(frames.images):
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            for i, png in enumerate(frames.images):
                (out / f"{i:02d}.png").write_bytes(png)
        app._knobs_frames[experiment.name] = frames
        logger.info(f"[knobs] {experiment.name}: {len(frames.images)} frames of "
                    f"'{experiment.main}', {frames.image_bytes / 1024:.1f} KiB of images")
    keep = {f.folder.removeprefix("knobs/") for f in app._knobs_frames.values()}
    for folder in published.glob("*") if published.exists() else []:
        if folder.name not in keep:  # an earlier engine's frames are not part of this site
            shutil.rmtree(folder)


def _frames(app: Sphinx, experiment) -> Frames:
    store = getattr(app, "_knobs_frames", {})
    if experiment.name not in store:
        raise ExtensionError(f"knobs_site: no frames for {experiment.name!r}: its chapter "
                             f"{experiment.chapter!r} was not among the documents found")
    return store[experiment.name]


def _alt(experiment, control, text: str) -> str:
    base = experiment.alt or experiment.title
    return f"{base} ({control.label} = {text})"


def component_html(frames: Frames, static_uri: str) -> str:
    """The kernel-free experiment: slider, fixed controls, report and figure.

    Without JavaScript the controls stay hidden and the default result is shown; the script
    (``knobs-static.js``) reveals the slider and swaps report, figure and alt text.
    """
    exp = frames.experiment
    control = exp.control(exp.main)
    ident = f"knobs-static-{exp.name}"
    i0 = frames.default_index
    data = {
        "frames": [{"label": text, "report": report,
                    "src": f"{static_uri}/{frames.folder}/{i:02d}.png",
                    "alt": _alt(exp, control, text)}
                   for i, (text, report) in enumerate(zip(frames.labels, frames.reports,
                                                          strict=True))],
    }
    fixed = [f"{c.label} = {label(c, c.default)}" for c in exp.controls if c.name != exp.main]
    fixed_note = (f"The other controls stay at their defaults ({', '.join(fixed)}). "
                  if fixed else "")
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    e = html.escape
    return f"""
<figure class="knobs-static" id="{ident}" data-experiment="{e(exp.name)}">
  <figcaption class="knobs-static-title">{e(exp.title)}</figcaption>
  <div class="knobs-static-controls" hidden>
    <label for="{ident}-input">{e(control.label)}</label>
    <input type="range" id="{ident}-input" min="0" max="{len(frames.labels) - 1}" step="1"
           value="{i0}" aria-valuetext="{e(frames.labels[i0])}">
    <output for="{ident}-input" class="knobs-static-value">{e(frames.labels[i0])}</output>
  </div>
  <p class="knobs-static-note">Results computed by the engine when this page was built: the
  slider moves <strong>{e(control.label)}</strong> over {len(frames.labels)} values.
  {e(fixed_note)}To move every control, launch this notebook (the rocket button at the top of
  the page: Binder, JupyterHub or Colab).</p>
  <pre class="knobs-static-report">{e(frames.reports[i0])}</pre>
  <img class="knobs-static-figure" src="{static_uri}/{frames.folder}/{i0:02d}.png"
       alt="{e(_alt(exp, control, frames.labels[i0]))}">
  <script type="application/json" class="knobs-static-data">{payload}</script>
</figure>
"""


def _widget_state(app: Sphinx, docname: str) -> dict:
    """The widget state myst-nb read with this page (not the file now: it may have changed)."""
    from myst_nb.sphinx_ import NbMetadataCollector

    js = NbMetadataCollector.get_js_files(app.env, docname).get("ipywidgets_state")
    if not js:
        return {}
    return json.loads(js[1]["body"]).get("state", {})


def _subtree_texts(state: dict, model_id: str) -> tuple[set, str]:
    """Descriptions of the widgets under ``model_id`` and the text their outputs show."""
    descriptions, texts, todo = set(), [], [model_id]
    while todo:
        model = state.get(todo.pop(), {}).get("state", {})
        if model.get("description"):
            descriptions.add(model["description"])
        for output in model.get("outputs", []):
            texts.append(str(output.get("text", "")))
            texts.append(str(output.get("data", {}).get("text/plain", "")))
        todo += [c.removeprefix("IPY_MODEL_") for c in model.get("children", [])]
    return descriptions, "\n".join(texts)


def _experiment_for(docname: str, state: dict, model_id: str, experiments: list):
    """The chapter's experiment a live() box shows: the one whose control labels are the box's
    slider descriptions (and, if several, whose title its output shows)."""
    descriptions, text = _subtree_texts(state, model_id)
    mine = [e for e in experiments if e.chapter == docname
            and {c.label for c in e.controls} <= descriptions]
    if len(mine) > 1:
        mine = [e for e in mine if e.title in text]
    return mine[0] if len(mine) == 1 else None


def replace_live_widgets(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    from knobs.ui.experiments import ALL

    state = _widget_state(app, docname)
    shown = set()
    static_uri = relative_uri(app.builder.get_target_uri(docname), "_static")
    for raw in list(doctree.findall(nodes.raw)):
        match = re.search(r'"model_id":\s*"(\w+)"', raw.astext())
        if WIDGET_VIEW not in raw.astext() or not match:
            continue
        model = state.get(match[1], {}).get("state", {})
        if LIVE_CLASS not in model.get("_dom_classes", ()):
            continue  # another widget: the widget manager renders it from the embedded state
        experiment = _experiment_for(docname, state, match[1], ALL)
        if experiment is None:
            logger.warning(f"a live() widget box ({match[1]}) matches no experiment of "
                           f"knobs.ui.experiments.ALL whose chapter is {docname!r}",
                           location=docname, type="knobs", subtype="experiment")
            continue
        frames = _frames(app, experiment)
        raw.replace_self(nodes.raw("", component_html(frames, static_uri), format="html"))
        shown.add(experiment.name)
    for experiment in ALL:
        if experiment.chapter == docname and experiment.name not in shown:
            logger.warning(f"experiment {experiment.name!r} names this chapter but the page "
                           "shows no live() widget for it (refresh the notebook?)",
                           location=docname, type="knobs", subtype="experiment")


# --------------------------------------------------------------------------------------------
# 3. Alt text and descriptions
# --------------------------------------------------------------------------------------------

def check_alt_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for image in doctree.findall(nodes.image):
        alt = (image.get("alt") or "").strip()
        if len(alt) < 10 or re.fullmatch(r"[\w./-]+\.(png|jpe?g|svg|gif|webp)", alt):
            logger.warning(f"image {image.get('uri')!r} has no readable alt text ({alt!r}); "
                           "give it one (notebook output: cell metadata mystnb.image.alt)",
                           location=image, type="knobs", subtype="alt")


_TEX = [(r"\^\s*\\top\b", "ᵀ"), (r"\\(mathbf|mathrm|boldsymbol|text|operatorname|mathcal)\b", ""),
        (r"\\top\b", "ᵀ"), (r"\\[lr]Vert\b", "‖"), (r"\\ge(q)?\b", "≥"), (r"\\le(q)?\b", "≤"),
        (r"\\cdot\b", "·"), (r"\\in\b", "∈"), (r"\\sigma\b", "σ"), (r"\\[a-zA-Z]+", ""),
        (r"[{}]", ""), (r"\s+", " ")]


def plain_text(node: nodes.Node) -> str:
    """Readable text of a node, with TeX reduced to something a search snippet can show."""
    if isinstance(node, nodes.math | nodes.math_block):
        text = node.astext()
        for pattern, repl in _TEX:
            text = re.sub(pattern, repl, text)
        return text.strip()
    if isinstance(node, nodes.Text):
        return node.astext()
    return "".join(plain_text(child) for child in node.children)


def description(doctree: nodes.document) -> str:
    """The page's opening text (paragraphs and formulas after the title), about 160 chars."""
    parts: list[str] = []
    for node in doctree.findall(lambda n: isinstance(n, nodes.paragraph | nodes.math_block)):
        if node.parent is not None and isinstance(node.parent, nodes.list_item):
            continue
        text = re.sub(r"\s+", " ", plain_text(node)).strip()
        if text:
            parts.append(text)
        if sum(len(p) for p in parts) >= DESCRIPTION_CHARS:
            break
    text = re.sub(r"\s+([.,;:])", r"\1", " ".join(parts))  # "b ." after a display formula
    if len(text) > DESCRIPTION_CHARS:
        text = text[:DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict,
                 doctree) -> None:
    body = context.get("body", "")
    if 'role="doc-biblioentry"' in body:
        # docutils wraps citations in role="list" but marks each with the deprecated DPub role
        # doc-biblioentry, which is no list item (axe-core: aria-required-children, critical)
        body = context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')
    # widget manager and widget state only where a widget view is left to render
    if WIDGET_VIEW not in body and "script_files" in context:
        manager = tuple(f"_static/{path}" for path in app.config.nb_ipywidgets_js)
        context["script_files"][:] = [
            js for js in context["script_files"]
            if js.attributes.get("type") != WIDGET_STATE and str(js.filename) not in manager]
    if "script_files" in context:
        seen, kept = set(), []
        for js in context["script_files"]:
            body_js = js.attributes.get("body", "")
            # thebe (live code through Binder) is off: its loader only names a CDN
            if not _thebe_enabled(app) and ("sphinx-thebe" in str(js.filename)
                                            or "THEBE_JS_URL" in body_js):
                continue
            # sphinx-thebe's inline config is added twice, a console error ("already declared")
            key = (str(js.filename), tuple(sorted(js.attributes.items())))
            if key not in seen:
                seen.add(key)
                kept.append(js)
        context["script_files"][:] = kept
    if not _thebe_enabled(app) and "css_files" in context:
        context["css_files"][:] = [css for css in context["css_files"]
                                   if "sphinx-thebe" not in str(css.filename)]
    if "knobs-static" in body:
        app.add_css_file("knobs-static.css")
        app.add_js_file("knobs-static.js", loading_method="defer")
    # pydata-sphinx-theme reads this from the context; left empty, its script logs a console
    # error ("Got invalid theme mode") on a reader's first visit and falls back to auto
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    metatags = context.get("metatags", "")
    if 'name="description"' not in metatags:
        text = description(doctree) if doctree is not None else ""
        if not text:
            text = f"{context.get('title', pagename)}: {_book_title(app)}"
        context["metatags"] = (metatags + f'\n<meta name="description" '
                               f'content="{html.escape(text, quote=True)}" />')


def _book_title(app: Sphinx) -> str:
    return app.config.html_title or app.config.project


def write_root_redirect(app: Sphinx, exception) -> None:
    """``index.html`` when the book's root page is elsewhere: a redirect with a title.

    (sphinx-external-toc writes a bare ``<meta http-equiv>`` line when the file is missing;
    this runs first, so every HTML file of the site has a title and a description.)
    """
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    target = app.builder.get_target_uri(app.config.root_doc)
    title = html.escape(_book_title(app))
    (pathlib.Path(app.outdir) / "index.html").write_text(f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="description" content="{title}: start reading at the book's first page.">
<meta http-equiv="Refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body><main><p><a href="{target}">{title}</a></p></main></body>
</html>
""", encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", use_vendored_assets, priority=400)
    app.add_css_file("knobs-site.css")
    app.connect("env-updated", precompute_frames)
    app.connect("doctree-resolved", replace_live_widgets)
    app.connect("doctree-resolved", check_alt_text)
    app.connect("html-page-context", page_context, priority=900)
    app.connect("build-finished", write_root_redirect, priority=400)
    return {"version": VERSION, "parallel_read_safe": True, "parallel_write_safe": False}
