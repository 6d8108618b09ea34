"""Chapter 10's exercises: the width for the settings, the rescaled parameters."""

import math

import numpy as np

from knobs.nn.flat import flatten_parameters
from knobs.ui.exercises import ch10


def test_width_exercise_accepts_the_printed_solution_and_names_the_mistakes():
    n = 1
    while math.lgamma(n + 1) + n * math.log(2) <= 80 * math.log(10):   # the solution's loop
        n += 1
    assert n == 51 and math.factorial(51) * 2**51 > 10**80 >= math.factorial(50) * 2**50
    assert ch10.check_width_for_settings(n) and ch10.check_width_for_settings(float(n))
    orderings_only = ch10.check_width_for_settings(59)   # 59! > 10^80 > 58!
    assert not orderings_only and "sign" in orderings_only.message
    assert not ch10.check_width_for_settings(266)         # 2^n only
    off_by_one = ch10.check_width_for_settings(50)
    assert not off_by_one and "rounded" not in off_by_one.message
    assert not ch10.check_width_for_settings(None)


def test_the_rescaled_parameters_check_accepts_the_rescaling_and_refuses_the_original():
    a = np.array([2.0, 1.0, 0.5])
    theta = np.concatenate([(ch10.W1 * a[:, None]).ravel(), ch10.B1 * a,
                            (ch10.W2 / a).ravel(), ch10.B2])
    assert ch10.check_rescaled_parameters(theta)
    assert not ch10.check_rescaled_parameters(flatten_parameters(ch10.exercise_network()))
