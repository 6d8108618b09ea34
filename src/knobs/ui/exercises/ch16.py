"""Chapter 16: hands-on problems, one self-check per answer.

Checks of a number compare it with the engine's result. Checks of a function (``check_fit_bias``,
``check_surviving_bias``, ``check_layer_gradients``) call the reader's function on several cases
of their own and compare every result with the engine's.
"""

from __future__ import annotations

import numpy as np

from knobs.analysis import accounting, fixed_points, moments
from knobs.analysis.logistic import hessian_at_zero
from knobs.nn.activations import Sigmoid, Tanh, sigmoid
from knobs.nn.linear import Linear
from knobs.nn.losses import MSELoss
from knobs.nn.module import Sequential, train_step
from knobs.nn.norm import BatchNorm1d
from knobs.nn.optim import SGD
from knobs.studies import calibration, fairness, logic_gates
from knobs.ui.selfcheck import CheckResult, check

# Problem 4: the statistics of z = wᵀx + b for x ~ N(mu, Sigma).
STATS_MU = np.array([2.0, -1.0, 0.5])
STATS_SIGMA = np.array([[1.0, 0.5, 0.0], [0.5, 2.0, 0.3], [0.0, 0.3, 0.5]])
STATS_W = np.array([0.5, -1.0, 2.0])

# Problem 6: one sigmoid neuron, one sample, squared error.
NEURON_X = np.array([1.5, -2.0, 0.5])
NEURON_W = np.array([0.2, 0.4, -0.1])
NEURON_B = 0.3
NEURON_Y = 1.0

# Problem 7: the four XOR points for the carbon-copy network.
XOR_X = logic_gates.INPUTS
XOR_Y = logic_gates.targets_of("XOR")[:, None]

# Problems 9 and 11: a dense network and a deep, narrow one for MNIST-sized inputs.
MLP_SIZES = [784, 256, 128, 10]
DEEP_SIZES = [784] + [256] * 20 + [10]

# Problem 10: a strided convolution on RGB images (stride 3, no padding).
SHARING_IMAGE, SHARING_C_IN, SHARING_C_OUT, SHARING_KERNEL, SHARING_STRIDE = 64, 3, 32, 5, 3

# Problem 12: the recurrence x_{t+1} = a x_t + 2 from x_0 = 0, for each of these a.
RECURRENCE_A = (-1.2, -1.0, -0.9, 0.5, 0.99, 1.0, 1.05)

_CASES_SEED = 1616  # the checks' own test cases, independent of the chapter's generator
# A function's check draws its cases from ``seed``: the reader's self-check uses _CASES_SEED, an
# assignment's hidden tests (tools/assignments.py) other seeds, so a function that only knows the
# self-check's cases fails there.


def _call(fn, name: str, *args):
    """Run the reader's function; returns ``(value, None)`` or ``(None, failed CheckResult)``."""
    if fn is None or fn is Ellipsis:
        return None, check(None, 0.0, name=name)
    if not callable(fn):
        return None, CheckResult(False, f"{name}: expected a function, got {type(fn).__name__}.")
    try:
        return fn(*(a.copy() if isinstance(a, np.ndarray) else a for a in args)), None
    except Exception as err:  # the reader's code: report any failure instead of raising
        return None, CheckResult(False, f"{name}: your function raised "
                                        f"{type(err).__name__}: {err}")


def _all_cases(fn, name: str, hint: str, cases) -> CheckResult:
    """Check ``fn(*args)`` against ``expected`` for every ``(args, expected)`` in ``cases``."""
    result = None
    for args, expected in cases:
        value, failed = _call(fn, name, *args)
        if failed is not None:
            return failed
        result = check(value, expected, name=name, hint=hint)
        if not result:
            return result
    assert result is not None  # every caller passes three cases
    return result


# --- Problem 1 and 2: bias calibration -------------------------------------------------------

