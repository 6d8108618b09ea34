"""Chapter 15's self-checks accept the right answers and reject wrong ones."""

import numpy as np
import pytest

from knobs import softmax
from knobs.studies.calibration import logit, shift_intercept
from knobs.ui.exercises import ch15


def test_ch15_checks():
    assert ch15.check_deploy_bias(-1.1 + logit(0.6) - logit(0.2))
    assert not ch15.check_deploy_bias(-1.1 + logit(0.2) - logit(0.6))
    assert ch15.check_baseline_shares(softmax(np.array([0.0, -0.6, 0.9])))
    assert not ch15.check_baseline_shares([1 / 3, 1 / 3, 1 / 3])
    assert ch15.check_fixed_point_bias(2.0) and not ch15.check_fixed_point_bias(10.0)
    assert ch15.check_steps_to_one_percent(21) and not ch15.check_steps_to_one_percent(20)


# Each value as the chapter's solution prints it, rounded as the question asks, is accepted; a
# conceptually wrong answer of the same precision still gets the hint, not "rounded differently".
ROUNDED_AS_ASKED = [
    (ch15.check_deploy_bias, 0.692, -2.892),  # prevalence change subtracted instead of added
    (ch15.check_baseline_shares, [0.249, 0.137, 0.614], [0.333, 0.333, 0.333]),
]


@pytest.mark.parametrize(("check", "printed", "wrong"), ROUNDED_AS_ASKED,
                         ids=[c.__name__ for c, _, _ in ROUNDED_AS_ASKED])
def test_rounded_answers_are_accepted_and_wrong_ones_get_the_hint(check, printed, wrong):
    accepted = check(printed)
    assert accepted, accepted.message
    rejected = check(wrong)
    assert not rejected and "Hint:" in rejected.message and "rounded" not in rejected.message


@pytest.mark.parametrize("check", [ch15.check_deploy_bias])
def test_the_other_neighbour_of_the_asked_digit_is_called_rounding(check):
    # the 3-decimal number on the far side of the engine's value (a truncation, say): within one
    # unit of the last digit, so "rounded differently", not wrong
    exact = {ch15.check_deploy_bias: shift_intercept(-1.1, 0.2, 0.6)}[check]
    nearest = round(exact, 3)
    other = round(nearest + (0.001 if exact > nearest else -0.001), 3)
    assert check(nearest)
    slipped = check(other)
    assert not slipped and "rounded differently" in slipped.message
