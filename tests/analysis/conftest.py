"""Helpers shared by the tests of knobs.analysis."""

import pytest

import knobs


def relu_mlp(depth, rng, width=64):
    layers = []
    for _ in range(depth):
        layers += [knobs.Linear(width, width, rng=rng), knobs.ReLU()]
    return knobs.Sequential(*layers)


@pytest.fixture
def mlp():
    """``mlp(depth, rng, width=64)``: ``depth`` pairs of square Linear and ReLU."""
    return relu_mlp
