"""Explicit generators created in the user's code: `np.random.default_rng()`, `RandomState()`,
numpy's bit generators and `SeedSequence()`, `random.Random()`, `torch.Generator()`.

What is recorded (`Recorder.constructed`): per line of the user's code that creates one, how
many, how many from entropy or the clock, how many of those were seeded again
deterministically later (`rng.seed(1)`, legacy APIs only), and for torch generators how many
draws came from one never seeded (`torch.Generator()` starts from one fixed seed: all such
generators give the same stream).  Creations made inside libraries are not recorded, and
draws from numpy's and random's explicit generators are not watched (only how they were
seeded).

How: the classes are replaced in their modules by subclasses that record in `__init__` and
whose metaclass answers `isinstance` / `issubclass` for the original class, so instances made
before recording or inside C code (`torch.default_generator`) still pass the program's type
checks; pickling names the original class.  `default_rng` is a function: wrapped.
"""

from __future__ import annotations

import functools
import random
import sys
from collections.abc import Callable
from typing import Any

from ..knowledge import explicit_generator
from . import recorder as _recorder
from .recorder import Construction

__all__ = ["install_numpy", "install_random", "install_torch", "uninstall"]

_SAVED: list[tuple[Any, str, Any]] = []  # (owner, attribute, original)
_INSTALLED: set[str] = set()
_RECORD = "_seedlint_construction"  # instance attribute: its line's record, until reseeded


def _set(owner: Any, name: str, value: Any) -> None:
    _SAVED.append((owner, name, owner.__dict__[name]))
    setattr(owner, name, value)


def uninstall() -> None:
    _INSTALLED.clear()
    while _SAVED:
        owner, name, original = _SAVED.pop()
        setattr(owner, name, original)


def _constructed(api: str, value: Any, *, fixed: bool = False) -> Construction | None:
    """Called two frames below the user's call (our `__init__` / wrapper, then this)."""
    rec = _recorder.ACTIVE
    if rec is None:
        return None
    library = api.split(".", 1)[0]
    return rec.constructed(library, api, value, sys._getframe(2), fixed=fixed)


def _reseeded(instance: Any, value: Any) -> None:
    record = getattr(instance, _RECORD, None)
    rec = _recorder.ACTIVE
    if record is not None and rec is not None and rec.reseeded(record, value):
        setattr(instance, _RECORD, None)  # counted once per generator


def _seed_of(api: str) -> Callable[[tuple[Any, ...], dict[str, Any]], Any]:
    entry = explicit_generator(api)
    position, name = entry.seed_param if entry and entry.seed_param else (0, "seed")

    def seed(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        value = args[position] if len(args) > position else kwargs.get(name)
        if value is None and api == "numpy.random.Philox":
            value = kwargs.get("key")  # Philox(key=k) is deterministic too
        return value

    return seed


def _tracking_class(base: type, api: str, namespace: dict[str, Any]) -> type:
    """A subclass of `base` with `namespace`, standing in for `base` in its module."""

    class Delegate(type(base)):  # type: ignore[misc]
        def __instancecheck__(cls, instance: Any) -> bool:
            return isinstance(instance, base)

        def __subclasscheck__(cls, subclass: type) -> bool:
            return issubclass(subclass, base)

    def __reduce__(self: Any) -> Any:
        # Pickle as the original class: ours cannot be found by name in another process.
        reduced: Any = base.__reduce__(self)  # type: ignore[call-arg]
        if not isinstance(reduced, tuple):
            return reduced
        ctor = base if reduced[0] is tracking else reduced[0]
        args = tuple(base if a is tracking else a for a in reduced[1])
        return (ctor, args, *reduced[2:])

    body = {
        "__module__": base.__module__,
        "__qualname__": base.__qualname__,
        "__doc__": base.__doc__,
        "__reduce__": __reduce__,
        # A slot, not the instance's __dict__: Cython's pickling would carry the record.
        "__slots__": (_RECORD,),
        **namespace,
    }
    tracking: type = Delegate(base.__name__, (base,), body)
    return tracking


def _numpy_class(module: Any, name: str) -> None:
    base = getattr(module, name)
    api = f"numpy.random.{name}"
    seed_of = _seed_of(api)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        base.__init__(self, *args, **kwargs)
        setattr(self, _RECORD, _constructed(api, seed_of(args, kwargs)))

    namespace: dict[str, Any] = {"__init__": __init__}
    if hasattr(base, "seed"):  # RandomState(...).seed(1)

        def seed(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = base.seed(self, *args, **kwargs)
            _reseeded(self, args[0] if args else kwargs.get("seed"))
            return result

        def set_state(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = base.set_state(self, *args, **kwargs)
            _reseeded(self, 0)  # a state: taken as reproducible
            return result

        namespace["seed"] = seed
        namespace["set_state"] = set_state
    _set(module, name, _tracking_class(base, api, namespace))


def install_numpy() -> None:
    if "numpy" in _INSTALLED:
        return
    _INSTALLED.add("numpy")
    module = sys.modules["numpy.random"]
    original = module.default_rng

    @functools.wraps(original)
    def default_rng(seed: Any = None) -> Any:
        generator = original(seed)
        _constructed("numpy.random.default_rng", seed)
        return generator

    _set(module, "default_rng", default_rng)
    for name in ("RandomState", "SeedSequence", "MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64"):
        if name in module.__dict__:
            _numpy_class(module, name)


def install_random() -> None:
    if "random" in _INSTALLED:
        return
    _INSTALLED.add("random")
    cls = random.Random
    init, seed = cls.__dict__["__init__"], cls.__dict__["seed"]

    def __init__(self: Any, x: Any = None) -> None:
        init(self, x)
        if not isinstance(self, random.SystemRandom):  # entropy by design, cannot be seeded
            record = _constructed("random.Random", x)
            if record is not None:
                setattr(self, _RECORD, record)

    setstate = cls.__dict__["setstate"]

    def seed_(self: Any, a: Any = None, version: int = 2) -> None:
        seed(self, a, version)
        _reseeded(self, a)

    def setstate_(self: Any, state: Any) -> None:
        setstate(self, state)  # also how a copy or an unpickled Random gets its state
        _reseeded(self, 0)  # a state is as reproducible as where it came from: taken as so

    for name, function in (("__init__", __init__), ("seed", seed_), ("setstate", setstate_)):
        _set(cls, name, functools.update_wrapper(function, cls.__dict__[name]))


def install_torch() -> None:
    if "torch" in _INSTALLED:
        return
    _INSTALLED.add("torch")
    torch: Any = sys.modules["torch"]
    base = torch.Generator

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        # torch._C.Generator is made by __new__ alone (its __init__ is object's)
        setattr(self, _RECORD, _constructed("torch.Generator", None, fixed=True))

    def seeding(name: str) -> Any:
        original = getattr(base, name)

        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(self, *args, **kwargs)
            setattr(self, _RECORD, None)  # seeded (or given a state): no longer fixed
            return result

        method.__name__ = name
        return method

    namespace = {"__init__": __init__}
    for name in ("manual_seed", "seed", "set_state"):
        namespace[name] = seeding(name)
    _set(torch, "Generator", _tracking_class(base, "torch.Generator", namespace))


def torch_draw(generator: Any) -> None:
    """A draw from an explicit torch generator (`generator=g`): counted against its line
    when it was never seeded."""
    record = getattr(generator, _RECORD, None)
    rec = _recorder.ACTIVE
    if record is not None and rec is not None:
        rec.explicit_draw(record)
