"""Chapter 9: a neuron as a tunable switch (the dimer potential)."""

from __future__ import annotations

import numpy as np

from knobs.nn.activations import Tanh
from knobs.nn.linear import Linear
from knobs.nn.module import Sequential
from knobs.studies.dimer_potential import GaussianDescriptor, far_field_energy
from knobs.ui.selfcheck import CheckResult, check

# The atomic network of the exercises: three hidden units, energies in eV.
ETA = 0.5
W1 = np.array([[2.0], [-1.5], [0.8]])
B1 = np.array([0.4, -1.2, 2.0])
V = np.array([[1.5, -0.7, 2.2]])
C = np.array([-15.1])


def exercise_network() -> Sequential:
    """``Sequential(GaussianDescriptor(0.5), Linear(1, 3), Tanh(), Linear(3, 1))`` with the
    exercise's weights ``W1``, biases ``B1``, output weights ``V`` and output bias ``C``."""
    return Sequential(GaussianDescriptor(ETA), Linear.from_arrays(W1, B1), Tanh(),
                      Linear.from_arrays(V, C))


def check_isolated_atom_energy(answer) -> CheckResult:
    """The exercise network's energy of one isolated atom, ``E_atom(∞)`` in eV."""
    return check(answer, far_field_energy(exercise_network()), name="Your E_atom(∞)",
                 hint="at r → ∞ the descriptor is 0, so each unit outputs tanh of its bias.")


def check_dimer_far_field(answer) -> CheckResult:
    """The exercise dimer's energy when its two atoms are far apart, in eV."""
    return check(answer, 2 * far_field_energy(exercise_network()), name="Your dimer E(∞)",
                 hint="the dimer's energy is the sum of two atomic energies.")


def check_shifted_output_bias(answer) -> CheckResult:
    """The output bias that moves every atomic energy up by 0.5 eV, leaving all else as is."""
    return check(answer, float(C[0]) + 0.5, name="Your new output bias c",
                 hint="which knob is added to every atomic energy, at every distance?")
