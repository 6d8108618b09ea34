"""Chapter 12: constraints that pay, weight sharing."""

from __future__ import annotations

import numpy as np

from .. import accounting
from ..conv import Conv2d
from ..selfcheck import CheckResult, check

# the exercise's layer: 8 filters of 5 x 5 on a 1 x 28 x 28 (MNIST-sized) image, stride 1
MNIST = {"image_size": 28, "c_in": 1, "c_out": 8, "kernel": 5}


def check_mnist_counts(answer) -> CheckResult:
    """``(conv, locally_connected, dense)`` parameter counts of the ``MNIST`` layer."""
    expected = (accounting.conv_parameter_count(1, 8, 5),
                accounting.locally_connected_parameter_count(**MNIST),
                accounting.dense_image_parameter_count(**MNIST))
    return check(answer, expected, name="Your three counts",
                 hint="count the patches first; every layer has one bias per output it owns.")


def exercise_images() -> np.ndarray:
    """Two fixed 1-channel 5 x 6 images (no randomness), for the im2col exercise."""
    return np.cos(0.37 * np.arange(2 * 5 * 6)).reshape(2, 1, 5, 6)


def exercise_conv() -> Conv2d:
    """The exercise's convolution: 2 filters of 3 x 3, stride 1, fixed weights and biases."""
    conv = Conv2d(1, 2, 3, init="zeros")
    conv.W[...] = np.sin(1.0 + np.arange(conv.W.size)).reshape(conv.W.shape)
    conv.b[...] = [0.5, -0.25]
    return conv


def check_patch_product(answer) -> CheckResult:
    """The output of ``exercise_conv()`` on ``exercise_images()``, shape ``(2, 2, 3, 4)``."""
    return check(answer, exercise_conv().forward(exercise_images()),
                 name="Your convolution output",
                 hint="P = im2col(X, 3) has one row per patch; multiply by W.T, add b, then move "
                      "the channel axis in front of the patch grid and reshape it to 3 x 4.")
