"""The engine as this extension uses it: each ``knobs`` module is imported here and only here,
so a move inside the engine changes one line of the extension."""

from __future__ import annotations

import pathlib

import knobs
from knobs.ui.experiments import ALL, BY_NAME
from knobs.ui.language import SOURCE, _, catalog_path, use_language
from knobs.ui.plotting import DENSITY, png, use_book_style

PACKAGE = pathlib.Path(knobs.__file__).parent  # its code is part of the frames' cache key
VERSION = knobs.__version__  # the footer of every page names it

__all__ = ["ALL", "BY_NAME", "DENSITY", "PACKAGE", "SOURCE", "VERSION", "_", "catalog_path", "png",
           "use_book_style", "use_language"]
