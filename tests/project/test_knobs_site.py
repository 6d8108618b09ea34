"""The website's Sphinx extension (book/_ext/knobs_site) without a build: a live() box names its
experiment with a CSS class, which the extension reads from the stored widget state; the
JupyterHub launch button comes only from the build setting KNOBS_JUPYTERHUB_URL."""

import dataclasses
import json
import pathlib
import re
import types
from urllib.parse import parse_qs, urlsplit

import matplotlib
import pytest

matplotlib.use("Agg")

import ipywidgets as w  # noqa: E402
from docutils import nodes  # noqa: E402
from docutils.utils import new_document  # noqa: E402
from sphinx.errors import ExtensionError  # noqa: E402

import knobs.ui.widgets as widgets  # noqa: E402
from knobs.ui import language  # noqa: E402
from knobs.ui.experiments import ALL, gates  # noqa: E402
from knobs.ui.language import use_language  # noqa: E402
from knobs_site import components, hub, pages  # noqa: E402
from knobs_site.frames import Frames  # noqa: E402

GATES = gates.EXPERIMENT
ROOT = pathlib.Path(__file__).resolve().parents[2]


def stored_state(box) -> dict:
    """The widget state of ``box``, as a notebook stores it (model id -> model and state)."""
    return w.Widget.get_manager_state(widgets=[box])["state"]


@pytest.mark.parametrize("experiment", ALL, ids=[e.name for e in ALL])
def test_the_extension_finds_each_live_box_by_its_experiment_class(experiment, monkeypatch):
    # the box without its first outputs: drawing them is tests/ui/test_experiments.py's (seconds)
    monkeypatch.setattr(widgets, "prepare", lambda experiment: ())
    box = widgets.build_live(experiment)
    model = stored_state(box)[box.model_id]["state"]
    assert pages.LIVE_CLASS in model["_dom_classes"]
    assert pages.experiment_for("page", box.model_id, model) is experiment


@pytest.mark.parametrize("classes, message", [
    (["knobs-live", "knobs-experiment-nonesuch"], "names the experiment 'nonesuch'"),
    (["knobs-live"], "has no CSS class knobs-experiment-"),
    (["knobs-live", "knobs-experiment-gates", "knobs-experiment-depth"], "several experiments"),
], ids=["unknown", "none", "several"])
def test_a_box_naming_no_known_experiment_is_a_build_error(classes, message):
    with pytest.raises(ExtensionError, match=message):
        pages.experiment_for("page", "m1", {"_dom_classes": classes})


def test_a_page_says_which_experiments_it_shows():
    boxes = [widgets.build_live(e) for e in (GATES, ALL[1])]
    state = {k: v for box in boxes for k, v in stored_state(box).items()}
    assert pages.experiments_in("page", state) == [GATES, ALL[1]]
    assert pages.experiments_in("page", {}) == []


def test_every_experiment_is_shown_by_exactly_one_chapter():
    shown = {}
    for notebook in sorted(ROOT.glob("book/**/*.ipynb")):
        if "_build" in notebook.parts or ".ipynb_checkpoints" in notebook.parts:
            continue
        for experiment in pages.notebook_experiments(notebook):
            shown.setdefault(experiment.name, []).append(notebook.name)
    assert {name: where for name, where in shown.items() if len(where) != 1} == {}
    assert sorted(shown) == sorted(e.name for e in ALL), "an experiment no chapter shows"


def _page(*model_ids: str) -> nodes.document:
    """A page showing one widget view per model, as myst-nb writes it."""
    doctree = new_document("page")
    for model_id in model_ids:
        view = json.dumps({"version_major": 2, "version_minor": 0, "model_id": model_id})
        doctree += nodes.raw("", f'<script type="{components.WIDGET_VIEW}">{view}</script>',
                             format="html")
    return doctree


def _app(state: dict, monkeypatch, language=None):
    monkeypatch.setattr(components, "widget_state", lambda app, docname: state)
    frames = Frames(GATES, labels=["-1.50"], reports=["the gates report"], images=[b"png"],
                    default_index=0, key="0" * 64)
    builder = types.SimpleNamespace(format="html", get_target_uri=lambda docname: docname)
    return types.SimpleNamespace(builder=builder, _knobs_frames={GATES.name: frames},
                                 config=types.SimpleNamespace(language=language))


def test_a_live_box_becomes_its_experiments_component(monkeypatch):
    state = {"live": {"state": {"_dom_classes": ["knobs-live", "knobs-experiment-gates"]}},
             "other": {"state": {"_dom_classes": ["knobs-experiment-depth"]}}}  # not live()
    doctree = _page("live", "other")
    components.replace_live_widgets(_app(state, monkeypatch), doctree, "page")
    first, second = doctree.children
    assert 'id="knobs-static-gates"' in first.astext() and "the gates report" in first.astext()
    assert components.WIDGET_VIEW in second.astext(), "another widget stays a widget"


