import numpy as np
import pytest

import knobs
from knobs import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss


def numeric_loss_gradient(loss, out, target, h=1e-6):
    grad = np.zeros_like(out)
    for i in np.ndindex(out.shape):
        up, down = out.copy(), out.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (loss.forward(up, target) - loss.forward(down, target)) / (2 * h)
    return grad


@pytest.mark.parametrize("loss_cls", [MSELoss, BCEWithLogitsLoss, CrossEntropyLoss])
def test_gradient_matches_finite_differences(loss_cls, rng):
    out = rng.normal(size=(6, 3)) * 3
    if loss_cls is CrossEntropyLoss:
        target = rng.integers(0, 3, size=6)
    elif loss_cls is BCEWithLogitsLoss:
        target = rng.integers(0, 2, size=(6, 3)).astype(float)
    else:
        target = rng.normal(size=(6, 3))
    loss = loss_cls()
    loss.forward(out, target)
    analytic = loss.backward()
    np.testing.assert_allclose(analytic, numeric_loss_gradient(loss, out, target), atol=1e-8)


def test_mse_value():
    assert MSELoss().forward(np.array([[1.0], [3.0]]), np.array([[0.0], [0.0]])) == 5.0


def test_bce_is_stable_for_huge_logits():
    loss = BCEWithLogitsLoss()
    value = loss.forward(np.array([[1000.0], [-1000.0]]), np.array([[0.0], [1.0]]))
    assert value == pytest.approx(1000.0)
    np.testing.assert_allclose(loss.backward(), [[0.5], [-0.5]])


def test_cross_entropy_matches_direct_formula_and_is_stable(rng):
    Z = rng.normal(size=(4, 5))
    y = np.array([0, 3, 4, 1])
    p = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    assert CrossEntropyLoss().forward(Z, y) == pytest.approx(-np.log(p[np.arange(4), y]).mean())
    assert np.isfinite(CrossEntropyLoss().forward(Z + 1e4, y))


def test_cross_entropy_gradient_uses_full_softmax_jacobian():
    loss = CrossEntropyLoss()
    loss.forward(np.array([[0.0, 0.0]]), np.array([0]))
    np.testing.assert_allclose(loss.backward(), [[-0.5, 0.5]])  # the off-diagonal term is there


def test_softmax_rows_sum_to_one():
    np.testing.assert_allclose(knobs.softmax(np.array([[1e3, 0.0], [1.0, 2.0]])).sum(axis=1), 1)


def test_no_silent_broadcasting_between_output_and_target():
    with pytest.raises(ValueError, match=r"target must have the shape of output \(4, 1\)"):
        MSELoss().forward(np.zeros((4, 1)), np.zeros(4))


def test_cross_entropy_target_checks():
    with pytest.raises(ValueError, match="integer class indices"):
        CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="classes must lie in 0..2"):
        CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([0, 3]))


def test_bce_target_range():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        BCEWithLogitsLoss().forward(np.zeros((2, 1)), np.array([[0.0], [2.0]]))


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="before forward"):
        MSELoss().backward()
