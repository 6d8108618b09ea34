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
