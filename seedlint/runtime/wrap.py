"""Wrappers around a global generator's API: a draw is recorded before it happens (strict
mode may refuse it), a seeding call after it succeeded.  When no recorder is active the
wrappers call straight through (a reference kept from an earlier recording stays harmless)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

from . import recorder as _recorder

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
    never call each other (they call the hidden instance's methods), so they skip that."""
    fixed = generator if isinstance(generator, str) else None
    choose = None if isinstance(generator, str) else generator

    if not nested and fixed is not None:

        @functools.wraps(original)
        def flat(*args: Any, **kwargs: Any) -> Any:
            rec = _recorder.ACTIVE
            if rec is not None:
                frame = _getframe(1)
                site = rec.fast.get((fixed, id(frame.f_code), frame.f_lasti))
                if site is not None and rec.inline:  # Recorder.count, inline (hot path)
                    if rec.status[fixed] != "deterministic":
                        site.unseeded_count += 1
                    site.count += 1
                    site.apis[api] = site.apis.get(api, 0) + 1
                else:
                    rec.draw(fixed, api, frame, fingerprint)
            return original(*args, **kwargs)

        flat.__seedlint_original__ = original  # type: ignore[attr-defined]
        return flat

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        rec = _recorder.ACTIVE
        if rec is None:
            return original(*args, **kwargs)
        outer = rec.enter()
        try:
            if outer:
                key = fixed if choose is None else choose(args, kwargs)
                if key is not None:
                    rec.draw(key, api, _getframe(1), fingerprint)
            return original(*args, **kwargs)
        finally:
            rec.leave()

    wrapper.__seedlint_original__ = original  # type: ignore[attr-defined]
    return wrapper


def seed_wrapper(
    original: Fn,
    generators: tuple[str, ...],
    api: str,
    value: Callable[[tuple[Any, ...], dict[str, Any]], Any] | None,
) -> Fn:
    """`value` extracts the seed from the call's arguments; None: the call takes no seed
    (it seeds from entropy, like `torch.seed()`)."""

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        rec = _recorder.ACTIVE
        if rec is None:
            return original(*args, **kwargs)
        outer = rec.enter()  # torch.manual_seed calls torch.cuda.manual_seed_all: one event
        try:
            result = original(*args, **kwargs)
        finally:
            rec.leave()
        if outer:
            seed = None if value is None else value(args, kwargs)
            rec.seeded(generators, api, seed, sys._getframe(1))
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


def state_setter(
    original: Fn,
    generators: tuple[str, ...],
    api: str,
    key: Callable[[Any], Any],
    state_arg: Callable[[tuple[Any, ...], dict[str, Any]], Any],
) -> Fn:
    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        rec = _recorder.ACTIVE
        if rec is None:
            return original(*args, **kwargs)
        outer = rec.enter()
        try:
            result = original(*args, **kwargs)
        finally:
            rec.leave()
        if outer:
            state_key = _safe(key, state_arg(args, kwargs))
            rec.seeded(generators, api, None, sys._getframe(1), "state", state_key)
        return result

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
