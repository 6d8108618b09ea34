"""Chapter 3's He-std self-check accepts the solution's value and rejects the usual mistakes."""

import math

import numpy as np
import pytest

from knobs.ui.exercises import ch03


def test_the_question_uses_a_fan_in_the_chapter_does_not_print():
    assert ch03.KAIMING_N_IN == 200     # the chapter's own He table uses n_in = 512


@pytest.mark.parametrize("answer", [np.sqrt(2 / 200), 0.1, 0.10])
def test_kaiming_std_accepts_the_solution(answer):
    assert ch03.check_kaiming_std(answer)


@pytest.mark.parametrize("answer", [
    2 / 200,                      # the variance, not its square root
    math.sqrt(1 / 200),           # LeCun's 1/n_in: the ReLU's factor 2 forgotten
    math.sqrt(2 / 512),           # the chapter's n_in = 512
])
def test_kaiming_std_rejects_conceptual_errors_with_the_hint(answer):
    result = ch03.check_kaiming_std(answer)
    assert not result
    assert "Not yet" in result.message and "square root" in result.message
