"""The draw wrapper on the hot path: stdlib `random`'s module functions and numpy's legacy
methods (a simulation may draw millions of times; this is most of the companion's cost).

Each wrapper is generated with the signature of the function it wraps, so a call binds its
arguments the way a plain call does and forwards them as they came: `*args, **kwargs` would
build a tuple and a dict on every call and take the slow path into the C function, which
measured about as much as all the recording together.  Arguments left out are forwarded as
the very default objects the signature holds (Python functions' own `__defaults__`; Cython's
embedded signature for numpy, whose methods cannot tell a default passed from one left out:
tests/test_runtime_record.py compares every drawn number with and without the companion).
A function without a readable signature gets `*args, **kwargs`.

Counting: an instruction seen before is one comparison (`SiteCache.hit`) or one dictionary
look-up (`SiteCache.known`) and one increment; anything else goes to `Recorder.draw`.
"""

from __future__ import annotations

import inspect
import keyword
import os
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from . import recorder as _recorder
from .attribution import frames

__all__ = ["GENERATED_FILENAME", "flat_wrapper"]

Fn = Callable[..., Any]

# The "file" of every generated wrapper: inside seedlint (attribution skips it like our other
# frames), and how a wrapper knows that another wrapper called it.
GENERATED_FILENAME = os.path.join(os.path.dirname(os.path.realpath(__file__)), "<flat wrapper>")

_TEMPLATE = """\
def {name}({params}):
    _sl_frame = _sl_getframe(1)
    _sl_hit = _sl_cache.hit
    if _sl_frame.f_code is _sl_hit[0] and _sl_frame.f_lasti == _sl_hit[1]:
        _sl_hit[2].n += 1
    else:
        _sl_tally = _sl_cache.known.get((_sl_id(_sl_frame.f_code), _sl_frame.f_lasti))
        if _sl_tally is not None:
            _sl_tally.n += 1
        else:
            _sl_miss(_sl_frame)
    return {call}
"""


def flat_wrapper(
    original: Fn,
    generator: str,
    api: str,
    fingerprint: Callable[[], Any] | None = None,
    *,
    shape_of: Fn | None = None,
    call: str | None = None,
    names: dict[str, Any] | None = None,
) -> Fn:
    """A counting wrapper of `original` for draws from `generator` (a `GENERATORS` key).
    `shape_of`: the function whose signature the wrapper takes (default `original`); `call`:
    the expression it returns, over its parameters and `names` (default: `original` called
    with its arguments as they came)."""
    cache = _recorder.SiteCache(generator)

    def miss(frame: FrameType) -> None:
        rec = _recorder.ACTIVE
        if rec is None:
            return
        if frame.f_code.co_filename == GENERATED_FILENAME:
            # Called by another wrapper through C (numpy's `choice` calling `self.randint`
            # from Cython): that one counted the draw.
            cache.known[(id(frame.f_code), frame.f_lasti)] = _recorder.DISCARD
            return
        first, user = frames(frame)
        if first is not None and user is not None and user is not first:  # inside a library
            key = (id(first.f_code), first.f_lasti, id(user.f_code), user.f_lasti)
            tally = cache.known.get(key)
            if tally is not None:
                tally.n += 1
                return
        rec.draw(generator, api, frame, fingerprint, cache)

    params, forward = _parameters(shape_of or original)
    namespace: dict[str, Any] = {
        "_sl_getframe": sys._getframe,
        "_sl_cache": cache,
        "_sl_id": id,
        "_sl_miss": miss,
        "_sl_original": original,
        **(names or {}),
    }
    text_params = []
    for index, (text, default) in enumerate(params):
        if default is not inspect.Parameter.empty:
            namespace[f"_sl_d{index}"] = default  # the very object, not its repr
            text += f"=_sl_d{index}"
        text_params.append(text)
    name = getattr(original, "__name__", "")
    if not (name.isidentifier() and not keyword.iskeyword(name)):
        name = "wrapper"
    source = _TEMPLATE.format(
        name=name,
        params=", ".join(text_params),
        call=call or f"_sl_original({', '.join(forward)})",
    )
    exec(compile(source, GENERATED_FILENAME, "exec"), namespace)  # noqa: S102 (our template)
    wrapper: Fn = namespace[name]
    return wrapper


def _parameters(fn: Fn) -> tuple[list[tuple[str, Any]], list[str]]:
    """([(parameter text, default)], [forwarded argument text]) for `fn`'s signature."""
    generic: tuple[list[tuple[str, Any]], list[str]] = (
        [("*args", inspect.Parameter.empty), ("**kwargs", inspect.Parameter.empty)],
        ["*args", "**kwargs"],
    )
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # a builtin without a text signature
        return generic
    params: list[tuple[str, Any]] = []
    forward: list[str] = []
    P = inspect.Parameter
    star = False
    kinds = [p.kind for p in signature.parameters.values()]
    for index, p in enumerate(signature.parameters.values()):
        if not p.name.isidentifier() or keyword.iskeyword(p.name) or p.name.startswith("_sl_"):
            return generic
        if p.kind is P.POSITIONAL_ONLY:
            params.append((p.name, p.default))
            forward.append(p.name)
            if index + 1 == len(kinds) or kinds[index + 1] is not P.POSITIONAL_ONLY:
                params.append(("/", P.empty))
        elif p.kind is P.POSITIONAL_OR_KEYWORD:
            params.append((p.name, p.default))
            forward.append(p.name)
        elif p.kind is P.VAR_POSITIONAL:
            star = True
            params.append((f"*{p.name}", P.empty))
            forward.append(f"*{p.name}")
        elif p.kind is P.KEYWORD_ONLY:
            if not star:
                star = True
                params.append(("*", P.empty))
            params.append((p.name, p.default))
            forward.append(f"{p.name}={p.name}")
        else:  # VAR_KEYWORD
            params.append((f"**{p.name}", P.empty))
            forward.append(f"**{p.name}")
    return params, forward
