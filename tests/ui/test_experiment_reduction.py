"""Chapter 8's reduction experiment: left-to-right against tree summation."""

import numpy as np

from knobs.analysis import summation
from knobs.ui.experiments import reduction


def test_experiment_reference_is_exact_for_its_inputs():
    for values in reduction.VALUES:
        x = reduction._data(values)
        assert float(np.sum(x, dtype=np.float64)) == summation.exact_sum(x)


def test_experiment_left_to_right_loses_at_a_million_numbers():
    exp = reduction.EXPERIMENT
    for values in reduction.VALUES:
        r = exp.run(values=values)
        assert r["err_sequential"][-1] > 10 * r["err_tree"][-1]
        assert r["levels"] == 20
    constant = exp.run(values="constant 0.1")
    assert abs(constant["sequential"] - 100_000) > 500   # the famous drift of 0.1 in float32
