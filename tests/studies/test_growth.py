"""knobs.studies.growth: the logistic growth layer's gradients and the Gompertz law."""

import numpy as np
import pytest

import knobs
from knobs.nn.ode import rk4
from knobs.studies.growth import LogisticGrowth


def test_logistic_growth_layer_gradients():
    rng = np.random.default_rng(3)
    layer = LogisticGrowth(r=0.7, K=1.3)
    errors = knobs.gradcheck(layer, rng.uniform(0.1, 1.5, size=(6, 1)))
    assert max(errors.values()) < 1e-8, errors
    with pytest.raises(ValueError, match="r must be a finite number > 0"):
        LogisticGrowth(0.0, 1.0)


def test_gompertz_closed_form_solves_its_rate_law():
    from knobs.studies.growth import gompertz_rate, gompertz_solution

    t = np.linspace(0.0, 24.0, 13)
    N0 = np.array([[0.05], [0.2]])
    numeric = rk4(lambda N: gompertz_rate(N, 0.25, 1.5), N0, t, substeps=8)
    exact = gompertz_solution(t[:, None, None], N0[None], 0.25, 1.5)
    assert np.max(np.abs(numeric - exact)) < 2e-6
    # it peaks at K/e, earlier than the logistic law's K/2
    N = np.linspace(0.01, 1.5, 10001)
    assert N[np.argmax(gompertz_rate(N, 0.25, 1.5))] == pytest.approx(1.5 / np.e, abs=1e-3)
