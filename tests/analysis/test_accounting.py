import math

import numpy as np
import pytest

import knobs
from knobs.analysis import accounting


def test_the_seed_network_has_21249_parameters():
    rng = np.random.default_rng(0)
    model = knobs.Sequential(knobs.Linear(100, 128, rng=rng), knobs.ReLU(),
                             knobs.Linear(128, 64, rng=rng), knobs.ReLU(),
                             knobs.Linear(64, 1, rng=rng))
    assert knobs.count_parameters(model) == 21_249
    assert accounting.dense_parameter_count([100, 128, 64, 1]) == 21_249
    assert accounting.dense_parameter_count([100, 128, 64, 1], bias=False) == 21_056


def test_hessian_of_a_million_parameters_is_8_terabytes():
    assert accounting.hessian_entries(10**6) == 10**12
    assert knobs.hessian_bytes(10**6) == 8 * 10**12
    assert knobs.format_bytes(knobs.hessian_bytes(10**6)) == "8.00 TB"
    assert knobs.hessian_bytes(10**6, np.float32) == 4 * 10**12


@pytest.mark.parametrize(("n", "text"), [(0, "0 B"), (999, "999 B"), (1000, "1.00 kB"),
                                         (2.5e9, "2.50 GB")])
def test_format_bytes(n, text):
    assert knobs.format_bytes(n) == text


def test_activation_memory_training_vs_inference():
    sizes = [100, 128, 64, 1]
    assert accounting.activation_bytes(sizes, batch=32) == 32 * 293 * 8
    assert accounting.activation_bytes(sizes, batch=32, training=False) == 32 * 228 * 8


def test_accounting_argument_checks():
    with pytest.raises(ValueError, match="at least an input and an output"):
        accounting.dense_parameter_count([10])
    with pytest.raises(ValueError, match="n_params must be a positive integer"):
        knobs.hessian_bytes(0)
    with pytest.raises(ValueError, match="nbytes must be >= 0"):
        knobs.format_bytes(-1)


def build_mlp(d, m, L, rng, k=1):
    sizes = accounting.mlp_sizes(d, m, L, k)
    layers = []
    for n_in, n_out in zip(sizes[:-2], sizes[1:-1], strict=True):
        layers += [knobs.Linear(n_in, n_out, rng=rng), knobs.ReLU()]
    layers.append(knobs.Linear(sizes[-2], sizes[-1], rng=rng))
    return knobs.Sequential(*layers)


@pytest.mark.parametrize(("d", "m", "L"), [(100, 500, 1), (100, 135, 3), (10, 20, 4), (1, 3, 8)])
def test_rule_leaves_out_exactly_the_biases_and_the_output_layer(d, m, L, rng):
    built = knobs.count_parameters(build_mlp(d, m, L, rng))
    assert built - accounting.mlp_parameter_estimate(d, m, L) == L * m + m + 1


@pytest.mark.parametrize("L", [1, 2, 3, 7, 12])
@pytest.mark.parametrize("exact", [False, True])
def test_width_for_budget_is_the_largest_width_that_fits(L, exact):
    P, d = 50_000, 100
    m = accounting.width_for_budget(P, d, L, exact=exact)

    def cost(w):
        if exact:
            return accounting.dense_parameter_count(accounting.mlp_sizes(d, w, L))
        return accounting.mlp_parameter_estimate(d, w, L)

    assert cost(m) <= P < cost(m + 1)
    if not exact and L > 1:  # the closed form of the quadratic
        assert m == math.floor((-d + math.sqrt(d * d + 4 * (L - 1) * P)) / (2 * (L - 1)))


def test_the_chapter_budget_table():
    assert accounting.width_for_budget(50_000, 100, 1) == 500
    assert accounting.width_for_budget(50_000, 100, 2) == 179
    assert accounting.width_for_budget(50_000, 100, 1, exact=True) == 490
    # nothing fits below d + 3 parameters (one unit: d weights, a bias, an output weight and bias)
    assert accounting.width_for_budget(102, 99, 1, exact=True) == 1
    assert accounting.width_for_budget(101, 99, 1, exact=True) == 0


def test_checkpointing_formula():
    sizes = [10] * 17
    assert accounting.checkpointed_activation_bytes(sizes, 4, 1) == accounting.activation_bytes(
        sizes, 4)
    # 16 layers in 4 segments: 4 checkpoints + 4 activations inside the last segment
    assert accounting.checkpointed_activation_bytes(sizes, 4, 4) == 4 * 8 * 10 * 8
    with pytest.raises(ValueError, match="segments must be <= n_layers"):
        accounting.checkpointed_activation_bytes(sizes, 4, 17)
    assert accounting.segment_bounds(10, 3) == [(0, 3), (3, 6), (6, 10)]


def test_lstm_counts_by_hand():
    # 4 (h n_in + h² + h) = 4 (200 + 400 + 20)
    assert accounting.lstm_parameter_count(10, 20) == 2480
    assert accounting.lstm_parameter_count(10, 20, "input") == 200 + 4 * 420
    assert accounting.lstm_parameter_count(10, 20, "coupled") == 3 * 620
    with pytest.raises(ValueError, match="tie must be one of"):
        accounting.lstm_parameter_count(10, 20, "all")


def test_patch_count_refuses_a_negative_padding():
    with pytest.raises(ValueError, match="padding must be a non-negative integer"):
        accounting.patch_count(8, 3, padding=-1)
