"""Debian's Chromium driven by Playwright: the one launch shared by every browser test.

The website's tests (``tests/browser``) and the JupyterLab widget tests (``test_lab_widgets.py``)
both start the browser here. Without Chromium they fail under CI (``CI=true``, as ``.ci/run``
sets) and are skipped with a warning elsewhere, so a laptop without it can still run the rest.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import warnings

import pytest

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@contextlib.contextmanager
def launched(what: str):
    """A headless Chromium for the duration of the block; ``what`` names the skipped tests."""
    executable = chromium_path()
    if executable is None:
        message = (f"Debian's Chromium is not installed (/usr/bin/chromium): {what} did NOT "
                   "run. Install it: apt-get install chromium")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        warnings.warn(message, stacklevel=3)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
