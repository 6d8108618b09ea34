"""The pre-commit hooks (.pre-commit-config.yaml) run here, over the repository, and catch what
they are for."""

import pathlib
import shlex
import subprocess

import yaml

from tools import check_syntax

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOOKS = {h["id"]: h for r in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"]
         for h in r["hooks"]}


def tracked(*patterns: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", *patterns], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return out.stdout.split()


def test_every_hook_is_local_and_runs_a_pinned_tool():
    assert set(HOOKS) == {"ruff", "lint-imports", "mypy", "check-json", "check-yaml"}
    for hook in HOOKS.values():
        assert hook["language"] == "system"
        assert (ROOT / shlex.split(hook["entry"])[0]).exists(), hook["entry"]


def test_the_syntax_hooks_pass_on_the_repository():
    for hook, files in (("check-json", tracked("*.json", "*.ipynb")),
                        ("check-yaml", tracked("*.yml", "*.yaml"))):
        assert files, hook
        result = subprocess.run([*shlex.split(HOOKS[hook]["entry"]), *files], cwd=ROOT,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_the_syntax_check_names_a_broken_file(tmp_path):
    bad_json, bad_yaml = tmp_path / "bad.json", tmp_path / "bad.yml"
    bad_json.write_text('{"cells": [}')
    bad_yaml.write_text("key: [unclosed")
    assert check_syntax.main(["json", str(bad_json)]) == 1
    assert check_syntax.main(["yaml", str(bad_yaml)]) == 1
    problem = check_syntax.problems("json", [str(bad_json)])[0]
    assert problem.startswith(f"{bad_json}: not valid JSON")
    assert check_syntax.main(["toml"]) == 2
