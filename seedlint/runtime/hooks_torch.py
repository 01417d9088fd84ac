"""torch's default generators (CPU, and CUDA where present).

torch draws happen in C++, so the Python entry points that draw from the default generator
(the knowledge table `seedlint.knowledge.torch_api`: `torch.rand*`, `Tensor.uniform_` and the
other in-place samplers, `nn.init.*`, the dropout family, ...) are replaced by recording
wrappers.  Layers (`nn.Linear` init), `RandomSampler`, `DataLoader` (a `random_()` per
`iter()`) and `torch.distributions` reach one of them and are caught there, attributed to the
user's line, with the torch frame kept as detail.  Not observable: draws made from C++ without
a Python call (custom ops, TorchScript) and `torch.default_generator.manual_seed()` called on
the generator object itself.
"""

from __future__ import annotations

import importlib
import inspect
import zlib
from collections.abc import Callable
from typing import Any

from ..knowledge.torch_api import APIS
from .explicit import torch_draw
from .wrap import arg, draw_wrapper, seed_wrapper, state_getter, state_setter

__all__ = ["install", "uninstall"]

_SAVED: list[tuple[Any, str, Any, bool]] = []  # (owner, attribute, original, own attribute)
_FALSY = (None, False, 0, 0.0)


def _state_key(state: Any) -> int:
    return zlib.crc32(state.cpu().numpy().tobytes()) if hasattr(state, "numpy") else hash(state)


def _resolve(qualname: str) -> tuple[Any, str] | None:
    """(owner, attribute) for a dotted name: the longest importable module, then attributes."""
    parts = qualname.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for part in parts[i:-1]:
                owner = getattr(owner, part)
            if not hasattr(owner, parts[-1]):
                return None
        except AttributeError:
            return None
        return owner, parts[-1]
    return None


def _param(fn: Any, names: tuple[str, ...]) -> tuple[int, str, Any] | None:
    """(position, name, default) of the first parameter of `fn` called one of `names`."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature
        return None
    for index, p in enumerate(params):
        if p.name in names:
            default = None if p.default is inspect.Parameter.empty else p.default
            return index, p.name, default
    return None


def _chooser(torch: Any, qualname: str, original: Any, method: bool) -> Callable[..., str | None]:
    entry = APIS[qualname]
    cuda_defaults = tuple(getattr(getattr(torch, "cuda", None), "default_generators", ()))
    default_cpu = torch.default_generator
    gen_pos = entry.generator_position
    # Draws only in training / with a non-zero probability: dropout(p=0), training=False.
    conditions: list[tuple[int, str, Any]] = []
    for names in (("training", "train"), ("p", "dropout_p")):
        found = _param(original, names)
        if found is not None:
            conditions.append(found)
    if entry.only_if_arg is not None and not any(c[1] == entry.only_if_arg[1] for c in conditions):
        conditions.append((*entry.only_if_arg, None))
    tensor_type = torch.Tensor

    def choose(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
        for position, name, default in conditions:
            value = args[position] if len(args) > position else kwargs.get(name, default)
            if value in _FALSY:
                return None
        generator = kwargs.get("generator")
        if generator is None and gen_pos is not None and len(args) > gen_pos:
            generator = args[gen_pos]
        if generator is not None and generator is not default_cpu:
            if generator in cuda_defaults:
                return "torch:cuda"
            torch_draw(generator)  # an explicit generator: never seeded?
            return None
        if generator is default_cpu:
            return "torch:cpu"
        device = kwargs.get("device")
        if device is None and args and isinstance(args[0], tensor_type):
            return "torch:cuda" if args[0].is_cuda else "torch:cpu"
        return (
            "torch:cuda" if device is not None and str(device).startswith("cuda") else "torch:cpu"
        )

    _ = method
    return choose


def _set(owner: Any, name: str, value: Any) -> None:
    own = name in getattr(owner, "__dict__", {})
    _SAVED.append((owner, name, getattr(owner, name), own))
    setattr(owner, name, value)


def install() -> None:
    if _SAVED:
        return
    import torch

    def fingerprint() -> int:
        return zlib.crc32(torch.default_generator.get_state().numpy().tobytes())

    for qualname, entry in APIS.items():
        if entry.draws_on != "call":
            continue
        found = _resolve(qualname)
        if found is None:
            continue
        owner, name = found
        original = getattr(owner, name)
        if isinstance(original, type) or getattr(original, "__seedlint_original__", None):
            continue
        method = isinstance(owner, type)
        choose = _chooser(torch, qualname, original, method)
        _set(owner, name, draw_wrapper(original, choose, qualname, fingerprint))

    both = ("torch:cpu", "torch:cuda")
    for module_name in ("torch", "torch.random"):
        module = importlib.import_module(module_name)
        _set(
            module,
            "manual_seed",
            seed_wrapper(module.manual_seed, both, "torch.manual_seed", arg(0, "seed")),
        )
        _set(module, "seed", seed_wrapper(module.seed, both, "torch.seed", None))
        _set(module, "get_rng_state", state_getter(module.get_rng_state, "torch:cpu", _state_key))
        _set(
            module,
            "set_rng_state",
            state_setter(
                module.set_rng_state,
                ("torch:cpu",),
                "torch.set_rng_state",
                _state_key,
                arg(0, "new_state"),
            ),
        )
    cuda = ("torch:cuda",)
    for module_name in ("torch.cuda", "torch.cuda.random"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name in ("manual_seed", "manual_seed_all"):
            if hasattr(module, name):
                _set(
                    module,
                    name,
                    seed_wrapper(getattr(module, name), cuda, f"torch.cuda.{name}", arg(0, "seed")),
                )
        for name in ("seed", "seed_all"):
            if hasattr(module, name):
                _set(
                    module,
                    name,
                    seed_wrapper(getattr(module, name), cuda, f"torch.cuda.{name}", None),
                )
        for name in ("set_rng_state", "set_rng_state_all"):
            if hasattr(module, name):
                _set(
                    module,
                    name,
                    state_setter(
                        getattr(module, name),
                        cuda,
                        f"torch.cuda.{name}",
                        _state_key,
                        arg(0, "new_state"),
                    ),
                )
        for name in ("get_rng_state", "get_rng_state_all"):
            if hasattr(module, name):
                _set(module, name, state_getter(getattr(module, name), "torch:cuda", _state_key))


def uninstall() -> None:
    while _SAVED:
        owner, name, original, own = _SAVED.pop()
        if own:
            setattr(owner, name, original)
        else:  # an inherited method (Tensor.uniform_ comes from TensorBase)
            delattr(owner, name)
