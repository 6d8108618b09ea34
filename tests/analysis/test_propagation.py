import math

import numpy as np
import pytest

from knobs import Linear, ReLU, Sequential
from knobs.analysis.propagation import (
    deep_network,
    layer_statistics,
    mean_field,
    relu_moments,
    second_moment,
    weight_variance,
)
from knobs.nn import init


@pytest.mark.parametrize("activation", ["identity", "relu", "tanh", "sigmoid"])
@pytest.mark.parametrize(("mean", "var"), [(0.0, 1.0), (0.7, 2.5), (-1.2, 0.3)])
def test_second_moment_against_monte_carlo(activation, mean, var, rng):
    from knobs.nn.activations import get

    z = mean + math.sqrt(var) * rng.standard_normal(400_000)
    values = get(activation).function(z) ** 2
    standard_error = values.std() / math.sqrt(z.size)
    assert abs(second_moment(activation, mean, var) - values.mean()) < 5 * standard_error


def test_second_moment_exact_cases():
    assert second_moment("relu", 0.0, 3.0) == pytest.approx(1.5)      # half of E[z²]
    assert second_moment("identity", 2.0, 3.0) == pytest.approx(7.0)  # mean² + var
    assert second_moment("relu", 1.5, 0.0) == pytest.approx(2.25)     # no spread: f(mean)²
    assert second_moment("relu", -1.5, 0.0) == 0.0
    assert second_moment("tanh", 0.0, 0.0) == 0.0
    a = 0.1
    assert second_moment(lambda z: np.maximum(z, a * z), 0.0, 2.0) == pytest.approx(1 + a * a)


def test_relu_moments_and_the_seed_shortcut(rng):
    q = 2.0
    m = relu_moments(q)
    assert m["second_moment"] == pytest.approx(q / 2)
    assert m["variance"] == pytest.approx(q * (0.5 - 1 / (2 * math.pi)))
    x = np.maximum(math.sqrt(q) * rng.standard_normal(400_000), 0.0)
    assert x.mean() == pytest.approx(m["mean"], rel=0.01)
    assert x.var() == pytest.approx(m["variance"], rel=0.01)
    # He: n·(2/n)·E[x²] = q; the shortcut 2·Var(x) would give 0.68 q
    assert 2 * m["second_moment"] == pytest.approx(q)
    assert 2 * m["variance"] / q == pytest.approx(1 - 1 / math.pi)


@pytest.mark.parametrize(("name", "options"), [
    ("xavier_normal", {}), ("xavier_uniform", {"gain": 5 / 3}), ("kaiming_normal", {}),
    ("kaiming_uniform", {"nonlinearity": "tanh"}), ("normal", {"std": 0.3}),
    ("uniform", {"low": -0.2, "high": 0.4}),
])
def test_weight_variance_matches_the_engine_initializers(name, options, rng):
    shape = (300, 200)
    W = init.initialize(name, shape, rng, **options)
    assert W.var() == pytest.approx(weight_variance(name, shape, **options), rel=0.03)


def test_weight_variance_formulas():
    assert weight_variance("kaiming_normal", (10, 512)) == pytest.approx(2 / 512)
    assert weight_variance("xavier_normal", (100, 300)) == pytest.approx(2 / 400)
    assert weight_variance("zeros", (3, 3)) == 0.0
    with pytest.raises(ValueError, match="no variance formula"):
        weight_variance("orthogonal", (3, 3))


def test_mean_field_recursions():
    np.testing.assert_allclose(mean_field(40, "relu", 2.0)["var"], 2.0)  # He: constant
    np.testing.assert_allclose(mean_field(40, "identity", 1.0)["var"], 1.0)
    halving = mean_field(10, "relu", 1.0)["var"]                          # Xavier, square layers
    np.testing.assert_allclose(halving[1:] / halving[:-1], 0.5)
    with_bias = mean_field(30, "relu", 2.0, bias_var=0.25)
    np.testing.assert_allclose(np.diff(with_bias["var"]), 0.25)           # + Var(b) per layer
    assert with_bias["var"][0] == pytest.approx(2.25)
    dying = mean_field(60, "relu", 2.0, bias_mean=-0.2)["var"]             # a negative constant
    assert np.all(dying >= 0) and np.all(np.diff(dying) <= 0) and dying[-1] < 1e-12
    shifted = mean_field(5, "relu", 2.0, bias_mean=0.5)
    np.testing.assert_allclose(shifted["mean"], 0.5)
    assert np.all(np.diff(shifted["var"]) > 0)  # a positive constant bias lets more signal through


def test_deep_network_structure_and_common_random_numbers():
    short = deep_network(3, 8, "tanh", np.random.default_rng(5), bias_std=0.2)
    long = deep_network(6, 8, "tanh", np.random.default_rng(5), bias_std=0.2)
    assert len(short) == 6 and isinstance(short[0], Linear) and short[0].W.shape == (8, 8)
    for key, value in short.parameters().items():  # the first 3 layers of the deeper net
        np.testing.assert_array_equal(value, long.parameters()[key])
    zero_bias = deep_network(2, 8, "relu", np.random.default_rng(5), bias_mean=0.3)
    np.testing.assert_array_equal(zero_bias[0].b, 0.3)


