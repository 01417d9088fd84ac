"""Module-level functions of `random`: bound methods of the hidden ``random._inst``.

The names come from ``_generated_stdlib.py``, introspected on one interpreter; the first
version that has each function is hand knowledge (only the running interpreter can be
introspected), as are the names that only newer Pythons have.  Supported: Python 3.10-3.14.
"""

from __future__ import annotations

from . import _generated_stdlib as _gen
from .schema import Role, StdlibRandom

# Roles other than "draw".
_ROLES: dict[str, Role] = {
    "seed": "seed",
    "getstate": "state-read",
    "setstate": "state-write",
}

# Functions newer than Python 3.0, with the version that added them.  binomialvariate is
# listed even when the table is generated on an older Python.
_SINCE: dict[str, tuple[int, int]] = {
    "choices": (3, 6),
    "randbytes": (3, 9),
    "binomialvariate": (3, 12),
}

FUNCTIONS: dict[str, StdlibRandom] = {
    name: StdlibRandom(name, _ROLES.get(name, "draw"), _SINCE.get(name, (3, 0)))
    for name in sorted(set(_gen.BOUND_TO_INST) | set(_SINCE))
}
