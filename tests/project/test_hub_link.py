"""tools/hub_link.py: the nbgitpuller link a teacher hands out for their own JupyterHub."""

import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from tools import hub_link

ROOT = hub_link.ROOT
NOTEBOOK = "book/part1/01-two-knobs.ipynb"


def test_the_link_of_the_instructor_guide():
    """The guide's example is what the tool prints for the book's repository."""
    repo, branch = hub_link.repository()
    url = hub_link.link("https://HUB", NOTEBOOK, repo, branch)
    assert url in (ROOT / "book" / "instructor-guide.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("branch, notebook", [
    ("main", NOTEBOOK),
    ("spring 2027 & co", "book/part 1/ch#1 é.ipynb"),   # spaces, &, #, non-ASCII
    ("a+b=c", "book/100%.ipynb"),
], ids=["plain", "spaces-amp-hash-unicode", "plus-equals-percent"])
def test_every_value_is_url_encoded_and_reads_back(branch, notebook):
    repo = "https://github.com/course/weights-and-biases.git"
    url = hub_link.link("https://hub.example.edu/", notebook, repo, branch)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert parts.fragment == "", "a # in a value must not end the query"
    raw = dict(pair.split("=", 1) for pair in parts.query.split("&"))
    assert list(raw) == ["repo", "branch", "urlpath"]
    for value in raw.values():   # fully encoded: nothing the query syntax would split on
        assert not set(value) & set("/:&=+# ?"), value
    query = parse_qs(parts.query, strict_parsing=True)
    assert query == {"repo": [repo], "branch": [branch],
                     "urlpath": [f"lab/tree/weights-and-biases/{notebook}"]}


def test_classic_interface_and_a_hub_under_a_path():
    url = hub_link.link("https://uni.example.edu/jupyter", "/a.ipynb",
                        "https://gitlab.com/x/course", "main", interface="classic")
    assert url.startswith("https://uni.example.edu/jupyter/hub/user-redirect/git-pull?")
    assert parse_qs(urlsplit(url).query)["urlpath"] == ["tree/course/a.ipynb"]


@pytest.mark.parametrize("hub, notebook, repo, interface, message", [
    ("hub.example.edu", NOTEBOOK, "https://github.com/a/b", "lab", "https://"),
    ("https://hub.example.edu", "", "https://github.com/a/b", "lab", "notebook"),
    ("https://hub.example.edu", NOTEBOOK, "https://github.com/", "lab", "repository name"),
    ("https://hub.example.edu", NOTEBOOK, "https://github.com/a/b", "retro", "interface"),
], ids=["no-scheme", "no-notebook", "no-repo-name", "unknown-interface"])
def test_a_wrong_argument_is_a_clear_error(hub, notebook, repo, interface, message):
    with pytest.raises(ValueError, match=message):
        hub_link.link(hub, notebook, repo, "main", interface=interface)


def test_the_command_line_defaults_to_the_repository_of_config_yml():
    result = subprocess.run([sys.executable, "tools/hub_link.py", "https://hub.example.edu",
                             NOTEBOOK, "--branch", "v1.0"],
                            capture_output=True, text=True, cwd=ROOT, check=True)
    repo, _ = hub_link.repository()
    assert result.stdout.strip() == hub_link.link("https://hub.example.edu", NOTEBOOK, repo,
                                                  "v1.0")
    bad = subprocess.run([sys.executable, "tools/hub_link.py", "hub.example.edu", NOTEBOOK],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "https://" in bad.stderr
