"""Chapter 2's experiment: its numbers are the formulas, and its sample agrees with them."""

import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from knobs.ui.experiments import zstats  # noqa: E402

E = zstats.EXPERIMENT


@pytest.mark.parametrize("values", [
    {}, {"mu1": 3.0, "mu2": -3.0, "b": -5.0}, {"rho": -1.0}, {"rho": 1.0, "sigma": 3.0},
    {"w1": -3.0, "w2": 0.0, "sigma": 0.25},
])
def test_sample_moments_agree_with_the_formulas(values):
    r = E.run(**values)
    mu, Sigma = zstats.input_moments(*(E.values(**values)[k] for k in ("mu1", "mu2", "sigma",
                                                                       "rho")))
    w = np.array([r["w"][0], r["w"][1]])
    assert r["mean"] == pytest.approx(w @ mu + r["b"])
    assert r["var"] == pytest.approx(w @ Sigma @ w)
    se = r["sd"] / math.sqrt(zstats.SAMPLES)
    assert abs(r["sample_mean"] - r["mean"]) <= 4.5 * se + 1e-12
    assert r["sample_sd"] == pytest.approx(r["sd"], rel=0.05, abs=1e-9)


def test_sample_has_the_requested_input_statistics():
    X = zstats.sample_inputs(np.array([1.0, -2.0]), 2.0, 0.6)
    assert X.shape == (zstats.SAMPLES, 2)
    np.testing.assert_allclose(X.mean(axis=0), [1.0, -2.0], atol=0.1)
    np.testing.assert_allclose(np.cov(X.T), 4.0 * np.array([[1, 0.6], [0.6, 1]]), rtol=0.06)


def test_bias_translates_the_sample_and_keeps_its_spread():
    a, b = E.run(b=0.0), E.run(b=2.5)
    np.testing.assert_allclose(b["z"] - a["z"], 2.5)
    assert b["sample_sd"] == pytest.approx(a["sample_sd"])
    assert b["var"] == a["var"]


def test_degenerate_input_gives_a_constant_z_and_still_draws():
    r = E.run(sigma=0.0)
    assert r["sd"] == 0.0 and r["sample_sd"] == pytest.approx(0.0, abs=1e-12)
    fig = E.draw(r)
    assert "SD(z) = 0.00" in fig.axes[0].get_title()
    plt.close(fig)


def test_plot_range_shows_the_distribution_and_zero():
    lo, hi = zstats.plot_range(20.0, 1.0)
    assert lo < 0 < 16 <= hi - 8
    lo, hi = zstats.plot_range(0.0, 0.0)
    assert lo < 0 < hi
