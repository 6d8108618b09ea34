import atexit
import tempfile

import numpy as np
import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

# Property tests (hypothesis) are reproducible and leave nothing behind: the same examples on every
# run (derandomize), no example database (no .hypothesis folder), no per-example deadline (the
# machine may be busy), few examples (each property is cheap, the suite stays fast).
settings.register_profile("knobs", derandomize=True, database=None, deadline=None,
                          max_examples=30)
settings.load_profile("knobs")
# hypothesis also caches the constants it mines from the source and its unicode tables: in a
# directory of this run, removed at exit, not in a .hypothesis folder of the working tree
_home = tempfile.TemporaryDirectory(prefix="knobs-hypothesis-")
atexit.register(_home.cleanup)
set_hypothesis_home_dir(_home.name)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