def test_kaiming_relu_stays_near_mean_field_and_xavier_halves():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 256))
    he = layer_statistics(deep_network(30, 256, "relu", rng), X)
    # finite width: the log-variance wobbles by about sqrt(5 L / n) around the mean-field value 2
    assert np.all(np.abs(np.log(he.var_z / 2.0)) < 3 * math.sqrt(5 * 30 / 256))
    xavier = layer_statistics(deep_network(30, 256, "relu", rng, init="xavier_normal"), X)
    assert xavier.var_z[-1] / xavier.var_z[0] < 1e-6
    assert np.median(xavier.var_z[1:] / xavier.var_z[:-1]) == pytest.approx(0.5, rel=0.1)


@pytest.mark.parametrize("activation", ["relu", "tanh", "identity", "sigmoid"])
@pytest.mark.parametrize("bias_std", [0.0, 0.5])
def test_one_layer_law_var_z_equals_n_var_w_second_moment_plus_var_b(activation, bias_std):
    # Var(z) = n Var(w) E[a²] + Var(b) for the inputs a a deep net actually produces (not
    # centered after relu or sigmoid); a wide layer (4000 units) makes the pooled estimate sharp
    rng = np.random.default_rng(1)
    A = deep_network(5, 200, activation, rng).forward(rng.standard_normal((300, 200)))
    std = 0.07
    Z = Linear(200, 4000, init="normal", init_options={"std": std}, bias_init="normal",
               bias_options={"std": bias_std}, rng=rng).forward(A)
    law = 200 * std**2 * np.mean(A * A) + bias_std**2
    assert Z.var() == pytest.approx(law, rel=0.1)
    shortcut = 200 * std**2 * A.var() + bias_std**2  # the zero-mean formula with Var(a)
    if activation in ("relu", "sigmoid") and bias_std == 0.0:
        assert abs(Z.var() / shortcut - 1) > 0.25


def test_constant_bias_sets_the_mean_of_z():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((300, 200))
    s = layer_statistics(deep_network(10, 200, "tanh", rng, init="xavier_normal",
                                      bias_mean=0.8), X)
    np.testing.assert_allclose(s.mean_z, 0.8, atol=0.15)


def test_errors():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        deep_network(2, 4, "gelu", rng)
    with pytest.raises(ValueError, match="depth must be a positive integer"):
        mean_field(0, "relu", 2.0)
    with pytest.raises(ValueError, match="bias_std"):
        deep_network(2, 4, "relu", rng, bias_std=-1.0)
    with pytest.raises(ValueError, match="alternate Linear and activation"):
        layer_statistics(Sequential(ReLU(), Linear(2, 2, rng=rng)), np.ones((1, 2)))
    with pytest.raises(TypeError, match="Sequential"):
        layer_statistics(Linear(2, 2, rng=rng), np.ones((1, 2)))
    with pytest.raises(ValueError, match="var"):
        second_moment("relu", 0.0, -1.0)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("std", [0.3, 1.0, 10.0, 30.0])
def test_second_moment_of_a_saturating_unit_holds_at_large_spreads(activation, std):
    """A fixed 101-node Gauss-Hermite rule was 5 % low for tanh at std 10 (0.874 vs 0.921)."""
    from knobs.analysis import propagation
    from knobs.nn import activations

    f = activations.get(activation).function
    u = np.linspace(-12.0, 12.0, 2_000_001)  # a brute-force reference on a very fine grid
    reference = np.trapezoid(f(std * u) ** 2 * np.exp(-0.5 * u * u), u) / np.sqrt(2 * np.pi)
    assert propagation.second_moment(activation, 0.0, std**2) == pytest.approx(reference,
                                                                                 rel=1e-9)


def test_rescaled_copies_scale_the_draws_and_leave_the_original_alone(rng):
    from knobs.analysis.propagation import rescaled

    base = deep_network(3, 8, "identity", rng, init="normal", bias_std=1.0)
    copy = rescaled(base, "relu", 0.5, bias_scale=2.0)
    for original, scaled in zip(base.layers[::2], copy.layers[::2], strict=True):
        np.testing.assert_allclose(scaled.W, 0.5 * original.W, rtol=0, atol=1e-15)
        np.testing.assert_allclose(scaled.b, 2.0 * original.b, rtol=0, atol=1e-15)
        assert scaled.W is not original.W
    assert all(isinstance(layer, ReLU) for layer in copy.layers[1::2])
    # ReLU is positively homogeneous: scaling every W by c scales Var(z_l) by c^(2l)
    X = rng.standard_normal((5, 8))
    unit = layer_statistics(rescaled(base, "relu", 1.0, bias_scale=0.0), X).var_z
    half = layer_statistics(rescaled(base, "relu", 0.5, bias_scale=0.0), X).var_z
    np.testing.assert_allclose(half, unit * 0.25 ** np.arange(1, 4), rtol=1e-12)
    with pytest.raises(ValueError, match="weight_scale"):
        rescaled(base, "relu", -1.0)
    with pytest.raises(ValueError, match="alternate"):
        rescaled(Sequential(ReLU()), "relu", 1.0)
