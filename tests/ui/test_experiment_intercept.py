import numpy as np
import pytest

from knobs.ui.experiments import intercept

E = intercept.EXPERIMENT


@pytest.mark.parametrize("lam", E.control("lam").grid(5))
@pytest.mark.parametrize("d_b", E.control("bias_factor").grid(5))
@pytest.mark.parametrize("y_mean", [-4.0, 0.0, 2.5])
def test_intercept_follows_the_closed_form(lam, d_b, y_mean):
    r = E.run(lam=lam, bias_factor=d_b, y_mean=y_mean)
    assert r["b"] == pytest.approx(y_mean / (1 + lam * d_b**2), abs=1e-12)
    assert r["mean_pred"] == pytest.approx(r["b"], abs=1e-12)  # the feature is centred
    assert r["mean_pred_free"] == pytest.approx(y_mean, abs=1e-12)
    assert r["w"] == pytest.approx(r["w_free"], abs=1e-12)  # centred: b and w decouple
    assert r["mse"] >= r["mse_free"] - 1e-12


def test_penalty_drags_the_mean_prediction_towards_zero():
    means = [E.run(lam=lam, bias_factor=1.0, y_mean=3.0)["mean_pred"] for lam in (0, 1, 4, 10)]
    assert all(a > b > 0 for a, b in zip(means, means[1:], strict=False))


def test_report_never_prints_negative_zero():
    assert "-0.0000" not in E.report(E.run(y_mean=0.0))


def test_problem_is_exactly_centred():
    X, y = intercept.problem(1.5)
    assert abs(X.mean()) < 1e-15 and y.mean() == pytest.approx(1.5, abs=1e-14)
    assert np.ptp(X) > 3
