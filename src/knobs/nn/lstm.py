"""One step of an LSTM, with optional tying of its gates (chapter 12).

The four gates of an LSTM (Hochreiter & Schmidhuber, 1997) each have their own knobs::

    i = σ(W_x^i x + W_h^i h + b^i)      input gate
    f = σ(W_x^f x + W_h^f h + b^f)      forget gate
    g = tanh(W_x^g x + W_h^g h + b^g)   candidate cell value
    o = σ(W_x^o x + W_h^o h + b^o)      output gate
    c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')

Tying constrains them: ``tie="input"`` gives the four gates one shared input matrix ``W_x``;
``tie="coupled"`` ties the forget gate to the input gate, ``f = 1 - i`` (Greff et al., 2017).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from knobs.nn import init as _init
from knobs.nn.activations import sigmoid
from knobs.nn.init import InitSpec
from knobs.nn.module import Module
from knobs.validate import as_batch, positive_int

LSTM_TYING = ("none", "input", "coupled")  # which gates share their input weights


class LSTMCell(Module):
    """One LSTM step ``(x, h, c) -> (h', c')``.

    Args:
        n_in: input features; n_hidden: units ``h``.
        tie: ``"none"``, ``"input"`` (one ``W_x`` shared by the gates) or ``"coupled"``
            (``f = 1 - i``: no forget-gate parameters).
        bias, init, rng: as for ``Linear``.

    Shapes, with ``G`` gates (4, or 3 when coupled) stacked in the order i, f, g, o:
    ``W_x: (G h, n_in)`` (``(h, n_in)`` when ``tie="input"``), ``W_h: (G h, h)``,
    ``b: (G h,)``; ``X: (m, n_in)``, ``h, c: (m, h)``. ``forward`` returns ``(h', c')`` and
    ``backward(dh, dc)`` returns ``(dX, dh_prev, dc_prev)``.
    """

    params = (("W_x", "dW_x"), ("W_h", "dW_h"), ("b", "db"))

    def __init__(self, n_in: int, n_hidden: int, tie: str = "none", bias: bool = True,
                 init: InitSpec = "xavier_uniform", rng: np.random.Generator | None = None) -> None:
        if tie not in LSTM_TYING:
            raise ValueError(f"tie must be one of {LSTM_TYING}, got {tie!r}")
        self.n_in, self.n_hidden = positive_int(n_in, "n_in"), positive_int(n_hidden, "n_hidden")
        self.tie = tie
        self.n_gates = 3 if tie == "coupled" else 4
        h = self.n_hidden
        # each gate's block is drawn like a Linear layer of its own
        x_blocks = 1 if tie == "input" else self.n_gates
        self.W_x = np.concatenate([_init.initialize(init, (h, self.n_in), rng)
                                   for _ in range(x_blocks)])
        self.W_h = np.concatenate([_init.initialize(init, (h, h), rng)
                                   for _ in range(self.n_gates)])
        self.b = np.zeros(self.n_gates * h) if bias else None
        self.dW_x, self.dW_h = np.zeros_like(self.W_x), np.zeros_like(self.W_h)
        self.db = None if self.b is None else np.zeros_like(self.b)
        self.cache: tuple | None = None

    def _gates(self, A: np.ndarray) -> dict[str, np.ndarray]:
        blocks = np.split(A, self.n_gates, axis=1)
        if self.tie == "coupled":
            i, g, o = sigmoid(blocks[0]), np.tanh(blocks[1]), sigmoid(blocks[2])
            return {"i": i, "f": 1.0 - i, "g": g, "o": o}
        return {"i": sigmoid(blocks[0]), "f": sigmoid(blocks[1]), "g": np.tanh(blocks[2]),
                "o": sigmoid(blocks[3])}

    def forward(self, X: ArrayLike, h: ArrayLike | None = None,  # type: ignore[override]
                c: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray]:
        """One step: ``(h_new, c_new)`` from the input and the previous state (zeros if None).
        A recurrent cell, not a feed-forward layer: it takes and returns a state too."""
        X = as_batch(X, self.n_in)
        m = X.shape[0]
        h = np.zeros((m, self.n_hidden)) if h is None else as_batch(h, self.n_hidden, "h")
        c = np.zeros((m, self.n_hidden)) if c is None else as_batch(c, self.n_hidden, "c")
        if h.shape[0] != m or c.shape[0] != m:
            raise ValueError(f"h and c must have shape ({m}, {self.n_hidden}), "
                             f"got {h.shape} and {c.shape}")
        Zx = X @ self.W_x.T
        if self.tie == "input":
            Zx = np.tile(Zx, (1, self.n_gates))  # the same input projection enters every gate
        A = Zx + h @ self.W_h.T
        if self.b is not None:
            A = A + self.b
        gates = self._gates(A)
        c_new = gates["f"] * c + gates["i"] * gates["g"]
        tanh_c = np.tanh(c_new)
        self.cache = (X, h, c, gates, tanh_c)
        return gates["o"] * tanh_c, c_new

    def backward(self, dh: ArrayLike,  # type: ignore[override]
                 dc: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(dX, dh_prev, dc_prev)`` from the gradients of ``h_new`` and ``c_new``."""
        X, h, c, gates, tanh_c = self._need_forward("cache")
        i, f, g, o = gates["i"], gates["f"], gates["g"], gates["o"]
        dh = as_batch(dh, self.n_hidden, "dh")
        dc = np.zeros_like(dh) if dc is None else as_batch(dc, self.n_hidden, "dc")
        if dh.shape != h.shape or dc.shape != h.shape:
            raise ValueError(f"dh and dc must have shape {h.shape}, got {dh.shape}, {dc.shape}")
        dc_total = dc + dh * o * (1.0 - tanh_c ** 2)
        do, df, di, dg = dh * tanh_c, dc_total * c, dc_total * g, dc_total * i
        dA_i = di * i * (1.0 - i)
        dA_g = dg * (1.0 - g ** 2)
        dA_o = do * o * (1.0 - o)
        if self.tie == "coupled":
            dA_i = dA_i - df * i * (1.0 - i)  # f = 1 - i: the forget path pulls on i too
            dA = np.concatenate([dA_i, dA_g, dA_o], axis=1)
        else:
            dA = np.concatenate([dA_i, df * f * (1.0 - f), dA_g, dA_o], axis=1)
        self.dW_h = dA.T @ h
        if self.b is not None:
            self.db = dA.sum(axis=0)
        dZx = dA
        if self.tie == "input":
            # one matrix used four times: its gradient is the sum of the four gates' gradients
            dZx = dA.reshape(dA.shape[0], self.n_gates, self.n_hidden).sum(axis=1)
        self.dW_x = dZx.T @ X
        return dZx @ self.W_x, dA @ self.W_h, dc_total * f

    def __repr__(self) -> str:
        return (f"LSTMCell(n_in={self.n_in}, n_hidden={self.n_hidden}, tie={self.tie!r}, "
                f"bias={self.b is not None})")
