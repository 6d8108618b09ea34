import numpy as np
import pytest

from knobs import Linear, ReLU
from knobs.nn import init


@pytest.mark.parametrize(
    ("name", "expected_var"),
    [
        ("xavier_normal", 2 / (300 + 200)),
        ("xavier_uniform", 2 / (300 + 200)),
        ("kaiming_normal", 2 / 300),
        ("kaiming_uniform", 2 / 300),
    ],
)
def test_variance_of_scaled_initializers(name, expected_var, rng):
    W = init.initialize(name, (200, 300), rng)  # (n_out, n_in): fan_in 300, fan_out 200
    assert W.shape == (200, 300)
    assert abs(W.mean()) < 0.01 * np.sqrt(expected_var) * 10
    assert W.var() == pytest.approx(expected_var, rel=0.03)


def test_uniform_bounds_are_respected(rng):
    W = init.kaiming_uniform((50, 40), rng)
    bound = np.sqrt(2) * np.sqrt(3 / 40)
    assert np.abs(W).max() <= bound
    assert np.abs(W).max() > 0.95 * bound


def test_zeros_and_constant():
    assert np.all(init.zeros((3, 2)) == 0)
    assert np.all(init.constant((4,), value=0.5) == 0.5)


def test_same_seed_same_weights():
    a = init.xavier_normal((3, 4), np.random.default_rng(7))
    b = init.xavier_normal((3, 4), np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)


def test_gain_matches_pytorch_values():
    assert init.calculate_gain("relu") == pytest.approx(np.sqrt(2))
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    with pytest.raises(ValueError, match="unknown nonlinearity 'gelu'"):
        init.calculate_gain("gelu")


def test_unknown_initializer_names_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown initializer 'glorot'.*xavier_normal"):
        init.get("glorot")


def test_random_initializer_requires_generator():
    with pytest.raises(TypeError, match="numpy Generator"):
        init.normal((2, 2), rng=None)
    with pytest.raises(TypeError, match="numpy Generator"):
        init.normal((2, 2), rng=np.random.RandomState(0))


def test_fan_based_initializer_refuses_a_bias_shape(rng):
    with pytest.raises(ValueError, match="2-D weight shape"):
        init.xavier_uniform((5,), rng)


@pytest.mark.parametrize("shape", [(0, 3), (2, -1), ()])
def test_bad_shapes(shape, rng):
    with pytest.raises(ValueError, match="positive integers"):
        init.normal(shape, rng)


def test_initializer_returning_wrong_shape_is_caught(rng):
    with pytest.raises(ValueError, match="returned shape"):
        init.initialize(lambda shape, rng: np.zeros(3), (2, 2), rng)


@pytest.mark.parametrize("depth", [30])
def test_kaiming_keeps_deep_relu_variance_in_band(depth):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 256))
    A, variances = X, []
    for _ in range(depth):
        Z = Linear(256, 256, init="kaiming_normal", rng=rng).forward(A)
        variances.append(Z.var())
        A = ReLU().forward(Z)
    # He et al.: Var(z_l) = n Var(w) E[a²] = 2 E[a²] = Var(z_{l-1}) for every layer after the first
    ratios = np.array(variances) / variances[0]
    assert 0.5 < ratios.min() and ratios.max() < 2.0, ratios


def test_xavier_shrinks_deep_relu_variance():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(2000, 256))
    for _ in range(30):
        A = ReLU().forward(Linear(256, 256, init="xavier_normal", rng=rng).forward(A))
    assert A.var() < 1e-6  # halves at each layer: 2^-30
