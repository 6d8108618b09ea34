"""knobs: a small, readable NumPy engine for the two knobs of every neuron, weights and biases.

The public names follow PyTorch's where a counterpart exists. Shapes: ``W: (n_out, n_in)``,
``b: (n_out,)``, a batch ``X: (m, n_in)`` with samples in rows, ``Z = X @ W.T + b``.
"""

from . import accounting, gates, init
from .accounting import count_parameters, format_bytes, hessian_bytes
from .activations import Identity, ReLU, Sigmoid, Step, Tanh, sigmoid
from .gradcheck import gradcheck, gradient_error, numerical_gradient
from .layers import Linear
from .losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, softmax
from .model import Sequential, train_step
from .module import Module
from .norm import BatchNorm1d, LayerNorm, RMSNorm
from .optim import SGD
from .selfcheck import check

__version__ = "0.1.0"

__all__ = [
    "SGD", "BCEWithLogitsLoss", "BatchNorm1d", "CrossEntropyLoss", "Identity", "LayerNorm",
    "Linear", "MSELoss", "Module", "RMSNorm", "ReLU", "Sequential", "Sigmoid", "Step", "Tanh",
    "accounting", "check", "count_parameters", "format_bytes", "gates", "gradcheck",
    "gradient_error", "hessian_bytes", "init", "numerical_gradient", "sigmoid", "softmax",
    "train_step",
]
