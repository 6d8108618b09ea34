import numpy as np
import pytest

import knobs
from knobs.analysis import symmetry_breaking as sb
from knobs.studies import logic_gates as gates

X = gates.INPUTS
Y = gates.targets_of("XOR")[:, None]


@pytest.mark.parametrize("weights", ["constant 0", "constant 0.5"])
@pytest.mark.parametrize("biases", ["zeros", "constant 0.5"])
def test_constant_initialization_keeps_every_hidden_unit_identical(weights, biases):
    model = sb.two_layer_network(2, 4, 1, weights, biases)
    history = sb.train_recording(model, X, Y, lr=0.2, steps=300)
    # copies may come to differ by rounding, which depends on the machine's BLAS; never by more
    assert history.spread.max() < 1e-12 and history.unit_spread.max() < 1e-12
    assert sb.hidden_rank(model, X) <= 1
    assert history.loss.min() > 1 / 6   # never better than one unit can be


def test_one_step_gives_identical_rows_of_dW_under_constant_init():
    model = sb.two_layer_network(2, 4, 1, "constant 0.5", "zeros")
    loss = knobs.MSELoss()
    loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    dW1 = model[0].dW
    assert np.ptp(dW1, axis=0).max() < 1e-14 and np.abs(dW1).min() > 0.1
    assert np.ptp(model[2].dW) < 1e-14


def test_constant_zero_with_tanh_only_learns_the_output_bias():
    model = sb.two_layer_network(2, 4, 1, "constant 0", "zeros")
    sb.train_recording(model, X, Y, lr=0.2, steps=100)
    assert max(np.abs(p).max() for p in (model[0].W, model[0].b, model[2].W)) < 1e-15
    assert model[2].b[0] == pytest.approx(Y.mean())


def test_random_weights_break_the_symmetry_and_learn_xor():
    model = sb.two_layer_network(2, 4, 1, "random", "zeros", std=0.5,
                                 rng=np.random.default_rng(0))
    history = sb.train_recording(model, X, Y, lr=0.2, steps=400)
    assert history.spread[0] > 0 and history.loss[-1] < 1e-3
    assert sb.hidden_rank(model, X) == 4


def test_random_biases_alone_break_the_symmetry_from_a_zero_spread():
    model = sb.two_layer_network(2, 4, 1, "constant 0.5", "random", std=0.5,
                                 rng=np.random.default_rng(0))
    history = sb.train_recording(model, X, Y, lr=0.2, steps=50)
    assert history.spread[0] == 0.0 and history.unit_spread[0] > 0.0
    assert history.spread[-1] > 0.0


def test_collapse_gives_the_same_function_with_one_unit():
    model = sb.two_layer_network(2, 4, 1, "constant 0.5", "constant 0.5")
    sb.train_recording(model, X, Y, lr=0.2, steps=50)
    one = sb.collapse_to_one_unit(model)
    assert one[0].W.shape == (1, 2) and one[2].W.shape == (1, 1)
    np.testing.assert_allclose(one.forward(X), model.forward(X), rtol=1e-14, atol=1e-15)
    broken = sb.two_layer_network(2, 4, 1, "random", "zeros", rng=np.random.default_rng(1))
    with pytest.raises(ValueError, match="hidden units differ"):
        sb.collapse_to_one_unit(broken)


def test_collapse_tolerates_rounding_but_not_a_real_difference():
    model = sb.two_layer_network(2, 4, 1, "constant 0.5", "zeros")
    model[0].W[2, 1] += 1e-15        # what another machine's rounding could leave behind
    one = sb.collapse_to_one_unit(model)
    np.testing.assert_allclose(one.forward(X), model.forward(X), rtol=0, atol=1e-14)
    model[0].W[2, 1] += 1e-6         # a difference that is not rounding
    with pytest.raises(ValueError, match=r"differ \(by up to 1\.0e-06, more than tol 1e-12\)"):
        sb.collapse_to_one_unit(model)
    assert sb.collapse_to_one_unit(model, tol=1e-5)[0].W.shape == (1, 2)
    with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
        sb.collapse_to_one_unit(model, tol=-1.0)


def test_a_nudge_between_copies_grows_in_proportion_to_its_size():
    # chapter 7's deliberate perturbation: the growth factor is the dynamics', not the machine's
    factors = []
    for eps in (1e-12, 1e-9, 1e-6):
        model = sb.two_layer_network(2, 4, 1, "constant 0.5", "zeros")
        model[0].W[0, 0] += eps
        history = sb.train_recording(model, X, Y, lr=0.2, steps=400)
        factors.append(history.unit_spread[-1] / history.unit_spread[0])
        assert history.loss[-1] == pytest.approx(0.1994, abs=5e-5)   # still on the plateau
    assert max(factors) / min(factors) - 1 < 0.01
    assert 135 < factors[0] < 145     # printed as "140" (two significant digits)


def test_pairwise_distances():
    W = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 0.0]])
    D = sb.pairwise_distances(W)
    np.testing.assert_allclose(D, [[0, 5, 0], [5, 0, 5], [0, 5, 0]])
    assert D[0, 2] == 0.0
    with pytest.raises(ValueError, match=r"shape \(n_units, n\)"):
        sb.pairwise_distances(np.ones(3))


def test_hidden_rank_of_zero_activations_is_zero():
    model = sb.two_layer_network(2, 3, 1, "constant 0", "zeros")
    assert sb.hidden_rank(model, X) == 0


def test_errors():
    with pytest.raises(ValueError, match="unknown initialization scheme 'ones'"):
        sb.two_layer_network(2, 3, 1, "ones")
    with pytest.raises(ValueError, match="std must be a finite number >= 0"):
        sb.two_layer_network(2, 3, 1, std=-1.0)
    with pytest.raises(TypeError, match=r"Sequential\(Linear, activation, Linear\)"):
        sb.spread(knobs.Linear(2, 3, rng=np.random.default_rng(0)))
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        sb.train_recording(sb.two_layer_network(2, 3, 1, "constant 0"), X, Y, lr=0.1, steps=0)
