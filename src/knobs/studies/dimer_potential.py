"""A neural-network potential for a dimer, two atoms at distance ``r`` (chapter 9).

Each atom gets an energy from a small network that sees its surroundings through one descriptor,
``G(r) = exp(-η r²)``; the dimer's energy is the sum of the two (equal) atomic energies, as in
the atom-centred networks of Behler & Parrinello (2007). The atomic network is

    E_atom(r) = Σ_k v_k tanh(w_k G(r) + b_k) + c.

When the atoms separate, ``G → 0`` and every hidden unit settles at ``tanh(b_k)``: the isolated
atom's energy ``Σ_k v_k tanh(b_k) + c`` is set by the biases (and the output weights) alone.
Distances are in ångström (Å), energies in electronvolt (eV).
"""

from __future__ import annotations

import numpy as np

from knobs.nn.activations import Activation, Tanh
from knobs.nn.linear import Linear
from knobs.nn.module import Module, Sequential
from knobs.validate import as_float_array, positive_float, positive_int

# A Morse curve with parameters close to those of H₂, and the energy of an isolated H atom
# (-1/2 hartree), so the curve's far field is the energy of two free atoms, not 0.
H2_MORSE = {"D_e": 4.75, "a": 1.94, "r_e": 0.741}
E_H_ATOM = -13.606

# A small penalty on every knob but the output bias. Without it the least-squares optimum of a
# tanh network lies at infinity (a unit's weight and bias growing together sharpen its tanh
# towards a step, or two units merging with output weights running to ±∞, fit the 60 points ever
# so slightly better), so "converged" would mean nothing; with it the fit has a lowest point at
# finite knobs.
PENALTY = 1e-7


class GaussianDescriptor(Module):
    """``G(r) = exp(-η r²)``: a fixed (not learned) feature of the distance ``r``.

    ``forward(r: (m, 1)) -> G: (m, 1)``; ``backward(dG) -> dr = dG · (-2 η r G)``.
    ``G`` is 1 when the atoms touch and falls to 0 as they separate; ``η`` (in Å⁻²) sets how fast.
    """

    def __init__(self, eta: float):
        self.eta = positive_float(eta, "eta")
        self.r: np.ndarray | None = None
        self.G: np.ndarray | None = None

    def forward(self, r) -> np.ndarray:
        self.r = as_float_array(r, "r")
        if self.r.ndim != 2 or self.r.shape[1] != 1:
            raise ValueError(f"r must have shape (m, 1), got shape {self.r.shape}")
        if np.any(self.r < 0):
            raise ValueError("distances r must be >= 0")
        self.G = np.exp(-self.eta * self.r**2)
        return self.G

    def backward(self, dG) -> np.ndarray:
        G, r = self._need_forward("G"), self._need_forward("r")
        dG = as_float_array(dG, "dG")
        if dG.shape != G.shape:
            raise ValueError(f"dG must have shape {G.shape}, got {dG.shape}")
        return dG * (-2.0 * self.eta * r * G)

    def __repr__(self) -> str:
        return f"GaussianDescriptor(eta={self.eta:g})"


def morse(r, D_e: float, a: float, r_e: float, E_inf: float = 0.0) -> np.ndarray:
    """``E_inf + D_e [(1 - e^{-a (r - r_e)})² - 1]``: minimum ``E_inf - D_e`` at ``r_e``."""
    r = np.asarray(r, dtype=np.float64)
    return E_inf + D_e * ((1.0 - np.exp(-a * (r - r_e))) ** 2 - 1.0)


def h2_reference(r) -> np.ndarray:
    """The reference curve the book fits: ``morse`` with ``H2_MORSE``, whose far field is the
    energy of two free H atoms (``2 E_H_ATOM``)."""
    return morse(r, **H2_MORSE, E_inf=2 * E_H_ATOM)


def lennard_jones(r, epsilon: float, sigma: float, E_inf: float = 0.0) -> np.ndarray:
    """``E_inf + 4 ε [(σ/r)¹² - (σ/r)⁶]``: minimum ``E_inf - ε`` at ``r = 2^{1/6} σ``."""
    r = np.asarray(r, dtype=np.float64)
    s6 = (sigma / r) ** 6
    return E_inf + 4.0 * epsilon * (s6 * s6 - s6)


def atomic_network(eta: float, n_hidden: int, rng: np.random.Generator,
                   activation: type[Activation] = Tanh) -> Sequential:
    """The atomic network: descriptor, ``Linear(1, n_hidden)``, activation, ``Linear(n_hidden, 1)``.

    ``forward(r: (m, 1))`` returns the atomic energy ``(m, 1)``.
    """
    n_hidden = positive_int(n_hidden, "n_hidden")
    return Sequential(GaussianDescriptor(eta), Linear(1, n_hidden, rng=rng), activation(),
                      Linear(n_hidden, 1, rng=rng))


