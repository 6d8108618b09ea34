"""Chapter 13's experiments: spending a parameter budget on width or on depth.

- ``EXPERIMENT``: a budget ``P`` and an input dimension ``d`` -> for every depth ``L``, the
  widest network that fits, by the rule ``(L - 1) m² + d m <= P`` and by the exact count.
- ``draw_tradeoff``, ``draw_trials``: the figures of ``knobs.studies.depth_budget``'s runs.
"""

from __future__ import annotations

import numpy as np

from knobs.analysis import accounting
from knobs.studies.depth_budget import target
from knobs.ui.experiments.base import Experiment, Slider
from knobs.ui.language import N_, _, pad
from knobs.ui.plotting import PALETTE, new_figure

MAX_DEPTH = 16
MAX_BUDGET_K, MIN_D = 1000, 1  # the sliders' extremes that give the widest network
# The y axis holds every width the sliders can give (the widest: L = 1, m = P / d at the largest
# budget and the smallest d), so it stays put while they move: the reader sees the curves shift.
Y_TOP = 2.0 * 1000 * MAX_BUDGET_K / MIN_D


def compute(budget_k: int, d: int) -> dict:
    """For ``L = 1 .. MAX_DEPTH``: the widest ``m`` under the rule and under the exact count.

    ``budget_k`` is the budget in thousands of parameters (50 for the chapter's 50,000).
    """
    budget = 1000 * budget_k
    depths = np.arange(1, MAX_DEPTH + 1)
    rule = np.array([accounting.width_for_budget(budget, d, int(L)) for L in depths])
    exact = np.array([accounting.width_for_budget(budget, d, int(L), exact=True) for L in depths])
    used = np.array([accounting.dense_parameter_count(accounting.mlp_sizes(d, m, int(L)))
                     if m else 0 for L, m in zip(depths, exact, strict=True)])
    return {"budget": budget, "d": d, "depths": depths, "rule": rule, "exact": exact,
            "used": used, "feasible": int(np.count_nonzero(exact))}


def report(r: dict) -> str:
    lines = [_("budget P = {budget:,} parameters, input dimension d = {d}: "
               "{feasible} of {depths} depths fit by the exact count").format(
                 budget=r["budget"], d=r["d"], feasible=r["feasible"], depths=MAX_DEPTH),
             _("   L   m (rule)   m (exact)   exact count")]
    for L, m_rule, m, used in zip(r["depths"], r["rule"], r["exact"], r["used"], strict=True):
        if L <= 4 or L % 4 == 0:  # a readable subset; the figure shows every depth
            count = f"{used:>12,}" if m else pad(_("none fits"), 12, ">")
            lines.append(f"  {L:2d}   {m_rule:8d}   {m:9d}   {count}")
    return "\n".join(lines)


def draw(r: dict):
    fig, ax = new_figure(f"Under a budget of {r['budget']:,}, each extra layer costs width",
                         "depth L (hidden layers)", "widest width m that fits",
                         figsize=(6.0, 3.6))
    ax.plot(r["depths"], r["rule"], "o-", color=PALETTE["blue"],
            label="rule (L-1)m² + dm ≤ P")
    ax.plot(r["depths"], r["exact"], "s--", color=PALETTE["ochre"], mfc="none",
            label="exact count (biases, output layer)")
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylim(0, Y_TOP)
    ax.set_xticks(r["depths"][::3])
    ax.legend()
    return fig


EXPERIMENT = Experiment(
    name="budget",
    title=N_("Width against depth under a parameter budget"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("budget_k", N_("budget P (thousands)"), 1, MAX_BUDGET_K, 1, 50, integer=True),
        Slider("d", N_("input dimension d"), MIN_D, 1000, 1, 100, integer=True),
    ),
    main="budget_k",
    alt=N_("Widest hidden-layer width that fits the parameter budget for each depth from 1 to "
           "16, by the rule (L-1)m² + dm and by the exact count with biases and an output unit; "
           "the width falls quickly as layers are added, and the two curves nearly coincide."),
)


def draw_tradeoff(result: dict):
    """Top: the two errors per depth. Bottom: the fits of the small-data networks."""
    rows = result["rows"]
    fig, (ax, ax2) = new_figure(f"One budget ({result['budget']} parameters), four depths: "
                                "approximation and estimation error",
                                "depth L (width shrinks to fit)", "test mean squared error",
                                nrows=2, figsize=(6.4, 6.2))
    labels = [f"L={r['depth']}\nm={r['width']}" for r in rows]
    pos = np.arange(len(rows))
    ax.bar(pos - 0.2, [r["approximation"] for r in rows], width=0.4, color=PALETTE["blue"],
           label="clean, plentiful data: approximation\n(+ optimization)")
    ax.bar(pos + 0.2, [r["total"] for r in rows], width=0.4, color=PALETTE["ochre"],
           label=f"{len(result['X_noisy'])} noisy samples: + estimation")
    ax.set_xticks(pos, labels)
    ax.legend(fontsize=8)
    x = result["X_test"]
    ax2.plot(x, target(x), color=PALETTE["black"], lw=2, label="target")
    ax2.scatter(result["X_noisy"], result["y_noisy"], s=12, color=PALETTE["black"], alpha=0.5,
                label="noisy samples")
    colors = [PALETTE["blue"], PALETTE["green"], PALETTE["ochre"], PALETTE["vermillion"]]
    for r, color in zip(rows, colors * (len(rows) // len(colors) + 1), strict=False):
        ax2.plot(x, r["curve_noisy"], color=color, lw=1.3, label=f"L={r['depth']} fit")
    ax2.set_xlabel("input x")
    ax2.set_ylabel("output")
    ax2.set_title("fits to the noisy samples")
    ax2.legend(fontsize=8, ncols=2)
    return fig


def draw_trials(result: dict):
    """Mean test errors per depth over the trials, with bars from the lowest to the highest."""
    rows = result["summary"]
    fig, ax = new_figure(f"One budget ({result['budget']} parameters), four depths, "
                         f"{len(result['trials'])} trials each",
                         "depth L (width shrinks to fit)", "test mean squared error",
                         figsize=(6.4, 3.6))
    pos = np.arange(len(rows))
    for shift, key, color, label in (
            (-0.2, "approximation", PALETTE["blue"],
             "clean, plentiful data: approximation\n(+ optimization)"),
            (0.2, "total", PALETTE["ochre"], "30 noisy samples: + estimation")):
        means = np.array([r[key].mean() for r in rows])
        low = means - np.array([r[key].min() for r in rows])
        high = np.array([r[key].max() for r in rows]) - means
        ax.bar(pos + shift, means, width=0.4, color=color, label=label,
               yerr=np.vstack([low, high]), capsize=3, ecolor=PALETTE["black"])
    ax.set_xticks(pos, [f"L={r['depth']}\nm={r['width']}" for r in rows])
    ax.set_ylim(0, None)
    ax.legend(fontsize=8, title="bars: mean; whiskers: lowest to highest trial",
              title_fontsize=8)
    return fig
