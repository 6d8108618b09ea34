"""Chapter 7's carbon-copy experiment: copies stay copies only under constant schemes."""

from knobs.ui.experiments import carbon_copy


def test_experiment_reports_exact_copies_only_for_constant_schemes():
    exp = carbon_copy.EXPERIMENT
    for weights in exp.control("weights").values():
        for biases in exp.control("biases").values():
            r = exp.run(weights=weights, biases=biases)
            constant = weights != "random" and biases != "random"
            assert r["identical"] == constant, (weights, biases)
            assert ("still copies" in exp.report(r)) == constant
            if not constant:   # a broken symmetry is far above the tolerance for copies
                assert r["unit_spread"].max() > 1e3 * carbon_copy.COPY_TOL


def test_experiment_seed_matters_only_for_random_schemes():
    exp = carbon_copy.EXPERIMENT
    carbon_copy._train.cache_clear()
    a = exp.run(seed=0)
    carbon_copy._train.cache_clear()     # b is trained afresh, not a's cached result
    b = exp.run(seed=9)
    assert carbon_copy._train.cache_info().misses == 1
    assert exp.report(a).replace("seed 0", "") == exp.report(b).replace("seed 9", "")
    c, d = exp.run(weights="random", seed=0), exp.run(weights="random", seed=9)
    assert c["final_spread"] != d["final_spread"]


def test_experiment_report_prints_copies_distance_as_a_bound():
    exp = carbon_copy.EXPERIMENT
    copies = exp.report(exp.run())   # default: constant 0.5 weights, zero biases
    assert "incoming weights: below 1e-12 -> below 1e-12" in copies
    assert "0.0000" not in copies
    broken = exp.report(exp.run(weights="random"))
    assert "below 1e-12" not in broken.splitlines()[2]
    assert carbon_copy._distance(0.5) == "0.5000" and carbon_copy._distance(2e-5) == "2.0e-05"
