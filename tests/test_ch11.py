"""Chapter 11: the Hessian-memory exercise accepts the rounding it asks for; Newton's method on a
tiny network reaches a true minimum, the same one from nearby starts."""

import numpy as np
import pytest

import knobs
from knobs import hessian as hs
from knobs.exercises import ch11
from knobs.flat import assign_parameters, flatten_parameters


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


def _tiny(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(40, 2))
    y = np.sin(2 * X[:, :1]) + X[:, 1:] ** 2
    model = knobs.Sequential(knobs.Linear(2, 3, rng=rng), knobs.Tanh(), knobs.Linear(3, 1, rng=rng))
    return model, knobs.MSELoss(), X, y


def test_newton_reaches_a_minimum_with_a_positive_definite_hessian():
    model, loss, X, y = _tiny()
    fit = hs.newton_minimize(model, loss, X, y, decay=1e-3, tol=1e-10)
    assert fit["converged"] and fit["grad_norm"] <= 1e-10
    H = hs.hessian(model, loss, X, y) + 1e-3 * np.eye(13)
    assert np.linalg.eigvalsh(H).min() > 1e-4       # clear of zero: a strict minimum


def test_newton_lands_on_the_same_minimum_from_a_perturbed_start():
    # what makes the chapter's spectrum portable: rounding-size changes of the start do not move
    # the result beyond the digits it prints
    model, loss, X, y = _tiny()
    theta = flatten_parameters(model).copy()
    results = []
    for delta in (0.0, 1e-9):
        assign_parameters(model, theta + delta * np.random.default_rng(5).normal(size=theta.size))
        hs.newton_minimize(model, loss, X, y, decay=1e-3, tol=1e-10)
        results.append(np.linalg.eigvalsh(hs.hessian(model, loss, X, y)))
    assert np.max(np.abs(results[0] - results[1])) < 1e-7


def test_newton_rejects_bad_arguments():
    model, loss, X, y = _tiny()
    with pytest.raises(ValueError, match="decay"):
        hs.newton_minimize(model, loss, X, y, decay=-1.0)
    with pytest.raises(ValueError, match="tol"):
        hs.newton_minimize(model, loss, X, y, tol=0.0)
