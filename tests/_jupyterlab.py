"""A JupyterLab page in Chromium, shared by the tests that drive a real JupyterLab
(``tests/project/test_lab_widgets.py``, ``tests/project/test_lab_myst.py``)."""

from __future__ import annotations


def new_lab_page(browser, lab, workspace: str):
    """One JupyterLab page for a test module (reloading the app for every notebook would cost
    several seconds each); uncaught JavaScript errors are collected in ``page.errors``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.workspace = workspace
    open_lab(page, lab)
    return page


def open_lab(page, lab):
    """(Re)load JupyterLab in the page's own workspace, reset: a clean page."""
    page.goto(f"{lab.base}/lab/workspaces/{page.workspace}?reset&token={lab.token}")
    page.wait_for_selector("#jp-main-statusbar", timeout=60_000)


def menu(page, menu_name: str, command: str):
    """Click a command in a JupyterLab main menu (by its stable command id, not its label)."""
    page.get_by_role("menuitem", name=menu_name, exact=True).click()
    page.locator(f'li[data-command="{command}"]').click()