def test_a_page_whose_live_box_names_an_unknown_experiment_stops_the_build(monkeypatch):
    state = {"live": {"state": {"_dom_classes": ["knobs-live", "knobs-experiment-nonesuch"]}}}
    with pytest.raises(ExtensionError, match="nonesuch"):
        components.replace_live_widgets(_app(state, monkeypatch), _page("live"), "page")


# The JupyterHub launch button (knobs_site.hub): absent unless KNOBS_JUPYTERHUB_URL names a hub.

HUB = "https://hub.example.edu"
CHAPTER = "book/part1/01-two-knobs"


def _theme_options(environ: dict) -> dict:
    """html_theme_options as Jupyter Book makes them from _config.yml, after the hub hook."""
    from jupyter_book.config import get_final_config

    config, _ = get_final_config(user_yaml=ROOT / "_config.yml", sourcedir=ROOT,
                                 cli_config={"latex_individualpages": False},
                                 use_external_toc=False)
    sphinx_config = types.SimpleNamespace(html_theme_options=config["html_theme_options"])
    hub.apply_hub(None, sphinx_config, environ=environ)
    return sphinx_config.html_theme_options


def _launch_menu(options: dict) -> dict[str, str]:
    """The launch menu sphinx-book-theme builds for a chapter with these theme options:
    ``{button text: url}``, in the menu's order."""
    from sphinx_book_theme.header_buttons.launch import add_launch_buttons

    org, repo = urlsplit(options["repository_url"]).path.strip("/").split("/")[:2]
    env = types.SimpleNamespace(doc2path=lambda name: ROOT / f"{name}.ipynb",
                                metadata={CHAPTER: {"kernelspec": {}}})
    app = types.SimpleNamespace(config={"html_theme_options": options}, env=env)
    context = {"pagename": CHAPTER, "sourcename": f"{CHAPTER}.ipynb", "header_buttons": [],
               "github_url": "https://github.com", "github_user": org, "github_repo": repo}
    add_launch_buttons(app, CHAPTER, "page.html", context, None)
    (group,) = context["header_buttons"]
    return {button["text"]: button["url"] for button in group["buttons"]}


@pytest.mark.parametrize("environ", [{}, {hub.VARIABLE: ""}, {hub.VARIABLE: "  "}],
                         ids=["unset", "empty", "blank"])
def test_no_jupyterhub_button_by_default(environ):
    options = _theme_options(environ)
    assert "jupyterhub_url" not in options["launch_buttons"]
    assert list(_launch_menu(options)) == ["Binder", "Colab"]


def test_the_hub_of_the_build_setting_gets_the_button():
    options = _theme_options({hub.VARIABLE: HUB + "/"})
    assert options["launch_buttons"]["jupyterhub_url"] == HUB
    assert list(_launch_menu(options)) == ["Binder", "JupyterHub", "Colab"]


def test_the_button_links_where_tools_hub_link_does():
    """The theme's nbgitpuller link and tools/hub_link.py's agree (values, not encoding)."""
    from tools import hub_link

    repo, branch = hub_link.repository()
    ours = hub_link.link(HUB, f"{CHAPTER}.ipynb", repo, branch)
    theirs = _launch_menu(_theme_options({hub.VARIABLE: HUB}))["JupyterHub"]
    assert theirs.startswith(f"{HUB}/hub/user-redirect/git-pull?")
    assert parse_qs(urlsplit(theirs).query) == parse_qs(urlsplit(ours).query)


def test_the_colab_button_opens_the_colab_edition():
    from knobs_site import colab

    theirs = _launch_menu(_theme_options({}))["Colab"]
    url, path = colab.edition_url(theirs, "main")
    assert url == theirs.replace("/blob/main/", "/blob/main/colab/")
    assert path == f"colab/{CHAPTER}.ipynb" and (ROOT / path).is_file()
    with pytest.raises(ValueError, match="/blob/main/"):
        colab.edition_url("https://colab.research.google.com/github/o/r/tree/x.ipynb", "main")


@pytest.mark.parametrize("value", ["hub.example.edu", "ftp://hub.example.edu", "https://"])
def test_a_hub_setting_that_is_no_address_stops_the_build(value):
    with pytest.raises(ExtensionError, match=hub.VARIABLE):
        _theme_options({hub.VARIABLE: value})


