"""Convolution, locally connected layer and pooling: finite differences, im2col identities and
the parameter counts of chapter 12."""

from fractions import Fraction

import numpy as np
import pytest

import knobs
from knobs.analysis import accounting
from knobs.nn.conv import (
    Conv2d,
    GlobalAvgPool2d,
    LocallyConnected2d,
    col2im,
    conv_output_size,
    im2col,
    output_shape,
)

GEOMETRIES = [  # (image (H, W), kernel, stride, padding)
    ((5, 6), 3, 1, 0),
    ((6, 7), (2, 3), (2, 1), 0),
    ((5, 5), 3, 2, 1),
    ((1, 9), (1, 4), (1, 2), 0),   # a 1-D signal is an image of height 1
    ((4, 4), 4, 1, 0),             # one patch: the layer is a dense layer
]


def direct_convolution(X, W, b, kernel, stride, padding):
    """The definition, one output entry at a time (cross-correlation, as in every framework)."""
    kh, kw = kernel
    sh, sw = stride
    ph, pw = padding
    m, C, H, Wd = X.shape
    Xp = np.pad(X, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    Ho, Wo = (H + 2 * ph - kh) // sh + 1, (Wd + 2 * pw - kw) // sw + 1
    K = W.reshape(W.shape[0], C, kh, kw)
    out = np.zeros((m, W.shape[0], Ho, Wo))
    for n in range(m):
        for o in range(W.shape[0]):
            for i in range(Ho):
                for j in range(Wo):
                    window = Xp[n, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
                    out[n, o, i, j] = np.sum(window * K[o]) + (0.0 if b is None else b[o])
    return out


@pytest.mark.parametrize(("image", "kernel", "stride", "padding"), GEOMETRIES)
@pytest.mark.parametrize("bias", [True, False])
def test_conv_matches_the_definition_and_finite_differences(image, kernel, stride, padding,
                                                            bias, rng):
    layer = Conv2d(2, 3, kernel, stride, padding, bias=bias, rng=rng)
    if bias:
        layer.b[...] = rng.normal(size=3)
    X = rng.normal(size=(2, 2, *image))
    expected = direct_convolution(X, layer.W, layer.b, layer.kernel, layer.stride, layer.padding)
    np.testing.assert_allclose(layer.forward(X), expected, atol=1e-12)
    errors = knobs.gradcheck(layer, X)
    assert set(errors) == set(layer.parameters()) | {"X"}
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize(("image", "kernel", "stride", "padding"), GEOMETRIES)
@pytest.mark.parametrize("bias", [True, False])
def test_locally_connected_finite_differences(image, kernel, stride, padding, bias, rng):
    layer = LocallyConnected2d(2, 3, image, kernel, stride, padding, bias=bias, rng=rng)
    X = rng.normal(size=(2, 2, *image))
    errors = knobs.gradcheck(layer, X)
    assert set(errors) == set(layer.parameters()) | {"X"}
    assert max(errors.values()) < 1e-7, errors


def test_conv_network_with_pooling_and_loss_finite_differences(rng):
    model = knobs.Sequential(Conv2d(1, 2, (1, 3), rng=rng), knobs.Tanh(), GlobalAvgPool2d(),
                             knobs.Linear(2, 1, rng=rng))
    X = rng.normal(size=(4, 1, 1, 8))
    y = rng.integers(0, 2, size=(4, 1)).astype(float)
    errors = knobs.gradcheck(model, X, loss=knobs.BCEWithLogitsLoss(), target=y)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize(("image", "kernel", "stride", "padding"), GEOMETRIES)
def test_conv_is_one_dense_layer_applied_to_every_patch(image, kernel, stride, padding, rng):
    conv = Conv2d(2, 3, kernel, stride, padding, rng=rng)
    conv.b[...] = rng.normal(size=3)
    X = rng.normal(size=(2, 2, *image))
    P = im2col(X, kernel, stride, padding)
    dense = knobs.Linear.from_arrays(conv.W, conv.b)
    Ho, Wo = output_shape(image, kernel, stride, padding)
    per_patch = np.stack([dense.forward(P[:, p]) for p in range(Ho * Wo)], axis=2)
    np.testing.assert_allclose(conv.forward(X), per_patch.reshape(2, 3, Ho, Wo), atol=1e-12)


def test_shared_weight_gradient_is_the_sum_of_the_patch_gradients(rng):
    conv = Conv2d(1, 2, 3, rng=rng)
    X = rng.normal(size=(3, 1, 5, 5))
    dZ = rng.normal(size=(3, 2, 3, 3))
    conv.forward(X)
    conv.backward(dZ)
    P = im2col(X, 3)
    dense = knobs.Linear.from_arrays(conv.W, conv.b)
    dW, db = np.zeros_like(conv.W), np.zeros_like(conv.b)
    for p in range(9):
        dense.forward(P[:, p])
        dense.backward(dZ.reshape(3, 2, 9)[:, :, p])
        dW += dense.dW
        db += dense.db
    np.testing.assert_allclose(conv.dW, dW, atol=1e-12)
    np.testing.assert_allclose(conv.db, db, atol=1e-12)


def test_locally_connected_with_identical_filters_is_a_convolution(rng):
    conv = Conv2d(2, 3, 2, stride=2, rng=rng)
    local = LocallyConnected2d(2, 3, (6, 4), 2, stride=2, rng=rng)
    local.W[...] = conv.W      # broadcast one filter bank to every position: sharing by hand
    local.b[...] = conv.b
    X = rng.normal(size=(2, 2, 6, 4))
    np.testing.assert_allclose(local.forward(X), conv.forward(X), atol=1e-12)


def test_col2im_is_the_adjoint_of_im2col(rng):
    # <im2col(X), Y> = <X, col2im(Y)> for every X, Y: the defining property of the backward pass
    X = rng.normal(size=(2, 3, 7, 6))
    P = im2col(X, (3, 2), (2, 2), 1)
    Y = rng.normal(size=P.shape)
    assert np.isclose(np.sum(P * Y), np.sum(X * col2im(Y, X.shape, (3, 2), (2, 2), 1)))


def test_translation_equivariance_and_pooled_invariance(rng):
    conv = Conv2d(1, 2, 3, rng=rng)
    local = LocallyConnected2d(1, 2, 12, 3, rng=rng)
    X = np.zeros((1, 1, 12, 12))
    X[0, 0, 2:5, 3:6] = rng.normal(size=(3, 3))
    shifted = np.roll(X, (2, 3), axis=(2, 3))  # the pattern stays well inside the image
    out, out_shifted = conv.forward(X), conv.forward(shifted)
    np.testing.assert_allclose(np.roll(out, (2, 3), axis=(2, 3)), out_shifted, atol=1e-12)
    pool = GlobalAvgPool2d()
    np.testing.assert_allclose(pool.forward(out), pool.forward(out_shifted), atol=1e-12)
    moved = np.roll(local.forward(X), (2, 3), axis=(2, 3))
    assert np.max(np.abs(moved - local.forward(shifted))) > 1e-2


def test_parameter_counts_of_built_layers_match_the_formulas(rng):
    image, kernel, stride, padding = (12, 10), 3, 2, 1
    conv = Conv2d(3, 4, kernel, stride, padding, rng=rng)
    local = LocallyConnected2d(3, 4, image, kernel, stride, padding, rng=rng)
    patches = accounting.patch_count(image, kernel, stride, padding)
    assert patches == 6 * 5
    assert knobs.count_parameters(conv) == accounting.conv_parameter_count(3, 4, kernel) == 112
    assert knobs.count_parameters(local) == accounting.locally_connected_parameter_count(
        image, 3, 4, kernel, stride, padding)
    ratio = Fraction(knobs.count_parameters(conv), knobs.count_parameters(local))
    assert ratio == Fraction(1, patches)
    dense = knobs.Linear(3 * 12 * 10, 4 * patches, rng=rng)
    assert knobs.count_parameters(dense) == accounting.dense_image_parameter_count(
        image, 3, 4, kernel, stride, padding)
    no_bias = LocallyConnected2d(3, 4, image, kernel, stride, padding, bias=False, rng=rng)
    assert knobs.count_parameters(no_bias) == accounting.locally_connected_parameter_count(
        image, 3, 4, kernel, stride, padding, bias=False)


def test_output_sizes():
    assert conv_output_size(32, 3) == 30
    assert conv_output_size(32, 3, stride=2, padding=1) == 16
    assert conv_output_size(5, 5) == 1
    with pytest.raises(ValueError, match="does not fit"):
        conv_output_size(4, 5)


def test_shape_errors_name_expected_and_received(rng):
    conv = Conv2d(2, 3, 3, rng=rng)
    with pytest.raises(ValueError, match=r"\(m, 2, H, W\).*got shape \(1, 3, 5, 5\)"):
        conv.forward(np.ones((1, 3, 5, 5)))
    with pytest.raises(ValueError, match="does not fit"):
        conv.forward(np.ones((1, 2, 2, 2)))
    with pytest.raises(RuntimeError, match="before forward"):
        conv.backward(np.ones((1, 3, 3, 3)))
    conv.forward(np.ones((1, 2, 5, 5)))
    with pytest.raises(ValueError, match="shape of the forward output"):
        conv.backward(np.ones((1, 3, 2, 2)))
    local = LocallyConnected2d(2, 3, 5, 3, rng=rng)
    with pytest.raises(ValueError, match=r"images of size \(5, 5\)"):
        local.forward(np.ones((1, 2, 6, 5)))
