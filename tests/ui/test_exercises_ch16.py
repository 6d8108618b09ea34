"""Chapter 16's self-checks accept the right answers and reject wrong ones."""

import numpy as np
import pytest

from knobs.studies.calibration import fit_intercept, logit, shift_intercept
from knobs.studies.fairness import implied_fpr
from knobs.ui.exercises import ch16


def test_ch16_number_checks():
    assert ch16.check_sepsis_bias(-0.35 + logit(0.03))
    assert ch16.check_centering_bias(-3.0) and not ch16.check_centering_bias(3.0)
    assert ch16.check_z_std(np.sqrt(2.55)) and not ch16.check_z_std(2.55)
    assert ch16.check_bn_bias_gradient(np.zeros(2))
    assert not ch16.check_bn_bias_gradient(np.ones(2))
    n_biases = 256 + 128 + 10
    n_params = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10
    assert ch16.bias_count(ch16.MLP_SIZES) == n_biases
    assert ch16.check_bias_fraction(n_biases / n_params)
    assert not ch16.check_bias_fraction((256 + 128) / n_params)  # the output layer's forgotten
    assert ch16.check_bias_block_bytes(n_biases ** 2 * 4)
    assert not ch16.check_bias_block_bytes(n_biases ** 2 * 8)  # float64
    assert not ch16.check_bias_block_bytes(n_params ** 2 * 4)  # the full Hessian
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


def test_ch16_function_checks_draw_new_cases_from_another_seed():
    # a "function" that has memorised the self-check's cases (seed 1616) passes it, and fails
    # the same check on cases drawn from another seed, as an assignment's hidden test draws them
    seen = {}

    def recording(b):
        seen[b.tobytes()] = b - b.mean()
        return b - b.mean()

    assert ch16.check_surviving_bias(recording)

    def memorised(b):
        return seen.get(b.tobytes(), np.zeros_like(b))

    assert ch16.check_surviving_bias(memorised)
    assert not ch16.check_surviving_bias(memorised, seed=7)
    for seed in (7, 8):
        assert ch16.check_fit_bias(fit_intercept, seed=seed)
        assert ch16.check_surviving_bias(lambda b: b - b.mean(), seed=seed)
        assert ch16.check_layer_gradients(lambda X, dZ: (dZ.T @ X, dZ.sum(axis=0)), seed=seed)
        assert not ch16.check_layer_gradients(lambda X, dZ: (dZ.T @ X, dZ.mean(axis=0)),
                                              seed=seed)


def test_ch16_hessian_check_uses_the_data_it_is_given(rng):
    X = 3.0 + rng.normal(size=(50, 2))
    raw = np.hstack([X, np.ones((50, 1))])
    cen = np.hstack([X - X.mean(axis=0), np.ones((50, 1))])
    answer = np.array([np.linalg.eigvalsh(F.T @ F / 200) for F in (raw, cen)])
    assert ch16.check_hessian_eigenvalues(answer, X)
    assert not ch16.check_hessian_eigenvalues(answer[::-1], X)
    assert "pass the data" in ch16.check_hessian_eigenvalues(answer).message


def test_distinct_rows():
    assert ch16.distinct_rows(np.ones((4, 2))) == 1
    assert ch16.distinct_rows(np.eye(3)) == 3


def test_ch16_strided_sharing_counts_by_hand():
    positions = ((64 - 5) // 3 + 1) ** 2  # 20 x 20 patches with stride 3
    conv = 32 * 5 * 5 * 3 + 32
    assert positions == 400
    assert ch16.check_sharing_counts((conv, positions * conv, 64 * 64 * 3 * 32 * positions
                                      + 32 * positions))
    stride_one = ((64 - 5) + 1) ** 2  # forgetting the stride
    assert not ch16.check_sharing_counts((conv, stride_one * conv, 64 * 64 * 3 * 32 * stride_one
                                          + 32 * stride_one))
    assert not ch16.check_sharing_counts((448, 900 * 448, 3072 * 14_400 + 14_400))  # chapter 12's


# Each value as the chapter's solution prints it, rounded as the question asks, is accepted; a
# conceptually wrong answer of the same precision still gets the hint, not "rounded differently".
ROUNDED_AS_ASKED = [
    (ch16.check_sepsis_bias, -3.826, -3.857),  # logit(0.03) taken as log(0.03)
    (ch16.check_z_std, 1.597, 2.550),          # the variance, not the standard deviation
    (ch16.check_neuron_gradients, [-0.4151, 0.5535, -0.1384, -0.2767],
     [-0.4151, 0.5535, -0.1384, 0.0]),           # forgot that the bias sees an input of 1
    (ch16.check_activation_ratio, 5.687, 7.543),  # inference taken as the input layer alone
    (ch16.check_implied_fpr, 0.147, 0.037),    # FNR used where 1 - FNR belongs
    (ch16.check_bias_fraction, 0.00168, 0.00163),  # the output layer's biases forgotten
]


@pytest.mark.parametrize(("check", "printed", "wrong"), ROUNDED_AS_ASKED,
                         ids=[c.__name__ for c, _, _ in ROUNDED_AS_ASKED])
def test_rounded_answers_are_accepted_and_wrong_ones_get_the_hint(check, printed, wrong):
    accepted = check(printed)
    assert accepted, accepted.message
    rejected = check(wrong)
    assert not rejected and "Hint:" in rejected.message and "rounded" not in rejected.message


@pytest.mark.parametrize("check", [ch16.check_sepsis_bias, ch16.check_implied_fpr])
def test_the_other_neighbour_of_the_asked_digit_is_called_rounding(check):
    # the 3-decimal number on the far side of the engine's value (a truncation, say): within one
    # unit of the last digit, so "rounded differently", not wrong
    exact = {ch16.check_sepsis_bias: shift_intercept(-0.35, 0.5, 0.03),
             ch16.check_implied_fpr: implied_fpr(0.3, 0.7, 0.2)}[check]
    nearest = round(exact, 3)
    other = round(nearest + (0.001 if exact > nearest else -0.001), 3)
    assert check(nearest)
    slipped = check(other)
    assert not slipped and "rounded differently" in slipped.message
