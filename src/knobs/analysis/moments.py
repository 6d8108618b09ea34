"""Mean and variance of the net input ``z = W x + b`` when the input ``x`` is random.

If ``E[x] = mu`` and ``Cov(x) = Sigma``, then by linearity of expectation

    E[z]   = W mu + b                      (shape ``(n_out,)``)
    Cov(z) = W Sigma Wᵀ                    (shape ``(n_out, n_out)``)

for any distribution of ``x`` with these two moments, Gaussian or not. The bias appears only in
the mean: it moves the distribution of ``z`` without changing its spread. A single neuron is the
case ``n_out = 1``; pass its weight vector ``w: (n_in,)`` and a scalar ``b`` to get scalars back.
"""

from __future__ import annotations

import numpy as np

from knobs.validate import as_float_array


def _weights(W) -> tuple[np.ndarray, bool]:
    """``W`` as a 2-D array ``(n_out, n_in)``, and whether it came as one neuron's ``w``."""
    W = as_float_array(W, "W")
    if W.ndim == 1:
        return W[None, :], True
    if W.ndim != 2:
        raise ValueError(f"W must have shape (n_in,) or (n_out, n_in), got shape {W.shape}")
    return W, False


def _mean_vector(mu, n_in: int) -> np.ndarray:
    mu = as_float_array(mu, "mu")
    if mu.shape != (n_in,):
        raise ValueError(f"mu must have shape ({n_in},), the number of inputs, got {mu.shape}")
    return mu


def covariance_matrix(Sigma, n_in: int) -> np.ndarray:
    """Validate a covariance matrix: shape ``(n_in, n_in)``, symmetric, positive semi-definite."""
    Sigma = as_float_array(Sigma, "Sigma")
    if Sigma.shape != (n_in, n_in):
        raise ValueError(f"Sigma must have shape ({n_in}, {n_in}), got {Sigma.shape}")
    scale = max(1.0, float(np.abs(Sigma).max()))
    if not np.allclose(Sigma, Sigma.T, rtol=0, atol=1e-12 * scale):
        raise ValueError("Sigma must be symmetric: a covariance matrix equals its transpose")
    if np.linalg.eigvalsh(Sigma).min() < -1e-10 * scale:
        raise ValueError("Sigma must be positive semi-definite: a variance cannot be negative")
    return Sigma


def net_input_mean(W, b, mu):
    """``E[z] = W mu + b``.

    Args:
        W: weights ``(n_out, n_in)``, or one neuron's ``w: (n_in,)``.
        b: biases ``(n_out,)`` (a scalar for one neuron); ``None`` for a layer without bias.
        mu: the input mean ``E[x]``, shape ``(n_in,)``.

    Returns:
        ``(n_out,)`` array, or a float for one neuron.
    """
    W, single = _weights(W)
    mu = _mean_vector(mu, W.shape[1])
    mean = W @ mu
    if b is not None:
        b = as_float_array(b, "b")
        allowed = [(W.shape[0],)] + ([()] if single else [])  # one neuron: a scalar b is fine
        if b.shape not in allowed:
            raise ValueError(f"b must have shape ({W.shape[0]},), got {b.shape}")
        mean = mean + b
    return float(mean[0]) if single else mean


def net_input_covariance(W, Sigma):
    """``Cov(z) = W Sigma Wᵀ``; the bias does not appear.

    Args:
        W: weights ``(n_out, n_in)``, or one neuron's ``w: (n_in,)``.
        Sigma: the input covariance ``Cov(x)``, shape ``(n_in, n_in)``.

    Returns:
        ``(n_out, n_out)`` array, or for one neuron the float ``Var(z) = wᵀ Sigma w``.
    """
    W, single = _weights(W)
    Sigma = covariance_matrix(Sigma, W.shape[1])
    cov = W @ Sigma @ W.T
    return float(cov[0, 0]) if single else cov


def compensating_bias(w, mu, target_mean: float = 0.0) -> float:
    """The bias that makes ``E[z]`` equal ``target_mean``: ``b = target_mean - wᵀmu``.

    On uncentered features a fitted linear model ends up here: least squares sets its intercept
    to exactly ``mean(y) - wᵀ mean(x)`` (the normal equation of ``b``), so ``|b|`` grows with the
    feature means even when the target is centered.
    """
    w, single = _weights(w)
    if not single:
        raise ValueError(f"w must be one neuron's weight vector (n_in,), got shape {w.shape}")
    mu = _mean_vector(mu, w.shape[1])
    return float(target_mean - (w @ mu)[0])
