"""Every live experiment, swept over each control's whole range, extremes included."""

import dataclasses
import itertools
import math
import re
import sys
from functools import lru_cache

import matplotlib
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from knobs.ui.experiments import ALL, Choice, Experiment, Slider  # noqa: E402

IDS = [e.name for e in ALL]
MAX_STEPS = 41  # sweep every step of a slider with at most this many, else 41 of its steps


N = r"[+-]?\d[\d,]*(?:\.\d+)?(?:e[+-]\d+)?"   # a number as the reports print it
BYTES = rf"{N} [kMGTP]?B"
BOUND = rf"(?:below {N}|{N})"                  # carbon_copy: a distance, or a bound on it


def _sd(v):
    return v["sigma"] * math.sqrt(v["w1"] ** 2 + v["w2"] ** 2
                                  + 2 * v["rho"] * v["w1"] * v["w2"])


def _out_side(v):
    return (v["size"] - v["kernel"]) // v["stride"] + 1


def _network(v):
    return [v["n_in"], v["h1"], v["h2"], v["n_out"]]


# What each report states at every value of every control: ``pattern`` (a regex, searched with
# re.S) requires the quantities it reports, with numbers; ``shows[control]`` gives, from all
# control values, the text (or texts) where the report states the swept control's value or a
# quantity derived from it. Written from the report functions; a report that changes its wording
# changes here too.
REPORTS = {
    "gates": {
        "pattern": (rf"^w = \({N}, {N}\), b = {N}: the neuron computes [\w ]+\n"
                    + rf"  x = \([01], [01]\)   z = {N}   y = [01]\n" * 4
                    + rf"(?:boundary at signed distance -b/\|w\| = {N} from the origin"
                    r"|w = 0: no boundary, the output is the same everywhere)$"),
        "shows": {"w1": lambda v: f"w = ({v['w1']:g}, ",
                  "w2": lambda v: f", {v['w2']:g}), b = ",
                  "b": lambda v: f"b = {v['b']:g}: "},
    },
    "zstats": {
        "pattern": (rf"^E\[z\]  = wᵀμ \+ b = {N} {N} = {N}   \(sample of \d+: {N}\)\n"
                    rf"SD\(z\) = √\(wᵀΣw\) = {N}   \(sample: {N}\);  "
                    r"b changes E\[z\] only, never SD\(z\)$"),
        "shows": {
            "mu1": lambda v: f"wᵀμ + b = {v['w1'] * v['mu1'] + v['w2'] * v['mu2']:+.3f} ",
            "mu2": lambda v: f"wᵀμ + b = {v['w1'] * v['mu1'] + v['w2'] * v['mu2']:+.3f} ",
            "w1": lambda v: f"wᵀμ + b = {v['w1'] * v['mu1'] + v['w2'] * v['mu2']:+.3f} ",
            "w2": lambda v: f"wᵀμ + b = {v['w1'] * v['mu1'] + v['w2'] * v['mu2']:+.3f} ",
            "b": lambda v: f" {v['b']:+.3f} = ",
            "sigma": lambda v: f"√(wᵀΣw) = {_sd(v):.3f} ",
            "rho": lambda v: f"√(wᵀΣw) = {_sd(v):.3f} ",
        },
    },
    "depth": {
        "pattern": (rf"^\S.* \+ \w+, width \d+, \d+ networks: n Var\(w\) = {N}, Var\(b\) = {N}\n"
                    rf"Var\(z\) at layer 1: {N} \(mean field {N}\)\n"
                    rf"Var\(z\) at layer \d+: {N} \(mean field {N}\)\n"
                    rf"ratio layer \d+ / layer 1: {N} \(geometric mean; the networks range "
                    rf"from {N} to {N}\)$"),
        "shows": {"depth": lambda v: f"Var(z) at layer {v['depth']}: ",
                  "activation": lambda v: f" + {v['activation']}, width ",
                  "scheme": lambda v: f"{v['scheme']} + ",
                  "bias_std": lambda v: f"Var(b) = {v['bias_std'] ** 2:.3g}"},
    },
    "saturation": {
        "pattern": (rf"^\w+ hidden layer, initial biases ±{N}, \d+ steps of SGD \(lr {N}\)\n"
                    r" +mean \w+'\(z\) +loss +mean \|b\|\n"
                    rf" +λ_b = {N} +{N} → {N} +{N} +{N}\n"
                    rf" +λ_b = 0 \(reference\) +{N} → {N} +{N} +{N}$"),
        "shows": {"b0": lambda v: f"initial biases ±{v['b0']:g}, ",
                  "lam_b": lambda v: f"λ_b = {v['lam_b']:g} ",
                  "activation": lambda v: f"{v['activation']} hidden layer"},
    },
    "intercept": {
        "pattern": (rf"^λ = {N}, D = diag\(1, {N}\), target mean ȳ = {N}\n"
                    rf"  penalized intercept: w = {N}, b = {N} \(ȳ/\(1 \+ λ d_b²\) = {N}\), "
                    rf"mean prediction {N}, MSE {N}\n"
                    rf"  free intercept:      w = {N}, b = {N}, mean prediction {N}, MSE {N}$"),
        "shows": {"lam": lambda v: f"λ = {v['lam']:g}, ",
                  "bias_factor": lambda v: f"D = diag(1, {v['bias_factor']:g})",
                  "y_mean": lambda v: f"target mean ȳ = {v['y_mean']:+.4f}"},
    },
    "normalization": {
        "pattern": (rf"^b = {N}·1 [+-] {N}·u   \(u ⟂ 1, unit RMS\), \d+ samples, \d+ features\n"
                    r"  BatchNorm \(training\): (?:unchanged \(every change below 1e-12, "
                    rf"rounding level\)|changes by up to {N})\n"
                    rf"  LayerNorm: RMS change per sample {N} to {N}; "
                    rf"best refit of γ, β leaves {N}\n"
                    rf"  RMSNorm:   RMS change per sample {N} to {N}$"),
        "shows": {"orth_scale": lambda v: (f"{'-' if v['orth_scale'] < 0 else '+'} "
                                           f"{abs(v['orth_scale']):g}·u"),
                  "par_shift": lambda v: f"b = {v['par_shift']:g}·1 "},
    },
    "gradients": {
        "pattern": (rf"^\w+ neuron, w = {N}, b = {N}, input a_in = {N}, target y = {N}: "
                    rf"operating point z = {N}\n"
                    rf"  output a = f\(z\) +{N}\n  responsibility dC/da = 2\(a - y\) +{N}\n"
                    rf"  activity f'\(z\) +{N}\n  delta = dC/da \* f'\(z\) +{N}\n"
                    rf"  dC/dw = delta \* a_in +{N}\n  dC/db = delta \* 1 +{N}\n"
                    r"(?:central differences agree to 1e-07: dC/dw yes, dC/db yes"
                    r"|z = 0 is the kink of ReLU: .*cannot referee this point)$"),
        "shows": {"activation": lambda v: f"{v['activation']} neuron, ",
                  "z": lambda v: f"operating point z = {v['z']:+.2f}",
                  "a_in": lambda v: f"input a_in = {v['a_in']:+.2f}, ",
                  "y": lambda v: f"target y = {v['y']:+.2f}: "},
    },
    "carbon_copy": {
        "pattern": (rf"^.* weights, .* biases \(std of random draws {N}, seed \d+\), \d+ steps of "
                    rf"gradient descent on XOR\n"
                    rf"  loss: {N} at the start, {N} at the end \(one unit cannot go below {N}\)\n"
                    rf"  largest distance between hidden units' incoming weights: "
                    rf"{BOUND} -> {BOUND}\n"
                    rf"  outputs on \(0,0\), \(0,1\), \(1,0\), \(1,1\): {N}, {N}, {N}, {N}\n"
                    r"  (?:the hidden units are still copies \(distance below 1e-12 at every "
                    r"step\): the layer acts as one unit|symmetry broken: the hidden layer has "
                    r"rank \d of \d)$"),
        "shows": {"weights": lambda v: f"{v['weights']} weights, ",
                  "biases": lambda v: ("zero" if v["biases"] == "zeros" else v["biases"])
                  + " biases (",
                  "std": lambda v: f"std of random draws {v['std']:.2f}, ",
                  "seed": lambda v: f"seed {v['seed']}), "},
    },
    "reduction": {
        "pattern": (rf"^[\d,]+ float32 numbers, .+: exact sum {N}\n"
                    rf"  left to right +{N}   error / sum\|x\| = {N}\n"
                    rf"  np\.sum \(pairwise\) +{N}   error / sum\|x\| = {N}\n"
                    rf"  explicit tree +{N}   error / sum\|x\| = {N}\n"
                    rf"  a tree needs \d+ levels instead of [\d,]+ dependent additions; "
                    rf"worst-case bounds {N} \(tree\) vs {N} \(left to right\)$"),
        "shows": {
            "log10_n": lambda v: f"{round(10 ** v['log10_n']):,} float32 numbers, ",
            "values": lambda v: f", {v['values']}: exact sum ",
        },
    },
    "dimer": {
        "pattern": (rf"^eta = {N} Å⁻², bias of unit \d shifted by {N} "
                    rf"\(b = {N}, output weight v = {N}\)\n"
                    rf"  E\(inf\) from the biases, 2 \(sum v_k tanh\(b_k\) \+ c\): {N} eV\n"
                    rf"  the model evaluated at r = {N} Å: +{N} eV\n"
                    rf"  shift from the fitted far field {N} eV: {N} eV "
                    rf"\(2 v \(tanh\(b \+ Δb\) - tanh\(b\)\) = {N} eV\)\n"
                    rf"  lowest energy on the plotted grid: {N} eV at r = {N} Å$"),
        "shows": {"eta": lambda v: f"eta = {v['eta']:.2f} Å⁻²",
                  "unit": lambda v: f"bias of unit {v['unit']} shifted",
                  "delta_b": lambda v: f"shifted by {v['delta_b']:+.2f} "},
    },
    "approximation": {
        "pattern": (rf"^target '\w+', \d+ hidden ReLU units \(\d+ parameters\): largest error "
                    rf"{N} on \[0, 1\]; the biases place the kinks at x = {N}(?:, {N}){{0,3}}"
                    r"(?:, \.\.\.)?$"),
        "shows": {
            "target": lambda v: f"target '{v['target']}', ",
            "width": lambda v: (
                f"{v['width']} hidden ReLU units ({3 * v['width'] + 1} parameters)",
                "the biases place the kinks at x = "
                + ", ".join(f"{k / v['width']:.3f}" for k in range(min(4, v["width"])))
                + (", ..." if v["width"] > 4 else "")),
        },
    },
    "counting": {
        "pattern": (r"^network \d+ → \d+ → \d+ → \d+:\n"
                    + r"  layer \d: [\d,]+ in W \+ [\d,]+ in b = [\d,]+\n" * 3
                    + rf"  total [\d,]+ parameters \(formula Σ n_in·n_out \+ n_out: [\d,]+\), "
                    rf"{BYTES} in float64\n"
                    rf"  full Hessian: [\d,]+ entries, {BYTES} in float64; fits in: .+$"),
        "shows": {name: (lambda v: "network " + " → ".join(map(str, _network(v))) + ":\n"
                         + f"  layer 1: {v['n_in'] * v['h1']:,} in W + {v['h1']:,} in b")
                  for name in ("n_in", "h1", "h2", "n_out")},
    },
    "sharing": {
        "pattern": (r"^3 x \d+ x \d+ image, \d+ filters of \d+ x \d+, stride \d: "
                    r"\d+ x \d+ = [\d,]+ patches\n"
                    r"  convolution \(one shared filter bank\): +[\d,]+ parameters\n"
                    r"  locally connected \(one bank per patch\): +[\d,]+ parameters\n"
                    r"  dense \(same input and output sizes\): +[\d,]+ parameters\n"
                    r"  conv / locally connected = 1/[\d,]+ = 1/\(number of patches\)$"),
        "shows": {name: (lambda v: f"3 x {v['size']} x {v['size']} image, {v['filters']} filters "
                         f"of {v['kernel']} x {v['kernel']}, stride {v['stride']}: "
                         f"{_out_side(v)} x {_out_side(v)} = {_out_side(v) ** 2:,} patches")
                  for name in ("size", "kernel", "stride", "filters")},
    },
    "budget": {
        "pattern": (r"^budget P = [\d,]+ parameters, input dimension d = \d+: \d+ of \d+ depths "
                    r"fit by the exact count\n   L   m \(rule\)   m \(exact\)   exact count"
                    r"(?:\n +\d+ +\d+ +\d+ +(?:[\d,]+|none fits))+$"),
        "shows": {"budget_k": lambda v: f"budget P = {1000 * v['budget_k']:,} parameters, ",
                  "d": lambda v: f"input dimension d = {v['d']}: "},
    },
    "memory": {
        "pattern": (rf"^L = \d+ layers of width n = \d+, batch B = \d+ \(float64\)\n"
                    rf"  parameters: +{BYTES}\n"
                    rf"  inference activations: +{BYTES}   \(two layers at a time\)\n"
                    rf"  training activations: +{BYTES}   \(every layer, ∝ L·B·n\)\n"
                    rf"  with \d+ checkpointed segments: +{BYTES}\n"
                    rf"  total inference {BYTES}, total training {BYTES} \(parameters \+ "
                    rf"gradients \+ activations\), {N}x$"),
        "shows": {name: (lambda v: f"L = {v['depth']} layers of width n = {v['width']}, "
                         f"batch B = {v['batch']} (float64)")
                  for name in ("depth", "batch", "width")},
    },
    "prevalence": {
        "pattern": (rf"^trained at prevalence {N}: w = \({N}, {N}\), b = {N}\n"
                    rf"deployed at prevalence {N} \(observed {N}\); "
                    rf"shift logit\(pi_deploy\) - logit\(pi_train\) = {N}\n"
                    rf"  before: mean predicted {N}, ECE {N}\n"
                    rf"  after:  mean predicted {N}, ECE {N}  \(b = {N}\)$"),
        "shows": {
            "pi_deploy": lambda v: f"deployed at prevalence {v['pi_deploy']:.2f} ",
            "pi_train": lambda v: f"trained at prevalence {v['pi_train']:.2f}: ",
        },
    },
    "centering": {
        "pattern": (rf"^features ~ N\(\({N}, {N}\), {N}² I\), \d+ samples; "
                    r"gradient descent with lr = 1/λ_max"
                    + (rf"\n +\w+: Hessian eigenvalues at 0 = \({N}, {N}, {N}\), condition number "
                       rf"{N}; loss within {N} of the optimum after (?:more than )?\d+ steps") * 2
                    + "$"),
        "shows": {"offset": lambda v: f"N(({v['offset']:g}, {v['offset']:g}), ",
                  "spread": lambda v: f", {v['spread']:g}² I)"},
    },
}


