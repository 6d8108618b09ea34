"""``python -m tools.check_syntax json|yaml FILE...``: exit 1 naming every file that does not
parse (the pre-commit hooks check-json and check-yaml, without fetching a hook repository)."""

from __future__ import annotations

import json
import sys

import yaml

LOADERS = {"json": json.loads, "yaml": yaml.safe_load}


def problems(kind: str, paths: list[str]) -> list[str]:
    load = LOADERS[kind]
    found = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                load(f.read())
        except (ValueError, yaml.YAMLError) as err:
            found.append(f"{path}: not valid {kind.upper()}: {err}")
    return found


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in LOADERS:
        kinds = "|".join(LOADERS)
        print(f"usage: python -m tools.check_syntax {{{kinds}}} FILE...", file=sys.stderr)
        return 2
    found = problems(argv[0], argv[1:])
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
