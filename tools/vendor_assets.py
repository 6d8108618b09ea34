"""Install the website's third-party browser code with `npm ci`, copy what the site serves.

    python tools/vendor_assets.py           # npm ci if needed, then copy into vendor/build/
    python tools/vendor_assets.py --check   # exit 1 unless vendor/build/ is in place

npm fetches and checks: vendor/package.json pins each package's version, vendor/package-lock.json
(written by npm) records the sha512 integrity of every tarball, and `npm ci` installs exactly
that into vendor/node_modules/, refusing any tarball whose integrity differs. This script runs
`npm ci` when node_modules/ is missing or differs from the lockfile, copies the files the site
needs (vendor/vendor.toml: which files, where, under which license) into vendor/build/, and
writes ``_static/third_party/THIRD_PARTY_LICENSES.txt``. Only the manifests are committed.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import pathlib
import shutil
import subprocess
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]
VENDOR = ROOT / "vendor"
MANIFEST = VENDOR / "vendor.toml"
LOCKFILE = VENDOR / "package-lock.json"
NODE_MODULES = VENDOR / "node_modules"
BUILD = VENDOR / "build"
SITE_ROOT = BUILD / "site"            # added to Sphinx's html_static_path
SITE_DIR = SITE_ROOT / "third_party"  # so the files land in _static/third_party/<dir>/
TEST_DIR = BUILD / "test"
LICENSES = SITE_DIR / "THIRD_PARTY_LICENSES.txt"
STAMP = ".vendored"
# no install scripts: the site only copies files out of the packages (also in vendor/.npmrc)
NPM_CI = ["ci", "--ignore-scripts", "--no-audit", "--no-fund"]


def locked(lockfile: pathlib.Path | None = None) -> dict[str, dict]:
    """A lockfile's entries by install path (``node_modules/NAME``), the root project left out."""
    entries = json.loads((lockfile or LOCKFILE).read_text())["packages"]
    return {path: entry for path, entry in entries.items() if path}


def packages() -> list[dict]:
    """vendor.toml's packages, each with the ``version`` and ``integrity`` that npm locked."""
    lock = locked()
    out = []
    for package in tomllib.loads(MANIFEST.read_text())["package"]:
        entry = lock.get(f"node_modules/{package['name']}")
        if entry is None:
            raise SystemExit(f"{package['name']} is in vendor/vendor.toml but not in "
                             "vendor/package-lock.json: add it to vendor/package.json")
        out.append({**package, "version": entry["version"], "integrity": entry["integrity"]})
    return out


def install_is_current(node_modules: pathlib.Path = NODE_MODULES) -> bool:
    """Whether node_modules/ holds what the lockfile pins, so no `npm ci` is needed.

    npm records what it installed in node_modules/.package-lock.json: it must list the
    lockfile's versions and integrities, and each vendored package's own package.json the
    locked version (a package folder deleted or replaced by hand is caught too).
    """
    def pins(entries: dict[str, dict]) -> dict:
        return {path: (e.get("version"), e.get("integrity")) for path, e in entries.items()}

    hidden = node_modules / ".package-lock.json"
    if not hidden.exists() or pins(locked(hidden)) != pins(locked()):
        return False
    for package in packages():
        manifest = node_modules / package["name"] / "package.json"
        if not manifest.exists() or json.loads(manifest.read_text()).get(
                "version") != package["version"]:
            return False
    return True


def npm_ci() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to install the website's vendored assets (Node.js's npm)")
    print("npm ci in vendor/ (versions and integrities from vendor/package-lock.json)", flush=True)
    if subprocess.run([npm, *NPM_CI], cwd=VENDOR).returncode != 0:
        raise SystemExit("`npm ci` failed in vendor/ (its messages are above)")
    if not install_is_current():
        raise SystemExit("after `npm ci`, vendor/node_modules/ still differs from the lockfile")


def target(package: dict) -> pathlib.Path:
    return (SITE_DIR if package["dest"] == "site" else TEST_DIR) / package["dir"]


def stamp_text(package: dict) -> str:
    # the whole entry: a new version, integrity or list of files makes the copy stale
    return json.dumps(package, sort_keys=True) + "\n"


def is_current(package: dict) -> bool:
    stamp = target(package) / STAMP
    return stamp.exists() and stamp.read_text() == stamp_text(package)


def missing() -> list[str]:
    """Names of the packages not copied at their locked version (and the license file)."""
    out = [f"{p['name']}@{p['version']}" for p in packages() if not is_current(p)]
    if not LICENSES.exists():
        out.append(str(LICENSES.relative_to(ROOT)))
    return out


def selected(package: dict, node_modules: pathlib.Path = NODE_MODULES) -> list[str]:
    """The installed package's files that match the manifest's ``files`` globs."""
    source = node_modules / package["name"]
    names = sorted(path.relative_to(source).as_posix() for path in source.rglob("*")
                   if path.is_file() and "node_modules" not in path.relative_to(source).parts)
    kept = [n for n in names if any(fnmatch.fnmatchcase(n, p) for p in package["files"])]
    unmatched = [p for p in package["files"] if not any(fnmatch.fnmatchcase(k, p) for k in kept)]
    if unmatched:
        raise SystemExit(f"{package['name']}@{package['version']}: no file matches {unmatched}")
    return kept


def copy(package: dict) -> None:
    source, dest = NODE_MODULES / package["name"], target(package)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    kept = selected(package)
    for name in kept:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, dest / name)
    (dest / STAMP).write_text(stamp_text(package))
    size = sum((dest / k).stat().st_size for k in kept)
    print(f"vendored {package['name']}@{package['version']}: {len(kept)} files, "
          f"{size / 1e6:.2f} MB -> {dest.relative_to(ROOT)}", flush=True)


def license_notice(package: dict) -> str:
    head = (f"{package['name']} {package['version']}\n  license: {package['license']}\n"
            f"  source: {package['source']}\n  used for: {package['purpose']}\n")
    texts = []
    for name in package["license_files"]:
        texts.append((target(package) / name).read_text(encoding="utf-8", errors="replace"))
    if not texts:  # the notice lives in the header comment of the (only) file
        first = target(package) / package["files"][0]
        texts.append(first.read_text(encoding="utf-8").split("*/", 1)[0] + "*/\n")
    return head + "\n" + "\n".join(texts)


def write_licenses() -> None:
    site = [p for p in packages() if p["dest"] == "site"]
    rule = "\n" + "=" * 78 + "\n"
    LICENSES.parent.mkdir(parents=True, exist_ok=True)
    LICENSES.write_text(
        "Third-party code served by this website, with its licenses.\n"
        "Generated by tools/vendor_assets.py from vendor/vendor.toml and "
        "vendor/package-lock.json.\n" + rule + rule.join(license_notice(p) for p in site))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = missing()
        if stale:
            print("not vendored (run `make vendor`): " + ", ".join(stale))
            return 1
        print("vendored assets are in place")
        return 0
    if not install_is_current():
        npm_ci()
    for package in packages():
        if not is_current(package):
            copy(package)
    write_licenses()
    return 0


if __name__ == "__main__":
    sys.exit(main())
