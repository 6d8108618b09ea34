"""Chapter 5's self-checks accept the answers rounded as the questions ask, and still reject the
conceptual mistakes with their hints."""

import numpy as np
import pytest

from knobs.ui.exercises import ch05


@pytest.mark.parametrize("answer", [round(1 - 0.95**30, 3), 0.785, 0.7854, 1 - 0.95**30])
def test_running_mean_share_accepts_three_decimals_and_more(answer):
    assert ch05.check_running_mean_share(answer)


@pytest.mark.parametrize("answer", [
    0.95**30,          # what is left of the old running mean, not what it holds
    0.05,              # one step's share
    1.0,               # all of it
    1 - 0.9**20,       # the chapter's own run (momentum 0.1, 20 steps), not the question's
    1 - 0.05**30,      # momentum read as the share kept
])
def test_running_mean_share_rejects_a_wrong_idea_with_the_hint(answer):
    result = ch05.check_running_mean_share(answer)
    assert not result
    assert "Not yet" in result.message and "(1 - momentum)" in result.message


def test_running_mean_share_rounded_the_wrong_way_is_called_rounding():
    result = ch05.check_running_mean_share(0.786)   # 0.78536 rounds to 0.785
    assert not result and "rounded differently" in result.message


@pytest.mark.parametrize("answer", [3.5, 3.500, 0.5 + 2.0 * 3.0 / np.sqrt(3.99999 + 1e-5)])
def test_folded_beta_accepts_the_value_the_solution_prints(answer):
    assert ch05.check_folded_beta(round(answer, 3))
    assert ch05.check_folded_beta(answer)


@pytest.mark.parametrize("answer", [
    0.5 + 2.0 * (3.0 - 7.0) / 2.0,        # subtracting the running mean: it belongs to x's part
    0.5 + 2.0 * 3.0 / 4.0,                # dividing by the variance instead of its square root
    0.5 + 2.0 * 3.0,                      # forgetting to divide by s
])
def test_folded_beta_rejects_conceptual_errors_with_the_hint(answer):
    result = ch05.check_folded_beta(answer)
    assert not result
    assert "Not yet" in result.message and "running mean is not needed" in result.message
