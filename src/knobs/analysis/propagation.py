"""Signal propagation in a deep, randomly initialized network: Var(z) from layer to layer.

For one unit ``z = Σ_i w_i x_i + b`` with weights drawn independently of the inputs, zero-mean,
with variance ``Var(w)``, and a bias with mean ``μ_b`` and variance ``σ_b²``,

    E[z]   = μ_b
    Var(z) = n_in Var(w) E[x²] + σ_b²        (E[x²], not Var(x): the inputs need not be centered)

In a deep stack the inputs of layer ``l`` are ``x = f(z_{l-1})``. Treating ``z_{l-1}`` as Gaussian
(a good approximation for wide layers) turns this into the one-dimensional recursion

    q_l = g · E_{z ~ N(μ_b, q_{l-1})}[f(z)²] + σ_b²,      g = n_in Var(w)

(the "mean-field" recursion). For ReLU and ``μ_b = 0``, ``E[f(z)²] = q/2``, so ``g = 2`` (He
initialization, ``Var(w) = 2/n_in``) keeps ``q`` constant and each random bias adds ``σ_b²``.

The measured side runs the engine: ``deep_network`` builds ``Linear``/activation pairs and
``layer_statistics`` pools each layer's ``z`` over samples and units, the finite-width estimate
of the ensemble moments above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from knobs.analysis.operating_point import gaussian_expectation, normal_cdf
from knobs.nn import activations
from knobs.nn import init as _init
from knobs.nn.linear import Linear
from knobs.nn.module import Module, Sequential
from knobs.validate import as_float_array, positive_float, positive_int

_PROBE = np.linspace(-1.0, 1.0, 5)  # checks that a callable activation acts elementwise


def _normal_pdf(t: float) -> float:
    return math.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi)


def _activation_function(activation):
    if callable(activation):
        return activation
    return activations.get(activation).function  # a ValueError naming the known activations


def second_moment(activation, mean: float, var: float) -> float:
    """``E[f(z)²]`` for ``z ~ N(mean, var)``; ``activation`` is a name or a function ``f``.

    Exact for ``"identity"`` (``mean² + var``) and ``"relu"``
    (``(mean² + var) Φ(mean/s) + mean s φ(mean/s)``, ``s = √var``); numerical
    (``activity.gaussian_expectation``, a grid that follows the spread) for the smooth
    activations (``"tanh"``, ``"sigmoid"``) and for a callable. A fixed Gauss-Hermite rule is
    no substitute: for tanh at ``s = 10`` its 101 nodes give 0.874 instead of 0.921, because
    tanh saturates within one node spacing of 0.
    """
    f = _activation_function(activation)
    var = positive_float(var, "var", allow_zero=True)
    mean = float(mean)
    if not math.isfinite(mean):
        raise ValueError(f"mean must be finite, got {mean}")
    s = math.sqrt(var)
    if activation == "identity":
        return mean * mean + var
    if activation == "relu":
        if s == 0.0:
            return max(mean, 0.0) ** 2
        t = mean / s
        value = (mean * mean + var) * float(normal_cdf(t)) + mean * s * _normal_pdf(t)
        return max(value, 0.0)  # for mean << -s the two terms cancel to rounding noise
    probe = np.asarray(f(mean + s * _PROBE), dtype=np.float64)
    if probe.shape != _PROBE.shape:
        raise ValueError(f"the activation must act elementwise: {_PROBE.shape[0]} inputs gave "
                         f"an output of shape {probe.shape}")
    return gaussian_expectation(lambda z: np.asarray(f(z), dtype=np.float64) ** 2, mean, s)


def relu_moments(var: float) -> dict[str, float]:
    """Moments of ``x = relu(z)`` for ``z ~ N(0, var)``.

    ``E[x] = √(var/2π)``, ``E[x²] = var/2`` (half the mass, the symmetric half of ``z²``),
    ``Var(x) = var (1/2 - 1/2π) ≈ 0.341 var``.
    """
    var = positive_float(var, "var", allow_zero=True)
    mean = math.sqrt(var / (2.0 * math.pi))
    return {"mean": mean, "second_moment": var / 2.0, "variance": var / 2.0 - mean * mean}


def weight_variance(init, shape, **options) -> float:
    """``Var(w)`` of an engine initializer for a weight matrix of ``shape = (n_out, n_in)``.

    ``xavier_*``: ``gain² · 2 / (n_in + n_out)``; ``kaiming_*``: ``gain(nonlinearity)² / n_in``;
    ``normal``: ``std²``; ``uniform``: ``(high - low)² / 12``; ``zeros``/``constant``: 0.
    """
    fan_in, fan_out = _init.fans(shape)
    if init in ("xavier_normal", "xavier_uniform"):
        return options.get("gain", 1.0) ** 2 * 2.0 / (fan_in + fan_out)
    if init in ("kaiming_normal", "kaiming_uniform"):
        return _init.calculate_gain(options.get("nonlinearity", "relu")) ** 2 / fan_in
    if init == "normal":
        return float(options.get("std", 1.0)) ** 2
    if init == "uniform":
        return (float(options.get("high", 1.0)) - float(options.get("low", -1.0))) ** 2 / 12.0
    if init in ("zeros", "constant"):
        return 0.0
    raise ValueError(f"no variance formula for initializer {init!r}; expected one of "
                     f"{sorted(_init.INITIALIZERS)}")


def mean_field(depth: int, activation: str, gain: float, bias_var: float = 0.0,
               bias_mean: float = 0.0, input_second_moment: float = 1.0) -> dict[str, np.ndarray]:
    """The recursion for ``E[z_l]`` and ``Var(z_l)``, ``l = 1..depth`` (see the module docstring).

    Args:
        depth: number of layers.
        activation: the activation after every layer (``"relu"``, ``"tanh"``, ...).
        gain: ``g = n_in Var(w)``, the same for every layer.
        bias_var, bias_mean: ``σ_b²`` and ``μ_b`` of every bias entry.
        input_second_moment: ``E[x²]`` of the network's input (1 for standardized data).

    Returns:
        ``{"mean": (depth,), "var": (depth,)}``.
    """
    depth = positive_int(depth, "depth")
    gain = positive_float(gain, "gain", allow_zero=True)
    bias_var = positive_float(bias_var, "bias_var", allow_zero=True)
    second = positive_float(input_second_moment, "input_second_moment", allow_zero=True)
    _activation_function(activation)
    var = np.empty(depth)
    for layer in range(depth):
        var[layer] = gain * second + bias_var
        second = second_moment(activation, bias_mean, var[layer])
    return {"mean": np.full(depth, float(bias_mean)), "var": var}


def deep_network(depth: int, width: int, activation: str, rng: np.random.Generator,
                 init="kaiming_normal", init_options: dict | None = None,
                 bias_std: float = 0.0, bias_mean: float = 0.0) -> Sequential:
    """``depth`` pairs ``Linear(width, width)`` + activation, built by the engine.

    The biases are drawn from ``N(bias_mean, bias_std²)`` (all equal to ``bias_mean`` when
    ``bias_std = 0``). Every layer draws its weights and then its biases from ``rng`` in order,
    so two networks built from equal seeds share their first layers whatever their depth.
    """
    depth = positive_int(depth, "depth")
    width = positive_int(width, "width")
    bias_std = positive_float(bias_std, "bias_std", allow_zero=True)
    _activation_function(activation)
    layers: list[Module] = []
    for _ in range(depth):
        layers.append(Linear(width, width, init=init, init_options=init_options,
                             bias_init="normal", bias_options={"mean": bias_mean, "std": bias_std},
                             rng=rng))
        layers.append(activations.get(activation))
    return Sequential(*layers)


def rescaled(model: Sequential, activation: str, weight_scale: float,
             bias_scale: float = 1.0) -> Sequential:
    """A copy of ``model`` (alternating ``Linear`` and activation layers, as ``deep_network``
    builds it) with every ``W`` multiplied by ``weight_scale``, every ``b`` by ``bias_scale`` and
    every activation replaced by ``activation``.

    Built from one network of ``N(0, 1)`` weights, the copies for ``weight_scale = std(w)``
    compare initialization schemes on the same underlying random draws (common random
    numbers), at the cost of one set of draws.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a knobs Sequential, got {type(model).__name__}")
    layers = list(model.layers)
    if len(layers) % 2 or not all(isinstance(layer, Linear) for layer in layers[::2]):
        raise ValueError("model must alternate Linear and activation layers, "
                         "as deep_network builds it")
    weight_scale = positive_float(weight_scale, "weight_scale", allow_zero=True)
    bias_scale = float(bias_scale)
    if not math.isfinite(bias_scale):
        raise ValueError(f"bias_scale must be finite, got {bias_scale}")
    _activation_function(activation)
    copies = []
    for linear in layers[::2]:
        assert isinstance(linear, Linear)  # checked above
        b = None if linear.b is None else bias_scale * linear.b
        copies += [Linear.from_arrays(weight_scale * linear.W, b), activations.get(activation)]
    return Sequential(*copies)


