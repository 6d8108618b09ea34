"""One referee for every module: central differences against the backward pass of every Module
subclass the package defines (bias on and off, every activation, every loss), and the second
derivatives the Hessian tools rely on against differences of the first."""

import importlib
import pkgutil

import numpy as np
import pytest

import knobs
from knobs.nn import activations, losses
from knobs.nn.conv import Conv2d, GlobalAvgPool2d, LocallyConnected2d
from knobs.nn.lstm import LSTMCell
from knobs.nn.ode import ODEBlock
from knobs.studies.choice import MultinomialLogit
from knobs.studies.dimer_potential import GaussianDescriptor
from knobs.studies.growth import LogisticGrowth

TOL = 1e-6
for floor in ("knobs.nn", "knobs.analysis", "knobs.studies"):  # every Module subclass defined
    for info in pkgutil.iter_modules(importlib.import_module(floor).__path__):
        importlib.import_module(f"{floor}.{info.name}")


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


ACTIVATIONS = [knobs.Identity, knobs.Sigmoid, knobs.Tanh, knobs.ReLU, knobs.Step]
LOSSES = [knobs.MSELoss, knobs.BCEWithLogitsLoss, knobs.CrossEntropyLoss]

# a module, an input for it, per class: (factory(rng, bias) -> module, input(rng) -> X)
CASES = {
    knobs.Linear: (lambda rng, bias: knobs.Linear(4, 3, bias=bias, rng=rng),
                   lambda rng: rng.normal(size=(5, 4))),
    knobs.BatchNorm1d: (lambda rng, bias: knobs.BatchNorm1d(3),
                        lambda rng: rng.normal(size=(6, 3))),
    knobs.LayerNorm: (lambda rng, bias: knobs.LayerNorm(4), lambda rng: rng.normal(size=(3, 4))),
    knobs.RMSNorm: (lambda rng, bias: knobs.RMSNorm(4), lambda rng: rng.normal(size=(3, 4))),
    Conv2d: (lambda rng, bias: Conv2d(2, 3, 3, stride=2, padding=1, bias=bias, rng=rng),
             lambda rng: rng.normal(size=(2, 2, 5, 5))),
    LocallyConnected2d: (lambda rng, bias: LocallyConnected2d(2, 2, 4, 3, bias=bias, rng=rng),
                         lambda rng: rng.normal(size=(2, 2, 4, 4))),
    GlobalAvgPool2d: (lambda rng, bias: GlobalAvgPool2d(),
                      lambda rng: rng.normal(size=(2, 3, 4, 4))),
    knobs.Sequential: (lambda rng, bias: knobs.Sequential(knobs.Linear(3, 4, bias=bias, rng=rng),
                                                          knobs.Tanh(),
                                                          knobs.Linear(4, 2, bias=bias, rng=rng)),
                       lambda rng: rng.normal(size=(5, 3))),
    ODEBlock: (lambda rng, bias: ODEBlock(knobs.Sequential(knobs.Linear(2, 3, bias=bias, rng=rng),
                                                           knobs.Tanh(),
                                                           knobs.Linear(3, 2, bias=bias, rng=rng)),
                                          t=np.linspace(0.0, 1.0, 3), substeps=2),
               lambda rng: rng.normal(size=(4, 2))),
    MultinomialLogit: (lambda rng, bias: _choice(rng), lambda rng: rng.normal(size=(5, 3, 2))),
    GaussianDescriptor: (lambda rng, bias: GaussianDescriptor(0.7),
                         lambda rng: rng.uniform(0.5, 2.0, size=(6, 1))),
    LogisticGrowth: (lambda rng, bias: LogisticGrowth(0.5, 10.0),
                     lambda rng: rng.uniform(1.0, 9.0, size=(6, 1))),
}
for cls in ACTIVATIONS:
    CASES[cls] = (lambda rng, bias, cls=cls: cls(), lambda rng: rng.normal(size=(4, 3)) + 0.05)
