"""Chapter 7's live experiment: how the initialization decides whether hidden units stay copies."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from knobs.analysis import symmetry_breaking
from knobs.studies import logic_gates
from knobs.ui.experiments.base import Choice, Experiment, Slider
from knobs.ui.language import N_, _, named
from knobs.ui.plotting import PALETTE, cover, new_figure
from knobs.validate import positive_float

X = logic_gates.INPUTS                                  # the four corners of the unit square
Y = logic_gates.targets_of("XOR")[:, None]              # XOR: needs more than one hidden unit
N_HIDDEN = 4
LR = 0.2
STEPS = 400
ONE_UNIT_FLOOR = 1.0 / 6.0   # the lowest MSE any single hidden unit can reach on XOR (chapter 7)
# Fixed axes, so that a slider move redraws the curves and not the axes. Over every setting of
# the controls the loss peaks at most at ~44 (random weights, std 1.5) and is below 0.7 after
# 5 steps: the loss panel shows 0 to LOSS_TOP and marks a peak above it as off scale.
# The largest distance between units stays below 8.3, well under SPREAD_TOP.
LOSS_TOP = 0.7
SPREAD_TOP = 20.0
# Copies may differ by rounding, by how much depends on the machine's BLAS (below 1e-15 here
# under every profile); a broken symmetry separates the units by far more (its largest distance
# is above 0.04 everywhere in the control box). A distance below COPY_TOL means "copies".
COPY_TOL = 1e-12


def compute(weights: str, biases: str, std: float, seed: int) -> dict:
    """Train ``2 -> 4 tanh -> 1`` on XOR for ``STEPS`` full-batch steps from the given schemes.

    ``std`` is the standard deviation of the ``"random"`` schemes, ``seed`` seeds their
    Generator (the constant schemes use no randomness). Returns the loss and the spread between
    the hidden units' weight vectors at every step, and the final rank of the hidden layer.
    """
    std = positive_float(std, "std", allow_zero=True)
    drawn = "random" in (weights, biases)   # constant schemes draw nothing: std, seed unused
    trained = _train(weights, biases, float(std) if drawn else 0.0, int(seed) if drawn else 0)
    return {"weights": weights, "biases": biases, "std": float(std), "seed": int(seed), **trained}


@lru_cache(maxsize=256)
def _train(weights: str, biases: str, std: float, seed: int) -> dict:
    # the training costs ~30-60 ms; cached so that moving a slider back is instant (read-only
    # arrays: the cache hands out the same ones again)
    rng = np.random.default_rng(seed)
    model = symmetry_breaking.two_layer_network(2, N_HIDDEN, 1, weights, biases, std=std, rng=rng)
    history = symmetry_breaking.train_recording(model, X, Y, lr=LR, steps=STEPS)
    out = {
        "loss": history.loss, "spread": history.spread, "unit_spread": history.unit_spread,
        "final_loss": float(history.loss[-1]), "final_spread": float(history.spread[-1]),
        "final_unit_spread": float(history.unit_spread[-1]),
        "identical": bool(history.unit_spread.max() <= COPY_TOL),
        "rank": symmetry_breaking.hidden_rank(model, X),
        "output": model.forward(X).ravel(),
    }
    for value in out.values():
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
    return out


def _distance(d: float) -> str:
    """A distance between units: at rounding level (copies) a bound, never digits of rounding."""
    if d <= COPY_TOL:  # roundoff.below's words, in the reader's language
        return _("below {bound:.0e}").format(bound=COPY_TOL)
    return f"{d:.4f}" if d >= 1e-3 else f"{d:.1e}"


# the menus' options as a reader reads them (the values are symmetry_breaking's scheme names)
SCHEME_NAMES = (N_("constant 0"), N_("constant 0.5"), N_("random"), N_("zeros"))


def _scheme(r: dict) -> str:
    biases = "zero" if r["biases"] == "zeros" else r["biases"]
    # the scheme names in the figure's title stay English, like its axes
    return f"{r['weights']} weights, {biases} biases"


def report(r: dict) -> str:
    verdict = (_("the hidden units are still copies (distance below {tol:.0e} at every "
                 "step): the layer acts as one unit").format(tol=COPY_TOL) if r["identical"] else
               _("symmetry broken: the hidden layer has rank {rank} of {n}").format(
                   rank=r["rank"], n=N_HIDDEN))
    return "\n".join([
        _("{weights} weights, {biases} biases (std of random draws {std:.2f}, "
          "seed {seed}), {steps} steps of gradient descent on XOR").format(
            weights=named(r["weights"]), biases=named(BIAS_WORDS.get(r["biases"], r["biases"])),
            std=r["std"], seed=r["seed"], steps=STEPS),
        _("  loss: {start:.4f} at the start, {end:.4f} at the end "
          "(one unit cannot go below {floor:.4f})").format(
            start=r["loss"][0], end=r["final_loss"], floor=ONE_UNIT_FLOOR),
        _("  largest distance between hidden units' incoming weights: {start} -> {end}").format(
            start=_distance(r["spread"][0]), end=_distance(r["final_spread"])),
        _("  outputs on (0,0), (0,1), (1,0), (1,1): {outputs}").format(
            outputs=", ".join(f"{v:+.3f}" for v in r["output"])),
        f"  {verdict}",
    ])


# "zeros" reads "zero biases" in the report
BIAS_WORDS = {"zeros": N_("zero")}


def draw(r: dict):
    title = ("hidden units stay identical: the loss stalls" if r["identical"] else
             "the hidden units separate" + (" and XOR is learned" if r["final_loss"] < 0.01
                                            else ", but XOR is not learned yet"))
    fig, (ax0, ax1) = new_figure(f"{_scheme(r)}: {title}",
                                 "gradient-descent step", "mean squared error", nrows=2,
                                 figsize=(6.4, 6.0))
    steps = np.arange(len(r["loss"]))
    ax0.plot(steps, r["loss"], color=PALETTE["blue"], label="4 hidden units")
    ax0.axhline(ONE_UNIT_FLOOR, color=PALETTE["vermillion"], ls="--", lw=1,
                label="best any single unit can do")
    ax0.set_ylim(0, LOSS_TOP)
    peak = float(np.max(r["loss"]))
    if peak > LOSS_TOP:   # a large early loss, clipped: say so
        at = int(np.argmax(r["loss"]))
        ax0.annotate(f"off scale: the loss reaches {peak:.3g} at step {at}",
                     xy=(at, 1.0), xycoords=("data", "axes fraction"),
                     xytext=(30, 0.76 * LOSS_TOP), textcoords="data", fontsize=8,
                     color=PALETTE["blue"], va="center",
                     arrowprops={"arrowstyle": "->", "color": PALETTE["blue"], "lw": 0.8})
    ax0.set_title("loss", fontsize=10)
    ax0.legend(loc="upper right")
    ax1.plot(steps, r["spread"], color=PALETTE["green"], label="rows of W1 (incoming weights)")
    ax1.plot(steps, r["unit_spread"], color=PALETTE["ochre"], ls="--",
             label="whole units (W1 row, b1, W2 column)")
    ax1.set_yscale("symlog", linthresh=1e-3)
    # 0 must stay visible: a symmetric-log axis shows an exact 0 at the bottom
    ax1.set_ylim(*cover((0.0, SPREAD_TOP), r["unit_spread"], 1.5))
    ax1.set_xlabel("gradient-descent step")
    ax1.set_ylabel("largest distance between two units")
    ax1.set_title("spread between hidden units", fontsize=10)
    ax1.legend(loc="center right", fontsize=8)
    return fig


EXPERIMENT = Experiment(
    name="carbon_copy",
    title=N_("Initialization and the carbon-copy problem"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Choice("weights", N_("weights"), symmetry_breaking.WEIGHT_SCHEMES, "constant 0.5"),
        Choice("biases", N_("biases"), symmetry_breaking.BIAS_SCHEMES, "zeros"),
        Slider("std", N_("std of random draws"), 0.0, 1.5, 0.05, 0.5),
        Slider("seed", N_("seed"), 0, 9, 1, 0, integer=True),
    ),
    main="weights",
    alt=N_("Two panels over 400 gradient-descent steps on XOR. Top: the loss of a network with "
           "four hidden units on a fixed axis from 0 to 0.7, with a dashed line at 1/6, the best "
           "a single unit can do; an early loss above 0.7 is marked off scale. Bottom: the "
           "largest distance between two hidden units on a symmetric-log axis; it stays at zero "
           "(to rounding) under constant initialization and grows when the symmetry is broken."),
)
