"""Chapter 16's centering experiment: centering never hurts the conditioning."""

import numpy as np
import pytest

from knobs.ui.experiments import centering


@pytest.mark.parametrize("spread", [0.25, 1.0, 2.0])
def test_centering_never_hurts_and_helps_more_the_farther_the_features_sit(spread):
    kappas = []
    for offset in (0.0, 2.0, 4.0, 8.0):
        r = centering.EXPERIMENT.run(offset=offset, spread=spread)
        assert r["centered"]["condition"] <= r["raw"]["condition"] * (1 + 1e-9)
        assert r["centered"]["steps"] <= r["raw"]["steps"]
        # centering changes the bias only: the determinant (product of eigenvalues) is kept
        assert np.isclose(np.prod(r["raw"]["eigenvalues"]), np.prod(r["centered"]["eigenvalues"]))
        kappas.append(r["raw"]["condition"])
    assert kappas == sorted(kappas)