def check_sepsis_bias(answer) -> CheckResult:
    """Bias ``-0.35`` learned on balanced data (prevalence 0.5), deployed where it is 0.03."""
    return check(answer, calibration.shift_intercept(-0.35, 0.5, 0.03), name="Your bias",
                 decimals=3, hint="b + logit(0.03) - logit(0.5), with logit(p) = log(p / (1 - p)).")


def check_fit_bias(fn, seed: int = _CASES_SEED) -> CheckResult:
    """``fn(z, y)`` returns the maximum-likelihood bias for fixed logits ``z`` and labels ``y``
    (three cases drawn from ``seed``)."""
    rng = np.random.default_rng(seed)
    cases = []
    for scale, offset, b_true in ((1.0, 0.0, -1.0), (2.5, 1.0, -3.0), (0.5, -2.0, 2.0)):
        z = offset + scale * rng.normal(size=400)
        y = (rng.random(400) < sigmoid(z + b_true)).astype(np.float64)
        cases.append(((z, y), calibration.fit_intercept(z, y)))
    return _all_cases(fn, "Your fit_bias", "Newton's method on b alone: the gradient is "
                      "mean(σ(z + b)) - mean(y), the curvature mean(σ(1 - σ)); iterate until "
                      "the gradient is below 1e-12.", cases)


# --- Problem 3: curvature ---------------------------------------------------------------------

def check_hessian_eigenvalues(answer, X=None) -> CheckResult:
    """Eigenvalues, ascending, of the logistic-loss Hessian at ``(w, b) = 0`` for ``X`` raw and
    centered: an array of shape ``(2, n_in + 1)``, the raw row first."""
    if answer is None or answer is Ellipsis:
        return check(None, 0.0, name="Your eigenvalues")
    if X is None:
        return CheckResult(False, "Your eigenvalues: pass the data too, "
                                  "check_hessian_eigenvalues(answer, X).")
    X = np.asarray(X, dtype=np.float64)
    expected = np.array([np.linalg.eigvalsh(hessian_at_zero(F)) for F in (X, X - X.mean(axis=0))])
    return check(answer, expected, name="Your eigenvalues", rtol=1e-6, atol=1e-12,
                 hint="at (w, b) = 0 every p(1 - p) is 1/4, so H = X̃ᵀX̃ / (4m) with X̃ = [X, 1]; "
                      "use np.linalg.eigvalsh (ascending) and stack raw over centered.")


# --- Problems 4 and 5: Part I, statistics and normalization -----------------------------------

def check_centering_bias(answer) -> CheckResult:
    """The bias that gives ``z = wᵀx + b`` mean zero for ``x ~ N(STATS_MU, STATS_SIGMA)``."""
    return check(answer, moments.compensating_bias(STATS_W, STATS_MU), name="Your bias",
                 hint="E[z] = wᵀμ + b.")


def check_z_std(answer) -> CheckResult:
    """The standard deviation of ``z = wᵀx + b`` for ``x ~ N(STATS_MU, STATS_SIGMA)``."""
    return check(answer, float(np.sqrt(moments.net_input_covariance(STATS_W, STATS_SIGMA))),
                 name="Your standard deviation", rtol=1e-4, decimals=3,
                 hint="Var(z) = wᵀΣw, whatever b is; take the square root.")


def check_bn_bias_gradient(answer) -> CheckResult:
    """The gradient of a loss w.r.t. the bias of ``Linear(3, 2)`` followed by ``BatchNorm1d(2)``."""
    rng = np.random.default_rng(_CASES_SEED)
    model = Sequential(Linear(3, 2, rng=rng, bias_init="normal"), BatchNorm1d(2))
    X, target = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    loss = MSELoss()
    loss.forward(model.forward(X), target)
    model.backward(loss.backward())
    return check(answer, model.gradients()["0.b"], name="Your gradient", atol=1e-9,
                 hint="BatchNorm subtracts the batch mean of every column, and b is in it.")


