"""The self-checks of chapters 15 and 16 accept the right answers and reject wrong ones."""

import numpy as np
import pytest

from knobs import LayerNorm, softmax
from knobs.calibration import fit_intercept, logit
from knobs.exercises import ch15, ch16


def test_ch15_checks():
    assert ch15.check_deploy_bias(-1.1 + logit(0.6) - logit(0.2))
    assert not ch15.check_deploy_bias(-1.1 + logit(0.2) - logit(0.6))
    assert ch15.check_baseline_shares(softmax(np.array([0.0, -0.6, 0.9])))
    assert not ch15.check_baseline_shares([1 / 3, 1 / 3, 1 / 3])
    assert ch15.check_fixed_point_bias(2.0) and not ch15.check_fixed_point_bias(10.0)
    assert ch15.check_steps_to_one_percent(21) and not ch15.check_steps_to_one_percent(20)


def test_ch16_number_checks():
    assert ch16.check_sepsis_bias(-0.35 + logit(0.03))
    assert ch16.check_centering_bias(-3.0) and not ch16.check_centering_bias(3.0)
    assert ch16.check_z_std(np.sqrt(2.55)) and not ch16.check_z_std(2.55)
    assert ch16.check_bn_bias_gradient(np.zeros(2))
    assert not ch16.check_bn_bias_gradient(np.ones(2))
    assert ch16.check_mlp_parameters(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10)
    assert ch16.check_hessian_gigabytes((235_146 ** 2) * 4 / 1e9)
    assert not ch16.check_hessian_gigabytes((235_146 ** 2) * 8 / 1e9)
    assert ch16.check_sharing_counts((448, 900 * 448, 3072 * 14_400 + 14_400))
    assert ch16.check_activation_ratio((784 + 20 * 256 + 10) / (784 + 256))
    assert ch16.check_converging({-0.9, 0.5, 0.99})
    assert not ch16.check_converging({-1.0, -0.9, 0.5, 0.99})
    assert ch16.check_implied_fpr(0.3 / 0.7 * 0.3 / 0.7 * 0.8)
    assert ch16.check_distinct_units(1) and not ch16.check_distinct_units(4)


def test_ch16_neuron_gradients_by_hand():
    z = ch16.NEURON_W @ ch16.NEURON_X + ch16.NEURON_B
    a = 1 / (1 + np.exp(-z))
    delta = 2 * (a - ch16.NEURON_Y) * a * (1 - a)
    assert ch16.check_neuron_gradients(np.r_[delta * ch16.NEURON_X, delta])
    assert not ch16.check_neuron_gradients(np.r_[delta * ch16.NEURON_X, 0.0])


def test_ch16_function_checks_accept_right_and_reject_wrong_functions():
    assert ch16.check_fit_bias(fit_intercept)
    assert not ch16.check_fit_bias(lambda z, y: logit(y.mean()))  # ignores the logits
    assert "raised" in ch16.check_fit_bias(lambda z, y: 1 / 0).message
    assert "expected a function" in ch16.check_fit_bias(3.0).message
    assert ch16.check_surviving_bias(lambda b: b - b.mean())
    assert not ch16.check_surviving_bias(lambda b: b)
    assert ch16.check_layer_gradients(lambda X, dZ: (dZ.T @ X, dZ.sum(axis=0)))
    assert not ch16.check_layer_gradients(lambda X, dZ: (dZ.T @ X, dZ.mean(axis=0)))
    assert not ch16.check_layer_gradients(lambda X, dZ: (X.T @ dZ, dZ.sum(axis=0)))
    assert not ch16.check_layer_gradients(lambda X, dZ: None)


def test_ch16_hessian_check_uses_the_data_it_is_given(rng):
    X = 3.0 + rng.normal(size=(50, 2))
    raw = np.hstack([X, np.ones((50, 1))])
    cen = np.hstack([X - X.mean(axis=0), np.ones((50, 1))])
    answer = np.array([np.linalg.eigvalsh(F.T @ F / 200) for F in (raw, cen)])
    assert ch16.check_hessian_eigenvalues(answer, X)
    assert not ch16.check_hessian_eigenvalues(answer[::-1], X)
    assert "pass the data" in ch16.check_hessian_eigenvalues(answer).message


@pytest.mark.parametrize("n", [2, 5, 8])
def test_the_surviving_part_of_a_bias_is_what_layernorm_sees(rng, n):
    b = rng.normal(size=n) + 3.0
    Z, ln = rng.normal(size=(4, n)), LayerNorm(n)
    assert np.allclose(ln.forward(Z + b), ln.forward(Z + (b - b.mean())))
    assert not np.allclose(ln.forward(Z + b), ln.forward(Z))


def test_distinct_rows():
    assert ch16.distinct_rows(np.ones((4, 2))) == 1
    assert ch16.distinct_rows(np.eye(3)) == 3
