"""The unit tests mirror the package (CONTRIBUTING.md, "Where do my tests go?"): every file in
tests/nn, tests/analysis, tests/studies and tests/ui is named after the one module it tests."""

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "knobs"
FLOORS = ("nn", "analysis", "studies", "ui")


def module_under_test(floor: str, filename: str, src: pathlib.Path = SRC) -> str | None:
    """The module ``tests/<floor>/<filename>`` tests, or None if the name maps to none.

    ``test_<module>.py`` for a module of the floor (ui's own modules included), and
    ``nn/test_validate.py`` for ``knobs.validate``, the floor below nn;
    in ui also ``test_experiment_<name>.py`` for ``experiments/<name>.py``,
    ``test_experiments.py`` for what holds for every experiment and for ``experiments/base.py``,
    ``test_exercises_chNN.py`` for ``exercises/chNN.py`` and ``test_exercises.py`` for what holds
    for every exercise module. ``conftest.py`` holds the folder's shared helpers.
    """
    if filename == "conftest.py":
        return f"knobs.{floor}"
    if floor == "nn" and filename == "test_validate.py":   # the floor below nn, tested with it
        return "knobs.validate" if (src / "validate.py").is_file() else None
    match = re.fullmatch(r"test_(\w+)\.py", filename)
    if not match:
        return None
    name = match[1]
    if floor == "ui":
        if name in ("experiments", "exercises"):
            return f"knobs.ui.{name}" if (src / "ui" / name / "__init__.py").is_file() else None
        experiment = re.fullmatch(r"experiment_(\w+)", name)
        if experiment:
            module = experiment[1]
            if module in ("base", "__init__"):   # base.py is tested in test_experiments.py
                return None
            path = src / "ui" / "experiments" / f"{module}.py"
            return f"knobs.ui.experiments.{module}" if path.is_file() else None
        exercise = re.fullmatch(r"exercises_(ch\d\d)", name)
        if exercise:
            path = src / "ui" / "exercises" / f"{exercise[1]}.py"
            return f"knobs.ui.exercises.{exercise[1]}" if path.is_file() else None
    if name.startswith("_"):
        return None
    return f"knobs.{floor}.{name}" if (src / floor / f"{name}.py").is_file() else None


def misnamed_files(tests: pathlib.Path = ROOT / "tests", src: pathlib.Path = SRC) -> list[str]:
    """The .py files of the four unit-test folders whose name maps to no module."""
    return sorted(f"{floor}/{path.name}" for floor in FLOORS
                  for path in (tests / floor).glob("*.py")
                  if module_under_test(floor, path.name, src) is None)


def test_every_unit_test_file_is_named_after_an_existing_module():
    offending = misnamed_files()
    assert not offending, (
        "test files that map to no module (test_<module>.py, in ui also test_experiment_<name>.py, "
        f"test_exercises_chNN.py; see CONTRIBUTING.md): {offending}")


def test_every_floor_folder_has_test_files():
    for floor in FLOORS:
        assert any((ROOT / "tests" / floor).glob("test_*.py")), floor


@pytest.mark.parametrize(("floor", "filename", "module"), [
    ("nn", "test_optim.py", "knobs.nn.optim"),
    ("nn", "test_validate.py", "knobs.validate"),
    ("analysis", "test_checkpoint.py", "knobs.analysis.checkpoint"),
    ("studies", "test_depth_budget.py", "knobs.studies.depth_budget"),
    ("ui", "test_widgets.py", "knobs.ui.widgets"),
    ("ui", "test_experiment_depth.py", "knobs.ui.experiments.depth"),
    ("ui", "test_experiments.py", "knobs.ui.experiments"),
    ("ui", "test_exercises_ch07.py", "knobs.ui.exercises.ch07"),
    ("ui", "test_exercises.py", "knobs.ui.exercises"),
])
def test_a_well_named_file_maps_to_its_module(floor, filename, module):
    assert module_under_test(floor, filename) == module


@pytest.mark.parametrize(("floor", "filename"), [
    ("ui", "test_experiments_ch12_14.py"),       # several experiments in one file
    ("ui", "test_exercises_ch07_ch08_ch12.py"),  # several chapters in one file
    ("ui", "test_experiment_base.py"),           # base.py belongs in test_experiments.py
    ("ui", "test_experiment_nosuch.py"),         # no such experiment
    ("ui", "test_exercises_ch99.py"),            # no such chapter
    ("ui", "test_exercises_ch7.py"),             # two digits, as the modules are named
    ("nn", "test_modules.py"),                   # a typo of test_module.py
    ("nn", "test_accounting.py"),                # a module of another floor
    ("analysis", "test_widgets.py"),             # ui's module, in the analysis folder
    ("ui", "test_validate.py"),                  # knobs.validate is tested in tests/nn
    ("studies", "test___init__.py"),
    ("nn", "helpers.py"),                        # shared helpers go into conftest.py
    ("ui", "test_depth.py"),                     # an experiment needs test_experiment_depth.py
])
def test_a_misnamed_file_is_caught(floor, filename):
    assert module_under_test(floor, filename) is None


def test_the_check_reports_the_offending_names(tmp_path):
    src, tests = tmp_path / "src", tmp_path / "tests"
    (src / "nn").mkdir(parents=True)
    (src / "nn" / "linear.py").touch()
    for floor in FLOORS:
        (tests / floor).mkdir(parents=True)
    for name in ("test_linear.py", "conftest.py", "test_linear_and_optim.py", "test_optim.py"):
        (tests / "nn" / name).touch()
    (tests / "ui" / "test_experiments_ch09_11.py").touch()
    assert misnamed_files(tests, src) == [
        "nn/test_linear_and_optim.py", "nn/test_optim.py", "ui/test_experiments_ch09_11.py"]
