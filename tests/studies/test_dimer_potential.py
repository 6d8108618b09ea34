"""The dimer potential: the descriptor, the reference curves, and the far field read off the
biases."""


import numpy as np
import pytest

import knobs
from knobs.studies import dimer_potential as dimer


def test_descriptor_values_and_gradient():
    d = dimer.GaussianDescriptor(eta=0.5)
    r = np.array([[0.0], [1.0], [2.0]])
    assert np.allclose(d.forward(r).ravel(), np.exp(-0.5 * np.array([0.0, 1.0, 4.0])))
    errors = knobs.gradcheck(d, np.array([[0.3], [1.1], [2.5]]))
    assert errors["X"] < 1e-8
    assert d.parameters() == {}
    with pytest.raises(ValueError, match=">= 0"):
        d.forward(np.array([[-1.0]]))
    with pytest.raises(ValueError, match="eta must be a finite number > 0"):
        dimer.GaussianDescriptor(0.0)


def test_reference_curves_have_their_textbook_minima():
    p = dimer.H2_MORSE
    r = np.linspace(0.3, 6.0, 20001)
    E = dimer.morse(r, **p, E_inf=-27.2)
    assert r[np.argmin(E)] == pytest.approx(p["r_e"], abs=1e-3)
    assert E.min() == pytest.approx(-27.2 - p["D_e"], abs=1e-6)  # grid minimum
    assert dimer.morse(p["r_e"], **p, E_inf=-27.2) == pytest.approx(-27.2 - p["D_e"], abs=1e-12)
    assert dimer.morse(1e3, **p, E_inf=-27.2) == pytest.approx(-27.2)
    lj = dimer.lennard_jones(r, epsilon=0.0104, sigma=3.4)
    assert r[np.argmin(lj)] == pytest.approx(2 ** (1 / 6) * 3.4, abs=1e-3)
    assert lj.min() == pytest.approx(-0.0104, rel=1e-6)


@pytest.mark.parametrize("activation", [knobs.Tanh, knobs.Sigmoid, knobs.ReLU])
def test_far_field_from_the_biases_equals_the_model_at_large_r(activation):
    rng = np.random.default_rng(0)
    model = dimer.atomic_network(eta=0.4, n_hidden=5, rng=rng, activation=activation)
    model[1].b[...] = rng.normal(size=5)
    model[3].b[...] = -13.6
    far = model.forward(np.array([[100.0]]))[0, 0]
    assert dimer.far_field_energy(model) == pytest.approx(far, abs=1e-12)
    # the hidden weights and eta do not enter the far field
    model[1].W[...] *= 7.0
    model[0].eta = 3.0
    assert dimer.far_field_energy(model) == pytest.approx(
        model.forward(np.array([[100.0]]))[0, 0], abs=1e-12)
    assert dimer.far_field_energy(model) == pytest.approx(far, abs=1e-12)


def test_dimer_energy_is_twice_the_atomic_energy_and_keeps_shape():
    rng = np.random.default_rng(1)
    model = dimer.atomic_network(0.5, 3, rng)
    r = np.linspace(0.5, 4.0, 6).reshape(2, 3)
    E = dimer.dimer_energy(model, r)
    assert E.shape == (2, 3)
    assert np.allclose(E, 2 * model.forward(r.reshape(-1, 1)).reshape(2, 3))


def test_fit_recovers_the_isolated_atom_energy():
    r = np.linspace(0.6, 5.0, 60)
    E = dimer.h2_reference(r)
    model, losses = dimer.fit_atomic_network(r, E, eta=0.5, n_hidden=6,
                                             rng=np.random.default_rng(0), steps=1500)
    assert len(losses) == 1500 and losses[-1] < 0.01 * losses[0]
    # the isolated H atom is at -13.606 eV; the fit's far field lands within 0.05 eV of it
    assert dimer.far_field_energy(model) == pytest.approx(dimer.E_H_ATOM, abs=0.05)


def test_far_field_refuses_other_architectures():
    rng = np.random.default_rng(2)
    with pytest.raises(TypeError, match="expected an atomic network"):
        dimer.far_field_energy(knobs.Sequential(knobs.Linear(1, 2, rng=rng)))
    bad = knobs.Sequential(dimer.GaussianDescriptor(1.0), knobs.Linear(1, 2, rng=rng),
                           knobs.Tanh(), knobs.Linear(2, 1, bias=False, rng=rng))
    with pytest.raises(ValueError, match="both with bias"):
        dimer.far_field_energy(bad)
    with pytest.raises(ValueError, match="same size"):
        dimer.fit_atomic_network([1.0, 2.0], [1.0], 0.5, 2, rng, steps=1)


def test_the_h2_reference_curve_ends_at_two_free_atoms():
    far, bottom = dimer.h2_reference([1e3, dimer.H2_MORSE["r_e"]])
    assert far == pytest.approx(2 * dimer.E_H_ATOM, abs=1e-12)
    assert bottom == pytest.approx(2 * dimer.E_H_ATOM - dimer.H2_MORSE["D_e"], abs=1e-12)


def test_finished_dimer_fit_does_not_depend_on_where_adam_stopped():
    # The same fit finished from two Adam endpoints (1,500 and 2,000 steps) lands on one point:
    # the digits the chapter prints are the data's, not the step count's.
    r = np.geomspace(0.6, 5.0, 60)
    E = dimer.h2_reference(r)
    fits = [dimer.fit_atomic_network(r, E, 0.5, 4, np.random.default_rng(2029), steps=s,
                                     grad_tol=1e-11)[0] for s in (1500, 2000)]
    far = [dimer.far_field_energy(m) for m in fits]
    assert far[0] == pytest.approx(far[1], abs=1e-6)
    assert np.sqrt(np.mean((dimer.dimer_energy(fits[1], r) - E) ** 2)) < 0.02