def _parts(model) -> tuple[GaussianDescriptor, Linear, Activation, Linear]:
    layers = list(model.layers) if isinstance(model, Sequential) else []
    if len(layers) == 4:
        descriptor, hidden, act, out = layers
        if (isinstance(descriptor, GaussianDescriptor) and isinstance(hidden, Linear)
                and isinstance(act, Activation) and isinstance(out, Linear)):
            if hidden.n_in != 1 or out.n_out != 1 or hidden.b is None or out.b is None:
                raise ValueError("the atomic network needs Linear(1, K) and Linear(K, 1), "
                                 "both with bias")
            return descriptor, hidden, act, out
    raise TypeError("expected an atomic network Sequential(GaussianDescriptor, Linear, "
                    f"activation, Linear), got {model!r}")


def far_field_energy(model: Sequential) -> float:
    """The isolated atom's energy read off the parameters: ``Σ_k v_k f(b_k) + c``.

    ``b`` are the hidden biases, ``v`` the output weights, ``c`` the output bias and ``f`` the
    hidden activation; the hidden weights ``w`` and the descriptor's ``η`` do not enter.
    """
    _, hidden, act, out = _parts(model)
    assert hidden.b is not None and out.b is not None  # _parts checked both
    return float(out.W[0] @ act.function(hidden.b) + out.b[0])


def dimer_energy(model: Sequential, r) -> np.ndarray:
    """``E(r) = E_atom(r) + E_atom(r)``: both atoms see the same neighbour at the same ``r``.

    ``r`` may have any shape; the result has the same shape.
    """
    r = np.asarray(r, dtype=np.float64)
    return 2.0 * model.forward(r.reshape(-1, 1)).reshape(r.shape)


def fit_atomic_network(r, E_dimer, eta: float, n_hidden: int, rng: np.random.Generator,
                       steps: int = 2000, lr: float = 0.2, grad_tol: float | None = None,
                       penalty: float = PENALTY) -> tuple[Sequential, list[float]]:
    """Fit ``atomic_network`` to a dimer curve: target ``E_dimer / 2`` per atom, MSE, Adam.

    The output bias starts at the mean target energy, so training starts from the right level
    instead of spending its first steps climbing from 0 (chapter 2's lesson on the bias). The
    step size decays from ``lr`` to 0 along a half cosine, large steps first, fine ones last.

    With ``grad_tol`` the Adam run is finished by ``finish_fit``: Levenberg–Marquardt on the
    mean squared error plus ``penalty·|θ|²`` (every knob but the output bias) until the largest
    gradient entry is at most ``grad_tol``, so the fitted knobs are a property of the data, not
    of the step count or of the machine's rounding. Returns the model and the loss after every
    Adam step.
    """
    from knobs.nn.losses import MSELoss
    from knobs.nn.module import train_step
    from knobs.nn.optim import Adam

    r = as_float_array(r, "r").reshape(-1, 1)
    target = as_float_array(E_dimer, "E_dimer").reshape(-1, 1) / 2.0
    if r.shape != target.shape:
        raise ValueError(f"r and E_dimer must have the same size, got {r.size} and {target.size}")
    steps = positive_int(steps, "steps")
    model = atomic_network(eta, n_hidden, rng)
    model[3].b[...] = target.mean()
    loss, opt = MSELoss(), Adam(model, lr=lr)
    losses = []
    for step in range(steps):
        opt.lr = cosine_lr(lr, step, steps)
        losses.append(train_step(model, loss, opt, r, target))
    if grad_tol is not None:
        finish_fit(model, r, 2.0 * target, grad_tol=grad_tol, penalty=penalty)
    return model, losses



def finish_fit(model: Sequential, r, E_dimer, grad_tol: float = 1e-11,
               penalty: float = PENALTY) -> dict:
    """Finish a fit of the atomic network to a tolerance (Levenberg–Marquardt, in place).

    Minimizes ``mean((E_atom(r) - E_dimer/2)²) + penalty·|θ|²`` with ``θ`` every parameter but
    the output bias ``c``, until the largest entry of the gradient is at most ``grad_tol``
    (``knobs.studies.universal_approximation.fit_least_squares``). Returns its report
    ``{"steps", "loss", "objective", "grad_norm"}``; raises ``NotConvergedError`` if the
    tolerance is not reached.
    """
    from knobs.studies.universal_approximation import fit_least_squares

    _parts(model)
    r = as_float_array(r, "r").reshape(-1, 1)
    target = as_float_array(E_dimer, "E_dimer").reshape(-1, 1) / 2.0
    if r.shape != target.shape:
        raise ValueError(f"r and E_dimer must have the same size, got {r.size} and {target.size}")
    return fit_least_squares(model, r, target, grad_tol=grad_tol, max_steps=2000,
                             penalty=penalty, unpenalized=("3.b",))


def cosine_lr(lr: float, step: int, steps: int) -> float:
    """``lr (1 + cos(π step / steps)) / 2``: from ``lr`` at step 0 down towards 0 at the end."""
    return float(lr * 0.5 * (1.0 + np.cos(np.pi * step / steps)))