def test_every_experiment_has_its_report_expectations():
    assert set(REPORTS) == set(IDS)
    for e in ALL:
        assert set(REPORTS[e.name]["shows"]) == {c.name for c in e.controls}, e.name


def assert_reports_over_the_range(experiment, expected):
    for control in experiment.controls:
        for value in control.sample(MAX_STEPS):
            numbers = experiment.run(**{control.name: value})
            text = experiment.report(numbers)
            where = f"{experiment.name}, {control.name} = {control.format(value)}"
            assert "nan" not in text.lower().replace("nand", ""), f"{where}: NaN in\n{text}"
            assert re.search(expected["pattern"], text, re.S), (
                f"{where}: the report lacks what it must state\n{text}")
            shown = expected["shows"][control.name](experiment.values(**{control.name: value}))
            for part in (shown,) if isinstance(shown, str) else shown:
                assert part in text, f"{where}: the report does not show {part!r}\n{text}"


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_each_control_over_its_whole_range(experiment):
    assert_reports_over_the_range(experiment, REPORTS[experiment.name])


def test_the_sweep_fails_on_a_stale_or_incomplete_report():
    from knobs.ui.experiments import gates

    exp = gates.EXPERIMENT
    stale = dataclasses.replace(exp, report=lambda r: exp.report(exp.run()))   # always defaults
    with pytest.raises(AssertionError, match=r"gates, w1 = -3.00: the report does not show"):
        assert_reports_over_the_range(stale, REPORTS["gates"])
    short = dataclasses.replace(exp, report=lambda r: exp.report(r).rsplit("\n", 1)[0])
    with pytest.raises(AssertionError, match=r"gates, w1 = -3.00: the report lacks"):
        assert_reports_over_the_range(short, REPORTS["gates"])


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_every_corner_of_the_control_box_computes_and_draws(experiment):
    ends = [c.grid(2) if not isinstance(c, Choice) else c.values() for c in experiment.controls]
    for corner in itertools.product(*ends):
        values = dict(zip([c.name for c in experiment.controls], corner, strict=True))
        fig = experiment.draw(experiment.run(**values))
        ax = fig.axes[0]
        assert ax.get_xlabel() and (ax.get_title() or fig._suptitle is not None)
        plt.close(fig)


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_out_of_range_values_are_refused_not_clipped(experiment):
    for control in experiment.controls:
        bad = "not-an-option" if isinstance(control, Choice) else control.max + 10 * control.step
        with pytest.raises(ValueError, match=control.name):
            experiment.run(**{control.name: bad})
    with pytest.raises(TypeError, match="no control named"):
        experiment.run(no_such_knob=1)