# the abstract bases, and the LSTM cell whose forward returns (h, c) and takes a state: its own
# central-difference test is tests/nn/test_lstm.py
NOT_HERE = {activations.Activation, knobs.nn.norm._Norm, knobs.nn.conv._PatchLayer, LSTMCell}


def _choice(rng):
    model = MultinomialLogit(3, 2)
    model.w[...], model.b[...] = rng.normal(size=2), rng.normal(size=3)
    return model


def test_every_module_of_the_package_has_a_case():
    defined = {c for c in subclasses(knobs.Module) if c.__module__.startswith("knobs.")}
    missing = sorted(c.__qualname__ for c in defined - set(CASES) - NOT_HERE)
    assert not missing, f"add a case to CASES for {missing}"


# the modules that take bias=False are checked with and without their biases
WITH_BIAS_OPTION = {knobs.Linear, Conv2d, LocallyConnected2d, knobs.Sequential, ODEBlock}
RUNS = [(cls, True) for cls in CASES] + [(cls, False) for cls in CASES if cls in WITH_BIAS_OPTION]


@pytest.mark.parametrize(("cls", "bias"), RUNS,
                         ids=[f"{c.__name__}-{'bias' if b else 'no-bias'}" for c, b in RUNS])
def test_backward_matches_central_differences(cls, bias, rng):
    factory, inputs = CASES[cls]
    module = factory(rng, bias)
    has_bias = any(name.rsplit(".", 1)[-1] == "b" for name in module.parameters())
    assert has_bias == bias or cls not in WITH_BIAS_OPTION
    errors = knobs.gradcheck(module, inputs(rng))
    assert max(errors.values()) < TOL, errors


@pytest.mark.parametrize("loss_cls", LOSSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("act", ACTIVATIONS[:4], ids=lambda c: c.__name__)
def test_every_activation_with_every_loss(act, loss_cls, rng):
    model = knobs.Sequential(knobs.Linear(3, 4, rng=rng), act(), knobs.Linear(4, 3, rng=rng))
    X = rng.normal(size=(6, 3))
    target = (rng.integers(0, 3, size=6) if loss_cls is knobs.CrossEntropyLoss
              else rng.uniform(0.0, 1.0, size=(6, 3)))
    errors = knobs.gradcheck(model, X, loss=loss_cls(), target=target)
    assert max(errors.values()) < TOL, errors


@pytest.mark.parametrize("act", ACTIVATIONS, ids=lambda c: c.__name__)
def test_second_derivative_is_the_derivative_of_the_derivative(act):
    z = np.linspace(-3.0, 3.0, 61) + 0.013   # never exactly on ReLU's or Step's kink
    h = 1e-5
    central = (act.derivative(z + h) - act.derivative(z - h)) / (2 * h)
    assert np.max(np.abs(act.second_derivative(z) - central)) < 1e-8


@pytest.mark.parametrize("loss_cls", LOSSES, ids=lambda c: c.__name__)
def test_hessian_product_is_the_change_of_the_gradient(loss_cls, rng):
    out = rng.normal(size=(5, 3))
    target = (rng.integers(0, 3, size=5) if loss_cls is knobs.CrossEntropyLoss
              else rng.uniform(0.0, 1.0, size=(5, 3)))
    R, h = rng.normal(size=out.shape), 1e-6
    loss = loss_cls()

    def grad(o):
        loss.forward(o, target)
        return loss.backward()

    central = (grad(out + h * R) - grad(out - h * R)) / (2 * h)
    loss.forward(out, target)
    assert np.max(np.abs(loss.hessian_product(R) - central)) < 1e-8
    with pytest.raises(ValueError, match="R must have the shape of output"):
        loss.hessian_product(R[:, :2])


def test_a_loss_without_curvature_says_so():
    class Plain(losses.Loss):
        pass

    with pytest.raises(NotImplementedError, match="Plain does not define hessian_product"):
        Plain().hessian_product(np.zeros(2))
