"""One hidden layer approximates a continuous function: a construction you can check (chapter 10).

The universal approximation theorem (Cybenko 1989, Hornik 1991) says that some one-hidden-layer
network is as close as we like to any continuous function on a compact set; it does not say how
wide. For one input and ReLU units a constructive answer is short: the piecewise-linear
interpolant of ``f`` on ``n`` equal pieces of ``[lo, hi]`` is exactly a network with ``n`` hidden
units,

    f̂(x) = f(t_0) + Σ_k v_k ReLU(x - t_k),   t_k = lo + k (hi - lo) / n,

where unit ``k`` has weight 1 and **bias** ``-t_k`` (the bias places the kink at ``t_k``) and the
output weight ``v_k`` is the change of slope there. For twice-differentiable ``f`` the largest
error is at most ``max|f''| h² / 8`` with ``h = (hi - lo)/n``: it falls like ``1/n²``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from knobs.nn.activations import ReLU
from knobs.nn.linear import Linear
from knobs.nn.module import Sequential
from knobs.validate import positive_float, positive_int

# Targets on [0, 1] for the chapter and its live experiment: smooth, wiggly, and with a kink.
TARGETS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "bump": lambda x: np.exp(-30.0 * (x - 0.5) ** 2),
    "wave": lambda x: np.sin(3.0 * np.pi * x) * np.exp(-x),
    "kink": lambda x: np.abs(x - 0.3) + 0.5 * np.sin(6.0 * x),
}


def _interval(lo: float, hi: float) -> tuple[float, float]:
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"need a finite interval lo < hi, got [{lo}, {hi}]")
    return lo, hi


def relu_interpolant(f: Callable[[np.ndarray], np.ndarray], n_units: int, lo: float = 0.0,
                     hi: float = 1.0) -> Sequential:
    """The ``Sequential(Linear(1, n), ReLU(), Linear(n, 1))`` equal to ``f``'s interpolant.

    Knots ``t_0 < ... < t_n`` split ``[lo, hi]`` into ``n_units`` equal pieces; the network
    matches ``f`` at every knot and is linear in between (and constant ``f(lo)`` left of ``lo``).
    """
    n = positive_int(n_units, "n_units")
    lo, hi = _interval(lo, hi)
    knots = np.linspace(lo, hi, n + 1)
    values = np.asarray(f(knots), dtype=np.float64)
    if values.shape != knots.shape or not np.all(np.isfinite(values)):
        raise ValueError("f must map an array of knots to finite values of the same shape")
    slopes = np.diff(values) / np.diff(knots)             # slope of each of the n pieces
    v = np.diff(slopes, prepend=0.0)                       # change of slope at t_0, ..., t_{n-1}
    hidden = Linear.from_arrays(W=np.ones((n, 1)), b=-knots[:-1])   # kink of unit k at t_k
    output = Linear.from_arrays(W=v[None, :], b=[values[0]])
    return Sequential(hidden, ReLU(), output)


def max_error(model, f: Callable[[np.ndarray], np.ndarray], lo: float = 0.0, hi: float = 1.0,
              n_grid: int = 2001) -> float:
    """``max |model(x) - f(x)|`` over ``n_grid`` equally spaced points of ``[lo, hi]``."""
    lo, hi = _interval(lo, hi)
    x = np.linspace(lo, hi, positive_int(n_grid, "n_grid"))[:, None]
    return float(np.max(np.abs(model.forward(x)[:, 0] - np.asarray(f(x[:, 0]), dtype=float))))


class NotConvergedError(RuntimeError):
    """A fit reached its step limit before its gradient norm fell below the tolerance."""


def jacobian(model, X, method: str = "backward") -> np.ndarray:
    """``∂ model(X)[i] / ∂θ[j]``, shape ``(outputs, n_params)``, ordered as ``flatten_parameters``.

    ``method="backward"``: one backward pass per output, exact. ``method="differences"``:
    central differences, two forward passes per parameter, cheaper when a model has far more
    outputs than parameters (an ODE solved at many times); accurate to about 1e-9 relative.
    """
    from knobs.nn.flat import assign_parameters, flatten_gradients, flatten_parameters

    if method not in ("backward", "differences"):
        raise ValueError(f"method must be 'backward' or 'differences', got {method!r}")
    Y = model.forward(X)
    theta = flatten_parameters(model)
    J = np.empty((Y.size, theta.size))
    if method == "differences":
        for j in range(theta.size):
            h = 1e-6 * max(1.0, abs(theta[j]))
            up, down = theta.copy(), theta.copy()
            up[j] += h
            down[j] -= h
            assign_parameters(model, up)
            Y_up = model.forward(X)
            assign_parameters(model, down)
            J[:, j] = (Y_up - model.forward(X)).ravel() / (2.0 * h)
        assign_parameters(model, theta)
        model.forward(X)
        return J
    seed = np.zeros(Y.size)
    for i in range(Y.size):
        seed[i] = 1.0
        model.backward(seed.reshape(Y.shape))
        J[i] = flatten_gradients(model)
        seed[i] = 0.0
    return J


def fit_least_squares(model, X, target, grad_tol: float = 1e-10, max_steps: int = 200,
                      penalty: float = 0.0, unpenalized: tuple[str, ...] = (),
                      damping: float = 1e-3, method: str = "backward") -> dict:
    """Minimize ``mean((model(X) - target)²) + penalty·|θ|²`` to a gradient tolerance.

    Levenberg–Marquardt: a step solves ``(H + λ diag(H)) δ = -∇`` with the Gauss–Newton matrix
    ``H = 2 JᵀJ / n + 2 penalty`` built from the exact Jacobian ``J`` (``jacobian``); ``λ``
    shrinks after a step that lowers the objective and grows after one that does not. This is a
    damped Gauss–Newton method: close to Newton's method near a minimum with small residuals, so
    it settles the last digits in far fewer steps than a first-order method (a few dozen on a
    well-conditioned problem, a few hundred along a nearly flat valley). Use it to *finish* a
    fit that a first-order method (Adam) brought into a basin.

    ``penalty`` adds ``penalty·|θ|²`` over every parameter except those named in
    ``unpenalized`` (for example the output bias, the energy level). A network with more knobs
    than the data pin down has flat valleys in which the plain least-squares optimum lies at
    infinity; a small penalty puts a single lowest point in each valley, so "converged" means
    something.

    The gradient that decides convergence is always exact (one backward pass); ``method``
    (see ``jacobian``) only chooses how ``H`` is built, which steers the steps.

    Stops when the largest entry of the objective's gradient is at most ``grad_tol`` and updates
    the parameters in place. Returns ``{"steps", "loss", "objective", "grad_norm"}`` (``loss``
    is the mean squared error alone); raises ``NotConvergedError`` after ``max_steps``.
    """
    from knobs.nn.flat import assign_parameters, flatten_gradients, flatten_parameters

    grad_tol = positive_float(grad_tol, "grad_tol")
    max_steps = positive_int(max_steps, "max_steps")
    penalty = positive_float(penalty, "penalty", allow_zero=True)
    lam = positive_float(damping, "damping")
    params = model.parameters()
    unknown = set(unpenalized) - set(params)
    if unknown:
        raise ValueError(f"unpenalized names {sorted(unknown)} are not parameters of the model "
                         f"({list(params)})")
    mask = np.concatenate([np.full(p.size, 0.0 if name in unpenalized else 1.0)
                           for name, p in params.items()])
    target = np.asarray(target, dtype=np.float64)
    theta = flatten_parameters(model)

    def evaluate(th: np.ndarray) -> tuple[np.ndarray, float]:
        assign_parameters(model, th)
        Y = model.forward(X)
        if Y.shape != target.shape:
            raise ValueError(f"target must have the model's output shape {Y.shape}, "
                             f"got {target.shape}")
        r = (Y - target).ravel()
        return r, float(np.mean(r**2) + penalty * np.sum(mask * th**2))

    r, objective = evaluate(theta)
    for step in range(max_steps + 1):
        Y = model.forward(X)
        model.backward((2.0 / r.size) * r.reshape(Y.shape))
        grad = flatten_gradients(model) + 2.0 * penalty * mask * theta
        J = jacobian(model, X, method)
        grad_norm = float(np.max(np.abs(grad)))
        if grad_norm <= grad_tol:
            assign_parameters(model, theta)
            return {"steps": step, "loss": float(np.mean(r**2)), "objective": objective,
                    "grad_norm": grad_norm}
        if step == max_steps:
            break
        H = 2.0 * (J.T @ J) / r.size + np.diag(2.0 * penalty * mask)
        scale = np.maximum(np.diag(H), 1e-12 * max(float(np.max(np.diag(H))), 1e-300))
        for _ in range(60):                              # raise λ until the objective goes down
            trial = theta + np.linalg.solve(H + lam * np.diag(scale), -grad)
            r_new, objective_new = evaluate(trial)
            if objective_new <= objective:
                theta, r, objective, lam = trial, r_new, objective_new, max(lam / 3.0, 1e-12)
                break
            lam *= 2.0
        else:
            break                                        # no step lowers the objective any more
    assign_parameters(model, theta)
    raise NotConvergedError(f"fit did not reach gradient norm {grad_tol:.0e}: largest gradient "
                            f"entry {grad_norm:.1e} after {step} steps (loss {np.mean(r**2):.6g})")
