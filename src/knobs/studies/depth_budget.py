"""Chapter 13's study: spending a parameter budget on width or on depth.

- ``sawtooth_network``: a deep, narrow ReLU network whose output has ``2^L`` linear pieces.
- ``tradeoff``: networks of one budget and several depths, trained on plentiful clean data and
  on a few noisy samples: approximation and estimation error side by side; ``tradeoff_trials``
  repeats it, and ``trial_wins`` / ``clear_best`` draw conclusions that hold in every trial.
"""

from __future__ import annotations

import numpy as np

from knobs.analysis import accounting
from knobs.nn.activations import ReLU, Tanh
from knobs.nn.linear import Linear
from knobs.nn.losses import MSELoss
from knobs.nn.module import Sequential, train_step
from knobs.nn.optim import SGD

# --- depth buys pieces: the sawtooth ---------------------------------------------------------

def sawtooth_network(depth: int) -> Sequential:
    """``depth`` ReLU layers of width 2 computing the tent map ``t`` composed ``depth`` times.

    ``t(x) = 2 relu(x) - 4 relu(x - 1/2)`` maps [0, 1] onto [0, 1] with two linear pieces; each
    composition doubles the pieces, so the output has ``2^depth`` of them (Telgarsky, 2016).
    """
    depth = int(depth)
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    split = ([1.0, 1.0], [0.0, -0.5])   # the two ReLU units of one tent
    merge = np.array([[2.0, -4.0]])       # t = 2 u1 - 4 u2
    layers = [Linear.from_arrays(np.array([split[0]]).T, split[1]), ReLU()]
    for _ in range(depth - 1):
        # the next tent's split applied to this tent's merge: one 2 x 2 layer
        layers += [Linear.from_arrays(np.array([split[0]]).T @ merge, split[1]), ReLU()]
    layers.append(Linear.from_arrays(merge, [0.0]))
    return Sequential(*layers)


def linear_pieces(y: np.ndarray, x: np.ndarray) -> int:
    """Number of linear pieces of a piecewise-linear curve sampled at ``x`` (kinks on the grid)."""
    slopes = np.diff(y) / np.diff(x)
    return 1 + int(np.count_nonzero(~np.isclose(slopes[1:], slopes[:-1], rtol=1e-9, atol=1e-9)))


# --- approximation against estimation at a fixed budget -------------------------------------

def target(x: np.ndarray) -> np.ndarray:
    """The function to learn on [-1, 1]: two sine waves."""
    return np.sin(np.pi * x) + 0.5 * np.sin(3 * np.pi * x)


def tanh_network(d: int, width: int, depth: int, rng: np.random.Generator) -> Sequential:
    """``depth`` tanh layers of ``width`` and one linear output unit.

    Weights: Kaiming-uniform with tanh's gain; biases uniform on [-1, 1], so that the units of
    the first layer switch at different inputs instead of all at ``x = 0``.
    """
    layers, n_in = [], d
    for _ in range(depth):
        layers += [Linear(n_in, width, init="kaiming_uniform",
                          init_options={"nonlinearity": "tanh"}, bias_init="uniform",
                          bias_options={"low": -1.0, "high": 1.0}, rng=rng), Tanh()]
        n_in = width
    layers.append(Linear(n_in, 1, rng=rng))
    return Sequential(*layers)


def fit(model: Sequential, X, y, steps: int, lr: float) -> float:
    """Full-batch SGD with momentum 0.9 on the mean squared error; returns the last loss."""
    loss, opt = MSELoss(), SGD(model, lr=lr, momentum=0.9)
    value = float("nan")
    for _ in range(steps):
        value = train_step(model, loss, opt, X, y)
    return value


