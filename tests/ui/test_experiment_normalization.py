import numpy as np
import pytest

from knobs.ui.experiments import normalization

E = normalization.EXPERIMENT


@pytest.mark.parametrize("s", E.control("orth_scale").grid(7))
@pytest.mark.parametrize("c", E.control("par_shift").grid(5))
def test_batchnorm_ignores_every_bias(s, c):
    r = E.run(orth_scale=s, par_shift=c)
    assert r["bn_unchanged"] and r["bn"].max() < 1e-12


@pytest.mark.parametrize("c", E.control("par_shift").grid(5))
def test_layernorm_ignores_the_part_along_ones_only(c):
    flat = E.run(orth_scale=0.0, par_shift=c)
    assert flat["ln"].max() < 1e-12 and flat["ln_residual"] < 1e-12
    moved = E.run(orth_scale=1.0, par_shift=c)
    assert moved["ln"].min() > 0.05 and moved["ln_residual"] > 0.05
    assert np.ptp(moved["ln"]) > 0.5  # the change depends on the input


def test_layernorm_change_shrinks_as_the_sample_spread_grows():
    r = E.run(orth_scale=1.0)
    assert np.corrcoef(r["spread"], r["ln"])[0, 1] < -0.5


def test_rmsnorm_feels_the_part_along_ones():
    assert E.run(orth_scale=0.0, par_shift=2.0)["rms"].min() > 0.05
    assert E.run(orth_scale=0.0, par_shift=0.0)["rms"].max() == pytest.approx(0.0, abs=1e-15)


def test_direction_is_orthogonal_to_ones_with_unit_rms():
    _, _, u = normalization.problem()
    assert abs(u.sum()) < 1e-12 and u.std() == pytest.approx(1.0)
