"""Chapter 12's exercise, the strided layer: the count is accepted, the usual mistakes rejected."""

import numpy as np
import pytest

from knobs.analysis import accounting
from knobs.nn.conv import Conv2d
from knobs.ui.exercises import ch12


def test_strided_local_count_is_the_patches_times_the_filter_bank():
    conv = Conv2d(3, 16, 3, stride=2, padding=1, init="zeros")
    out = conv.forward(np.zeros((1, 3, 32, 32)))
    assert out.shape == (1, 16, 16, 16)
    expected = 16 * 16 * 448
    assert accounting.locally_connected_parameter_count(**ch12.STRIDED) == expected == 114_688
    assert ch12.check_strided_local_count(expected)


@pytest.mark.parametrize("wrong", [448, 30 * 30 * 448, 15 * 15 * 448, 16 * 16 * 432])
def test_strided_local_count_rejects_ignoring_stride_padding_or_biases(wrong):
    # the convolution's own count; stride and padding ignored; padding ignored; no biases
    result = ch12.check_strided_local_count(wrong)
    assert not result and "stride and the padding" in result.message