def check_surviving_bias(fn, seed: int = _CASES_SEED) -> CheckResult:
    """``fn(b)`` returns the part of ``b`` that LayerNorm does not cancel (three cases drawn from
    ``seed``)."""
    rng = np.random.default_rng(seed)
    cases = []
    for n in (2, 5, 8):
        b = rng.normal(size=n) + rng.normal()
        # tests/ui/test_exercises_ch15_ch16.py checks that LayerNorm agrees
        cases.append(((b,), b - b.mean()))
    return _all_cases(fn, "Your surviving_bias", "LayerNorm subtracts each sample's mean over "
                      "its features; which component of b does that remove?", cases)


# --- Problems 6, 7 and 8: Part II, gradients, symmetry, batches -------------------------------

def check_neuron_gradients(answer) -> CheckResult:
    """``(∂C/∂w_1, ∂C/∂w_2, ∂C/∂w_3, ∂C/∂b)`` for ``C = (σ(wᵀx + b) - y)²`` at the given values."""
    model = Sequential(Linear.from_arrays(NEURON_W[None, :], [NEURON_B]), Sigmoid())
    loss = MSELoss()
    loss.forward(model.forward(NEURON_X[None, :]), np.array([[NEURON_Y]]))
    model.backward(loss.backward())
    grads = model.gradients()
    return check(answer, np.concatenate([grads["0.W"].ravel(), grads["0.b"]]),
                 name="Your gradients", rtol=1e-5, decimals=4,
                 hint="δ = 2(a - y) σ'(z); then ∂C/∂w = δ x and ∂C/∂b = δ · 1.")


def distinct_rows(W, tol: float = 1e-9) -> int:
    """How many different rows ``W`` has, rows closer than ``tol`` counting as one."""
    W = np.asarray(W, dtype=np.float64)
    kept: list[np.ndarray] = []
    for row in W:
        if not any(np.max(np.abs(row - k)) < tol for k in kept):
            kept.append(row)
    return len(kept)


def check_distinct_units(answer) -> CheckResult:
    """Distinct hidden units after training the constant-initialized 2-4-1 tanh net on XOR."""
    model = Sequential(Linear(2, 4, init="constant", init_options={"value": 0.5}), Tanh(),
                       Linear(4, 1, init="constant", init_options={"value": 0.5}))
    opt, loss = SGD(model, lr=0.2), MSELoss()
    for _ in range(300):
        train_step(model, loss, opt, XOR_X, XOR_Y)
    return check(answer, distinct_rows(model[0].W), name="Your count",
                 hint="every hidden unit starts the same and receives the same gradient.")


def check_layer_gradients(fn, seed: int = _CASES_SEED) -> CheckResult:
    """``fn(X, dZ)`` returns ``(dW, db)`` of ``Z = X Wᵀ + b``, with ``dZ`` already divided by m
    (three cases drawn from ``seed``)."""
    rng = np.random.default_rng(seed)
    cases = []
    for m, n_in, n_out in ((1, 3, 2), (5, 4, 3), (32, 6, 1)):
        layer = Linear(n_in, n_out, rng=rng)
        X, dZ = rng.normal(size=(m, n_in)), rng.normal(size=(m, n_out)) / m
        layer.forward(X)
        layer.backward(dZ)
        cases.append(((X, dZ), np.concatenate([layer.dW.ravel(), layer.db])))

    def flat(X, dZ):
        out = fn(X, dZ)
        if out is None:
            return None
        dW, db = out
        return np.concatenate([np.ravel(dW), np.ravel(db)])

    if fn is None or fn is Ellipsis:
        return check(None, 0.0, name="Your layer_gradients")
    return _all_cases(flat, "Your layer_gradients", "dW = dZᵀ X has the shape of W, "
                      "(n_out, n_in); db sums dZ over the samples (axis 0).", cases)


# --- Problems 9, 10 and 11: Part III, counting, sharing, memory -------------------------------

