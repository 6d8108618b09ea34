"""Every live experiment of the book, in chapter order.

Each module defines one or more ``Experiment`` objects; ``ALL`` lists them explicitly so the
tests, the book build and the benchmarks sweep every one of them.
"""

from knobs.ui.experiments import (
    applications,
    approximation,
    budget,
    carbon_copy,
    centering,
    counting,
    depth,
    dimer,
    gates,
    gradients,
    intercept,
    memory,
    normalization,
    reduction,
    saturation,
    sharing,
    zstats,
)
from knobs.ui.experiments.base import Choice, Experiment, Slider

ALL = [
    gates.EXPERIMENT,
    zstats.EXPERIMENT,
    depth.EXPERIMENT,
    saturation.EXPERIMENT,
    intercept.EXPERIMENT,
    normalization.EXPERIMENT,
    gradients.EXPERIMENT,
    carbon_copy.EXPERIMENT,
    reduction.EXPERIMENT,
    dimer.EXPERIMENT,
    approximation.EXPERIMENT,
    counting.EXPERIMENT,
    sharing.EXPERIMENT,
    budget.EXPERIMENT,
    memory.EXPERIMENT,
    applications.EXPERIMENT,
    centering.EXPERIMENT,
]

BY_NAME = {e.name: e for e in ALL}

__all__ = ["ALL", "BY_NAME", "Choice", "Experiment", "Slider"]