def tradeoff(budget: int, depths, rng: np.random.Generator, n_clean: int = 100,
             n_noisy: int = 30, noise: float = 0.3, steps: int = 1000,
             lr: float = 0.05) -> dict:
    """Train, for each depth, the widest network within ``budget`` twice, from the same start.

    - on ``n_clean`` evenly spaced, noise-free samples of ``target``: what remains is the
      approximation error (plus whatever the optimizer fails to find);
    - on ``n_noisy`` random samples with noise of std ``noise``: the extra test error over the
      first run is the estimation error.

    Errors are mean squared errors against ``target`` on a fine test grid of [-1, 1].
    """
    X_clean = np.linspace(-1.0, 1.0, n_clean)[:, None]
    X_noisy = rng.uniform(-1.0, 1.0, size=(n_noisy, 1))
    y_noisy = target(X_noisy) + noise * rng.normal(size=(n_noisy, 1))
    X_test = np.linspace(-1.0, 1.0, 401)[:, None]
    rows = []
    for L in depths:
        m = accounting.width_for_budget(budget, 1, L, exact=True)
        if m == 0:
            raise ValueError(f"no network of depth {L} fits a budget of {budget}")
        clean = tanh_network(1, m, L, rng)
        noisy = tanh_network(1, m, L, rng)
        for name, p in noisy.parameters().items():
            p[...] = clean.parameters()[name]  # same start: the runs differ only in their data
        fit(clean, X_clean, target(X_clean), steps, lr)
        fit(noisy, X_noisy, y_noisy, steps, lr)
        err_clean = float(np.mean((clean.forward(X_test) - target(X_test)) ** 2))
        err_noisy = float(np.mean((noisy.forward(X_test) - target(X_test)) ** 2))
        rows.append({"depth": int(L), "width": m,
                     "params": accounting.dense_parameter_count(accounting.mlp_sizes(1, m, L)),
                     "approximation": err_clean, "total": err_noisy,
                     "estimation": err_noisy - err_clean,
                     "curve_clean": clean.forward(X_test).ravel(),
                     "curve_noisy": noisy.forward(X_test).ravel()})
    return {"rows": rows, "X_test": X_test.ravel(), "X_noisy": X_noisy.ravel(),
            "y_noisy": y_noisy.ravel(), "budget": budget}


def tradeoff_trials(budget: int, depths, rng: np.random.Generator, trials: int = 5,
                    **options) -> dict:
    """``tradeoff`` repeated ``trials`` times (new starts, new noisy samples each time).

    Returns ``{"trials": [each tradeoff result], "summary": rows}``; each summary row holds,
    for one depth, the arrays over trials of ``approximation``, ``total`` and ``estimation``.
    A conclusion about which depth is best should hold in every trial, not in one of them: see
    ``trial_wins`` and ``clear_best``.
    """
    trials = int(trials)
    if trials < 2:
        raise ValueError(f"trials must be at least 2 to show a spread, got {trials}")
    runs = [tradeoff(budget, depths, rng, **options) for _ in range(trials)]
    summary = []
    for i, row in enumerate(runs[0]["rows"]):
        summary.append({"depth": row["depth"], "width": row["width"], "params": row["params"],
                        **{key: np.array([run["rows"][i][key] for run in runs])
                           for key in ("approximation", "total", "estimation")}})
    return {"trials": runs, "summary": summary, "budget": budget}


def trial_wins(summary: list, key: str, lowest: bool = True, margin: float = 1e-6) -> np.ndarray:
    """For each depth (row of ``summary``), the number of trials in which its ``key`` is the
    lowest (or highest) of all depths.

    The trials are paired: within one trial every depth is trained on the same noisy samples,
    so depths are compared trial by trial. A depth wins a trial only if it beats every other
    depth by more than ``margin``, far above rounding error and below the three decimals the
    chapter prints, so that a near tie counts for nobody rather than for a CPU's last bit.
    """
    values = np.array([np.asarray(row[key], dtype=float) for row in summary])
    if values.ndim != 2 or values.shape[0] < 2:
        raise ValueError(f"summary must hold at least two depths with one {key!r} value per "
                         f"trial, got values of shape {values.shape}")
    signed = values if lowest else -values
    wins = np.zeros(values.shape[0], dtype=int)
    for t in range(values.shape[1]):
        order = np.argsort(signed[:, t])
        if signed[order[1], t] - signed[order[0], t] > margin:
            wins[order[0]] += 1
    return wins


def clear_best(summary: list, key: str, lowest: bool = True, margin: float = 1e-6):
    """The depth whose ``key`` is the lowest (or highest) of all depths in *every* trial, the
    trials compared pairwise as in ``trial_wins``; ``None`` when the winner changes from trial to
    trial (no clear winner).
    """
    wins = trial_wins(summary, key, lowest=lowest, margin=margin)
    trials = len(np.asarray(summary[0][key]))
    for row, w in zip(summary, wins, strict=True):
        if w == trials:
            return row
    return None
