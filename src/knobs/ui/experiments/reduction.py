"""Chapter 8's live experiment: summing a batch's worth of float32 numbers in different orders."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from knobs.analysis import summation
from knobs.ui.experiments.base import Choice, Experiment, Slider
from knobs.ui.language import N_, _, named, pad
from knobs.ui.plotting import PALETTE, new_figure

N_MAX = 10**6
VALUES = (N_("uniform [0, 1)"), N_("standard normal"), N_("constant 0.1"))
FLOOR = 1e-11   # an error of exactly 0 is drawn here: a log axis has no 0
SEED = 8        # the experiment's own data; the chapter's rng is not involved
N_LIMITS = (0.5, 2 * N_MAX)   # the x axis, fixed: n from 1 to N_MAX with a margin


@lru_cache(maxsize=len(VALUES))
def _data(values: str) -> np.ndarray:
    rng = np.random.default_rng(SEED)
    if values == "uniform [0, 1)":
        x = rng.random(N_MAX, dtype=np.float32)
    elif values == "standard normal":
        x = rng.standard_normal(N_MAX, dtype=np.float32)
    else:
        x = np.full(N_MAX, 0.1, dtype=np.float32)
    x.setflags(write=False)   # cached: nobody may change it
    return x


def compute(log10_n: float, values: str) -> dict:
    """Sum the first ``n = 10**log10_n`` float32 numbers sequentially, with ``np.sum`` and as an
    explicit tree; errors relative to ``Σ|x|`` for every prefix length up to ``n``.

    The reference is ``np.sum`` in float64: for these inputs it equals the exactly rounded sum
    (chapter 8 checks this against ``math.fsum``), far below any float32 error.
    """
    n = int(round(10**log10_n))
    x = _data(values)[:n]
    sizes = np.unique(np.round(np.logspace(0, log10_n, 25)).astype(int))
    running = summation.sequential_prefix_sums(x)
    seq, pair, tree, bounds = [], [], [], []
    for k in sizes:  # the last size is n itself
        ref = float(np.sum(x[:k], dtype=np.float64))
        mag = float(np.sum(np.abs(x[:k]), dtype=np.float64))
        pairwise, (tree_total, levels) = float(np.sum(x[:k])), summation.tree_sum(x[:k])
        seq.append(abs(float(running[k - 1]) - ref) / mag)
        pair.append(abs(pairwise - ref) / mag)
        tree.append(abs(float(tree_total) - ref) / mag)
        bounds.append(summation.error_bounds(int(k), np.float32))
    return {
        "n": n, "values": values, "sizes": sizes, "levels": levels,
        "exact": ref, "sequential": float(running[-1]), "pairwise": pairwise,
        "tree": float(tree_total),
        "err_sequential": np.array(seq), "err_pairwise": np.array(pair), "err_tree": np.array(tree),
        "bounds_sequential": np.array([b["sequential"] for b in bounds]),
        "bounds_tree": np.array([b["tree"] for b in bounds]),
        "bound_sequential": bounds[-1]["sequential"], "bound_tree": bounds[-1]["tree"],
    }


def report(r: dict) -> str:
    rows = [(_("left to right"), r["sequential"], r["err_sequential"][-1]),
            (_("np.sum (pairwise)"), r["pairwise"], r["err_pairwise"][-1]),
            (_("explicit tree"), r["tree"], r["err_tree"][-1])]
    lines = [_("{n:,} float32 numbers, {values}: exact sum {exact:.10g}").format(
        n=r["n"], values=named(r["values"]), exact=r["exact"])]
    lines += [f"  {pad(name, 18)} {value:>16.10g}   "
              + _("error / sum|x| = {error:.1e}").format(error=err)
              for name, value, err in rows]
    lines.append(_("  a tree needs {levels} levels instead of {additions:,} dependent "
                   "additions; worst-case bounds {tree:.1e} (tree) vs "
                   "{sequential:.1e} (left to right)").format(
        levels=r["levels"], additions=r["n"] - 1, tree=r["bound_tree"],
        sequential=r["bound_sequential"]))
    return "\n".join(lines)


def draw(r: dict):
    ratio = r["err_sequential"][-1] / max(r["err_tree"][-1], FLOOR)
    fig, ax = new_figure(f"{r['values']}, n = {r['n']:,}: left to right errs "
                         f"{ratio:.3g}x more than a tree",
                         "number of float32 values summed, n",
                         "error / sum of |x|  (exact results drawn at 1e-11)", figsize=(6.4, 4.0))
    k = r["sizes"]
    ax.loglog(k, np.maximum(r["err_sequential"], FLOOR), "o-", ms=3, color=PALETTE["vermillion"],
              label="left to right")
    ax.loglog(k, np.maximum(r["err_pairwise"], FLOOR), "s-", ms=3, color=PALETTE["blue"],
              label="np.sum (pairwise)")
    ax.loglog(k, np.maximum(r["err_tree"], FLOOR), "^-", ms=3, color=PALETTE["green"],
              label="explicit tree")
    ax.loglog(k, np.maximum(r["bounds_sequential"], FLOOR), ":", color=PALETTE["vermillion"],
              label="bound (n - 1) u")
    ax.loglog(k, np.maximum(r["bounds_tree"], FLOOR), ":", color=PALETTE["green"],
              label="bound log2(n) u")
    # the axes hold the slider's whole range of n: the curves grow to the right as n grows
    ax.set_xlim(*N_LIMITS)
    ax.set_ylim(FLOOR / 2, 1.0)
    ax.legend(loc="upper left", fontsize=8)
    return fig


EXPERIMENT = Experiment(
    name="reduction",
    title=N_("Summing in float32: one after another or as a tree"),
    compute=compute,
    draw=draw,
    report=report,
    controls=(
        Slider("log10_n", N_("log10 of n"), 1.0, 6.0, 0.25, 6.0),
        Choice("values", N_("values"), VALUES, "uniform [0, 1)"),
    ),
    main="log10_n",
    alt=N_("Log-log plot of the rounding error of a float32 sum against the number of values n, "
           "for left-to-right summation, NumPy's pairwise np.sum and an explicit tree, with the "
           "worst-case bounds (n - 1)u and log2(n)u as dotted lines; the left-to-right error "
           "grows far faster than the tree's."),
)
