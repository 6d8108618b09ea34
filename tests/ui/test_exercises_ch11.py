"""Chapter 11's exercises: the Hessian-memory exercise accepts the rounding it asks for."""

import pytest

from knobs.ui.exercises import ch11


def test_mnist_hessian_accepts_the_solution_rounded_as_asked():
    count = (784 * 256 + 256) + (256 * 10 + 10)
    gb = count**2 * 4 / 1e9
    assert round(gb) == 166
    assert ch11.check_mnist_hessian_gb(166)          # as the solution prints it
    assert ch11.check_mnist_hessian_gb(gb)           # unrounded


@pytest.mark.parametrize("wrong", [331, 41, 83])    # float64, entries without bytes, a triangle
def test_mnist_hessian_still_rejects_conceptual_errors_with_the_hint(wrong):
    result = ch11.check_mnist_hessian_gb(wrong)
    assert not result and "Hint" in result.message
