"""Self-checks for the chapters' exercises, one module per chapter.

Each ``check_*`` function computes the expected answer with the engine and hands it to
``knobs.ui.selfcheck.check``, which reports right or wrong with a hint and never prints the answer.
"""
