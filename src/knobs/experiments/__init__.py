"""Every live experiment of the book, in chapter order.

Each module defines one or more ``Experiment`` objects; ``ALL`` lists them explicitly so the
tests, the book build and the benchmarks sweep every one of them.
"""

from . import gates
from .base import Choice, Experiment, Slider

ALL = [
    gates.EXPERIMENT,
]

BY_NAME = {e.name: e for e in ALL}

__all__ = ["ALL", "BY_NAME", "Choice", "Experiment", "Slider"]
