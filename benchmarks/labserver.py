"""Start a private JupyterLab server on loopback, as a student's single-user server runs on a hub.

The server runs from the Python that imports this module (the project's ``.venv``), with a random
token, a free port chosen by the OS, and every Jupyter directory (runtime, config, data, settings,
workspaces) in a temporary folder: nothing is read from or written to the user's ``~/.jupyter``.
It serves a *copy* of the book, so that JupyterLab's autosave can never touch a stored notebook.

    with lab_server(copy_book(ROOT, tmp)) as lab:
        lab.base, lab.token            # http://127.0.0.1:PORT, for the browser and the REST API
        lab.api("kernels")             # the REST API, authenticated
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass

STARTUP_TIMEOUT_S = 60

# JupyterLab user settings for a test run: every cell stays in the DOM (no virtual scrolling, so
# the test can read any cell's output) and no news prompt covers the page.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}


@dataclass
class Lab:
    """A running server: its address, token, process and log file."""

    port: int
    token: str
    process: subprocess.Popen
    log: pathlib.Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, path: str, method: str = "GET"):
        """Call the server's REST API; returns the decoded JSON (or None for an empty body)."""
        request = urllib.request.Request(f"{self.base}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> int:
        """Shut down every running kernel (a student closing their notebooks). Returns how many."""
        kernels = self.api("kernels")
        for kernel in kernels:
            self.api(f"kernels/{kernel['id']}", method="DELETE")
        return len(kernels)

    def log_tail(self, n: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-n:]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_env(home: pathlib.Path) -> dict:
    """Environment variables that keep every Jupyter and IPython directory inside ``home``."""
    dirs = {
        "JUPYTER_RUNTIME_DIR": "runtime", "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data", "JUPYTERLAB_SETTINGS_DIR": "settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces", "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib",
    }
    env = dict(os.environ)
    env.pop("JUPYTER_PATH", None)
    for var, sub in dirs.items():
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


@contextlib.contextmanager
def lab_server(root: pathlib.Path, python: str = sys.executable):
    """Run ``python -m jupyterlab`` on loopback serving ``root``; yield a ``Lab``; stop it."""
    home = pathlib.Path(tempfile.mkdtemp(prefix="knobs-lab-"))
    env = isolated_env(home)
    for name, value in SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port, token = free_port(), secrets.token_hex(24)
    log = home / "server.log"
    cmd = [python, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", "--allow-root",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly"]
    with open(log, "w") as log_file:
        process = subprocess.Popen(cmd, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                   cwd=root)
    lab = Lab(port, token, process, log)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n"
                                   f"{lab.log_tail()}")
            try:
                lab.api("status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab not up after {STARTUP_TIMEOUT_S} s:\n"
                                       f"{lab.log_tail()}") from None
                time.sleep(0.2)
        yield lab
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(home, ignore_errors=True)


def copy_book(src: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """Copy the project's ``book/`` folder to ``dest/book`` (what the server will serve)."""
    shutil.copytree(src / "book", dest / "book",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build"))
    return dest
