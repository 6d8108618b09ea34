"""The domain models of single chapters: logic gates, a dimer potential, population growth,
calibration, fairness, discrete choice, universal approximation. NumPy only; imports
``knobs.analysis`` and ``knobs.nn``."""
