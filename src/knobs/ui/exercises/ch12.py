"""Chapter 12: constraints that pay, weight sharing."""

from __future__ import annotations

import numpy as np

from knobs.analysis import accounting
from knobs.nn.conv import Conv2d
from knobs.ui.selfcheck import CheckResult, check

# the exercise's layer: a downsampling convolution, 16 filters of 3 x 3 on a 3 x 32 x 32 image
# with stride 2 and one pixel of zero padding on each side
STRIDED: accounting.ImageLayerGeometry = {"image_size": 32, "c_in": 3, "c_out": 16, "kernel": 3,
                                          "stride": 2, "padding": 1}


def check_strided_local_count(answer) -> CheckResult:
    """The parameter count of a locally connected layer wired like the ``STRIDED`` convolution."""
    return check(answer, accounting.locally_connected_parameter_count(**STRIDED),
                 name="Your count",
                 hint="count the patches with the stride and the padding, "
                      "H_out = (H + 2 padding - k) // stride + 1 per axis; every patch has its "
                      "own filter bank and its own biases.")


def exercise_images() -> np.ndarray:
    """Two fixed 1-channel 5 x 6 images (no randomness), for the im2col exercise."""
    return np.cos(0.37 * np.arange(2 * 5 * 6)).reshape(2, 1, 5, 6)


def exercise_conv() -> Conv2d:
    """The exercise's convolution: 2 filters of 3 x 3, stride 1, fixed weights and biases."""
    conv = Conv2d(1, 2, 3, init="zeros")
    assert conv.b is not None  # a convolution has a bias unless built with bias=False
    conv.W[...] = np.sin(1.0 + np.arange(conv.W.size)).reshape(conv.W.shape)
    conv.b[...] = [0.5, -0.25]
    return conv


def check_patch_product(answer) -> CheckResult:
    """The output of ``exercise_conv()`` on ``exercise_images()``, shape ``(2, 2, 3, 4)``."""
    return check(answer, exercise_conv().forward(exercise_images()),
                 name="Your convolution output",
                 hint="P = im2col(X, 3) has one row per patch; multiply by W.T, add b, then move "
                      "the channel axis in front of the patch grid and reshape it to 3 x 4.")
