"""Discrete choice: the multinomial logit model, whose alternative-specific constants are biases.

A decision maker ``i`` picks one of ``J`` alternatives. Alternative ``j`` has attributes
``x_ij`` (price, travel time, ...) and utility ``U_ij = x_ij·w + b_j + ε_ij`` with independent
standard Gumbel noise ``ε_ij``. Then (McFadden, 1974) the choice probabilities are the softmax of
the systematic utilities ``V_ij = x_ij·w + b_j``. The taste weights ``w`` are shared by every
alternative; the constant ``b_j`` is alternative ``j``'s baseline utility, its bias. Adding the
same number to every ``b_j`` changes no probability, so only differences ``b_j - b_0`` are
identified.
"""

from __future__ import annotations

import numpy as np

from knobs.nn.losses import CrossEntropyLoss, softmax
from knobs.nn.module import Module
from knobs.validate import as_float_array, generator, positive_int


def _attributes(X, n_alternatives: int, n_attributes: int) -> np.ndarray:
    X = as_float_array(X, "X")
    if X.ndim != 3 or X.shape[1:] != (n_alternatives, n_attributes) or X.shape[0] == 0:
        raise ValueError(
            f"X must have shape (m, {n_alternatives}, {n_attributes}): one row of attributes "
            f"per alternative for each of m >= 1 choices, got shape {X.shape}"
        )
    return X


class MultinomialLogit(Module):
    """Systematic utilities ``V = X w + b`` of ``J`` alternatives described by ``k`` attributes.

    Args:
        n_alternatives: ``J``, the number of alternatives.
        n_attributes: ``k``, the number of attributes of each alternative.

    Shapes: ``X: (m, J, k)``, ``w: (k,)`` (one taste weight per attribute, shared by all
    alternatives), ``b: (J,)`` (the alternative-specific constants), ``V: (m, J)``. Feed ``V``
    to ``CrossEntropyLoss`` with the chosen alternatives as targets: the softmax of ``V`` is the
    model's choice probabilities. Both parameters start at zero.
    """

    params = (("w", "dw"), ("b", "db"))

    def __init__(self, n_alternatives: int, n_attributes: int):
        self.J = positive_int(n_alternatives, "n_alternatives")
        self.k = positive_int(n_attributes, "n_attributes")
        self.w = np.zeros(self.k)
        self.b = np.zeros(self.J)
        self.dw = np.zeros(self.k)
        self.db = np.zeros(self.J)
        self.X: np.ndarray | None = None

    def forward(self, X) -> np.ndarray:
        self.X = _attributes(X, self.J, self.k)
        return self.X @ self.w + self.b  # b broadcasts over the m choices

    def backward(self, dV) -> np.ndarray:
        X = self._need_forward("X")
        dV = as_float_array(dV, "dV")
        if dV.shape != X.shape[:2]:
            raise ValueError(f"dV must have shape {X.shape[:2]}, got {dV.shape}")
        self.dw = np.einsum("mj,mjk->k", dV, X)  # w is shared: sum over choices and options
        self.db = dV.sum(axis=0)                   # b_j sees every choice through a 1
        return dV[:, :, None] * self.w

    def probabilities(self, X) -> np.ndarray:
        """Choice probabilities ``softmax(V)``, shape ``(m, J)``."""
        return softmax(self.forward(X))

    def __repr__(self) -> str:
        return f"MultinomialLogit(n_alternatives={self.J}, n_attributes={self.k})"


def simulate_choices(model: MultinomialLogit, X, rng: np.random.Generator) -> np.ndarray:
    """Draw one choice per row of ``X`` from the random-utility model with ``model``'s ``w, b``.

    Each utility gets independent standard Gumbel noise and the alternative with the largest
    utility is chosen, which is exactly a draw from ``softmax(V)``.

    Returns:
        Integer choices of shape ``(m,)`` in ``0..J-1``.
    """
    if not isinstance(model, MultinomialLogit):
        raise TypeError(f"expected a MultinomialLogit, got {type(model).__name__}")
    V = model.forward(X)
    noise = generator(rng, "simulate_choices").gumbel(size=V.shape)
    return np.argmax(V + noise, axis=1)


def hessian(model: MultinomialLogit, X, reference: int = 0) -> np.ndarray:
    """Hessian of the mean negative log-likelihood in the identified parameters.

    The parameters are ``θ = (w, b_j for j != reference)`` with ``b_reference`` held at its
    value. For choice ``i`` with probabilities ``p_i`` and design ``G_i = [X_i, E]`` (``E`` the
    columns of the ``J × J`` identity except ``reference``), the Hessian is
    ``(1/m) Σ_i G_iᵀ (diag p_i - p_i p_iᵀ) G_i``; it does not depend on which options were chosen.

    Returns:
        A matrix of shape ``(k + J - 1, k + J - 1)``. The inverse of ``m`` times it is the
        asymptotic covariance of the maximum-likelihood estimates.
    """
    if not isinstance(model, MultinomialLogit):
        raise TypeError(f"expected a MultinomialLogit, got {type(model).__name__}")
    if isinstance(reference, bool) or not 0 <= int(reference) < model.J:
        raise ValueError(f"reference must be an alternative in 0..{model.J - 1}, got {reference}")
    V = model.forward(X)   # utilities (m, J): the logits of a softmax cross-entropy
    m = V.shape[0]
    E = np.delete(np.eye(model.J), int(reference), axis=1)
    G = np.concatenate([model.X, np.broadcast_to(E, (m, *E.shape))], axis=2)  # (m, J, k+J-1)
    loss = CrossEntropyLoss()
    loss.forward(V, np.zeros(m, dtype=int))   # its curvature does not depend on the choices
    # column q: the utilities move along G[:, :, q]; the loss's curvature in V turns that move
    # into a change of the gradient, which the design G carries back to the parameters
    H = np.stack([np.einsum("mjr,mj->r", G, loss.hessian_product(G[:, :, q]))
                  for q in range(G.shape[2])], axis=1)
    return 0.5 * (H + H.T)


def standard_errors(model: MultinomialLogit, X, reference: int = 0) -> np.ndarray:
    """Asymptotic standard errors of ``(w, b_j - b_reference for j != reference)``."""
    H = hessian(model, X, reference)
    assert model.X is not None  # kept by the forward pass in hessian()
    m = model.X.shape[0]
    return np.sqrt(np.diag(np.linalg.inv(m * H)))
