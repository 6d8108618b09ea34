"""The Hessian tools: exact products (R-operator) against finite differences of gradients, a
closed form for linear least squares, and the flat-parameter helpers they rely on."""

import numpy as np
import pytest

import knobs
from knobs.analysis import hessian as hs
from knobs.nn.flat import assign_parameters, flatten_gradients, flatten_parameters, unflatten

ACTIVATIONS = [knobs.Tanh, knobs.Sigmoid, knobs.ReLU, knobs.Identity]


def _loss_and_target(kind, rng, m, k):
    if kind == "mse":
        return knobs.MSELoss(), rng.normal(size=(m, k))
    if kind == "bce":
        return knobs.BCEWithLogitsLoss(), rng.integers(0, 2, size=(m, k)).astype(float)
    return knobs.CrossEntropyLoss(), rng.integers(0, k, size=m)


def _net(rng, activation, bias=True):
    return knobs.Sequential(knobs.Linear(3, 4, bias=bias, rng=rng, bias_init="normal"),
                            activation(), knobs.Linear(4, 2, rng=rng))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("kind", ["mse", "bce", "ce"])
@pytest.mark.parametrize("bias", [True, False])
def test_exact_hessian_matches_finite_differences_of_gradients(activation, kind, bias):
    rng = np.random.default_rng(0)
    model = _net(rng, activation, bias)
    X = rng.normal(size=(7, 3))
    loss, target = _loss_and_target(kind, rng, 7, 2)
    H = hs.hessian(model, loss, X, target)
    n = knobs.count_parameters(model)
    assert H.shape == (n, n)
    assert np.allclose(H, H.T, atol=1e-12)            # exact products give a symmetric matrix
    assert np.max(np.abs(H - hs.hessian_fd(model, loss, X, target))) < 1e-7


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_hvp_without_the_matrix_equals_matrix_times_vector(activation):
    rng = np.random.default_rng(1)
    model = _net(rng, activation)
    X, y = rng.normal(size=(9, 3)), rng.normal(size=(9, 2))
    loss = knobs.MSELoss()
    v = rng.normal(size=knobs.count_parameters(model))
    H = hs.hessian_fd(model, loss, X, y)
    assert np.allclose(hs.hvp(model, loss, X, y, v), H @ v, atol=1e-7)
    assert np.allclose(hs.hvp_fd(model, loss, X, y, v), H @ v, atol=1e-6)


def test_linear_least_squares_has_the_closed_form_hessian():
    # L = mean((X w + b - y)²) over m samples: H = (2/m) X̃ᵀ X̃ with X̃ = [X, 1]
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=(20, 1))
    model = knobs.Sequential(knobs.Linear(3, 1, rng=rng))
    Xt = np.hstack([X, np.ones((20, 1))])
    assert np.allclose(hs.hessian(model, knobs.MSELoss(), X, y), 2 / 20 * Xt.T @ Xt, atol=1e-13)


def test_hvp_leaves_the_parameters_untouched_and_counts_its_cost():
    rng = np.random.default_rng(3)
    model = _net(rng, knobs.Tanh)
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    theta = flatten_parameters(model)
    counter = hs.GradientCounter()
    v = rng.normal(size=theta.size)
    hs.hvp_fd(model, knobs.MSELoss(), X, y, v, counter=counter)
    hs.hvp(model, knobs.MSELoss(), X, y, v, counter=counter)
    assert counter.gradients == 2 and counter.hvps == 1
    assert np.array_equal(flatten_parameters(model), theta)


def test_power_iteration_finds_the_top_eigenvalue_from_products_only():
    rng = np.random.default_rng(4)
    model = _net(rng, knobs.Tanh)
    X, y = rng.normal(size=(30, 3)), rng.normal(size=(30, 2))
    loss = knobs.MSELoss()
    H = hs.hessian(model, loss, X, y)
    eig = np.linalg.eigvalsh(H)
    top = eig[np.argmax(np.abs(eig))]
    lam, vec = hs.power_iteration(lambda v: hs.hvp(model, loss, X, y, v), H.shape[0],
                                  np.random.default_rng(5), iters=300)
    assert lam == pytest.approx(top, rel=1e-6)
    assert np.allclose(H @ vec, lam * vec, atol=1e-4 * abs(lam))


