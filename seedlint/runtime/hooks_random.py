"""stdlib `random`: its module functions are bound methods of the hidden `random._inst`;
they are replaced by recording wrappers (the instance and its state are untouched)."""

from __future__ import annotations

import random
from typing import Any

from .wrap import arg, draw_wrapper, seed_wrapper, state_getter, state_setter

__all__ = ["install", "uninstall"]

_SAVED: dict[str, Any] = {}
_NOT_DRAWS = frozenset({"seed", "getstate", "setstate"})


def _state_key(state: Any) -> int:
    # (version, 625 ints, cached Gaussian or None).  Hashes of ints and floats are the same in
    # every process; hash(None) is not before Python 3.12, hence the 0.
    version, internal, gauss = state
    return hash((version, internal, 0.0 if gauss is None else gauss))


def _fingerprint() -> int:
    return _state_key(random._inst.getstate())


def _functions() -> dict[str, Any]:
    inst = random._inst
    return {
        name: value
        for name, value in vars(random).items()
        if not name.startswith("_") and getattr(value, "__self__", None) is inst
    }


def install() -> None:
    if _SAVED:
        return
    for name, original in _functions().items():
        _SAVED[name] = original
        api = f"random.{name}"
        if name == "seed":
            wrapped = seed_wrapper(original, ("random",), api, arg(0, "a"))
        elif name == "getstate":
            wrapped = state_getter(original, "random", _state_key)
        elif name == "setstate":
            wrapped = state_setter(original, ("random",), api, _state_key, arg(0, "state"))
        else:
            wrapped = draw_wrapper(original, "random", api, _fingerprint, nested=False)
        setattr(random, name, wrapped)


def uninstall() -> None:
    for name, original in _SAVED.items():
        setattr(random, name, original)
    _SAVED.clear()
