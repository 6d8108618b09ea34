"""Curvature of the loss in all the knobs at once: the Hessian, and products with it.

For ``n`` parameters ``θ`` (in the order of ``knobs.nn.flat.flatten_parameters``) the Hessian
``H = ∂²L/∂θ²`` is an ``n × n`` matrix: ``n²`` numbers, which is why nobody forms it for a real
network (``knobs.analysis.accounting.hessian_bytes``). A Hessian-vector product ``H v`` needs
no matrix:

- ``hvp`` computes it exactly with Pearlmutter's (1994) R-operator: one forward pass and one
  backward pass that carry, next to every activation and gradient, its directional derivative
  along ``v``. The cost is a small multiple of one gradient, whatever ``n`` is.
- ``hvp_fd`` takes central differences of two gradients, ``(g(θ + εv) - g(θ - εv)) / 2ε``.

``hessian`` builds the full matrix column by column from ``n`` exact products (only sensible for
tiny networks); ``hessian_fd`` builds it from ``2n`` gradients, an independent check.

Supported models: ``Sequential`` of ``Linear`` and elementwise activations (each knows its
``second_derivative``); any loss of the engine (each knows its ``hessian_product``). Shapes:
``X: (m, n_in)``, targets as the loss expects, vectors ``v`` and results of shape ``(n_params,)``.
"""

from __future__ import annotations

import numpy as np

from knobs.nn.activations import Activation
from knobs.nn.flat import assign_parameters, flatten_gradients, flatten_parameters, unflatten
from knobs.nn.linear import Linear
from knobs.nn.losses import Loss
from knobs.nn.module import Sequential
from knobs.validate import as_float_array, positive_int


class GradientCounter:
    """Counts how many gradients (forward + backward passes) a computation asked for."""

    def __init__(self):
        self.gradients = 0
        self.hvps = 0


def _layers(model) -> list:
    if not isinstance(model, Sequential):
        raise TypeError(f"expected a Sequential of Linear and activations, got {model!r}")
    for i, layer in enumerate(model.layers):
        if not isinstance(layer, Linear | Activation):
            raise TypeError(f"layer {i} ({type(layer).__name__}) is not supported; the Hessian "
                            "tools handle Linear and the engine's activations")
    return model.layers


def _vector(v, n: int, name: str = "v") -> np.ndarray:
    v = as_float_array(v, name)
    if v.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {v.shape}")
    return v


def gradient(model: Sequential, loss, X, target, counter: GradientCounter | None = None
             ) -> tuple[float, np.ndarray]:
    """The loss and its gradient in all parameters as one vector ``(n_params,)``."""
    value = loss.forward(model.forward(X), target)
    model.backward(loss.backward())
    if counter is not None:
        counter.gradients += 1
    return value, flatten_gradients(model)


def hvp(model: Sequential, loss, X, target, v, counter: GradientCounter | None = None
        ) -> np.ndarray:
    """The exact Hessian-vector product ``H v`` by Pearlmutter's R-operator.

    ``R(q)`` denotes the derivative of a quantity ``q`` along ``v``: ``d/dε q(θ + ε v)`` at 0.
    Forward, for ``z = a Wᵀ + b``: ``R(z) = R(a) Wᵀ + a VWᵀ + Vb``; for ``a = f(z)``:
    ``R(a) = f'(z) R(z)``. Backward, with ``g = ∂L/∂z`` of a Linear layer's output:
    ``R(dW) = R(g)ᵀ a + gᵀ R(a)``, ``R(db) = Σ R(g)``, ``R(g_in) = R(g) W + g VW``; through an
    activation ``R(g_z) = R(g_a) f'(z) + g_a f''(z) R(z)``. ``H v`` is ``(R(dW), R(db))`` of every
    layer, flattened.
    """
    layers = _layers(model)
    names = list(model.parameters())
    V = unflatten(model, _vector(v, len(flatten_parameters(model))))
    X = as_float_array(X, "X")
    # forward: values and their directional derivatives, kept for the backward pass
    a, Ra = X, np.zeros_like(X)
    saved = []
    for i, layer in enumerate(layers):
        if isinstance(layer, Linear):
            z = layer.forward(a)
            Rz = Ra @ layer.W.T + a @ V[f"{i}.W"].T
            if layer.b is not None:
                Rz = Rz + V[f"{i}.b"]
            saved.append((a, Ra))
            a, Ra = z, Rz
        else:
            out = layer.forward(a)
            saved.append((a, Ra))
            a, Ra = out, layer.derivative(a) * Ra
    if not isinstance(loss, Loss):
        raise TypeError(f"expected a knobs loss, got {type(loss).__name__}")
    loss.forward(a, target)
    g, Rg = loss.backward(), loss.hessian_product(Ra)
    result = {}
    for i in range(len(layers) - 1, -1, -1):
        layer, (a_in, Ra_in) = layers[i], saved[i]
        if isinstance(layer, Linear):
            result[f"{i}.W"] = Rg.T @ a_in + g.T @ Ra_in
            if layer.b is not None:
                result[f"{i}.b"] = Rg.sum(axis=0)
            g, Rg = g @ layer.W, Rg @ layer.W + g @ V[f"{i}.W"]
        else:
            d1 = layer.derivative(a_in)
            d2 = layer.second_derivative(a_in)
            g, Rg = g * d1, Rg * d1 + g * d2 * Ra_in
    if counter is not None:
        counter.hvps += 1
    return np.concatenate([result[name].ravel() for name in names])


