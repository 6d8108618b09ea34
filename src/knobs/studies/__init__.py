"""The domain models of single chapters: logic gates, a dimer potential, population growth,
calibration, fairness, discrete choice, universal approximation, a pattern detector with and
without weight sharing, depth against width at a parameter budget. NumPy only; imports
``knobs.analysis`` and ``knobs.nn``."""
