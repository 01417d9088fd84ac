"""numpy's legacy global generator.

numpy's legacy functions (`np.random.rand`, ...) are Cython bound methods of the global
`RandomState` `numpy.random.mtrand._rand`: no profiler event sees them.  The global instance is
replaced by a recording subclass that shares the *same* bit generator (and the Gaussian cache
is copied over), and the module functions are rebound to it, so every draw, including those
made inside scikit-learn, scipy or pandas through `check_random_state(None)`, goes through a
recording method and draws exactly the numbers it would have drawn.
"""

from __future__ import annotations

import sys
import zlib
from typing import Any

from . import recorder as _recorder
from .flat import flat_wrapper

__all__ = ["install", "uninstall"]

_SAVED: dict[str, Any] = {}
_NOT_DRAWS = frozenset({"seed", "get_state", "set_state"})
_SHAPE_ALIASES = {"rand": "random_sample", "randn": "standard_normal"}


def _state_key(state: Any) -> int:
    if isinstance(state, dict):  # get_state(legacy=False)
        inner = state["state"]
        return zlib.crc32(inner["key"].tobytes()) ^ (int(inner["pos"]) << 32)
    return zlib.crc32(state[1].tobytes()) ^ (int(state[2]) << 32) ^ hash(state[4])


def _make_class(base: Any) -> type:
    def draw_method(name: str) -> Any:
        original = getattr(base, name)
        api = f"numpy.random.{name}"
        if name in _SHAPE_ALIASES:
            # rand/randn are `random_sample(size=args)` / `standard_normal(size=args)` in
            # numpy, which Cython calls through `self` (a second recorded call); calling the
            # base method directly saves it (same numbers: tests/test_runtime_record.py
            # compares every draw).
            def shape(self: Any, *args: Any) -> Any: ...

            return flat_wrapper(
                original,
                "numpy",
                api,
                _fingerprint,
                shape_of=shape,
                call="_sl_target(self, size=args) if args else _sl_target(self)",
                names={"_sl_target": getattr(base, _SHAPE_ALIASES[name])},
            )
        # `self` travels in the arguments: a method is a function of (self, ...).
        return flat_wrapper(original, "numpy", api, _fingerprint)

    def seed(self: Any, seed: Any = None) -> None:
        base.seed(self, seed)
        rec = _recorder.ACTIVE
        if rec is not None:
            rec.seeded(("numpy",), "numpy.random.seed", seed, sys._getframe(1))

    def get_state(self: Any, legacy: bool = True) -> Any:
        state = base.get_state(self, legacy=legacy)
        rec = _recorder.ACTIVE
        if rec is not None:
            rec.remember_state(_state_key(state), "numpy")
        return state

    def set_state(self: Any, state: Any) -> None:
        base.set_state(self, state)
        rec = _recorder.ACTIVE
        if rec is not None:
            key = None
            try:
                key = _state_key(state)
            except Exception:
                pass
            rec.seeded(("numpy",), "numpy.random.set_state", None, sys._getframe(1), "state", key)

    namespace: dict[str, Any] = {"seed": seed, "get_state": get_state, "set_state": set_state}
    for name in dir(base):
        if name.startswith("_") or name in _NOT_DRAWS:
            continue
        if callable(getattr(base, name)):
            namespace[name] = draw_method(name)
    return type("RecordingRandomState", (base,), namespace)


def _bitgen_key(bitgen: Any) -> int:
    inner = bitgen.state["state"]
    return zlib.crc32(inner["key"].tobytes()) ^ (int(inner["pos"]) << 32)


def _fingerprint() -> int:
    return _bitgen_key(_SAVED["_new"]._bit_generator)


def install() -> None:
    if _SAVED:
        return
    # From sys.modules: while numpy.random finishes importing (the post-import hook), the
    # attribute `numpy.random` is not set yet and `import numpy.random` would recurse.
    random_module = sys.modules["numpy.random"]
    mtrand: Any = sys.modules["numpy.random.mtrand"]

    old = mtrand._rand
    cls = _make_class(mtrand.RandomState)
    new = cls(old._bit_generator)
    # The legacy Gaussian cache lives in the RandomState, not in the bit generator.
    mtrand.RandomState.set_state(new, mtrand.RandomState.get_state(old))
    _SAVED["_rand"] = old
    _SAVED["_new"] = new
    for module in (random_module, mtrand):
        saved: dict[str, Any] = {}
        for name, value in vars(module).items():
            if getattr(value, "__self__", None) is old and not name.startswith("__"):
                saved[name] = value
                setattr(module, name, getattr(new, name))
        _SAVED[module.__name__] = saved
    mtrand._rand = new


def uninstall() -> None:
    if not _SAVED:
        return
    # From sys.modules: while numpy.random finishes importing (the post-import hook), the
    # attribute `numpy.random` is not set yet and `import numpy.random` would recurse.
    random_module = sys.modules["numpy.random"]
    mtrand: Any = sys.modules["numpy.random.mtrand"]

    old, new = _SAVED["_rand"], _SAVED["_new"]
    mtrand.RandomState.set_state(old, mtrand.RandomState.get_state(new))
    mtrand._rand = old
    for module in (random_module, mtrand):
        for name, value in _SAVED[module.__name__].items():
            setattr(module, name, value)
    _SAVED.clear()
