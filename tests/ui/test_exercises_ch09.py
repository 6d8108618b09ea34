"""Chapter 9's exercises: the self-checks accept the right answers and refuse wrong ones."""

import numpy as np

from knobs.ui.exercises import ch09


def test_the_self_checks_accept_the_right_answers_and_refuse_wrong_ones():
    atom = float(ch09.V[0] @ np.tanh(ch09.B1) + ch09.C[0])
    assert ch09.check_isolated_atom_energy(atom)
    assert not ch09.check_isolated_atom_energy(float(ch09.C[0]))       # forgot the hidden units
    assert ch09.check_dimer_far_field(2 * atom) and not ch09.check_dimer_far_field(atom)
    assert ch09.check_shifted_output_bias(float(ch09.C[0]) + 0.5)
    assert not ch09.check_shifted_output_bias(float(ch09.C[0]) + 1.0)
