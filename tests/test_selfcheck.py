import numpy as np
import pytest

from knobs import check


def test_placeholder_answer_is_not_an_error():
    result = check(None, 3.0)
    assert not result and "no answer yet" in result.message


@pytest.mark.parametrize(("answer", "expected"), [
    (0.1 + 0.2, 0.3), ((1, 2), np.array([1.0, 2.0])), (" AND ", "and"), (True, True),
    ({"a", "b"}, {"b", "a"}),
])
def test_correct_answers_pass(answer, expected):
    result = check(answer, expected)
    assert result and result.message.startswith("✓")


@pytest.mark.parametrize(("answer", "expected", "reason"), [
    (3.1, 3.0, "does not match"),
    ((1, 2, 3), (1, 2), "has shape (3,)"),
    ("OR", "AND", "does not match"),
    (1.0, "AND", "expected text"),
    (float("nan"), 1.0, "NaN"),
    (False, True, "does not match"),
])
def test_wrong_answers_fail_with_a_reason(answer, expected, reason):
    result = check(answer, expected, hint="think again")
    assert not result
    assert reason in result.message and "think again" in result.message


def test_message_never_reveals_the_expected_value():
    secret = 1234.5678
    for answer in (None, 1.0, "x", (1, 2)):
        assert "1234" not in check(answer, secret).message
