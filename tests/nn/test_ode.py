"""RK4 and the gradients through it: accuracy, shapes, and every gradient against finite
differences."""

import numpy as np
import pytest

import knobs
from knobs.nn.gradcheck import gradient_error, numerical_gradient
from knobs.nn.ode import ODEBlock, rk4, rk4_step
from knobs.studies.growth import LogisticGrowth, logistic_solution


def test_rk4_is_fourth_order_on_exponential_growth():
    # dy/dt = y from 1: exact e^t. Halving h must divide the error at t = 1 by about 2⁴ = 16.
    errors = [abs(rk4(lambda y: y, np.array([1.0]), [0.0, 1.0], substeps=n)[-1, 0] - np.e)
              for n in (4, 8, 16)]
    ratios = [errors[0] / errors[1], errors[1] / errors[2]]
    assert all(14.0 < r < 17.0 for r in ratios), ratios


def test_one_step_matches_the_formula():
    f = lambda y: -2.0 * y + 1.0  # noqa: E731
    y, h = np.array([0.3]), 0.1
    k1 = f(y)
    k2 = f(y + h / 2 * k1)
    k3 = f(y + h / 2 * k2)
    k4 = f(y + h * k3)
    assert np.allclose(rk4_step(f, y, h), y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4))


def test_logistic_block_matches_the_closed_form():
    t = np.linspace(0.0, 24.0, 25)
    N0 = np.array([[0.05], [0.2]])
    block = ODEBlock(LogisticGrowth(r=0.45, K=1.4), t, substeps=4)
    Y = block.forward(N0)
    assert Y.shape == (25, 2, 1)
    exact = logistic_solution(t[:, None, None], N0[None], 0.45, 1.4)
    assert np.max(np.abs(Y - exact)) < 1e-6


def _block_gradcheck(block, Y0, target):
    loss = knobs.MSELoss()

    def scalar():
        return loss.forward(block.forward(Y0), target)

    scalar()
    dY0 = block.backward(loss.backward())
    analytic = {k: v.copy() for k, v in block.gradients().items()}
    errors = {k: gradient_error(analytic[k], numerical_gradient(scalar, p))
              for k, p in block.parameters().items()}
    errors["Y0"] = gradient_error(dY0, numerical_gradient(scalar, Y0))
    return errors


@pytest.mark.parametrize("substeps", [1, 3])
def test_gradients_through_the_solver_match_finite_differences_logistic(substeps):
    rng = np.random.default_rng(0)
    t = np.array([0.0, 1.0, 2.5, 4.0])
    Y0 = np.array([[0.1], [0.3], [0.6]])
    block = ODEBlock(LogisticGrowth(r=0.8, K=1.2), t, substeps=substeps)
    target = rng.uniform(0.0, 1.2, size=(4, 3, 1))
    errors = _block_gradcheck(block, Y0, target)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("activation", [knobs.Tanh, knobs.Sigmoid, knobs.ReLU])
def test_gradients_through_the_solver_match_finite_differences_network(activation):
    rng = np.random.default_rng(1)
    field = knobs.Sequential(knobs.Linear(2, 5, rng=rng, bias_init="normal"), activation(),
                             knobs.Linear(5, 2, rng=rng, bias_init="normal"))
    block = ODEBlock(field, t=[0.0, 0.3, 0.7, 1.0], substeps=2)
    Y0 = rng.normal(size=(3, 2))
    target = rng.normal(size=(4, 3, 2))
    errors = _block_gradcheck(block, Y0, target)
    assert set(errors) == {"0.W", "0.b", "2.W", "2.b", "Y0"}
    assert max(errors.values()) < 1e-6, errors


def test_block_exposes_the_fields_parameters_and_trains():
    rng = np.random.default_rng(2)
    field = knobs.Sequential(knobs.Linear(1, 4, rng=rng), knobs.Tanh(),
                             knobs.Linear(4, 1, init="zeros"))
    t = np.linspace(0.0, 2.0, 5)
    block = ODEBlock(field, t)
    assert block.parameters()["0.W"] is field[0].W     # same arrays: optimizers update the field
    Y0 = np.array([[0.5]])
    target = logistic_solution(t, 0.5, 1.0, 1.5)[:, None, None]
    loss, opt = knobs.MSELoss(), knobs.SGD(block, lr=0.2, momentum=0.5)
    first = knobs.train_step(block, loss, opt, Y0, target)
    for _ in range(60):
        last = knobs.train_step(block, loss, opt, Y0, target)
    assert last < 0.1 * first


def test_cost_accounting_counts_field_calls():
    block = ODEBlock(LogisticGrowth(1.0, 1.0), t=[0.0, 1.0, 2.0], substeps=2)
    block.forward(np.array([[0.1]]))
    assert block.n_field_calls == 4 * 4            # 4 stages per step, 4 steps
    block.backward(np.ones((3, 1, 1)))
    assert block.n_field_calls == 4 * 4 + 4 * 4 * 2  # a recomputed forward and a backward each


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="field must be a knobs Module"):
        ODEBlock(lambda y: y, [0.0, 1.0])
    with pytest.raises(ValueError, match="strictly increasing"):
        ODEBlock(LogisticGrowth(1.0, 1.0), [0.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="at least 2 times"):
        rk4(lambda y: y, [1.0], [0.0])
    block = ODEBlock(LogisticGrowth(1.0, 1.0), [0.0, 1.0])
    with pytest.raises(RuntimeError, match="before forward"):
        block.backward(np.zeros((2, 1, 1)))
    with pytest.raises(ValueError, match=r"Y0 must have shape \(m, d\)"):
        block.forward(np.array([0.1]))
    block.forward(np.array([[0.1]]))
    with pytest.raises(ValueError, match=r"dY must have shape \(2, 1, 1\)"):
        block.backward(np.zeros((3, 1, 1)))
