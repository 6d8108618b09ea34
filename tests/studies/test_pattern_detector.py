"""knobs.studies.pattern_detector: motif signals and shared against local detectors."""

import numpy as np
import pytest

from knobs.studies import pattern_detector


def test_motif_signals_place_the_motif_where_asked(rng):
    X, y = pattern_detector.motif_signals(50, 12, [3], rng, noise=0.0)
    motif = np.where(y[:, :1] > 0.5, 1.0, -1.0) * pattern_detector.MOTIF
    np.testing.assert_array_equal(X[:, 0, 0, 3:7], motif)
    assert np.all(X[:, 0, 0, :3] == 0) and np.all(X[:, 0, 0, 7:] == 0)
    with pytest.raises(ValueError, match="positions must lie in"):
        pattern_detector.motif_signals(5, 12, [9], rng)
    with pytest.raises(ValueError, match="kind must be"):
        pattern_detector.detector("dense", 12, 2, rng)


def test_a_shared_detector_generalizes_to_unseen_positions_and_a_local_one_does_not(rng):
    X, y = pattern_detector.motif_signals(200, 24, range(0, 9), rng)
    X_right, y_right = pattern_detector.motif_signals(400, 24, range(12, 21), rng)
    conv, local = (pattern_detector.detector(kind, 24, 4, rng) for kind in ("conv", "local"))
    for model in (conv, local):
        pattern_detector.train_detector(model, X, y)
    assert pattern_detector.accuracy(conv, X_right, y_right) > 0.85
    assert pattern_detector.accuracy(local, X_right, y_right) < 0.7
