"""Build-time frames of the kernel-free experiments: for each value of an experiment's ``main``
control, the engine's report and figure, computed once into a cache and published in
``_static/knobs/``.

The reports and the slider's labels are in the build's language (``language`` in Sphinx's
configuration; English when unset), computed by the engine in that language
(``knobs.ui.language``). The figures are drawn in English and shared: an experiment's cache
folder holds its images once and one reports file per language, so the Chinese build after the
English one runs the experiments again for their reports but draws nothing."""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt
import numpy
import PIL
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from .engine import ALL, BY_NAME, PACKAGE, SOURCE, catalog_path, png, use_book_style, use_language
from .pages import experiments_on

logger = logging.getLogger(__name__)

VERSION = "3"    # bump to invalidate cached frames when the frame format changes
MAX_FRAMES = 41  # a finer main control is sampled at most 41 values, default included


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
        return sum(len(image) for image in self.images)


def main_values(experiment) -> tuple[list, int]:
    """The main control's values to precompute (``Slider.sample``) and the default's index."""
    control = experiment.control(experiment.main)
    values = control.sample(MAX_FRAMES)
    return values, values.index(control.default)


def _engine_fingerprint() -> str:
    """Changes whenever the engine's code or the drawing libraries change."""
    digest = hashlib.sha256(f"{VERSION} {matplotlib.__version__} {numpy.__version__} "
                            f"{PIL.__version__}".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _cache_folder(experiment, cache: pathlib.Path, fingerprint: str) -> tuple[pathlib.Path, str]:
    values, _ = main_values(experiment)
    key = hashlib.sha256(f"{fingerprint} {experiment.name} {values!r}".encode()).hexdigest()
    return cache / f"{experiment.name}-{key[:16]}", key


IMAGES_DONE = "images.done"  # written after the last image: the folder's images are complete


def reports_file(language: str) -> str:
    """The name of the reports file of ``language`` in a cache folder: a translation's names its
    catalog's digest too, so a changed translation computes its reports again."""
    if language == SOURCE:
        return f"reports-{language}.json"
    digest = hashlib.sha256(catalog_path(language).read_bytes()).hexdigest()
    return f"reports-{language}-{digest[:12]}.json"


def is_cached(experiment, cache: pathlib.Path, fingerprint: str, language: str = SOURCE) -> bool:
    folder, _ = _cache_folder(experiment, cache, fingerprint)
    return (folder / IMAGES_DONE).exists() and (folder / reports_file(language)).exists()


def compute_frames(experiment, cache: pathlib.Path, fingerprint: str,
                   language: str = SOURCE) -> Frames:
    """The experiment's frames in ``language``, from the cache or computed into it."""
    values, default_index = main_values(experiment)
    control = experiment.control(experiment.main)
    folder, key = _cache_folder(experiment, cache, fingerprint)
    reports_path = folder / reports_file(language)
    with use_language(language):
        labels = [control.format(v) for v in values]  # a menu's options, in the reader's words
    has_images = (folder / IMAGES_DONE).exists()
    if has_images and reports_path.exists():
        reports = json.loads(reports_path.read_text(encoding="utf-8"))
        images = [(folder / f"{i:02d}.png").read_bytes() for i in range(len(values))]
        return Frames(experiment, labels, reports, images, default_index, key)

    if not has_images:
        matplotlib.use("Agg")  # files only, whatever the display
        use_book_style()
        for stale in cache.glob(f"{experiment.name}-*"):  # older engine versions' frames
            shutil.rmtree(stale, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
    reports = []
    for i, value in enumerate(values):
        numbers = experiment.run(**{experiment.main: value})
        with use_language(language):
            reports.append(experiment.report(numbers))
        if not has_images:
            with use_language(SOURCE):  # one figure for every edition
                fig = experiment.draw(numbers)
            (folder / f"{i:02d}.png").write_bytes(png(fig))
            plt.close(fig)
    (folder / IMAGES_DONE).touch()
    for stale in folder.glob(f"reports-{language}*.json"):  # an earlier translation's reports
        stale.unlink()
    reports_path.write_text(json.dumps(reports, ensure_ascii=False), encoding="utf-8")
    images = [(folder / f"{i:02d}.png").read_bytes() for i in range(len(values))]
    return Frames(experiment, labels, reports, images, default_index, key)


# The English and the Chinese builds share one cache (and its images)
CACHE = pathlib.Path(__file__).resolve().parents[3] / "_build" / "knobs-frames"


def _frame_cache(app: Sphinx) -> tuple[pathlib.Path, str]:
    if not hasattr(app, "_knobs_fingerprint"):
        app._knobs_fingerprint = _engine_fingerprint()
    return CACHE, app._knobs_fingerprint


def build_language(app: Sphinx) -> str:
    """The language of the build's pages (``"en"`` when the configuration names none)."""
    return app.config.language or SOURCE


def _compute_into_cache(name: str, cache: pathlib.Path, fingerprint: str, language: str) -> float:
    """Worker: one experiment's frames into the cache; returns the seconds it took."""
    start = time.perf_counter()
    compute_frames(BY_NAME[name], cache, fingerprint, language)
    return time.perf_counter() - start


def precompute_frames(app: Sphinx, env) -> None:
    """Before pages are written: the frames of every chapter's experiments, computed into the
    cache one process per core (drawing hundreds of figures is the slow part of the build) and
    published in ``_static/knobs/`` (also for pages an incremental build does not rewrite)."""
    if app.builder.format != "html":
        return
    shown = {e.name: e for doc in sorted(env.found_docs) for e in experiments_on(app, doc)}
    experiments = [e for e in ALL if e.name in shown]  # chapter order, each once
    cache, fingerprint = _frame_cache(app)
    language = build_language(app)
    todo = [e.name for e in experiments if not is_cached(e, cache, fingerprint, language)]
    if todo:
        with ProcessPoolExecutor(max_workers=min(len(todo), os.cpu_count() or 1)) as pool:
            jobs = {name: pool.submit(_compute_into_cache, name, cache, fingerprint, language)
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
        frames = compute_frames(experiment, cache, fingerprint, language)  # from the cache now
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


def frames_for(app: Sphinx, experiment) -> Frames:
    """The frames ``precompute_frames`` made for the experiment."""
    store = getattr(app, "_knobs_frames", {})
    if experiment.name not in store:
        raise ExtensionError(f"knobs_site: no frames for {experiment.name!r}: no page of this "
                             "build showed its live() box when the frames were computed")
    return store[experiment.name]
