"""Chapter 15's experiment: what the chapter claims holds over the control range."""

import numpy as np
import pytest

from knobs.ui.experiments import applications


@pytest.mark.parametrize("pi_deploy", [0.01, 0.05, 0.3, 0.5, 0.8, 0.99])
@pytest.mark.parametrize("pi_train", [0.1, 0.5, 0.9])
def test_shifting_the_bias_calibrates_at_any_deployment_prevalence(pi_deploy, pi_train):
    r = applications.EXPERIMENT.run(pi_deploy=pi_deploy, pi_train=pi_train)
    assert r["ece_after"] < 0.02
    assert abs(r["mean_after"] - r["observed"]) < 0.02
    if abs(pi_deploy - pi_train) > 0.2:
        assert r["ece_before"] > 5 * r["ece_after"]
    assert np.isclose(r["b_corrected"] - r["b"], r["shift"])


def test_the_trained_weights_are_the_bayes_weights():
    w_star, _ = applications.bayes_weights()
    r = applications.EXPERIMENT.run()
    assert np.allclose(r["w"], w_star, atol=0.15)


def test_simulated_cohort_has_the_requested_prevalence(rng):
    X, y = applications.simulate_patients(20_000, 0.1, rng)
    assert X.shape == (20_000, 2) and y.sum() == 2000
    assert 0.05 < y[:2000].mean() < 0.15  # shuffled, not sorted
    sick, healthy = X[y == 1].mean(axis=0), X[y == 0].mean(axis=0)
    assert np.allclose(sick - healthy, applications.MEAN_DISEASED - applications.MEAN_HEALTHY,
                       atol=0.1)
    with pytest.raises(ValueError, match="prevalence"):
        applications.simulate_patients(10, 1.0, rng)
