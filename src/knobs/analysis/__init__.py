"""What the chapters measure about networks built with ``knobs.nn``: statistics of the net input,
signal propagation, Hessians and curvature, parameter and memory accounting, checkpointing,
rounding and summation, weight-space symmetries. NumPy only; imports ``knobs.nn``."""
