import numpy as np
import pytest

import knobs
from knobs import gates
from knobs import symmetry_breaking as sb
from knobs.experiments import carbon_copy

X = gates.INPUTS
Y = gates.targets_of("XOR")[:, None]


@pytest.mark.parametrize("weights", ["constant 0", "constant 0.5"])
@pytest.mark.parametrize("biases", ["zeros", "constant 0.5"])
def test_constant_initialization_keeps_every_hidden_unit_identical(weights, biases):
    model = sb.two_layer_network(2, 4, 1, weights, biases)
    history = sb.train_recording(model, X, Y, lr=0.2, steps=300)
    assert np.all(history.spread == 0.0) and np.all(history.unit_spread == 0.0)
    assert sb.hidden_rank(model, X) <= 1
    assert history.loss.min() > 1 / 6   # never better than one unit can be


def test_one_step_gives_identical_rows_of_dW_under_constant_init():
    model = sb.two_layer_network(2, 4, 1, "constant 0.5", "zeros")
    loss = knobs.MSELoss()
    loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    dW1 = model[0].dW
    assert np.all(dW1 == dW1[0]) and np.any(dW1 != 0)
    assert np.all(model[2].dW == model[2].dW[0, 0])


def test_constant_zero_with_tanh_only_learns_the_output_bias():
    model = sb.two_layer_network(2, 4, 1, "constant 0", "zeros")
    sb.train_recording(model, X, Y, lr=0.2, steps=100)
    assert np.all(model[0].W == 0) and np.all(model[0].b == 0) and np.all(model[2].W == 0)
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


# the chapter's live experiment

def test_experiment_reports_exact_copies_only_for_constant_schemes():
    exp = carbon_copy.EXPERIMENT
    for weights in exp.control("weights").values():
        for biases in exp.control("biases").values():
            r = exp.run(weights=weights, biases=biases)
            constant = weights != "random" and biases != "random"
            assert r["identical"] == constant, (weights, biases)
            assert ("exact copies" in exp.report(r)) == constant


def test_experiment_seed_matters_only_for_random_schemes():
    exp = carbon_copy.EXPERIMENT
    a, b = exp.run(seed=0), exp.run(seed=9)
    assert exp.report(a).replace("seed 0", "") == exp.report(b).replace("seed 9", "")
    c, d = exp.run(weights="random", seed=0), exp.run(weights="random", seed=9)
    assert c["final_spread"] != d["final_spread"]
