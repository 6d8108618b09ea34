"""Chapter 4's sparsity self-check accepts the solution's printed value and rejects the usual
mistakes with the hint."""

import pytest

from knobs.analysis import operating_point as activity
from knobs.ui.exercises import ch04


def test_the_question_asks_for_a_fraction_the_chapter_does_not_print():
    assert ch04.SPARSE_FRACTION not in (0.5, 0.25, 0.1)   # cell 19 prints these three


@pytest.mark.parametrize("answer", [2.0 * activity.normal_quantile(0.20),
                                    round(2.0 * float(activity.normal_quantile(0.20)), 4),
                                    -1.6832])
def test_sparse_bias_accepts_the_solution_and_its_printed_value(answer):
    assert ch04.check_sparse_bias(answer)


@pytest.mark.parametrize("answer", [
    2.0 * float(activity.normal_quantile(0.80)),   # Φ(b/σ) read as the inactive share: +1.68
    float(activity.normal_quantile(0.20)),         # σ_z forgotten
    2.0 * float(activity.normal_quantile(0.10)),   # the chapter's 10 %
])
def test_sparse_bias_rejects_conceptual_errors_with_the_hint(answer):
    result = ch04.check_sparse_bias(answer)
    assert not result
    assert "Not yet" in result.message and "Φ(b/σ_z) = 0.20" in result.message
