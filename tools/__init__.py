"""The repository's tools: scripts (``python tools/NAME.py``), and modules the tests and the
book's Sphinx extension import as ``tools.NAME``."""
