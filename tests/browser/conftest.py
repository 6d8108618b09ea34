"""Fixtures for the website tests: the built site, a loopback server, Debian's Chromium.

The site is the one ``tests/project/test_book_build.py`` builds earlier in the same run (these
tests are moved after it), both editions; if that test did not run in this session, the ``site``
fixture builds them itself, so ``pytest tests/browser`` works on a fresh clone too. Set
``KNOBS_REUSE_SITE=1`` to test an existing ``_build/html`` as it is (quick iterations on the tests
themselves).

Chromium: missing locally -> every browser test is skipped, loudly; missing in CI (``CI=true``)
-> they fail. ``.ci/run`` installs Debian's ``chromium``.
"""

from __future__ import annotations

import functools
import http.server
import os
import pathlib
import subprocess
import sys
import threading
import time

import pytest
from _chromium import launched

ROOT = pathlib.Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "test-artifacts"
SESSION_START = time.time()


# The two editions (tools/i18n.py): English at the site's root, Chinese in zh_CN/
EDITIONS = {"en": "", "zh_CN": "zh_CN/"}


def toc_pages(editions=tuple(EDITIONS)) -> list[str]:
    """Every page of _toc.yml as its HTML path, in reading order, in each edition."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(ROOT / "_toc.yml")
    return [f"{EDITIONS[e]}{docname}.html" for e in editions for docname in site_map]


def source_page(path: str) -> str:
    """A page of either edition -> the English page, whose source is ``ROOT / page``."""
    return path.removeprefix(EDITIONS["zh_CN"])


def edition_of(path: str) -> str:
    return "zh_CN" if path.startswith(EDITIONS["zh_CN"]) else "en"


def pytest_collection_modifyitems(session, config, items):
    """Run the website tests last, after tests/project/test_book_build.py has built the site."""
    here = pathlib.Path(__file__).parent
    mine = [i for i in items if here in pathlib.Path(str(i.path)).parents]
    items[:] = [i for i in items if i not in mine] + mine


@pytest.fixture(scope="session")
def site() -> pathlib.Path:
    """``_build/html``, built in this session (by test_book_build.py or here)."""
    index = HTML / "index.html"
    built_this_session = index.exists() and index.stat().st_mtime >= SESSION_START
    if not built_this_session and os.environ.get("KNOBS_REUSE_SITE") != "1":
        vendor = subprocess.run([sys.executable, str(ROOT / "tools" / "vendor_assets.py")],
                                capture_output=True, text=True, cwd=ROOT)
        assert vendor.returncode == 0, vendor.stdout + vendor.stderr
        jb = pathlib.Path(sys.executable).parent / "jupyter-book"
        result = subprocess.run([str(jb), "build", "--all", "-W", "-n", "--keep-going",
                                 str(ROOT)], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
        result = subprocess.run([sys.executable, "-m", "tools.i18n", "build"],
                                capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert index.exists(), "no built site in _build/html"
    return HTML


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site, plus test pages registered in ``extra`` (path -> HTML); records the
    paths it answered 404 in ``not_found``."""

    extra: dict[str, str] = {}
    not_found: list[str] = []

    def do_GET(self):
        page = self.extra.get(self.path.split("?", 1)[0])
        if page is None:
            return super().do_GET()
        body = page.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def send_error(self, code, message=None, explain=None):
        # what a browser asked for behind the page's back (a favicon) is counted here too
        if code == 404:
            self.not_found.append(self.path)
        super().send_error(code, message, explain)

    def log_message(self, *args):  # quiet: failures are reported by the tests
        pass


@pytest.fixture(scope="session")
def server(site):
    """The built site on http://127.0.0.1:<port>/ (a thread, stopped after the session)."""
    handler = type("Handler", (_Handler,), {"extra": {}, "not_found": []})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.extra = handler.extra
    httpd.not_found = handler.not_found
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    with launched("the browser tests of the website") as chromium:
        yield chromium


@pytest.fixture(scope="session")
def artifacts() -> pathlib.Path:
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
