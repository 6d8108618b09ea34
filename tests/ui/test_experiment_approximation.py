"""Chapter 10's approximation experiment: the error falls like 1/n²."""

import numpy as np
import pytest

from knobs.ui.experiments import approximation as approximation_experiment


def test_approximation_experiment_errors_fall_like_one_over_n_squared():
    r = approximation_experiment.EXPERIMENT.run(target="bump", width=40)
    errors = r["errors"]
    assert errors[19] / errors[39] == pytest.approx(4.0, rel=0.1)      # width 20 -> 40
    assert r["error"] == pytest.approx(errors[39])
    assert np.allclose(r["knots"], np.arange(40) / 40)
    assert r["n_params"] == 3 * 40 + 1
