"""knobs: a small, readable NumPy engine for the two knobs of every neuron, weights and biases.

The package has four floors, each importing only the floors below it (``CONTRIBUTING.md``):

- ``knobs.nn``: the engine (modules, layers, activations, losses, norms, optimizers, gradcheck);
- ``knobs.analysis``: what the chapters measure about networks (statistics of z, propagation,
  curvature, accounting, memory, rounding);
- ``knobs.studies``: the domain models of single chapters (gates, a dimer, growth, choice…);
- ``knobs.ui``: what a reader sees and touches (plots, widgets, glue, experiments, exercises).

``import knobs`` gives the engine's core. The public names follow PyTorch's where a counterpart
exists. Shapes: ``W: (n_out, n_in)``, ``b: (n_out,)``, a batch ``X: (m, n_in)`` with samples in
rows, ``Z = X @ W.T + b``.
"""

from knobs.analysis.accounting import format_bytes, hessian_bytes
from knobs.nn import init
from knobs.nn.activations import Identity, ReLU, Sigmoid, Step, Tanh, sigmoid
from knobs.nn.gradcheck import gradcheck, gradient_error, numerical_gradient
from knobs.nn.linear import Linear
from knobs.nn.losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, softmax
from knobs.nn.module import Module, Sequential, count_parameters, train_step
from knobs.nn.norm import BatchNorm1d, LayerNorm, RMSNorm
from knobs.nn.optim import SGD, Adam

__version__ = "0.1.0"

__all__ = [
    "SGD", "Adam", "BCEWithLogitsLoss", "BatchNorm1d", "CrossEntropyLoss", "Identity",
    "LayerNorm", "Linear", "MSELoss", "Module", "RMSNorm", "ReLU", "Sequential", "Sigmoid", "Step",
    "Tanh", "count_parameters", "format_bytes", "gradcheck", "gradient_error", "hessian_bytes",
    "init", "numerical_gradient", "sigmoid", "softmax", "train_step",
]
