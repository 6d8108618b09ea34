"""Chapter 5's live experiment: which part of a bias survives which normalization layer.

The bias of ``z = W h + b`` is split as ``b = c·1 + s·u``, with ``u ⟂ 1`` (fixed, unit RMS).
For a batch of inputs we compare each normalization layer's output with and without ``b``:
BatchNorm (training mode) cancels all of ``b``; LayerNorm cancels ``c·1`` but not ``s·u``, and
what ``s·u`` does depends on the input; RMSNorm cancels neither part.
"""

from __future__ import annotations

import numpy as np

from knobs.analysis.folding import absorption_residual
from knobs.nn.norm import BatchNorm1d, LayerNorm, RMSNorm
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.language import N_, _
from knobs.ui.plotting import PALETTE, new_figure

SEED = 5
M, N_IN, N_OUT = 40, 5, 6
ROUNDING = 1e-12  # changes below this are float64 rounding, not an effect of b
MAX_CHANGE = 2.0  # |out - out0| ≤ |out| + |out0| ≤ 2 in RMS: both outputs have RMS ≤ 1


def problem() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fixed inputs ``H: (m, n_in)`` of varied scale, weights ``W: (n_out, n_in)``, and the
    direction ``u: (n_out,)``, orthogonal to the all-ones vector with unit RMS."""
    rng = np.random.default_rng(SEED)
    H = rng.normal(size=(M, N_IN)) * rng.uniform(0.1, 2.0, size=(M, 1))
    W = rng.normal(size=(N_OUT, N_IN)) / np.sqrt(N_IN)
    u = rng.normal(size=N_OUT)
    u -= u.mean()
    return H, W, u / u.std()


def _change(layer, Z0: np.ndarray, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The layer's output without and with the bias, and their RMS difference per sample."""
    out0, out = layer.forward(Z0), layer.forward(Z)
    return out0, out, np.sqrt(np.mean((out - out0) ** 2, axis=1))


def compute(orth_scale: float, par_shift: float) -> dict:
    H, W, u = problem()
    b = par_shift * np.ones(N_OUT) + orth_scale * u
    Z0 = H @ W.T
    Z = Z0 + b
    _, _, bn = _change(BatchNorm1d(N_OUT), Z0, Z)
    ln0, ln, ln_change = _change(LayerNorm(N_OUT), Z0, Z)
    _, _, rms = _change(RMSNorm(N_OUT), Z0, Z)
    return {
        "orth_scale": orth_scale, "par_shift": par_shift,
        "spread": Z0.std(axis=1),  # how far each sample's Wh is from a constant vector
        "bn": bn, "ln": ln_change, "rms": rms,
        "bn_unchanged": bool(bn.max() < ROUNDING),
        # γ = 1, β = 0, so ln0 is the normalized input: could any γ', β' turn it into ln?
        "ln_residual": absorption_residual(ln0, ln),
    }


def report(r: dict) -> str:
    def span(v):
        return _("{low:.4f} to {high:.4f}").format(low=v.min(), high=v.max())

    bn = (_("unchanged (every change below 1e-12, rounding level)") if r["bn_unchanged"]
          else _("changes by up to {change:.4f}").format(change=r["bn"].max()))
    sign = "-" if r["orth_scale"] < 0 else "+"
    return "\n".join([
        _("b = {c:g}·1 {sign} {s:g}·u   (u ⟂ 1, unit RMS), {m} samples, {n} features").format(
            c=r["par_shift"], sign=sign, s=abs(r["orth_scale"]), m=M, n=N_OUT),
        _("  BatchNorm (training): {verdict}").format(verdict=bn),
        _("  LayerNorm: RMS change per sample {span}; "
          "best refit of γ, β leaves {residual:.4f}").format(
            span=span(r["ln"]), residual=r["ln_residual"]),
        _("  RMSNorm:   RMS change per sample {span}").format(span=span(r["rms"])),
    ])


def _title(r: dict) -> str:
    if r["orth_scale"] == 0:
        return "b ∝ 1: LayerNorm cancels it, like BatchNorm"
    return "LayerNorm moves by an input-dependent amount; BatchNorm stays put"


def draw(r: dict):
    fig, ax = new_figure(_title(r), "spread of Wh within the sample (std over features)",
                         "RMS change of the output", figsize=(6.2, 4.0))
    ax.scatter(r["spread"], r["rms"], s=22, marker="^", color=PALETTE["ochre"],
               label="RMSNorm")
    # BatchNorm as hollow squares under LayerNorm's dots, so both stay visible where they meet
    ax.scatter(r["spread"], r["bn"], s=60, marker="s", facecolors="none",
               edgecolors=PALETTE["green"], linewidths=1.5, label="BatchNorm (training)")
    ax.scatter(r["spread"], r["ln"], s=16, marker="o", color=PALETTE["blue"], label="LayerNorm")
    # fixed limits, the same at every setting (so the points move, not the axis): with γ = 1 and
    # β = 0 each layer's output has an RMS of at most 1, so no change can exceed 2
    ax.set_ylim(-0.05 * MAX_CHANGE, 1.1 * MAX_CHANGE)
    ax.legend(loc="upper right", fontsize=8)
    return fig


EXPERIMENT = Experiment(
    name="normalization",
    title=N_("The part of b orthogonal to 1, through BatchNorm, LayerNorm and RMSNorm"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("orth_scale", N_("part ⟂ 1: s"), -3.0, 3.0, 0.25, 1.0),
        Slider("par_shift", N_("part along 1: c"), -5.0, 5.0, 0.5, 2.0),
    ),
    main="orth_scale",
    alt=N_("Scatter of forty samples: horizontal axis the spread of the sample's net input "
           "across features, vertical axis how much adding the bias changes the output of "
           "BatchNorm, LayerNorm and RMSNorm. BatchNorm's points lie at zero; LayerNorm's are "
           "largest for samples with a small spread."),
)
