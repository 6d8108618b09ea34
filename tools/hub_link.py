"""An nbgitpuller link: open a notebook of a git repository on a JupyterHub, in JupyterLab.

    python tools/hub_link.py https://hub.example.edu book/part1/01-two-knobs.ipynb
    python tools/hub_link.py https://hub.example.edu book/part1/01-two-knobs.ipynb \\
        --repo https://github.com/me/my-fork --branch spring-2027

The first click clones the repository into the student's home folder (a folder named after the
repository), later clicks merge new commits without overwriting the student's changes
(https://nbgitpuller.readthedocs.io, "Link generator"). Repository and branch default to
``_config.yml``'s ``repository`` (the one place the book names them). Every query value is
URL-encoded in full, as nbgitpuller's own link generator does, so a branch or path with ``&``,
``#``, spaces or non-ASCII letters survives the trip.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from urllib.parse import quote, urlsplit

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
INTERFACES = {"lab": "lab/tree", "classic": "tree"}  # the notebook interface -> its URL prefix


def repository() -> tuple[str, str]:
    """The book's repository URL and branch, from _config.yml."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]
    return repo["url"].rstrip("/"), repo.get("branch", "main")


def clone_folder(repo_url: str) -> str:
    """The folder nbgitpuller clones into: the repository's last path part, without ``.git``."""
    name = urlsplit(repo_url).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    if not name:
        raise ValueError(f"no repository name in {repo_url!r}")
    return name


def link(hub: str, notebook: str, repo: str, branch: str, interface: str = "lab") -> str:
    """The nbgitpuller link that opens ``notebook`` (a path inside ``repo``) on ``hub``."""
    hub_parts = urlsplit(hub)
    if hub_parts.scheme not in ("http", "https") or not hub_parts.netloc:
        raise ValueError(f"the hub's address must start with https:// (or http://): {hub!r}")
    if interface not in INTERFACES:
        raise ValueError(f"interface must be one of {sorted(INTERFACES)}, not {interface!r}")
    path = notebook.strip("/")
    if not path:
        raise ValueError("no notebook path")
    urlpath = f"{INTERFACES[interface]}/{clone_folder(repo)}/{path}"
    query = "&".join(f"{key}={quote(value, safe='')}"
                     for key, value in (("repo", repo), ("branch", branch), ("urlpath", urlpath)))
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv=None) -> int:
    url, branch = repository()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hub", help="the JupyterHub's address, e.g. https://hub.example.edu")
    parser.add_argument("notebook", help="the notebook's path in the repository, "
                                         "e.g. book/part1/01-two-knobs.ipynb")
    parser.add_argument("--repo", default=url, help=f"git repository (default: {url})")
    parser.add_argument("--branch", default=branch,
                        help=f"branch or tag; a tag freezes the course's version "
                             f"(default: {branch})")
    parser.add_argument("--interface", default="lab", choices=sorted(INTERFACES),
                        help="JupyterLab (default) or the classic notebook")
    args = parser.parse_args(argv)
    try:
        print(link(args.hub, args.notebook, args.repo, args.branch, args.interface))
    except ValueError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
