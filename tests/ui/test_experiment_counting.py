"""Chapter 11's counting experiment: parameter and Hessian counts at the defaults and extremes."""

from knobs.analysis import accounting
from knobs.ui.experiments import counting as counting_experiment


def test_counting_experiment_defaults_are_the_seed_network():
    r = counting_experiment.EXPERIMENT.run()
    assert r["n_params"] == r["formula"] == 21_249
    assert r["hessian_bytes"] == 8 * 21_249**2
    assert "3.61 GB" in counting_experiment.EXPERIMENT.report(r)


def test_counting_experiment_extremes():
    big = counting_experiment.EXPERIMENT.run(n_in=1000, h1=1024, h2=512, n_out=100)
    assert big["n_params"] == accounting.dense_parameter_count([1000, 1024, 512, 100])
    assert "neither machine" in counting_experiment.EXPERIMENT.report(big)
    small = counting_experiment.EXPERIMENT.run(n_in=1, h1=1, h2=1, n_out=1)
    assert small["n_params"] == 6