def hvp_fd(model: Sequential, loss, X, target, v, eps: float = 1e-5,
           counter: GradientCounter | None = None) -> np.ndarray:
    """``H v ≈ ‖v‖ (g(θ + ε u) - g(θ - ε u)) / (2ε)`` with ``u = v/‖v‖``: two gradients.

    The step along the unit vector ``u`` is ``ε`` whatever the size of ``v``, so the error stays
    ``O(ε²)`` and a long ``v`` does not push ReLU units across their kinks.
    """
    theta = flatten_parameters(model)
    v = _vector(v, theta.size)
    scale = float(np.linalg.norm(v))
    if scale == 0.0:
        return np.zeros_like(v)
    u = v / scale
    try:
        assign_parameters(model, theta + eps * u)
        _, g_plus = gradient(model, loss, X, target, counter)
        assign_parameters(model, theta - eps * u)
        _, g_minus = gradient(model, loss, X, target, counter)
    finally:
        assign_parameters(model, theta)   # leave the knobs where they were
    return scale * (g_plus - g_minus) / (2.0 * eps)


def hessian(model: Sequential, loss, X, target) -> np.ndarray:
    """The full ``(n, n)`` Hessian from ``n`` exact products ``H e_i``, one column each."""
    n = len(flatten_parameters(model))
    H = np.empty((n, n))
    for i, e in enumerate(np.eye(n)):
        H[:, i] = hvp(model, loss, X, target, e)
    return H


def hessian_fd(model: Sequential, loss, X, target, eps: float = 1e-5) -> np.ndarray:
    """The full Hessian by central differences of ``2n`` gradients, symmetrized ``(H + Hᵀ)/2``."""
    n = len(flatten_parameters(model))
    H = np.empty((n, n))
    for i, e in enumerate(np.eye(n)):
        H[:, i] = hvp_fd(model, loss, X, target, e, eps)
    return 0.5 * (H + H.T)


def power_iteration(matvec, n: int, rng: np.random.Generator, iters: int = 100
                    ) -> tuple[float, np.ndarray]:
    """The eigenvalue of largest magnitude of a symmetric operator known only by ``matvec``.

    Repeats ``v ← A v / ‖A v‖`` from a random start; returns the Rayleigh quotient ``vᵀ A v`` and
    ``v``. Convergence is geometric with ratio ``|λ₂/λ₁|``.
    """
    n = positive_int(n, "n")
    v = rng.normal(size=n)
    v /= np.linalg.norm(v)
    for _ in range(positive_int(iters, "iters")):
        w = matvec(v)
        norm = np.linalg.norm(w)
        if norm == 0.0:
            return 0.0, v     # v lies in the null space: the operator is 0 along it
        v = w / norm
    return float(v @ matvec(v)), v


def newton_minimize(model: Sequential, loss, X, target, decay: float = 0.0, tol: float = 1e-10,
                    max_steps: int = 50) -> dict:
    """Minimize ``J(θ) = L(θ) + (decay/2) ‖θ‖²`` by Newton's method with the full Hessian.

    Only for tiny networks: each step builds the ``(n, n)`` Hessian from ``n`` products and
    solves ``(H + decay I + μ I) d = -∇J``. The damping ``μ`` starts at 0 (a pure Newton step)
    and grows tenfold until the matrix is positive definite and the step does not raise ``J``
    (Levenberg-Marquardt), so the iteration heads for a minimum, never a saddle, and converges
    quadratically once it is near one. Stops when ``‖∇J‖ <= tol``; the model keeps the result.

    Returns ``{"objective", "loss", "grad_norm", "steps", "converged"}``.
    """
    decay = float(decay)
    if not (np.isfinite(decay) and decay >= 0.0):
        raise ValueError(f"decay must be a finite number >= 0, got {decay!r}")
    if not (np.isfinite(tol) and tol > 0.0):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    max_steps = positive_int(max_steps, "max_steps")

    def objective(theta):
        assign_parameters(model, theta)
        value, g = gradient(model, loss, X, target)
        return value + 0.5 * decay * float(theta @ theta), g + decay * theta, value

    theta = flatten_parameters(model).copy()
    J, g, value = objective(theta)
    steps = 0
    while np.linalg.norm(g) > tol and steps < max_steps:
        H = hessian(model, loss, X, target) + decay * np.eye(theta.size)
        scale = max(1.0, float(np.max(np.abs(H))))
        mu, accepted = 0.0, False
        while mu <= 1e6 * scale:
            A = H + mu * np.eye(theta.size)
            try:
                d = -np.linalg.solve(A, g)
                np.linalg.cholesky(A)               # positive definite: d goes downhill
                J_new, g_new, value_new = objective(theta + d)
                if J_new <= J:
                    accepted = True
                    break
            except np.linalg.LinAlgError:
                pass
            mu = max(10.0 * mu, 1e-9 * scale)
        if not accepted:
            break
        theta, J, g, value = theta + d, J_new, g_new, value_new
        steps += 1
    assign_parameters(model, theta)
    grad_norm = float(np.linalg.norm(g))
    return {"objective": float(J), "loss": float(value), "grad_norm": grad_norm,
            "steps": steps, "converged": grad_norm <= tol}
