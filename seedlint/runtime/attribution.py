"""Which frame of the stack a draw belongs to: the nearest frame in the user's own code.

A file is *library* code when it lives in the standard library, in an installed package
(site-packages, dist-packages), in seedlint itself, or has no real file (``<frozen ...>``,
``<string>``); every other file is the user's.  Decisions are cached per code object, so the
walk up the stack costs a few dictionary look-ups per frame.
"""

from __future__ import annotations

import os
import site
import sys
import sysconfig
from types import CodeType, FrameType

__all__ = ["USER_CODE", "Attribution", "attribute", "describe", "frames", "is_user_file"]

_SEEDLINT_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
_OURS = _SEEDLINT_DIR + os.sep


def _library_roots() -> tuple[str, ...]:
    roots: set[str] = {_SEEDLINT_DIR + os.sep}
    paths = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        if key in paths:
            roots.add(os.path.realpath(paths[key]) + os.sep)
    try:
        roots.update(os.path.realpath(p) + os.sep for p in site.getsitepackages())
    except AttributeError:  # old virtualenv's site module
        pass
    user_site = getattr(site, "USER_SITE", None)
    if user_site:
        roots.add(os.path.realpath(user_site) + os.sep)
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")):
            roots.add(os.path.realpath(entry) + os.sep)
    return tuple(sorted(roots))


_ROOTS = _library_roots()
_BY_FILE: dict[str, bool] = {}
# Keyed by id(code): hashing a code object hashes its bytecode and constants (slow, on every
# draw).  The code objects are kept alive in _SEEN so that an id is never reused.
_BY_CODE: dict[int, bool] = {}
_SEEN: list[CodeType] = []
USER_CODE = _BY_CODE  # id(code object) -> is the user's (filled as frames are met)


def is_user_file(filename: str) -> bool:
    known = _BY_FILE.get(filename)
    if known is None:
        if not filename or filename.startswith("<"):
            known = False
        else:
            real = os.path.realpath(filename)
            known = not real.startswith(_ROOTS) and "site-packages" not in real
        _BY_FILE[filename] = known
    return known


def _is_user(code: CodeType) -> bool:
    known = _BY_CODE.get(id(code))
    if known is None:
        known = is_user_file(code.co_filename)
        _SEEN.append(code)
        _BY_CODE[id(code)] = known
    return known


class Attribution:
    """Where a draw happened: the user's frame, and the library frame that drew (if any)."""

    __slots__ = ("user", "code", "line", "detail")

    def __init__(self, user: bool, code: CodeType, line: int, detail: str | None) -> None:
        self.user = user  # False: no frame of the user's code on the stack
        self.code = code
        self.line = line
        self.detail = detail  # "path:line in function" of the library frame that drew


def _describe(frame: FrameType) -> str:
    return f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"


def frames(frame: FrameType | None) -> tuple[FrameType | None, FrameType | None]:
    """(the innermost frame outside seedlint, the nearest frame of the user's code) at or
    above `frame`: the cheap part of an attribution (no line numbers, nothing formatted)."""
    while frame is not None and frame.f_code.co_filename.startswith(_OURS):
        frame = frame.f_back
    current = frame
    known = _BY_CODE.get
    while current is not None:
        user = known(id(current.f_code))  # inline: this walk runs on every library draw
        if user is None:
            user = _is_user(current.f_code)
        if user:
            return frame, current
        current = current.f_back
    return frame, None


def attribute(frame: FrameType | None) -> Attribution | None:
    """The attribution of a draw whose innermost frame outside seedlint is at or above
    `frame`; None when the stack holds nothing but seedlint (cannot happen in practice)."""
    first, user = frames(frame)
    return None if first is None else describe(first, user)


def describe(first: FrameType, user: FrameType | None) -> Attribution:
    """The attribution for `frames`' answer (`first` not None)."""
    if user is None:
        return Attribution(False, first.f_code, first.f_lineno, None)
    detail = None if user is first else _describe(first)
    return Attribution(True, user.f_code, user.f_lineno, detail)
