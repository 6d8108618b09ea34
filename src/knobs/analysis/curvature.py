"""The loss of one linear neuron as a function of its two knobs ``(w, b)``: curvature and cost.

Write the parameters in homogeneous coordinates, ``θ = [w; b]`` and ``X̃ = [X, 1]`` (the bias
is the weight of a constant input 1). The mean squared error of ``y_hat = X w + b`` is then the
quadratic ``L(θ) = mean((X̃ θ - y)²)`` with the constant Hessian

    H = (2/m) X̃ᵀ X̃ = 2 [[ E[x xᵀ],  E[x] ],
                        [ E[x]ᵀ,    1    ]]      (sample averages, shape ``(n_in+1, n_in+1)``)

The block coupling ``w`` and ``b`` is the feature mean: uncentered features tilt and stretch the
loss surface, which raises the condition number ``λ_max / λ_min`` of ``H``, and gradient descent
needs about ``κ/2 · ln(1/tol)`` steps. Centering the features zeroes the coupling block.

Shapes: ``X: (m, n_in)``, ``y: (m,)`` or ``(m, 1)``, ``w: (n_in,)``, ``b`` a float.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from knobs.analysis.regularization import augment
from knobs.nn.linear import Linear
from knobs.nn.losses import BCEWithLogitsLoss, Loss, MSELoss
from knobs.nn.optim import SGD
from knobs.validate import as_float_array, positive_float, positive_int


def _batch(X) -> np.ndarray:
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must have shape (m, n_in) with samples in rows, got shape {X.shape}")
    return X


def _targets(y, m: int) -> np.ndarray:
    y = as_float_array(y, "y")
    if y.shape not in ((m,), (m, 1)):
        raise ValueError(f"y must have shape ({m},) or ({m}, 1), got shape {y.shape}")
    return y.reshape(m)


def least_squares(X, y) -> tuple[np.ndarray, float]:
    """The minimizer ``(w, b)`` of ``mean((X w + b - y)²)`` (minimum-norm if not unique).

    Its intercept always satisfies ``b = mean(y) - wᵀ mean(X)``: setting ``∂L/∂b = 0`` says the
    mean residual is zero.
    """
    Xt = augment(X)
    theta, *_ = np.linalg.lstsq(Xt, _targets(y, Xt.shape[0]), rcond=None)
    return theta[:-1].copy(), float(theta[-1])


def neuron_hessian(loss: Loss, X, z, target) -> np.ndarray:
    """Hessian in ``θ = [w; b]`` of a mean loss of one linear neuron ``z = X w + b``, at ``z``.

    Each sample's loss depends on its own ``z_i`` only, so the loss's curvature in ``z`` is a
    diagonal ``c = ∂²L/∂z² = loss.hessian_product(1)`` and the chain rule through the linear
    ``z = X̃ θ`` gives ``X̃ᵀ diag(c) X̃``. Shape ``(n_in + 1, n_in + 1)``, the bias last.
    """
    Xt = augment(X)
    z = as_float_array(z, "z").reshape(-1, 1)
    if z.shape[0] != Xt.shape[0]:
        raise ValueError(f"z must hold one net input per sample ({Xt.shape[0]}), got {z.size}")
    loss.forward(z, as_float_array(target, "target").reshape(-1, 1))
    c = loss.hessian_product(np.ones_like(z))[:, 0]
    H = (Xt.T * c) @ Xt
    # a matrix product need not round its (i, j) and (j, i) entries alike: keep H exactly symmetric
    return 0.5 * (H + H.T)


def mse_hessian(X) -> np.ndarray:
    """Hessian of ``MSELoss`` of ``X w + b`` in ``θ = [w; b]``: ``(2/m) X̃ᵀ X̃``.

    It does not depend on ``θ`` or on the targets: the loss is exactly quadratic.
    Returns shape ``(n_in + 1, n_in + 1)``, the bias last.
    """
    m = _batch(X).shape[0]
    return neuron_hessian(MSELoss(), X, np.zeros(m), np.zeros(m))


def bce_hessian(X, w, b: float) -> np.ndarray:
    """Hessian of ``BCEWithLogitsLoss`` of ``z = X w + b`` in ``θ = [w; b]`` at ``(w, b)``.

    ``(1/m) X̃ᵀ diag(p (1 - p)) X̃`` with ``p = σ(z)``: the same coupling block as for the squared
    error, weighted by how uncertain each prediction still is. Shape ``(n_in + 1, n_in + 1)``.
    It does not depend on the targets.
    """
    Xt = augment(X)
    theta = np.append(as_float_array(w, "w").reshape(-1), float(b))
    if theta.shape != (Xt.shape[1],):
        raise ValueError(f"w must have shape ({Xt.shape[1] - 1},), got {np.shape(w)}")
    z = Xt @ theta
    return neuron_hessian(BCEWithLogitsLoss(), X, z, np.zeros_like(z))


def condition_number(H) -> float:
    """``λ_max / λ_min`` of a symmetric positive semi-definite matrix; ``inf`` if singular."""
    H = as_float_array(H, "H")
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be a square matrix, got shape {H.shape}")
    # symmetric up to rounding, measured against the matrix's scale (an entry that should be 0
    # may come out as +1e-17 and -1e-17 on the two sides of the diagonal)
    scale = float(np.max(np.abs(H))) if H.size else 0.0
    if np.max(np.abs(H - H.T), initial=0.0) > 1e-10 * scale:
        raise ValueError("H must be symmetric (a Hessian is)")
    eig = np.linalg.eigvalsh(H)
    if eig[-1] <= 0:
        raise ValueError("H has no positive eigenvalue: it is not the Hessian of a convex loss")
    # eigenvalues below rounding level of the largest count as zero: a flat direction
    if eig[0] <= eig[-1] * H.shape[0] * np.finfo(float).eps:
        return math.inf
    return float(eig[-1] / eig[0])


@dataclass(frozen=True)
class DescentRun:
    """The outcome of ``gradient_descent``.

    ``steps``: updates needed until the excess loss fell to ``tol`` times its initial value
    (``None`` if ``max_steps`` did not suffice); ``losses``: the loss before each update, so
    ``losses[steps]`` is the first one within tolerance; ``path``: ``θ_t = [w_t; b_t]`` for
    ``t = 0, 1, ...``, shape ``(len(losses), n_in + 1)``; ``w``, ``b``: the final parameters.
    """

    steps: int | None
    lr: float
    tol: float
    losses: np.ndarray
    min_loss: float
    path: np.ndarray
    w: np.ndarray
    b: float

    @property
    def converged(self) -> bool:
        return self.steps is not None


def gradient_descent(X, y, lr: float | None = None, tol: float = 1e-6,
                     max_steps: int = 100_000) -> DescentRun:
    """Full-batch gradient descent on ``MSELoss`` with the engine, from ``w = 0, b = 0``.

    The neuron is a ``knobs.Linear(n_in, 1)`` trained by ``knobs.SGD`` on the whole batch. It
    stops at the first step where ``L(θ_t) - L* <= tol · (L(θ_0) - L*)``, with ``L*`` the least
    squares minimum. The default ``lr = 1/λ_max(H)`` is the classical safe step of a quadratic.
    """
    X = _batch(X)
    m, n_in = X.shape
    y = _targets(y, m).reshape(m, 1)
    tol = positive_float(tol, "tol")
    max_steps = positive_int(max_steps, "max_steps")
    if lr is None:
        lr = 1.0 / float(np.linalg.eigvalsh(mse_hessian(X))[-1])
    lr = positive_float(lr, "lr")

    loss = MSELoss()
    w_star, b_star = least_squares(X, y)
    min_loss = loss.forward(Linear.from_arrays([w_star], [b_star]).forward(X), y)

    neuron = Linear(n_in, 1, init="zeros", bias_init="zeros")
    assert neuron.b is not None  # built with a bias just above
    optimizer = SGD(neuron, lr=lr)
    losses, path, steps = [], [], None
    for t in range(max_steps + 1):
        value = loss.forward(neuron.forward(X), y)
        losses.append(value)
        path.append(np.append(neuron.W[0], neuron.b[0]))
        if value - min_loss <= tol * (losses[0] - min_loss):
            steps = t
            break
        if not math.isfinite(value) or value > 1e12 * max(1.0, losses[0]):
            break  # lr beyond 2/λ_max: the iterates blow up, no point in going on
        neuron.backward(loss.backward())
        optimizer.step()
    return DescentRun(steps=steps, lr=lr, tol=tol, losses=np.array(losses), min_loss=min_loss,
                      path=np.array(path), w=neuron.W[0].copy(), b=float(neuron.b[0]))


def predicted_steps(H, error0, lr: float, tol: float = 1e-6,
                    max_steps: int = 10_000_000) -> int | None:
    """Steps gradient descent needs on a quadratic, from the eigenvalues of ``H`` alone.

    With ``e_t = θ_t - θ*`` and eigenpairs ``(λ_i, v_i)`` of ``H``, each component of the error
    shrinks by ``1 - lr λ_i`` per step, so the excess loss is
    ``½ Σ_i λ_i (v_iᵀ e_0)² (1 - lr λ_i)^(2t)``. Returns the first ``t`` at which it is at most
    ``tol`` times its value at ``t = 0`` (``None`` if that takes more than ``max_steps`` or the
    step size is unstable).
    """
    H = as_float_array(H, "H")
    e0 = as_float_array(error0, "error0").reshape(-1)
    if H.ndim != 2 or H.shape != (e0.size, e0.size):
        raise ValueError(f"H must have shape ({e0.size}, {e0.size}), got {H.shape}")
    lr = positive_float(lr, "lr")
    tol = positive_float(tol, "tol")
    lam, V = np.linalg.eigh(H)
    weight = 0.5 * np.clip(lam, 0.0, None) * (V.T @ e0) ** 2  # each mode's share of the excess
    rate = (1.0 - lr * lam) ** 2
    if np.any((rate >= 1.0) & (weight > 0)):
        return None

    def excess(t: int) -> float:
        return float(np.sum(weight * rate ** t))

    target = tol * excess(0)
    if excess(0) <= target:
        return 0
    if excess(max_steps) > target:
        return None
    lo, hi = 0, max_steps  # excess(lo) > target >= excess(hi); excess decreases in t
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if excess(mid) <= target else (mid, hi)
    return hi


def steps_upper_bound(kappa: float, tol: float = 1e-6) -> float:
    """Steps that always suffice with ``lr = 1/λ_max``: ``ln(1/tol) / (-2 ln(1 - 1/κ))``.

    Every mode shrinks at least as fast as the slowest, ``(1 - 1/κ)²`` per step; for large ``κ``
    this is about ``κ/2 · ln(1/tol)``: the step count grows in proportion to ``κ``.
    """
    tol = positive_float(tol, "tol")
    if isinstance(kappa, bool) or not isinstance(kappa, int | float) or not kappa >= 1.0:
        raise ValueError(f"a condition number is at least 1 (inf if singular), got {kappa!r}")
    if kappa == 1.0:
        return 1.0  # one step of size 1/λ lands exactly on the minimum
    if math.isinf(kappa):
        return math.inf
    return math.log(1.0 / tol) / (-2.0 * math.log1p(-1.0 / kappa))
