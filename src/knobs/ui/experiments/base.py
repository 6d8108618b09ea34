"""Live experiments: a pure function of a few controls, a figure drawn from its numbers.

An ``Experiment`` bundles

- ``compute(**values) -> dict``: the pure function (engine calls only, numbers out), which the
  tests sweep over each control's whole range;
- ``draw(numbers) -> Figure`` and ``report(numbers) -> str``: the figure and the printed numbers;
- ``controls``: the sliders and menus, with their ranges and defaults, and the ``main`` one.

``knobs.ui.widgets`` turns an experiment into ipywidgets; the book build and the benchmarks use the
same spec, so no chapter writes widget code of its own.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

from knobs.ui.language import named

if TYPE_CHECKING:  # only for the annotation: importing this module needs no matplotlib
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Slider:
    """A numeric control on ``[min, max]`` in steps of ``step``."""

    name: str
    label: str
    min: float
    max: float
    step: float
    default: float
    integer: bool = False

    def __post_init__(self):
        if not (self.min < self.max and 0 < self.step < math.inf
                and self.min <= self.default <= self.max):
            raise ValueError(f"slider {self.name!r}: need min < max, a finite step > 0, "
                             f"default in range")

    def validate(self, value):
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise TypeError(f"{self.name} must be a number, got {value!r}")
        if not math.isfinite(value) or not self.min <= value <= self.max:
            raise ValueError(f"{self.name} must lie in [{self.min}, {self.max}], got {value}")
        return int(value) if self.integer else float(value)

    def grid(self, n: int = 9) -> list:
        """``n`` values spread over the range, both extremes included."""
        values = np.linspace(self.min, self.max, n)
        if self.integer:
            return sorted({int(round(v)) for v in values})
        return [float(v) for v in values]

    def values(self) -> list:
        """Every value the slider can take (its steps), extremes included."""
        count = int(round((self.max - self.min) / self.step)) + 1
        values = np.round(np.linspace(self.min, self.max, count), 10)
        return [int(v) for v in values] if self.integer else [float(v) for v in values]

    def sample(self, points: int) -> list:
        """At most ``points`` of the slider's values, for sweeps, benchmarks and the site's frames.

        The policy: every step when there are at most ``points``. Otherwise a grid of every
        ``k``-th step, anchored at the default (the site opens there) and clipped at the
        extremes, with both extremes added: the values are evenly spaced, ``k`` steps apart,
        except that the first and the last gap may be shorter. Of the strides that keep at most
        ``points`` values and at least about half of them (``k`` from the finest that fits up to
        twice it), the one with the most even ends wins: both extremes on the grid if a stride
        allows it, else the largest shortest end gap as a share of the stride (ch11's widths
        1..1024 around 128: 1, 32, 64, ..., 1024, not 1, 24, 50, ..., 1012, 1024); the finer
        stride on a tie. A default between two steps is added where it lies.
        """
        if isinstance(points, bool) or not isinstance(points, int) or points < 3:
            raise ValueError(f"sample needs an int of at least 3 points, got {points!r}")
        values = self.values()
        if len(values) > points:
            last = len(values) - 1
            home = min(range(len(values)), key=lambda i: abs(values[i] - self.default))

            def grid(k):  # step indices: every k-th from the default, and both extremes
                return sorted({0, last, *range(home % k, len(values), k)})

            def evenness(k):  # the shorter end gap as a share of the stride; 1 when on the grid
                return min((gap % k or k) / k for gap in (home, last - home))

            finest = next(k for k in itertools.count(2) if len(grid(k)) <= points)
            fitting = [k for k in range(finest, 2 * finest) if len(grid(k)) <= points]
            best = max(fitting, key=lambda k: (evenness(k), -k))
            values = [values[i] for i in grid(best)]
        if self.default not in values:  # a default between steps: the widget still opens there
            values = sorted(values[:-1] + [self.default, values[-1]])
        return values

    @property
    def decimals(self) -> int:
        """How many decimals the readout shows (two, or more when the step needs them)."""
        exponent = Decimal(f"{self.step:.10g}").normalize().as_tuple().exponent
        assert isinstance(exponent, int)  # a letter ("n", "N", "F") only for a NaN or infinite
        # step, which __post_init__ refuses
        places = -exponent
        return 0 if self.integer else max(2, places)

    def format(self, value) -> str:
        """The value as the notebook's slider and the site's slider show it."""
        return str(int(value)) if self.integer else f"{value:.{self.decimals}f}"


@dataclass(frozen=True)
class Choice:
    """A menu of options."""

    name: str
    label: str
    options: tuple
    default: object

    def __post_init__(self):
        if self.default not in self.options:
            raise ValueError(f"choice {self.name!r}: default {self.default!r} not in options")

    def validate(self, value):
        if value not in self.options:
            raise ValueError(f"{self.name} must be one of {list(self.options)}, got {value!r}")
        return value

    def grid(self, n: int = 0) -> list:
        return list(self.options)

    def values(self) -> list:
        return list(self.options)

    def sample(self, points: int = 0) -> list:
        """Every option: a menu is always swept whole."""
        return list(self.options)

    def format(self, value) -> str:
        """The option as a menu shows it, in the current language (``knobs.ui.language``)."""
        return named(value)


@dataclass(frozen=True)
class Experiment:
    """A live experiment: see the module docstring."""

    name: str
    title: str
    compute: Callable[..., dict]
    draw: Callable[[dict], Figure]
    report: Callable[[dict], str]
    controls: tuple
    main: str
    alt: str = ""

    def __post_init__(self):
        names = [c.name for c in self.controls]
        if self.main not in names:
            raise ValueError(f"experiment {self.name!r}: main control {self.main!r} not in {names}")

    def control(self, name: str):
        return next(c for c in self.controls if c.name == name)

    def defaults(self) -> dict:
        return {c.name: c.default for c in self.controls}

    def values(self, **overrides) -> dict:
        """Defaults updated with ``overrides``, each validated against its control's range."""
        unknown = set(overrides) - {c.name for c in self.controls}
        if unknown:
            raise TypeError(f"{self.name} has no control named {sorted(unknown)}; "
                            f"its controls are {[c.name for c in self.controls]}")
        merged = self.defaults() | overrides
        return {c.name: c.validate(merged[c.name]) for c in self.controls}

    def run(self, **overrides) -> dict:
        """``compute`` at the given control values; refuses a result holding NaN."""
        numbers = self.compute(**self.values(**overrides))
        bad = [k for k, v in numbers.items() if not _finite(v)]
        if bad:
            raise FloatingPointError(f"{self.name}: NaN in {bad} at {overrides}")
        return numbers


def _finite(v) -> bool:
    if isinstance(v, str | bool | type(None)):
        return True
    try:
        arr = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        return True  # labels, tuples of names: not numbers
    return not bool(np.any(np.isnan(arr)))  # ±inf is a legitimate bound; NaN never is
