# GENERATED VIA scripts/generate_knowledge.py -- do not edit by hand
"""The stdlib `random` module as introspected on Python 3.11."""

from __future__ import annotations

PYTHON_VERSION: tuple[int, int] = (3, 11)

# Public module-level names of `random` that are bound methods of random._inst.
BOUND_TO_INST: tuple[str, ...] = (
    "betavariate",
    "choice",
    "choices",
    "expovariate",
    "gammavariate",
    "gauss",
    "getrandbits",
    "getstate",
    "lognormvariate",
    "normalvariate",
    "paretovariate",
    "randbytes",
    "randint",
    "random",
    "randrange",
    "sample",
    "seed",
    "setstate",
    "shuffle",
    "triangular",
    "uniform",
    "vonmisesvariate",
    "weibullvariate",
)