def test_power_iteration_on_the_zero_operator():
    lam, _ = hs.power_iteration(lambda v: 0 * v, 3, np.random.default_rng(0), iters=5)
    assert lam == 0.0


def test_unsupported_models_and_losses_are_refused():
    rng = np.random.default_rng(6)
    X, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    bn = knobs.Sequential(knobs.Linear(3, 2, rng=rng), knobs.BatchNorm1d(2))
    with pytest.raises(TypeError, match="layer 1 \\(BatchNorm1d\\) is not supported"):
        hs.hvp(bn, knobs.MSELoss(), X, y, np.zeros(knobs.count_parameters(bn)))
    with pytest.raises(TypeError, match="expected a Sequential"):
        hs.hvp(knobs.Linear(3, 2, rng=rng), knobs.MSELoss(), X, y, np.zeros(8))
    model = _net(rng, knobs.Tanh)
    with pytest.raises(ValueError, match=r"v must have shape \(26,\)"):
        hs.hvp(model, knobs.MSELoss(), X, y, np.zeros(5))

    class OtherLoss(knobs.MSELoss):
        pass

    hs.hvp(model, OtherLoss(), X, y, np.zeros(26))  # a subclass of MSE is still MSE

    class Huber:
        def forward(self, out, target):
            return 0.0

        def backward(self):
            return 0.0

    with pytest.raises(TypeError, match="expected a knobs loss, got Huber"):
        hs.hvp(model, Huber(), X, y, np.zeros(26))

    class KnobsHuber(knobs.nn.losses.Loss):
        def forward(self, out, target):
            self.output = out
            return 0.0

        def backward(self):
            return np.zeros_like(self.output)

    with pytest.raises(NotImplementedError, match="KnobsHuber does not define hessian_product"):
        hs.hvp(model, KnobsHuber(), X, y, np.zeros(26))


def test_flat_parameters_round_trip():
    rng = np.random.default_rng(7)
    model = _net(rng, knobs.ReLU)
    theta = flatten_parameters(model)
    assert theta.shape == (knobs.count_parameters(model),)
    assert np.array_equal(theta[:12], model[0].W.ravel())          # "0.W" comes first, row-major
    parts = unflatten(model, theta + 1.0)
    assert {k: v.shape for k, v in parts.items()} == {k: v.shape
                                                      for k, v in model.parameters().items()}
    W_array = model[0].W
    assign_parameters(model, theta + 1.0)
    assert model[0].W is W_array                     # written in place
    assert np.array_equal(flatten_parameters(model), theta + 1.0)
    model.forward(rng.normal(size=(2, 3)))
    model.backward(np.ones((2, 2)))
    assert flatten_gradients(model).shape == theta.shape
    with pytest.raises(ValueError, match=r"theta must have shape \(26,\)"):
        assign_parameters(model, np.zeros(3))
    with pytest.raises(TypeError, match="expected a knobs Module"):
        flatten_parameters([1, 2])
    assert flatten_parameters(knobs.Tanh()).shape == (0,)


def test_finite_difference_product_is_safe_for_long_vectors_on_relu_networks():
    # a long v must not push ReLU units across their kinks: the step is taken along v/|v|
    rng = np.random.default_rng(8)
    model = knobs.Sequential(knobs.Linear(20, 30, rng=rng), knobs.ReLU(),
                             knobs.Linear(30, 1, rng=rng))
    X, y = rng.normal(size=(16, 20)), rng.integers(0, 2, size=(16, 1)).astype(float)
    loss = knobs.BCEWithLogitsLoss()
    v = 100.0 * rng.normal(size=knobs.count_parameters(model))
    exact = hs.hvp(model, loss, X, y, v)
    assert np.allclose(hs.hvp_fd(model, loss, X, y, v), exact, atol=1e-6 * np.abs(exact).max())
    assert np.array_equal(hs.hvp_fd(model, loss, X, y, 0 * v), 0 * v)


# --- newton_minimize: a true minimum to a gradient tolerance (chapter 11) ----------------------

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
