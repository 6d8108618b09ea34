"""Chapter 11's exercises: the Hessian-memory exercise accepts the rounding it asks for."""

import numpy as np
import pytest

from knobs.nn.flat import flatten_parameters
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


def test_top_eigenvalue_check_accepts_power_iteration():
    from knobs.analysis import hessian as hs

    model, loss, X, y = ch11.exercise_problem()
    lam, _ = hs.power_iteration(lambda u: hs.hvp(model, loss, X, y, u),
                                len(flatten_parameters(model)), np.random.default_rng(0),
                                iters=300)
    assert ch11.check_top_eigenvalue(lam)
    assert not ch11.check_top_eigenvalue(lam * 1.01)


def test_the_mnist_checks_accept_the_right_answers_and_refuse_wrong_ones():
    assert ch11.check_mnist_count(203_530) and not ch11.check_mnist_count(203_264)
    assert ch11.check_mnist_hessian_gb(203_530**2 * 4 / 1e9)
    assert not ch11.check_mnist_hessian_gb(203_530**2 * 8 / 1e9)
