"""Chapter 5: normalization layers and the bias."""

from __future__ import annotations

import numpy as np

from knobs.analysis.folding import fold_bias_into_batchnorm, split_along_ones
from knobs.nn.linear import Linear
from knobs.nn.norm import BatchNorm1d
from knobs.ui.selfcheck import CheckResult, check

FOLD_GAMMA, FOLD_BETA, FOLD_VAR, FOLD_MEAN, FOLD_BIAS = 2.0, 0.5, 3.99999, 7.0, 3.0
# not the chapter's own run (momentum 0.1, printed after 5, 20 and 60 steps)
SHARE_STEPS, SHARE_MOMENTUM = 30, 0.05
ANSWER_DECIMALS = 3  # ch05-ex-fold asks for both numbers to three decimals


def check_orthogonal_part(answer) -> CheckResult:
    """The part of ``b = (1, 2, 3, 6)`` orthogonal to the all-ones vector."""
    return check(answer, split_along_ones([1.0, 2.0, 3.0, 6.0])[1], name="Your b_orth",
                 hint="subtract the mean of b from every entry.")


def check_folded_beta(answer) -> CheckResult:
    """The shift β' of a one-feature BatchNorm after folding the bias ``b = 3`` into it, with
    ``γ = 2``, ``β = 0.5``, running variance ``3.99999`` and ``eps = 1e-5``, to three
    decimals (or more)."""
    bn = BatchNorm1d(1)
    bn.gamma[...], bn.beta[...] = FOLD_GAMMA, FOLD_BETA
    bn.running_mean[...], bn.running_var[...] = FOLD_MEAN, FOLD_VAR
    _, folded = fold_bias_into_batchnorm(Linear.from_arrays([[1.0]], [FOLD_BIAS]), bn)
    return check(answer, float(folded.beta[0]), name="Your β'", decimals=ANSWER_DECIMALS,
                 hint="write BN(wx + b) in evaluation mode and move every term without x into "
                      "the shift; the running mean is not needed.")


def check_running_mean_share(answer) -> CheckResult:
    """The share of a constant bias that BatchNorm's running mean holds after ``SHARE_STEPS``
    training steps with momentum ``SHARE_MOMENTUM``, starting from ``running_mean = 0``, to
    three decimals (or more)."""
    bn = BatchNorm1d(1, momentum=SHARE_MOMENTUM)
    for _ in range(SHARE_STEPS):  # batches whose mean is exactly 1: the running mean tracks it
        bn.forward(np.array([[0.0], [2.0]]))
    return check(answer, float(bn.running_mean[0]), name="Your share", rtol=1e-9,
                 decimals=ANSWER_DECIMALS,
                 hint="each step keeps (1 - momentum) of the old running mean.")