def module_caches(experiment):
    """The functools caches of the module that defines the experiment's ``compute``."""
    module = sys.modules[experiment.compute.__module__]
    return {name: fn for name, fn in vars(module).items()
            if callable(getattr(fn, "cache_clear", None))
            and getattr(fn, "__module__", None) == module.__name__}


# the experiments whose run() goes through a functools cache of their module (the others draw
# through one only, or none); each must show a cache miss in the second run
CACHED_RUN = {"saturation", "approximation", "carbon_copy", "reduction", "depth", "centering",
              "dimer"}


def assert_same(a, b, where):
    """``a`` equals ``b`` exactly, through dicts, sequences and dataclasses of arrays."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        a, b = vars(a), vars(b)
    if isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            assert_same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)


def assert_deterministic(experiment):
    """Two runs at the defaults, each computed afresh (every cache of the module cleared before
    it), agree in every number and in the report."""
    caches = module_caches(experiment)
    for fn in caches.values():
        fn.cache_clear()
    first = experiment.run()
    info = {name: fn.cache_info() for name, fn in caches.items()}
    for fn in caches.values():
        fn.cache_clear()
    second = experiment.run()
    # from an empty cache again: the same misses and hits as the first run (a second run served
    # by the cache would add hits and no misses)
    again = {name: fn.cache_info() for name, fn in caches.items()}
    assert again == info, f"{experiment.name}: the second run was not computed afresh"
    assert_same(second, first, experiment.name)
    assert experiment.report(second) == experiment.report(first)
    return {name: i.misses for name, i in info.items()}


MIN_TEXT_PT = 8  # 11 CSS pixels on the page, where a figure is shown at its natural CSS size


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_every_text_is_legible_at_the_size_the_page_shows(experiment):
    from knobs.ui.plotting import MAX_WIDTH_IN

    fig = experiment.draw(experiment.run())
    fig.canvas.draw()
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text()]
    width = fig.get_tightbbox().width  # inches, as bbox_inches="tight" saves it
    plt.close(fig)
    small = {t.get_text(): t.get_fontsize() for t in texts if t.get_fontsize() < MIN_TEXT_PT}
    assert not small, f"{experiment.name}: text below {MIN_TEXT_PT} pt: {small}"
    assert width <= MAX_WIDTH_IN + 0.2, f"{experiment.name}: {width:.2f} in wide"


def bar_layouts(fig) -> set[str]:
    """How the figure's bar series are laid out: "stacked" (a bar starts where another one at
    the same place ends), "side-by-side" (several series, their bars at different places)."""
    layouts = set()
    for ax in fig.axes:
        series = []
        for c in ax.containers:
            if not isinstance(c, matplotlib.container.BarContainer):
                continue
            bars = []
            for bar in c.patches:
                x, y, w, h = bar.get_x(), bar.get_y(), bar.get_width(), bar.get_height()
                # (place from, place to, base, end) along and across the bars' direction
                bars.append((y, y + h, x, x + w) if c.orientation == "horizontal"
                            else (x, x + w, y, y + h))
            series.append(bars)
        pairs = [(a, b) for i, one in enumerate(series) for other in series[i + 1:]
                 for a in one for b in other]
        # overlapping places (bars side by side may touch: -0.4..0.0 and 0.0..0.4)
        overlap = [(a, b) for a, b in pairs if min(a[1], b[1]) - max(a[0], b[0]) > 1e-9]
        if any(np.isclose(a[2], b[3]) or np.isclose(b[2], a[3]) for a, b in overlap):
            layouts.add("stacked")
        elif len(series) > 1 and not overlap:
            layouts.add("side-by-side")
    return layouts


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_the_alt_text_names_the_bar_layout_that_is_drawn(experiment):
    fig = experiment.draw(experiment.run())
    layouts = bar_layouts(fig)
    plt.close(fig)
    alt = experiment.alt.replace("side by side", "side-by-side")
    for layout in ("stacked", "side-by-side"):
        assert (layout in alt) == (layout in layouts), (
            f"{experiment.name}: the figure's bars are {sorted(layouts) or 'not grouped'}, "
            f"its alt text says {'' if layout in alt else 'not '}{layout}")


def test_the_bar_layout_check_tells_stacked_from_side_by_side():
    fig, (ax0, ax1) = plt.subplots(1, 2)
    ax0.bar([0, 1], [1, 2])
    ax0.bar([0, 1], [1, 1], bottom=[1, 2])
    ax1.bar([0.2, 1.2], [1, 2], width=0.4)
    ax1.bar([-0.2, 0.8], [1, 1], width=0.4)
    assert bar_layouts(fig) == {"stacked", "side-by-side"}
    plt.close(fig)


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_defaults_are_deterministic(experiment):
    misses = assert_deterministic(experiment)
    if experiment.name in CACHED_RUN:   # the second run really recomputed through the cache
        assert sum(misses.values()) > 0, (experiment.name, misses)


def test_the_cached_experiments_are_the_ones_listed():
    cached = {e.name for e in ALL if module_caches(e)}
    assert CACHED_RUN <= cached and cached - CACHED_RUN == {"gradients"}   # a draw-only cache


_calls = itertools.count()


@lru_cache(maxsize=1)
def _fresh_number() -> int:   # a cached computation that differs on every real call
    return next(_calls)


def test_the_determinism_check_fails_when_a_fresh_run_differs():
    # comparing two cached runs would pass (the second is the first, from the cache); the check
    # clears the cache, recomputes and sees the difference
    flaky = Experiment("flaky", "flaky", lambda x: {"n": _fresh_number()}, lambda r: None,
                       lambda r: f"n = {r['n']}", (Slider("x", "x", 0.0, 1.0, 0.5, 0.5),), "x")
    assert flaky.run() == flaky.run()
    with pytest.raises(AssertionError, match="flaky"):
        assert_deterministic(flaky)


def test_names_are_unique():
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize("experiment", ALL, ids=IDS)
def test_sample_is_even_on_the_steps_through_the_default(experiment):
    for control in experiment.controls:
        values = control.sample(MAX_STEPS)
        if isinstance(control, Choice):
            assert values == list(control.options)
            continue
        steps = control.values()
        assert len(values) <= MAX_STEPS + (control.default not in steps)
        assert values[0] == control.min and values[-1] == control.max
        assert control.default in values and values == sorted(set(values))
        if len(steps) <= MAX_STEPS:
            assert values == steps
            continue
        index = [steps.index(v) for v in values if v in steps]
        gaps = {b - a for a, b in zip(index[1:-2], index[2:-1], strict=True)}
        assert len(gaps) == 1  # one stride between the first and the last


@st.composite
def sliders(draw):
    """A slider of 1 to 400 steps of a book-like size, its default on a step or between two."""
    integer = draw(st.booleans())
    step = 1 if integer else draw(st.sampled_from([0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 2.0]))
    low, count = draw(st.integers(-50, 50)), draw(st.integers(1, 400))
    low, high = round(low * step, 10), round((low + count) * step, 10)   # as a book writes them
    probe = Slider("x", "x", low, high, step, low, integer=integer)
    values = probe.values()
    i = draw(st.integers(0, len(values) - 1))
    default = values[i]
    if not integer and i < len(values) - 1 and draw(st.booleans()):
        default = round((values[i] + values[i + 1]) / 2, 10)   # between two steps
    return Slider("x", "x", probe.min, probe.max, step, default, integer=integer)


def gaps_in_steps(slider, values) -> list[int]:
    """The gaps between consecutive sampled values, counted in the slider's steps (a default
    between two steps left out)."""
    steps = slider.values()
    return np.diff([steps.index(v) for v in values if v in steps]).tolist()


def end_gaps(home: int, last: int, stride: int) -> tuple[int, int]:
    """The first and last gap of the grid of every ``stride``-th step through step ``home`` of
    ``0..last``, with both extremes added (a full stride when the extreme is on the grid)."""
    below = list(range(home, -1, -stride))   # home, home - stride, ... down to the first step
    above = list(range(home, last + 1, stride))
    return (below[-1] or stride), (last - above[-1] or stride)


@given(sliders(), st.integers(3, 60))
# found by a clone's run: stride 3 (both extremes on the grid) where 2 fits, 16 of 34 points
@example(Slider("x", "x", 0, 45, 1, 0, integer=True), 34)
def test_sample_keeps_the_extremes_and_default_with_an_even_stride(slider, points):
    values, steps = slider.sample(points), slider.values()
    off_step = slider.default not in steps
    assert len(values) <= points + off_step                  # at most the points asked for
    assert values[0] == slider.min and values[-1] == slider.max
    assert slider.default in values and values == sorted(set(values))
    assert set(values) - set(steps) <= {slider.default}
    if len(steps) <= points:
        assert [v for v in values if v in steps] == steps     # every step when they fit
        return
    gaps = gaps_in_steps(slider, values)
    stride = max(gaps)
    assert set(gaps[1:-1]) <= {stride}, (slider, points, gaps)   # one stride between the ends
    assert gaps[0] <= stride and gaps[-1] <= stride          # and the ends no wider
    if not off_step:                                         # the grid runs through the default
        home = steps.index(slider.default)
        interior = [steps.index(v) for v in values[1:-1]]
        assert all((i - home) % stride == 0 for i in interior), (slider, points, gaps)
    # and not a needlessly thin sample: the stride is under twice the finest one whose grid,
    # anchored at the default and clipped at the extremes, fits in the points asked for
    home = min(range(len(steps)), key=lambda i: abs(steps[i] - slider.default))
    fits = [k for k in range(2, len(steps))
            if len({0, len(steps) - 1, *range(home % k, len(steps), k)}) <= points]
    assert stride < 2 * fits[0], (slider, points, gaps)


@given(sliders(), st.integers(3, 60))
def test_sample_ends_are_as_even_as_a_stride_allows(slider, points):
    """Where a stride of the policy's window (the finest that fits up to twice it) puts both
    extremes on the grid through the default, every gap is that of the sample's stride; and no
    stride of the window gives ends closer to a full stride than the sample's."""
    steps = slider.values()
    if len(steps) <= points or slider.default not in steps:
        return
    values = slider.sample(points)
    gaps = gaps_in_steps(slider, values)
    stride = max(gaps)
    home, last = steps.index(slider.default), len(steps) - 1

    def count(k):   # values of the grid of every k-th step through the default, extremes added
        return len({0, last, *range(home % k, last + 1, k)})

    finest = next(k for k in range(2, last + 1) if count(k) <= points)
    window = [k for k in range(finest, 2 * finest) if count(k) <= points]
    assert stride in window, (slider, points, stride, window)
    shares = {k: min(end_gaps(home, last, k)) / k for k in window}
    if 1.0 in shares.values():
        assert len(set(gaps)) == 1, (slider, points, gaps)  # evenly spaced, extremes included
    assert min(gaps[0], gaps[-1]) / stride == max(shares.values()), (slider, points, gaps)


def test_sample_of_ch11s_widths_is_even_from_32_to_1024():
    # h1 of 1..1024 around 128: strides of 26 to 51 fit 41 points; 32 puts 1024 on the grid
    # and leaves 31 of 32 from 1 to 32 (26 would leave 1, 24, 50, ..., 1012, 1024)
    widths = Slider("h1", "h1", 1, 1024, 1, 128, integer=True)
    assert widths.sample(41) == [1, *range(32, 1025, 32)]


@pytest.mark.parametrize(("step", "value", "shown"), [
    (0.25, 1.0, "1.00"), (0.1, 0.3, "0.30"), (0.005, 0.015, "0.015"), (1e-5, 2e-5, "0.00002"),
    (0.05, 1.234, "1.23")])
def test_readout_has_the_decimals_the_step_needs(step, value, shown):
    assert Slider("x", "x", 0.0, 1.0, step, 0.0).format(value) == shown
    assert Slider("n", "n", 1, 9, 1, 3, integer=True).format(4) == "4"
    assert Choice("c", "c", ("a", "b"), "a").format("b") == "b"