def test_a_hub_in_config_yml_stops_the_build():
    """One place names the hub: the build setting. A (placeholder) address in _config.yml
    would otherwise reach every reader."""
    config = types.SimpleNamespace(html_theme_options={
        "launch_buttons": {"binderhub_url": "https://mybinder.org",
                           "jupyterhub_url": "https://hub.example.org"}})
    with pytest.raises(ExtensionError, match="KNOBS_JUPYTERHUB_URL"):
        hub.apply_hub(None, config, environ={hub.VARIABLE: HUB})


# The Chinese edition (language zh_CN): the component's text and the frames' reports and labels
# in Chinese, computed by the engine in the build's language; the figures shared with English.

LIVE_GATES = {"live": {"state": {"_dom_classes": ["knobs-live", "knobs-experiment-gates"]}}}


@pytest.mark.parametrize("language", [None, "en"])
def test_an_english_build_writes_the_component_in_english(language, monkeypatch):
    doctree = _page("live")
    components.replace_live_widgets(_app(LIVE_GATES, monkeypatch, language), doctree, "page")
    html = doctree.children[0].astext()
    assert "Results computed by the engine when this page was built" in html
    assert "<label for=\"knobs-static-gates-input\">bias b</label>" in html
    assert 'alt="The four binary inputs' in html and "(bias b = -1.50)" in html
    assert not re.search(r"[\u4e00-\u9fff]", html)


def test_a_chinese_build_writes_the_component_in_chinese(monkeypatch):
    doctree = _page("live")
    components.replace_live_widgets(_app(LIVE_GATES, monkeypatch, "zh_CN"), doctree, "page")
    html = doctree.children[0].astext()
    assert "一个阈值神经元：两个权重和一个偏置" in html  # the title
    assert "<label for=\"knobs-static-gates-input\">偏置 b</label>" in html
    assert "以下结果由引擎在构建本页时计算：滑块让<strong>偏置 b</strong>取 1 个值。" in html
    assert "其他控件保持默认值（权重 w1 = 1.00, 权重 w2 = 1.00）。" in html
    assert 'aria-label="结果（偏置 b 取所选值）"' in html
    assert 'alt="平面上的四个二值输入' in html and "（偏置 b = -1.50）" in html
    payload = json.loads(re.search(r'knobs-static-data">(.*?)</script>', html)[1])
    assert payload["frames"][0]["alt"].startswith("平面上的四个二值输入")
    for english in ("Results computed", "The other controls", "To move every control"):
        assert english not in html


def test_the_frames_of_a_chinese_build_share_the_english_images(tmp_path, monkeypatch):
    from knobs_site import frames

    english = frames.compute_frames(GATES, tmp_path, "fingerprint", "en")
    assert frames.is_cached(GATES, tmp_path, "fingerprint", "en")
    assert not frames.is_cached(GATES, tmp_path, "fingerprint", "zh_CN")

    def no_drawing(numbers):
        raise AssertionError("the Chinese build drew a figure the English one had drawn")

    chinese = frames.compute_frames(dataclasses.replace(GATES, draw=no_drawing), tmp_path,
                                    "fingerprint", "zh_CN")
    assert chinese.images == english.images and chinese.folder == english.folder
    assert english.reports[0].startswith("w = (1, 1), b = -3: the neuron computes")
    assert chinese.reports[0].startswith("w = (1, 1)，b = -3：该神经元计算的是")
    assert chinese.labels == english.labels  # a slider's numbers
    again = frames.compute_frames(dataclasses.replace(GATES, draw=no_drawing), tmp_path,
                                  "fingerprint", "zh_CN")  # from the cache
    assert again.reports == chinese.reports
    assert frames.compute_frames(GATES, tmp_path, "fingerprint", "en").reports == english.reports
    assert sorted(p.name for p in tmp_path.glob("*/reports-*.json")) == [
        "reports-en.json", frames.reports_file("zh_CN")]


def test_a_menu_as_main_control_has_chinese_labels_in_a_chinese_build():
    from knobs.ui.experiments import depth
    from knobs_site import frames

    values, _ = frames.main_values(depth.EXPERIMENT)
    control = depth.EXPERIMENT.control("scheme")
    with use_language("zh_CN"):
        labels = [control.format(v) for v in values]
    assert labels == ["kaiming_normal", "xavier_normal", "正态 (标准差 0.01)", "正态 (标准差 1)"]


def test_a_changed_translation_names_another_reports_file(tmp_path, monkeypatch):
    from knobs_site import frames

    before = frames.reports_file("zh_CN")
    changed = tmp_path / "knobs.po"
    changed.write_bytes(language.catalog_path("zh_CN").read_bytes() + b"\n")
    monkeypatch.setattr(frames, "catalog_path", lambda code: changed)
    assert frames.reports_file("zh_CN") != before and frames.reports_file("en") == "reports-en.json"
