"""The engine's training step against two references, for the model sizes the book uses.

- **Per-sample loop**: the same forward pass, backward pass and SGD update written as a Python
  loop over the samples of the batch (one matrix-vector product per layer and sample, gradients
  accumulated sample by sample), as chapter 8 does before vectorizing. It is checked to produce
  the same updated parameters as the engine before anything is timed.
- **BLAS floor**: the matrix products of the step alone (per layer ``X @ W.T`` forward,
  ``dZ.T @ X`` and ``dZ @ W`` backward, exactly those the engine computes), with nothing
  around them. The engine cannot be faster than this; the ratio says how much of its time is
  Python overhead, elementwise work and allocation.

The three are timed in interleaved rounds within one run, so that the ratios compare
measurements taken under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass

import numpy as np

import knobs


@dataclass(frozen=True)
class ModelSize:
    name: str
    sizes: tuple          # layer widths, input first
    activation: type      # hidden activation
    loss: str             # "mse" or "cross_entropy"
    where: str            # where the book uses it


# The book's model sizes, from a single neuron to chapter 16's MNIST-sized network.
MODELS = (
    ModelSize("neuron 3-1", (3, 1), knobs.Identity, "mse", "ch. 4, 6: one linear neuron"),
    ModelSize("mlp 1-8-1", (1, 8, 1), knobs.Tanh, "mse", "ch. 10: a small curve fit"),
    ModelSize("mlp 5-4-1", (5, 4, 1), knobs.ReLU, "mse", "ch. 5: a layer before a norm"),
    ModelSize("mlp 100-128-64-1", (100, 128, 64, 1), knobs.ReLU, "mse",
              "ch. 11: the 21,249-parameter network"),
    ModelSize("mlp 784-256-128-10", (784, 256, 128, 10), knobs.ReLU, "cross_entropy",
              "ch. 16: an MNIST-sized classifier"),
)
BATCH = 128
LR = 0.01


def build(spec: ModelSize, rng: np.random.Generator):
    """The engine's model, loss, optimizer and a batch ``(X, y)`` for ``spec``."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(spec.sizes[:-1], spec.sizes[1:], strict=True)):
        layers.append(knobs.Linear(n_in, n_out, rng=rng))
        if i < len(spec.sizes) - 2:
            layers.append(spec.activation())
    model = knobs.Sequential(*layers)
    X = rng.normal(size=(BATCH, spec.sizes[0]))
    if spec.loss == "mse":
        loss, y = knobs.MSELoss(), rng.normal(size=(BATCH, spec.sizes[-1]))
    else:
        loss, y = knobs.CrossEntropyLoss(), rng.integers(0, spec.sizes[-1], size=BATCH)
    return model, loss, knobs.SGD(model, lr=LR), X, y


def loop_step(layers: list, activation, loss: str, X, y) -> None:
    """One SGD step by a Python loop over samples; ``layers`` is a list of ``[W, b]`` (updated
    in place). Mean loss over the batch, as the engine."""
    m = X.shape[0]
    grads = [[np.zeros_like(W), np.zeros_like(b)] for W, b in layers]
    for i in range(m):
        a, zs, inputs = X[i], [], []
        for k, (W, b) in enumerate(layers):
            inputs.append(a)
            z = W @ a + b
            zs.append(z)
            a = activation.function(z) if k < len(layers) - 1 else z
        if loss == "mse":
            delta = 2.0 * (a - y[i]) / (m * a.size)
        else:
            p = np.exp(a - a.max())
            p /= p.sum()
            p[y[i]] -= 1.0
            delta = p / m
        for k in range(len(layers) - 1, -1, -1):
            grads[k][0] += np.outer(delta, inputs[k])
            grads[k][1] += delta
            if k > 0:
                delta = (layers[k][0].T @ delta) * activation.derivative(zs[k - 1])
    for (W, b), (dW, db) in zip(layers, grads, strict=True):
        W -= LR * dW
        b -= LR * db


def matmuls(layers: list, X) -> None:
    """The matrix products of one engine step and nothing else (shapes as in the engine)."""
    acts = [X]
    for W, _ in layers:
        acts.append(acts[-1] @ W.T)
    dZ = acts[-1]
    for k in range(len(layers) - 1, -1, -1):
        W = layers[k][0]
        _ = dZ.T @ acts[k]        # dW
        dZ = dZ @ W               # dX, which the engine computes for every layer


def check_same_update(spec: ModelSize, seed: int = 0) -> float:
    """Max |difference| between the engine's and the loop's parameters after one step."""
    model, loss, opt, X, y = build(spec, np.random.default_rng(seed))
    linears = [layer for layer in model.layers if isinstance(layer, knobs.Linear)]
    copies = [[layer.W.copy(), layer.b.copy()] for layer in linears]
    knobs.train_step(model, loss, opt, X, y)
    loop_step(copies, spec.activation, spec.loss, X, y)
    return max(float(np.max(np.abs(p - q))) for layer, pair in zip(linears, copies, strict=True)
               for p, q in zip((layer.W, layer.b), pair, strict=True))


def _per_call(fn, number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def _calls_for(fn, seconds: float) -> int:
    """How many calls of ``fn`` take about ``seconds`` (at least 1)."""
    one = _per_call(fn, 1)
    return max(1, int(seconds / max(one, 1e-7)))


def measure(spec: ModelSize, rounds: int = 7, seconds: float = 0.05, seed: int = 0) -> dict:
    """Median seconds per step of engine, loop and matmuls over interleaved rounds, and ratios."""
    error = check_same_update(spec, seed)
    model, loss, opt, X, y = build(spec, np.random.default_rng(seed))
    layers = [[layer.W.copy(), layer.b.copy()] for layer in model.layers
              if isinstance(layer, knobs.Linear)]

    def engine():
        knobs.train_step(model, loss, opt, X, y)

    def loop():
        loop_step(layers, spec.activation, spec.loss, X, y)

    def floor():
        matmuls(layers, X)

    fns = {"engine": engine, "loop": loop, "matmul": floor}
    numbers = {name: _calls_for(fn, seconds) for name, fn in fns.items()}
    times = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            times[name].append(_per_call(fn, numbers[name]))
    loop_ratio = [lp / e for lp, e in zip(times["loop"], times["engine"], strict=True)]
    floor_ratio = [e / f for e, f in zip(times["engine"], times["matmul"], strict=True)]
    return {
        "model": spec.name, "sizes": list(spec.sizes), "where": spec.where, "batch": BATCH,
        "parameters": knobs.count_parameters(model),
        "engine_s": statistics.median(times["engine"]),
        "loop_s": statistics.median(times["loop"]),
        "matmul_s": statistics.median(times["matmul"]),
        "loop_over_engine": statistics.median(loop_ratio),
        "engine_over_matmul": statistics.median(floor_ratio),
        "max_update_difference": error,
    }


def main(argv=None) -> int:
    """``python engine_step.py --rounds R --seconds S``: every model, as JSON on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=0.1)
    args = parser.parse_args(argv)
    threads = {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    results = [measure(spec, args.rounds, args.seconds) | {"blas_env": threads}
               for spec in MODELS]
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
