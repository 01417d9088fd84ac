"""Wrappers around a global generator's API: a draw is recorded before it happens (strict
mode may refuse it), a seeding call after it succeeded.  When no recorder is active the
wrappers call straight through (a reference kept from an earlier recording stays harmless)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from . import recorder as _recorder
from .flat import flat_wrapper

__all__ = ["draw_wrapper", "seed_wrapper", "state_getter", "state_setter"]

Fn = Callable[..., Any]
_getframe = sys._getframe


def draw_wrapper(
    original: Fn,
    generator: str | Callable[[tuple[Any, ...], dict[str, Any]], str | None],
    api: str,
    fingerprint: Callable[[], Any] | None = None,
    *,
    nested: bool = True,
) -> Fn:
    """`generator` is a key of `GENERATORS`, or a function of the call's arguments giving the
    key, or None when the call uses an explicit generator (then nothing is recorded).
    `nested`: the API may call other hooked APIs (nn.init.kaiming_uniform_ calls
    Tensor.uniform_): only the outermost call counts.  stdlib `random`'s module functions
    never call each other (they call the hidden instance's methods), and numpy's methods call
    each other only from Cython (the caller is then another wrapper): they take the fast
    shape (`flat.flat_wrapper`)."""
    if not nested and isinstance(generator, str):
        wrapper = flat_wrapper(original, generator, api, fingerprint)
    else:
        wrapper = _nested(original, generator, api, fingerprint)
    wrapper.__seedlint_original__ = original  # type: ignore[attr-defined]
    return functools.update_wrapper(wrapper, original)


def _nested(
    original: Fn,
    generator: str | Callable[[tuple[Any, ...], dict[str, Any]], str | None],
    api: str,
    fingerprint: Callable[[], Any] | None,
) -> Fn:
    fixed = generator if isinstance(generator, str) else None
    choose = None if isinstance(generator, str) else generator

    def record(rec: _recorder.Recorder, args: Any, kwargs: Any, frame: FrameType) -> None:
        key = fixed if choose is None else choose(args, kwargs)
        if key is not None:
            rec.draw(key, api, frame, fingerprint)

    return _outermost(original, before=record)


def seed_wrapper(
    original: Fn,
    generators: tuple[str, ...],
    api: str,
    value: Callable[[tuple[Any, ...], dict[str, Any]], Any] | None,
) -> Fn:
    """`value` extracts the seed from the call's arguments; None: the call takes no seed
    (it seeds from entropy, like `torch.seed()`)."""

    def report(rec: _recorder.Recorder, args: Any, kwargs: Any, frame: FrameType) -> None:
        seed = None if value is None else value(args, kwargs)
        rec.seeded(generators, api, seed, frame)

    return _seeding(original, report)


def state_setter(
    original: Fn,
    generators: tuple[str, ...],
    api: str,
    key: Callable[[Any], Any],
    state_arg: Callable[[tuple[Any, ...], dict[str, Any]], Any],
) -> Fn:
    def report(rec: _recorder.Recorder, args: Any, kwargs: Any, frame: FrameType) -> None:
        state_key = _safe(key, state_arg(args, kwargs))
        rec.seeded(generators, api, None, frame, "state", state_key)

    return _seeding(original, report)


Hook = Callable[[_recorder.Recorder, tuple[Any, ...], dict[str, Any], FrameType], None]


def _seeding(original: Fn, report: Hook) -> Fn:
    """A seeding or state-setting call, reported once it succeeded; nested ones count once
    (torch.manual_seed calls torch.cuda.manual_seed_all: one event)."""
    return _outermost(original, after=report)


def _outermost(original: Fn, *, before: Hook | None = None, after: Hook | None = None) -> Fn:
    """`original`, with `before` / `after` called (with the caller's frame) around the
    outermost hooked call on this thread only."""

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        rec = _recorder.ACTIVE
        if rec is None:
            return original(*args, **kwargs)
        outer = rec.enter()
        try:
            if outer and before is not None:
                before(rec, args, kwargs, _getframe(1))
            result = original(*args, **kwargs)
        finally:
            rec.leave()
        if outer and after is not None:
            after(rec, args, kwargs, _getframe(1))
        return result

    wrapper.__seedlint_original__ = original  # type: ignore[attr-defined]
    return wrapper


def state_getter(original: Fn, generator: str, key: Callable[[Any], Any]) -> Fn:
    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        state = original(*args, **kwargs)
        rec = _recorder.ACTIVE
        if rec is not None:
            rec.remember_state(_safe(key, state), generator)
        return state

    wrapper.__seedlint_original__ = original  # type: ignore[attr-defined]
    return wrapper


def _safe(key: Callable[[Any], Any], state: Any) -> Any:
    try:
        return key(state)
    except Exception:  # an unexpected state format: treated as a state from outside the run
        return None


def arg(position: int, name: str, default: Any = None) -> Callable[..., Any]:
    """The argument at `position` or keyword `name`."""

    def get(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if len(args) > position:
            return args[position]
        return kwargs.get(name, default)

    return get
