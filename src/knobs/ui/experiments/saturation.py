"""Chapter 4's first live experiment: large biases saturate a hidden layer; an L2 penalty on the
biases pulls the net inputs back to where the activation has a slope.

A small regression network ``Linear(3, 8) → sigmoid/tanh → Linear(8, 1)`` starts with hidden
biases ``±b0`` and is trained twice by the engine's ``SGD``: once with the bias penalty
``λ_b b²`` (``bias_decay = 2 λ_b``) and once without it, from the same initial weights.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from matplotlib.ticker import FormatStrFormatter, LogLocator, NullFormatter

from knobs.nn import activations
from knobs.nn.linear import Linear
from knobs.nn.losses import MSELoss
from knobs.nn.module import Sequential, train_step
from knobs.nn.optim import SGD
from knobs.ui.experiments.base import Choice, Experiment, Slider
from knobs.ui.language import N_, _, pad
from knobs.ui.plotting import PALETTE, new_figure

SEED = 4  # the experiment's own data and initial weights; the same at every call
N_IN, N_HIDDEN, M = 3, 8, 64
STEPS, LR = 300, 0.05
# the loss axis: every run over the sliders' ranges stays inside it (0.009 to 11 for tanh,
# 0.04 to 6 for sigmoid)
LOSS_RANGE = (0.005, 20.0)


def problem() -> tuple[np.ndarray, np.ndarray]:
    """The fixed regression task: ``y = sin(vᵀx)`` (centred) for Gaussian ``x``."""
    rng = np.random.default_rng(SEED)
    X = rng.normal(size=(M, N_IN))
    y = np.sin(X @ rng.normal(size=N_IN))[:, None]
    return X, y - y.mean()  # a zero-mean target, so a bias penalty costs the fit nothing there


@lru_cache(maxsize=64)  # moving one slider retrains one run, not both (the runs are pure)
def train(b0: float, lam_b: float, activation: str, steps: int = STEPS) -> dict:
    """Train from hidden biases ``±b0`` with penalty ``λ_b b²``; record loss and mean slope.

    The returned arrays are read-only: the result is cached and shared between calls.
    """
    X, y = problem()
    rng = np.random.default_rng(SEED + 1)
    hidden = Linear(N_IN, N_HIDDEN, rng=rng)
    assert hidden.b is not None  # built with a bias
    hidden.b[...] = b0 * rng.choice([-1.0, 1.0], size=N_HIDDEN)
    act = activations.get(activation)
    model = Sequential(hidden, act, Linear(N_HIDDEN, 1, rng=rng))
    # SGD adds decay·p to each gradient, the gradient of (decay/2) p²: decay = 2 λ_b for λ_b b².
    # It decays every bias, the output's too; with a zero-mean target that one stays near 0.
    opt, loss = SGD(model, lr=LR, bias_decay=2.0 * lam_b), MSELoss()
    losses, slopes = np.empty(steps), np.empty(steps)
    for t in range(steps):
        losses[t] = train_step(model, loss, opt, X, y)
        assert act.Z is not None  # kept by train_step's forward pass
        slopes[t] = act.derivative(act.Z).mean()  # f'(z) at this step's forward pass
    losses.flags.writeable = slopes.flags.writeable = False
    return {"loss": losses, "slope": slopes, "b_abs": float(np.abs(hidden.b).mean())}


def compute(b0: float, lam_b: float, activation: str) -> dict:
    with_penalty = train(b0, lam_b, activation)
    without = train(b0, 0.0, activation)
    return {
        "b0": b0, "lam_b": lam_b, "activation": activation,
        "loss": with_penalty["loss"], "slope": with_penalty["slope"],
        "loss_free": without["loss"], "slope_free": without["slope"],
        "b_abs": with_penalty["b_abs"], "b_abs_free": without["b_abs"],
    }


def report(r: dict) -> str:
    f = r["activation"]
    lines = [_("{f} hidden layer, initial biases ±{b0:g}, {steps} steps of SGD (lr {lr:g})").format(
                 f=f, b0=r["b0"], steps=STEPS, lr=LR),
             " " * 22 + pad(_("mean {f}'(z)").format(f=f), 18, ">") + " " * 4
             + pad(_("loss"), 8, ">") + pad(_("mean |b|"), 10, ">"),
             ]
    for label, s, loss, b in (
        (f"λ_b = {r['lam_b']:g}", r["slope"], r["loss"], r["b_abs"]),
        (_("λ_b = 0 (reference)"), r["slope_free"], r["loss_free"], r["b_abs_free"]),
    ):
        # two significant digits: the digits a fixed budget of steps has settled
        lines.append(pad(label, 22, ">")
                     + f"{s[0]:>#9.2g} → {s[-1]:<#7.2g}{loss[-1]:>#9.2g}{b:>#10.2g}")
    return "\n".join(lines)


def _title(r: dict) -> str:
    if r["lam_b"] == 0:
        return "λ_b = 0: no penalty, so both runs are the same"
    end, end_free = r["loss"][-1], r["loss_free"][-1]
    if abs(end - end_free) <= 0.1 * end_free:
        return (f"λ_b = {r['lam_b']:g} barely changes the loss in {STEPS} steps: {end:.3f} "
                f"vs {end_free:.3f} without it")
    better = "lowers" if end < end_free else "raises"
    return (f"λ_b = {r['lam_b']:g} {better} the final loss: {end:.3f} "
            f"vs {end_free:.3f} without it")


def draw(r: dict):
    fig, (ax1, ax2) = new_figure(_title(r), "training step", f"mean {r['activation']}'(z)",
                                 nrows=2, figsize=(6.4, 6.0))
    steps = np.arange(1, len(r["loss"]) + 1)
    # the reference is drawn last and dashed, so it stays visible where the two runs coincide
    for ax, key in ((ax1, "slope"), (ax2, "loss")):
        ax.plot(steps, r[key], color=PALETTE["blue"], lw=2.5, label=f"λ_b = {r['lam_b']:g}")
        ax.plot(steps, r[key + "_free"], color=PALETTE["ochre"], lw=2, ls="--",
                label="λ_b = 0")
        ax.legend(loc="best")
    # axes that stay put as the sliders move (the curves move, the axes do not jump): the slope
    # up to its ceiling f'(0), the largest value f' takes; the loss on one range for both
    # activations, widened to whole decades only if a run ever leaves it
    peak = float(activations.get(r["activation"]).derivative(np.zeros(1))[0])
    ax1.set_ylim(0, 1.05 * peak)
    # the label at a fixed distance, clear of tick labels as wide as sigmoid's "0.25": the axes
    # keep the layout of the first figure drawn, whose ticks may be narrower
    ax1.yaxis.set_label_coords(-0.13, 0.5)
    ax2.set_yscale("log")
    low = min(float(np.min(r["loss"])), float(np.min(r["loss_free"])))
    high = max(float(np.max(r["loss"])), float(np.max(r["loss_free"])))
    ax2.set_ylim(LOSS_RANGE[0] if low >= LOSS_RANGE[0] else 10.0 ** math.floor(math.log10(low)),
                 LOSS_RANGE[1] if high <= LOSS_RANGE[1] else 10.0 ** math.ceil(math.log10(high)))
    ax2.yaxis.set_major_locator(LogLocator(subs=(1.0, 3.0)))  # 0.01, 0.03, 0.1, 0.3, 1, ...
    ax2.yaxis.set_major_formatter(FormatStrFormatter("%g"))  # plain numbers, no mathtext
    ax2.yaxis.set_minor_formatter(NullFormatter())  # unlabelled minor ticks: faster, cleaner
    ax2.set_xlabel("training step")
    ax2.set_ylabel("training loss (MSE, log scale)")
    return fig


EXPERIMENT = Experiment(
    name="saturation",
    title=N_("Saturated biases and an L2 penalty on them"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("b0", N_("initial |b|"), 0.0, 8.0, 0.5, 4.0),
        Slider("lam_b", N_("bias penalty λ_b"), 0.0, 0.5, 0.02, 0.1),
        Choice("activation", N_("activation"), ("tanh", "sigmoid"), "tanh"),
    ),
    main="lam_b",
    alt=N_("Two panels over 300 training steps. Top: the average slope of the activation at the "
           "hidden units' net inputs, for training with and without the bias penalty. Bottom: "
           "the training loss, on a log scale, for the same two runs."),
)
