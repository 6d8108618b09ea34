"""Many knob settings, one function: the symmetries of weight space (chapter 10).

For a one-hidden-layer network ``y = V f(W x + b) + c``:

- **permutation**: reorder the hidden units (rows of ``W``, entries of ``b``, columns of ``V``)
  and nothing changes; ``n`` units give ``n!`` orderings;
- **positive rescaling** (ReLU only, since ``ReLU(α z) = α ReLU(z)`` for ``α > 0``): multiply a
  unit's incoming weights and bias by ``α`` and its outgoing weights by ``1/α``;
- **sign flip** (odd activations such as tanh, since ``tanh(-z) = -tanh(z)``): negate a unit's
  incoming weights, bias and outgoing weights.

Each function returns a new network with new arrays; the original is untouched.
"""

from __future__ import annotations

import numpy as np

from knobs.nn.activations import Activation, Identity, ReLU, Tanh
from knobs.nn.linear import Linear
from knobs.nn.module import Sequential
from knobs.validate import as_float_array

ODD = (Tanh, Identity)


def _parts(model) -> tuple[Linear, Activation, Linear]:
    layers = list(model.layers) if isinstance(model, Sequential) else []
    if len(layers) == 3:
        first, act, out = layers
        if isinstance(first, Linear) and isinstance(act, Activation) and isinstance(out, Linear):
            return first, act, out
    raise TypeError(f"expected Sequential(Linear, activation, Linear), got {model!r}")


def _rebuild(act: Activation, out: Linear, W, b, V) -> Sequential:
    return Sequential(Linear.from_arrays(W, b), type(act)(),
                      Linear.from_arrays(V, None if out.b is None else out.b.copy()))


def permute_hidden(model: Sequential, perm) -> Sequential:
    """The same function with hidden unit ``perm[k]`` moved to position ``k``."""
    hidden, act, out = _parts(model)
    perm = np.asarray(perm)
    if perm.dtype.kind not in "iu" or sorted(perm.tolist()) != list(range(hidden.n_out)):
        raise ValueError(f"perm must be a permutation of 0..{hidden.n_out - 1}, got {perm!r}")
    b = None if hidden.b is None else hidden.b[perm]
    return _rebuild(act, out, hidden.W[perm], b, out.W[:, perm])


def rescale_hidden(model: Sequential, alpha) -> Sequential:
    """ReLU only: unit ``k``'s incoming weights and bias times ``alpha[k] > 0``, outgoing ÷ it."""
    hidden, act, out = _parts(model)
    if not isinstance(act, ReLU):
        raise TypeError(f"positive rescaling is a symmetry of ReLU only, got {type(act).__name__}")
    alpha = as_float_array(alpha, "alpha")
    if alpha.shape != (hidden.n_out,) or np.any(alpha <= 0):
        raise ValueError(f"alpha must be {hidden.n_out} positive numbers, got {alpha!r}")
    b = None if hidden.b is None else hidden.b * alpha
    return _rebuild(act, out, hidden.W * alpha[:, None], b, out.W / alpha[None, :])


def flip_hidden(model: Sequential, signs) -> Sequential:
    """Odd activations only: negate unit ``k``'s weights, bias and output weights if
    ``signs[k] < 0``."""
    hidden, act, out = _parts(model)
    if not isinstance(act, ODD):
        raise TypeError(f"sign flips are a symmetry of odd activations (tanh), got "
                        f"{type(act).__name__}")
    s = as_float_array(signs, "signs")
    if s.shape != (hidden.n_out,) or not np.all(np.abs(s) == 1):
        raise ValueError(f"signs must be {hidden.n_out} entries of +1 or -1, got {signs!r}")
    b = None if hidden.b is None else hidden.b * s
    return _rebuild(act, out, hidden.W * s[:, None], b, out.W * s[None, :])
