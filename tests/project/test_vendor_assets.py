"""The vendored browser assets: pinned, checked, documented (vendor/vendor.toml, README.md)."""

import base64
import json
import pathlib
import re
import shutil
import subprocess
import sys

from tools import vendor_assets as vendor

ROOT = pathlib.Path(__file__).resolve().parents[2]



def test_package_json_pins_exact_versions_that_npm_locked():

    package_json = json.loads((ROOT / "vendor" / "package.json").read_text())
    lock = json.loads(vendor.LOCKFILE.read_text())
    packages = vendor.packages()
    pins = {p["name"]: p["version"] for p in packages}
    assert set(pins) >= {"mathjax", "requirejs", "@jupyter-widgets/html-manager", "axe-core"}
    # exact versions, no ranges, and the lockfile written from this package.json
    assert package_json["dependencies"] == pins
    assert lock["packages"][""]["dependencies"] == pins
    assert package_json["private"] is True
    for p in packages:
        assert re.fullmatch(r"\d+\.\d+\.\d+", p["version"]), p["version"]
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", p["integrity"]), p["name"]


def test_every_package_has_a_license_matching_npm_and_a_destination():
    lock = vendor.locked()
    for p in vendor.packages():
        assert p["license"] == lock[f"node_modules/{p['name']}"]["license"], p["name"]
        assert p["source"].startswith("https://") and p["purpose"] and p["files"]
        assert p["dest"] in ("site", "test") and p["dir"]
    # one source of truth: a version or integrity in vendor.toml would be ignored, and mislead
    assert not re.findall(r"^\s*(version|integrity)\s*=", vendor.MANIFEST.read_text(), re.M)


def test_readme_table_matches_the_manifest_and_the_lockfile():
    rows = re.findall(r"^\| (\S+) \| (\S+) \| (\S+) \| (\S+) \| (.+) \|$",
                      (ROOT / "vendor" / "README.md").read_text(), re.M)
    table = {name: (version, license_, source, purpose)
             for name, version, license_, source, purpose in rows
             if name not in ("package", "---")}
    manifest = {p["name"]: (p["version"], p["license"], p["source"], p["purpose"])
                for p in vendor.packages()}
    assert table == manifest


def fake_install(tmp_path: pathlib.Path) -> pathlib.Path:
    """A node_modules/ as `npm ci` leaves it, for the vendored packages: npm's record of what it
    installed (a copy of the lockfile) and each package's package.json."""

    modules = tmp_path / "node_modules"
    modules.mkdir(parents=True)
    shutil.copyfile(vendor.LOCKFILE, modules / ".package-lock.json")
    for p in vendor.packages():
        (modules / p["name"]).mkdir(parents=True)
        (modules / p["name"] / "package.json").write_text(
            json.dumps({"name": p["name"], "version": p["version"]}))
    assert vendor.install_is_current(modules)
    return modules


def test_a_missing_install_is_detected(tmp_path):
    assert not vendor.install_is_current(tmp_path / "node_modules")
    (tmp_path / "node_modules" / "mathjax").mkdir(parents=True)  # a folder, but not npm's work
    assert not vendor.install_is_current(tmp_path / "node_modules")


def test_an_install_older_than_the_lockfile_is_detected(tmp_path, monkeypatch):
    # a maintainer bumped a version: package.json and the lockfile change, node_modules doesn't

    modules = fake_install(tmp_path)
    lock = json.loads(vendor.LOCKFILE.read_text())
    lock["packages"]["node_modules/requirejs"]["version"] = "2.3.9"
    newer = tmp_path / "package-lock.json"
    newer.write_text(json.dumps(lock))
    monkeypatch.setattr(vendor, "LOCKFILE", newer)
    assert not vendor.install_is_current(modules)


def test_an_install_that_npm_recorded_differently_is_detected(tmp_path):

    modules = fake_install(tmp_path)
    hidden = json.loads((modules / ".package-lock.json").read_text())
    entry = hidden["packages"]["node_modules/mathjax"]
    entry["integrity"] = entry["integrity"].replace("B", "C", 1)
    (modules / ".package-lock.json").write_text(json.dumps(hidden))
    assert not vendor.install_is_current(modules)