def bias_count(sizes) -> int:
    """Biases of a dense network with layer widths ``sizes``: one per unit after the input."""
    return accounting.dense_parameter_count(sizes) - accounting.dense_parameter_count(sizes,
                                                                                     bias=False)


def check_bias_fraction(answer) -> CheckResult:
    """The fraction of the ``MLP_SIZES`` network's parameters that are biases, to three
    significant digits."""
    expected = bias_count(MLP_SIZES) / accounting.dense_parameter_count(MLP_SIZES)
    return check(answer, expected, name="Your fraction", significant=3,
                 hint="one bias per unit of every layer after the input, divided by all the "
                      "parameters (n_in · n_out weights and n_out biases per layer).")


def check_bias_block_bytes(answer) -> CheckResult:
    """Bytes of the float32 bias-bias block ``∂²C/∂b∂b`` of the ``MLP_SIZES`` network's Hessian."""
    return check(answer, accounting.hessian_bytes(bias_count(MLP_SIZES), np.float32),
                 name="Your size in bytes",
                 hint="the block has one row and one column per bias, 4 bytes per entry.")


def sharing_counts() -> tuple[int, int, int]:
    """``(conv, locally connected, dense)`` parameter counts of the ``SHARING_*`` layer."""
    geometry: accounting.ImageLayerGeometry = {
        "image_size": SHARING_IMAGE, "c_in": SHARING_C_IN, "c_out": SHARING_C_OUT,
        "kernel": SHARING_KERNEL, "stride": SHARING_STRIDE}
    return (accounting.conv_parameter_count(SHARING_C_IN, SHARING_C_OUT, SHARING_KERNEL),
            accounting.locally_connected_parameter_count(**geometry),
            accounting.dense_image_parameter_count(**geometry))


def check_sharing_counts(answer) -> CheckResult:
    """``(conv, locally connected, dense)`` for 32 filters of 5×5×3, stride 3, on 64×64×3."""
    return check(answer, sharing_counts(), name="Your counts",
                 hint="with stride s the kernel stops at floor((H - k)/s) + 1 positions per axis; "
                      "a convolution is one small dense layer (75 inputs, 32 outputs) shared by "
                      "every patch, a locally connected layer has one per patch.")


def check_activation_ratio(answer) -> CheckResult:
    """Training over inference activation memory of ``DEEP_SIZES`` for a batch of 64."""
    train = accounting.activation_bytes(DEEP_SIZES, 64, training=True)
    infer = accounting.activation_bytes(DEEP_SIZES, 64, training=False)
    return check(answer, train / infer, name="Your ratio", rtol=1e-4, decimals=3,
                 hint="training keeps every layer's activations; inference only the widest two "
                      "consecutive layers at a time. The batch size cancels.")


# --- Problems 12 and 13: time series and fairness ----------------------------------------------

def check_converging(answer) -> CheckResult:
    """The values in ``RECURRENCE_A`` for which ``x_{t+1} = a x_t + 2`` from 0 converges."""
    converging = set()
    for a in RECURRENCE_A:
        if a == 1.0:  # x_t = 2t: no fixed point at all
            continue
        star = fixed_points.affine_fixed_point(a, 2.0)
        # two late steps: close to x* at both means settled, not just passing by
        late = fixed_points.affine_closed_form(a, 2.0, 0.0, np.array([3000, 3001]))
        if np.all(np.abs(late - star) < 1e-6):
            converging.add(a)
    return check(answer, converging, name="Your set",
                 hint="the distance to b/(1 - a) is multiplied by a at every step.")


def check_implied_fpr(answer) -> CheckResult:
    """The false positive rate forced by base rate 0.3, PPV 0.7 and FNR 0.2."""
    return check(answer, fairness.implied_fpr(0.3, 0.7, 0.2), name="Your rate", rtol=1e-4,
                 decimals=3,
                 hint="FPR = p/(1 - p) · (1 - PPV)/PPV · (1 - FNR).")