@dataclass(frozen=True)
class LayerStatistics:
    """Per-layer moments, pooled over the samples and the units of each layer.

    All arrays have shape ``(depth,)``; entry ``l - 1`` belongs to layer ``l``:
    ``mean_z``, ``var_z`` of the net inputs ``z_l``; ``mean_a``, ``second_moment_a`` of the
    activations ``a_l = f(z_l)`` (the inputs of layer ``l + 1``).
    """

    mean_z: np.ndarray
    var_z: np.ndarray
    mean_a: np.ndarray
    second_moment_a: np.ndarray

    @property
    def depth(self) -> int:
        return len(self.var_z)


def layer_statistics(model: Sequential, X) -> LayerStatistics:
    """Run ``X: (m, n_in)`` through ``model`` (alternating ``Linear`` and activation layers) and
    record the pooled moments of every ``z_l`` and ``a_l``."""
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a knobs Sequential, got {type(model).__name__}")
    A = as_float_array(X, "X")
    stats: dict[str, list] = {"mean_z": [], "var_z": [], "mean_a": [], "second_moment_a": []}
    layers = list(model.layers)
    if len(layers) % 2 or not all(isinstance(layer, Linear) for layer in layers[::2]):
        raise ValueError("model must alternate Linear and activation layers, "
                         "as deep_network builds it")
    for linear, act in zip(layers[::2], layers[1::2], strict=True):
        Z = linear.forward(A)
        A = act.forward(Z)
        stats["mean_z"].append(Z.mean())
        stats["var_z"].append(Z.var())
        stats["mean_a"].append(A.mean())
        stats["second_moment_a"].append(np.mean(A * A))
    return LayerStatistics(**{k: np.array(v) for k, v in stats.items()})
