"""Chapter 15: knobs in the wild (diagnosis, choice, time series, fairness)."""

from __future__ import annotations

import numpy as np

from knobs.analysis.fixed_points import affine_fixed_point, affine_orbit
from knobs.nn.losses import softmax
from knobs.studies.calibration import shift_intercept
from knobs.ui.selfcheck import CheckResult, check


def check_deploy_bias(answer) -> CheckResult:
    """The bias of a model trained at prevalence 0.2 with ``b = -1.1``, moved to prevalence 0.6.

    The question asks for three decimals, so ``0.692`` is accepted as well as the full value.
    """
    return check(answer, shift_intercept(-1.1, 0.2, 0.6), name="Your corrected bias", decimals=3,
                 hint="add the change in prior log-odds, log(π/(1-π)) at deployment minus at "
                      "training; the weights do not change.")


def check_baseline_shares(answer) -> CheckResult:
    """Shares of three alternatives with constants ``b = (0, -0.6, 0.9)`` and equal attributes,
    computed or rounded to three decimals as the question asks."""
    return check(answer, softmax(np.array([0.0, -0.6, 0.9])), name="Your shares", decimals=3,
                 hint="when every attribute is the same, x·w is the same for all alternatives and "
                      "cancels in the softmax; give three shares that add up to 1.")


def check_fixed_point_bias(answer) -> CheckResult:
    """The bias that puts the fixed point of ``x_{t+1} = 0.8 x_t + b`` at 10."""
    expected = 10.0 / affine_fixed_point(0.8, 1.0)  # the fixed point is proportional to b
    return check(answer, expected, name="Your bias", hint="solve x* = b / (1 - a) for b.")


def check_steps_to_one_percent(answer) -> CheckResult:
    """Steps for ``x_{t+1} = 0.8 x_t + 2`` from ``x_0 = 0`` to come within 1% of its fixed point."""
    orbit = affine_orbit(0.8, 2.0, 0.0, 200)
    star = affine_fixed_point(0.8, 2.0)
    expected = int(np.flatnonzero(np.abs(orbit - star) <= 0.01 * abs(star))[0])
    return check(answer, expected, name="Your number of steps",
                 hint="the distance to the fixed point is |x_0 - x*| · 0.8^t; find the smallest "
                      "whole t that makes it at most 1% of x*.")
