import numpy as np
import pytest

from knobs.ui.selfcheck import check


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


@pytest.mark.parametrize(("answer", "expected", "options"), [
    (0.692, 0.69237, {"decimals": 3}),
    (-3.826, -3.82567, {"decimals": 3}),
    (0.147, 0.14651, {"decimals": 3}),
    (166, 165.87, {"significant": 3}),
    (1.7e5, 1.6504e5, {"significant": 2}),
    ((0.31, 0.69), (0.3104, 0.6896), {"decimals": 2}),
])
def test_an_answer_rounded_as_asked_is_correct(answer, expected, options):
    result = check(answer, expected, hint="think again", **options)
    assert result and "asked for" in result.message


@pytest.mark.parametrize(("answer", "expected", "options"), [
    (0.693, 0.69237, {"decimals": 3}),      # rounded from 0.6925: one unit off
    (0.69, 0.69237, {}),                    # rounded, but the question asks for no rounding
    (166, 165.4, {"significant": 3}),       # truncated instead of rounded
])
def test_a_nearly_right_answer_is_called_rounded_differently_not_wrong(answer, expected, options):
    result = check(answer, expected, hint="a conceptual hint", **options)
    assert not result
    assert "rounded differently" in result.message and "conceptual" not in result.message


@pytest.mark.parametrize(("answer", "expected", "options"), [
    (0.70, 0.69237, {"decimals": 3}),       # off by 8 units of the last typed digit
    (0.6925 * 2, 0.69237, {"decimals": 3}),  # a computed, wrong value
    (175, 165.87, {"significant": 3}),
    (50, 51, {}),                           # a count one off is a wrong count
    (1000, 1001, {}),
])
def test_a_wrong_answer_is_not_excused_as_rounding(answer, expected, options):
    result = check(answer, expected, hint="a conceptual hint", **options)
    assert not result and "does not match" in result.message and "conceptual" in result.message


def test_rounding_options_are_validated():
    with pytest.raises(ValueError, match="decimals or significant, not both"):
        check(1.0, 1.0, decimals=2, significant=2)
    with pytest.raises(ValueError, match="significant must be a whole number"):
        check(1.0, 1.0, significant=0)
    with pytest.raises(ValueError, match="decimals must be a whole number"):
        check(1.0, 1.0, decimals=1.5)
