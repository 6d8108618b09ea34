"""The vendored browser assets: pinned, checked, documented (vendor/vendor.toml, README.md)."""

import pathlib
import re

from tools import vendor_assets as vendor

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_every_package_is_pinned_with_an_integrity_and_a_license():
    packages = vendor.packages()
    assert {p["name"] for p in packages} >= {"mathjax", "requirejs",
                                             "@jupyter-widgets/html-manager", "axe-core"}
    for p in packages:
        assert re.fullmatch(r"\d+\.\d+\.\d+", p["version"]), p["version"]
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", p["integrity"]), p["name"]
        assert p["license"] and p["source"].startswith("https://") and p["files"]
        assert p["dest"] in ("site", "test")


def test_readme_table_matches_the_manifest():
    rows = re.findall(r"^\| (\S+) \| (\S+) \| (\S+) \| (\S+) \| (.+) \|$",
                      (ROOT / "vendor" / "README.md").read_text(), re.M)
    table = {name: (version, license_, source, purpose)
             for name, version, license_, source, purpose in rows
             if name not in ("package", "---")}
    manifest = {p["name"]: (p["version"], p["license"], p["source"], p["purpose"])
                for p in vendor.packages()}
    assert table == manifest


def test_integrity_is_sha512_of_the_bytes():
    # the check that refuses a different tarball
    assert vendor.integrity(b"") == ("sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXys"
                                     "P+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==")
