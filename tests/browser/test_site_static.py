"""The built site's HTML, read without a browser: titles and descriptions, launch buttons, no
third-party host in any asset reference, and a link check of every internal link and anchor."""

from __future__ import annotations

import html.parser
import json
import pathlib
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from conftest import HTML, ROOT, source_page, toc_pages

from knobs_site import hub
from tools import vendor_assets

PAGES = toc_pages()
NOTEBOOK_PAGES = [p for p in PAGES if (ROOT / source_page(p)).with_suffix(".ipynb").exists()]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


class Page(html.parser.HTMLParser):
    """Ids, title, meta description and every reference (tag, attribute, url) of a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.ids.add(a[key])
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.refs.append((tag, key, a[key]))
        if tag == "meta" and a.get("name"):
            self.meta[a["name"]] = a.get("content", "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@pytest.fixture(scope="module")
def parsed(site):
    files = [p for p in site.rglob("*.html")
             if not {"_static", "_sources"} & set(p.relative_to(site).parts)]
    return {p.relative_to(site).as_posix(): Page(p.read_text(encoding="utf-8")) for p in files}


@pytest.mark.parametrize("path", PAGES)
def test_title_and_description(parsed, path):
    page = parsed[path]
    assert page.title.strip(), "no <title>"
    description = page.meta.get("description", "")
    assert len(description) >= 40, f"meta description too short: {description!r}"
    assert "\\" not in description and "$" not in description, description


def test_every_html_file_has_a_title_and_description(parsed):
    for path, page in parsed.items():
        assert page.title.strip() and page.meta.get("description"), path


def _resolve(source: str, url: str) -> tuple[pathlib.Path, str]:
    parts = urlsplit(url)
    target = (HTML / source).parent / unquote(parts.path) if parts.path else HTML / source
    target = target.resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_internal_links_and_anchors_resolve(parsed):
    """Every internal href/src of every page reaches a file, and every #anchor an id there."""
    broken, checked = [], 0
    for source, page in parsed.items():
        for tag, attr, url in page.refs:
            scheme = urlsplit(url).scheme
            if scheme in ("http", "https", "mailto", "data", "javascript") or url == "":
                continue
            target, fragment = _resolve(source, url)
            checked += 1
            if not target.is_file() or HTML.resolve() not in target.parents:
                broken.append(f"{source}: <{tag} {attr}={url!r}>: no file {target}")
                continue
            if fragment and target.suffix == ".html":
                ids = parsed[target.relative_to(HTML.resolve()).as_posix()].ids
                if fragment not in ids:
                    broken.append(f"{source}: <{tag} {attr}={url!r}>: no id {fragment!r}")
    assert checked > 100, f"only {checked} links checked"
    assert not broken, "\n".join(broken[:30])


def test_no_asset_from_another_host(parsed, site):
    """Scripts, stylesheets, images, fonts: all from the site (links to other sites are fine)."""
    remote = [f"{source}: <{tag} {attr}={url}>" for source, page in parsed.items()
              for tag, attr, url in page.refs
              if urlsplit(url).scheme in ("http", "https") and tag != "a"]
    assert not remote, remote
    css_remote = [f"{css.relative_to(site)}: {m}" for css in site.rglob("*.css")
                  for m in re.findall(r"(?:url\(|@import)\s*['\"]?(https?://[^'\")\s]+)",
                                      re.sub(r"/\*.*?\*/", "", css.read_text(errors="ignore"),
                                             flags=re.S))]
    assert not css_remote, css_remote


def test_vendored_assets_and_their_licenses_are_published(site):
    notice = (site / "_static" / "third_party" / "THIRD_PARTY_LICENSES.txt").read_text()
    for package in vendor_assets.packages():
        if package["dest"] == "site":
            assert f"{package['name']} {package['version']}" in notice
            assert f"license: {package['license']}" in notice
            assert (site / "_static" / "third_party" / package["dir"]).is_dir()


def _links(parsed, path) -> list[str]:
    return [url for tag, attr, url in parsed[path].refs if tag == "a"]


@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_launch_buttons_and_notebook_download(parsed, path):
    """Binder, Colab (its edition), a JupyterHub (nbgitpuller) only when the build named one
    (KNOBS_JUPYTERHUB_URL, knobs_site.hub), and the .ipynb download."""
    repo = CONFIG["repository"]["url"].rstrip("/")
    branch = CONFIG["repository"]["branch"]
    buttons = CONFIG["launch_buttons"]
    org_repo = urlsplit(repo).path.strip("/")
    notebook = source_page(path).removesuffix(".html") + ".ipynb"  # both editions: the same
    links = _links(parsed, path)

    binder = f"{buttons['binderhub_url']}/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/{notebook}"
    assert binder in links, links
    # Colab opens the chapter's Colab edition (tools/colab_variant.py), never its MyST source
    colab = f"{buttons['colab_url']}/github/{org_repo}/blob/{branch}/colab/{notebook}"
    assert colab in links, links
    assert (ROOT / "colab" / notebook).is_file()
    pulls = [u for u in links if "/hub/user-redirect/git-pull" in u]
    hub_url = hub.hub_url()   # the build's setting: by default none, and no JupyterHub button
    if not hub_url:
        assert pulls == [], f"a JupyterHub button though no hub was set: {pulls}"
    else:
        assert len(pulls) == 1 and pulls[0].startswith(f"{hub_url}/hub/"), links
        query = parse_qs(urlsplit(pulls[0]).query)
        assert query["repo"] == [repo] and query["branch"] == [branch]
        assert query["urlpath"] == [f"lab/tree/{org_repo.split('/')[-1]}/{notebook}"]

    downloads = [u for u in links if u.endswith(".ipynb") and "_sources" in u]
    assert downloads, "no .ipynb download button"
    target, _ = _resolve(path, downloads[0])
    assert json.loads(target.read_text()) == json.loads((ROOT / notebook).read_text()), (
        "the download is the chapter's notebook")