def test_a_package_replaced_or_deleted_by_hand_is_detected(tmp_path):

    modules = fake_install(tmp_path)
    (modules / "axe-core" / "package.json").write_text(
        json.dumps({"name": "axe-core", "version": "4.0.0"}))
    assert not vendor.install_is_current(modules)

    modules = fake_install(tmp_path / "again")
    shutil.rmtree(modules / "@jupyter-widgets" / "html-manager")
    assert not vendor.install_is_current(modules)


def test_a_missing_or_stale_copy_is_reported(tmp_path, monkeypatch):
    # what the book's Sphinx extension asks before the build (it stops on a non-empty answer)
    monkeypatch.setattr(vendor, "SITE_DIR", tmp_path / "site" / "third_party")
    monkeypatch.setattr(vendor, "TEST_DIR", tmp_path / "test")
    monkeypatch.setattr(vendor, "LICENSES", tmp_path / "site" / "third_party" / "LICENSES.txt")
    monkeypatch.setattr(vendor, "ROOT", tmp_path)
    packages = vendor.packages()
    assert vendor.missing() == [f"{p['name']}@{p['version']}" for p in packages] + [
        "site/third_party/LICENSES.txt"]
    for p in packages:
        vendor.target(p).mkdir(parents=True)
        (vendor.target(p) / vendor.STAMP).write_text(vendor.stamp_text(p))
    vendor.LICENSES.write_text("")
    assert vendor.missing() == []
    older = {**packages[0], "version": "0.0.1"}
    (vendor.target(older) / vendor.STAMP).write_text(vendor.stamp_text(older))
    assert vendor.missing() == [f"{packages[0]['name']}@{packages[0]['version']}"]


def test_the_copied_files_are_those_of_the_locked_versions():

    # make vendor, as make test has run it: a no-op when everything is in place
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "vendor_assets.py")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert vendor.install_is_current() and vendor.missing() == []
    for p in vendor.packages():
        installed = vendor.NODE_MODULES / p["name"]
        assert json.loads((installed / "package.json").read_text())["version"] == p["version"]
        copied = sorted(path.relative_to(vendor.target(p)).as_posix()
                        for path in vendor.target(p).rglob("*")
                        if path.is_file() and path.name != vendor.STAMP)
        assert copied == vendor.selected(p) and copied, p["name"]
        for name in copied:
            assert (vendor.target(p) / name).read_bytes() == (installed / name).read_bytes()


def test_npm_ci_refuses_a_tarball_whose_integrity_differs_from_the_lockfile(tmp_path):
    """npm's own check, which replaced ours: a one-package project made from our lockfile's
    entry installs, and fails with EINTEGRITY once one bit of the integrity is flipped. Offline:
    the tarball is in npm's cache since `make vendor`."""

    name = "requirejs"  # the smallest of the packages, with no dependencies of its own
    entry = vendor.locked()[f"node_modules/{name}"]
    (tmp_path / "package.json").write_text(json.dumps(
        {"name": "integrity-check", "private": True, "dependencies": {name: entry["version"]}}))

    def npm_ci(integrity: str, *flags: str) -> subprocess.CompletedProcess:
        lock = {"name": "integrity-check", "lockfileVersion": 3, "requires": True, "packages": {
            "": {"name": "integrity-check", "dependencies": {name: entry["version"]}},
            f"node_modules/{name}": {**entry, "integrity": integrity}}}
        (tmp_path / "package-lock.json").write_text(json.dumps(lock))
        return subprocess.run(["npm", *vendor.NPM_CI, *flags], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)

    ok = npm_ci(entry["integrity"], "--prefer-offline")
    assert ok.returncode == 0, ok.stderr
    installed = json.loads((tmp_path / "node_modules" / name / "package.json").read_text())
    assert installed["version"] == entry["version"]

    digest = bytearray(base64.b64decode(entry["integrity"].removeprefix("sha512-")))
    digest[0] ^= 1
    tampered = npm_ci("sha512-" + base64.b64encode(bytes(digest)).decode(), "--offline")
    assert tampered.returncode != 0
    assert "EINTEGRITY" in tampered.stderr, tampered.stderr
    assert not (tmp_path / "node_modules" / name).exists()
