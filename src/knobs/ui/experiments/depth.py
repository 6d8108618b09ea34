"""Chapter 3's live experiment: the variance of z layer by layer in deep random networks.

``NETWORKS`` stacks of ``depth`` layers ``Linear(WIDTH, WIDTH)`` + activation, built by the engine
with the chosen weight scheme and biases drawn from ``N(0, bias_std²)``, are fed one fixed batch of
standard normal inputs. Each network's measured ``Var(z_l)`` (pooled over samples and units) is
drawn on a log scale (as log10) with their geometric mean, next to the mean-field recursion
``q_l = n Var(w) E[f(z)²] + Var(b)``. One network of finite width is one random draw that wanders
around the recursion; several show the wander and its size, so no single draw reads as a trend.

Every scheme on the menu draws normal weights, ``std · N(0, 1)``, and the biases are
``bias_std · N(0, 1)``: the standard normal draws of each network are made once (``_draws``) and
only rescaled when a control moves, so every setting shows the same underlying networks and a
redraw costs matrix products, not random numbers.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from knobs.analysis import propagation
from knobs.nn import activations
from knobs.nn.linear import Linear
from knobs.nn.module import Sequential
from knobs.ui.experiments.base import Choice, Experiment, Slider
from knobs.ui.language import N_, _, named
from knobs.ui.plotting import PALETTE, cover, new_figure

WIDTH = 128
# 16 × 128 × 128 = 2¹⁸ multiply-adds per layer: small enough for BLAS to use a single thread,
# which keeps a redraw fast on a busy shared machine; 16 × 128 pooled values per layer suffice
SAMPLES = 16
SEED = 31  # the same inputs and the same underlying draws at every slider position
NETWORKS = 4  # independent networks per setting: enough to show the wander, cheap to redraw

# menu label -> (engine initializer, its options); every one draws normal weights
SCHEMES = {
    "kaiming_normal": ("kaiming_normal", {}),
    "xavier_normal": ("xavier_normal", {}),
    N_("normal (std 0.01)"): ("normal", {"std": 0.01}),
    N_("normal (std 1)"): ("normal", {"std": 1.0}),
}
MAX_DEPTH = 60  # the depth slider's maximum
# the activations' names as a reader reads them (the menu's values are the engine's names)
ACTIVATION_NAMES = (N_("relu"), N_("identity"))


def _inputs() -> np.ndarray:
    return np.random.default_rng(SEED).standard_normal((SAMPLES, WIDTH))


@cache
def _draws(network: int) -> tuple[Linear, ...]:
    """Network ``network``'s ``MAX_DEPTH`` engine layers holding its standard normal draws
    (``W``, then ``b``, layer by layer from its own seed, so a deeper network extends a
    shallower one). ``_network`` rescales them in place for a setting."""
    # a child of SEED's seed sequence: independent of the inputs' stream, which SEED itself
    # feeds (default_rng([SEED, 0]) would not be: it seeds the same stream as SEED)
    rng = np.random.default_rng(np.random.SeedSequence(SEED, spawn_key=(network,)))
    return tuple(Linear.from_arrays(rng.standard_normal((WIDTH, WIDTH)), rng.standard_normal(WIDTH))
                 for _ in range(MAX_DEPTH))


@cache
def _layers(network: int) -> tuple[Linear, ...]:
    """The layers ``_network`` fills: built once, rewritten in place at every setting (building
    240 layers anew would cost more than running them)."""
    return tuple(Linear(WIDTH, WIDTH, init="zeros") for _ in range(MAX_DEPTH))


def _network(k: int, depth: int, activation: str, scheme: str, bias_std: float) -> Sequential:
    """Network ``k`` as an engine ``Sequential`` of ``depth`` layers: its normal draws scaled to
    the scheme's standard deviation and to ``bias_std``. Its layers are reused by the next call
    for the same ``k``; run it before asking for another."""
    init, options = SCHEMES[scheme]
    std_w = math.sqrt(propagation.weight_variance(init, (WIDTH, WIDTH), **options))
    layers = []
    for draw, linear in zip(_draws(k)[:depth], _layers(k), strict=False):
        np.multiply(draw.W, std_w, out=linear.W)
        assert draw.b is not None  # _draws gives every layer a bias
        np.multiply(draw.b, bias_std, out=linear.b)
        layers += [linear, activations.get(activation)]
    return Sequential(*layers)


def compute(depth: int, activation: str, scheme: str, bias_std: float) -> dict:
    """Measured ``Var(z_l)`` of every network (``var_each: (NETWORKS, depth)``), their geometric
    mean ``var_z`` and the mean-field ``theory``, for ``l = 1..depth``."""
    init, options = SCHEMES[scheme]
    X = _inputs()
    each = np.array([propagation.layer_statistics(
        _network(k, depth, activation, scheme, bias_std), X).var_z for k in range(NETWORKS)])
    with np.errstate(divide="ignore"):  # a dead network (variance 0) has log -inf: mean 0
        var_z = np.exp(np.mean(np.log(each), axis=0))
    gain = WIDTH * propagation.weight_variance(init, (WIDTH, WIDTH), **options)
    theory = propagation.mean_field(depth, activation, gain, bias_var=bias_std ** 2,
                                    input_second_moment=float(np.mean(X * X)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = each[:, -1] / each[:, 0]
    return {
        "depth": depth, "activation": activation, "scheme": scheme, "bias_std": float(bias_std),
        "gain": gain, "layers": np.arange(1, depth + 1),
        "var_each": each, "var_z": var_z, "theory": theory["var"],
        "ratio": float(var_z[-1] / var_z[0]) if var_z[0] > 0 else math.nan,
        "ratio_low": float(np.min(ratios)), "ratio_high": float(np.max(ratios)),
    }


def report(r: dict) -> str:
    L = r["depth"]
    lines = [
        _("{scheme} + {activation}, width {width}, {networks} networks: "
          "n Var(w) = {gain:.3g}, Var(b) = {bias_var:.3g}").format(
            scheme=named(r["scheme"]), activation=named(r["activation"]), width=WIDTH,
            networks=NETWORKS, gain=r["gain"], bias_var=r["bias_std"] ** 2),
        _("Var(z) at layer 1: {var:.2g} (mean field {theory:.2g})").format(
            var=r["var_z"][0], theory=r["theory"][0]),
        _("Var(z) at layer {L}: {var:.2g} (mean field {theory:.2g})").format(
            L=L, var=r["var_z"][-1], theory=r["theory"][-1]),
        _("ratio layer {L} / layer 1: {ratio:.2g} (geometric mean; the networks range "
          "from {low:.2g} to {high:.2g})").format(
            L=L, ratio=r["ratio"], low=r["ratio_low"], high=r["ratio_high"]),
    ]
    return "\n".join(lines)


def log10_positive(values: np.ndarray) -> np.ndarray:
    """``log10`` of the positive entries; NaN (a gap in the plot) where a variance is 0."""
    values = np.asarray(values, dtype=np.float64)
    return np.log10(values, where=values > 0, out=np.full_like(values, np.nan))


def y_range(r: dict) -> tuple[float, float]:
    """Limits of the ``log10 Var`` axis: all the data, and at least -2 to 2 (10⁻² to 10²), so
    that the finite-width wander of a stable scheme looks as small as it is next to the
    exponential trends of the others."""
    logs = log10_positive(np.concatenate([np.ravel(r.get("var_each", r["var_z"])),
                                          r["var_z"], r["theory"]]))
    logs = logs[np.isfinite(logs)]
    low = min(float(logs.min()) - 0.3, -2.0) if logs.size else -2.0
    high = max(float(logs.max()) + 0.3, 2.0) if logs.size else 2.0
    return low, high


@cache
def fixed_y_range(activation: str, scheme: str) -> tuple[float, float]:
    """Limits of the ``log10 Var`` axis for one activation and scheme, the same at every depth
    and bias: the mean field's range over the sliders' whole ranges (the deepest network holds
    every shallower one), a decade of room for the finite-width wander, whole decades, and at
    least -2 to 2 as in ``y_range``."""
    init, options = SCHEMES[scheme]
    gain = WIDTH * propagation.weight_variance(init, (WIDTH, WIDTH), **options)
    X = _inputs()  # compute's inputs
    depth_max = EXPERIMENT.control("depth").max
    logs = np.concatenate([
        log10_positive(propagation.mean_field(depth_max, activation, gain, bias_var=s ** 2,
                                              input_second_moment=float(np.mean(X * X)))["var"])
        for s in EXPERIMENT.control("bias_std").values()])
    logs = logs[np.isfinite(logs)]
    low = min(math.floor(float(logs.min()) - 1.0), -2.0) if logs.size else -2.0
    high = max(math.ceil(float(logs.max()) + 1.0), 2.0) if logs.size else 2.0
    return low, high


def draw(r: dict):
    L = r["depth"]
    # log10 of the variance on a linear axis: the same picture as a log axis, drawn twice as fast
    # (no mathtext tick labels), which keeps the live redraw quick
    fig, ax = new_figure(f"{r['scheme']} + {r['activation']}: Var(z) {r['var_z'][0]:.2g} → "
                         f"{r['var_z'][-1]:.2g} in {L} layer{'s' if L > 1 else ''}",
                         "layer l", "log10 Var(z_l)", figsize=(6.0, 3.6))
    for k, each in enumerate(r["var_each"]):
        ax.plot(r["layers"], log10_positive(each), "-", lw=0.8, color=PALETTE["sky"],
                label=f"each of {NETWORKS} networks (width {WIDTH})" if k == 0 else None)
    ax.plot(r["layers"], log10_positive(r["var_z"]), "o-", ms=3.5, color=PALETTE["blue"],
            label="measured, geometric mean")
    ax.plot(r["layers"], log10_positive(r["theory"]), "--", color=PALETTE["vermillion"],
            label="mean field: n Var(w) E[f(z)²] + Var(b)")
    ax.axhline(0.0, color=PALETTE["black"], lw=1, ls=":", label="Var(x) = 1 of the input")
    # axes that stay put as depth and bias move (the curve grows, the axes do not jump): every
    # depth the slider allows, and the y-range of this activation and scheme at any depth and
    # bias, widened only if the measurement ever strays outside it
    ax.set_xlim(0.5, EXPERIMENT.control("depth").max + 0.5)
    ax.set_ylim(*cover(fixed_y_range(r["activation"], r["scheme"]), y_range(r)))
    # the label at a fixed distance, clear of tick labels as wide as "−120": the axes keep the
    # layout of the first figure drawn, whose ticks may be narrower
    ax.yaxis.set_label_coords(-0.08, 0.5)
    ax.legend(loc="best", fontsize=8)
    return fig


EXPERIMENT = Experiment(
    name="depth",
    title=N_("Variance of z through a deep random network"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("depth", N_("depth"), 1, MAX_DEPTH, 1, 30, integer=True),
        Choice("activation", N_("activation"), ("relu", "tanh", "identity", "sigmoid"), "relu"),
        Choice("scheme", N_("weight init"), tuple(SCHEMES), "kaiming_normal"),
        Slider("bias_std", N_("bias std"), 0.0, 1.0, 0.05, 0.0),
    ),
    main="scheme",
    alt=N_("The base-10 logarithm of the variance of the net input z against the layer index, "
           "measured in four networks built by the engine (thin lines) with their geometric mean "
           "(dots) and predicted by the mean-field recursion (dashed line), with a dotted "
           "reference line at the input variance 1."),
)
