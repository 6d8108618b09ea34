"""Fetch the website's third-party browser code from npm, pinned and checked, into vendor/build/.

    python tools/vendor_assets.py           # fetch what is missing or out of date (make vendor)
    python tools/vendor_assets.py --check   # exit 1 unless everything is in place

What to fetch is listed in vendor/vendor.toml: name, version, the registry's sha512 integrity,
license, and which files of the package to keep. Each package is downloaded with the ordinary
client (`npm pack NAME@VERSION`), its tarball is checked against the pinned integrity (a
different tarball stops the build), and only the listed files are unpacked. Nothing here is
committed: the repository keeps the manifest, the built site gets the files, and
``_static/third_party/THIRD_PARTY_LICENSES.txt`` records every package with its license text.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import json
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "vendor" / "vendor.toml"
BUILD = ROOT / "vendor" / "build"
SITE_ROOT = BUILD / "site"            # added to Sphinx's html_static_path
SITE_DIR = SITE_ROOT / "third_party"  # so the files land in _static/third_party/<dir>/
TEST_DIR = BUILD / "test"
LICENSES = SITE_DIR / "THIRD_PARTY_LICENSES.txt"
STAMP = ".vendored"


def packages() -> list[dict]:
    return tomllib.loads(MANIFEST.read_text())["package"]


def target(package: dict) -> pathlib.Path:
    return (SITE_DIR if package["dest"] == "site" else TEST_DIR) / package["dir"]


def stamp_text(package: dict) -> str:
    return f"{package['name']}@{package['version']} {package['integrity']}\n"


def is_current(package: dict) -> bool:
    stamp = target(package) / STAMP
    return stamp.exists() and stamp.read_text() == stamp_text(package)


def missing() -> list[str]:
    """Names of the packages not unpacked at their pinned version (and the license file)."""
    out = [f"{p['name']}@{p['version']}" for p in packages() if not is_current(p)]
    if not LICENSES.exists():
        out.append(str(LICENSES.relative_to(ROOT)))
    return out


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def npm_pack(spec: str, into: pathlib.Path) -> pathlib.Path:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to fetch the website's vendored assets (Node.js's npm)")
    result = subprocess.run([npm, "pack", spec, "--json", "--pack-destination", str(into)],
                            capture_output=True, text=True, cwd=into)
    if result.returncode != 0:
        raise SystemExit(f"npm pack {spec} failed:\n{result.stderr[-2000:]}")
    return into / json.loads(result.stdout)[0]["filename"]


def unpack(package: dict, tarball: pathlib.Path) -> list[str]:
    """Unpack the manifest's ``files`` (globs relative to the package root); returns them."""
    dest = target(package)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    kept = []
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            # npm tarballs put everything under "package/"; refuse anything that escapes it
            name = member.name.removeprefix("package/")
            if not member.isfile() or name == member.name or ".." in pathlib.PurePosixPath(
                    name).parts:
                continue
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in package["files"]):
                out = dest / name
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(tar.extractfile(member).read())
                kept.append(name)
    unmatched = [p for p in package["files"]
                 if not any(fnmatch.fnmatchcase(k, p) for k in kept)]
    if unmatched:
        raise SystemExit(f"{package['name']}@{package['version']}: no file matches {unmatched}")
    return kept


def fetch(package: dict) -> None:
    spec = f"{package['name']}@{package['version']}"
    with tempfile.TemporaryDirectory() as tmp:
        tarball = npm_pack(spec, pathlib.Path(tmp))
        got = integrity(tarball.read_bytes())
        if got != package["integrity"]:
            raise SystemExit(f"{spec}: the tarball's integrity is {got}, the manifest pins "
                             f"{package['integrity']}: refusing to use it")
        kept = unpack(package, tarball)
    (target(package) / STAMP).write_text(stamp_text(package))
    size = sum((target(package) / k).stat().st_size for k in kept)
    print(f"vendored {spec}: {len(kept)} files, {size / 1e6:.2f} MB -> "
          f"{target(package).relative_to(ROOT)}", flush=True)


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
        "Generated by tools/vendor_assets.py from vendor/vendor.toml.\n" + rule
        + rule.join(license_notice(p) for p in site))


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
    for package in packages():
        if not is_current(package):
            fetch(package)
    write_licenses()
    return 0


if __name__ == "__main__":
    sys.exit(main())
