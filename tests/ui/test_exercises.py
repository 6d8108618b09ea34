"""What holds for every exercise module: each check answers a placeholder without error."""

import importlib
import inspect
import pkgutil

import pytest

import knobs.ui.exercises  # noqa: E402


def exercise_checks():
    for info in pkgutil.iter_modules(knobs.ui.exercises.__path__):
        module = importlib.import_module(f"knobs.ui.exercises.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("check_") and fn.__module__ == module.__name__:
                yield pytest.param(fn, id=f"{info.name}.{name}")


@pytest.mark.parametrize("check_fn", list(exercise_checks()))
def test_exercise_checks_answer_placeholders_without_error(check_fn):
    result = check_fn(None)
    assert not result and "no answer yet" in result.message
