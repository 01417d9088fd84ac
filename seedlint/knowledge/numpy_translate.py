"""Turn a legacy ``numpy.random.<f>(...)`` call into the equivalent ``Generator`` method call.

One translator for the tests (runtime values) and for ``--fix`` (CST nodes): arguments are
opaque values of type ``T`` that are only moved around, never looked at.  New values are built
through the caller's callbacks (``make_tuple`` for ``rand(a, b)`` -> ``random((a, b))``,
``make_int`` for ``random_integers(n)`` -> ``integers(1, n, endpoint=True)``); the only
constants it adds itself are ``bool`` keyword values (``endpoint=True``), left as Python bools
in ``Translated.kwargs`` for the caller to spell (runtime callers can pass them on as they are).

Because arguments are opaque, an argument that is *given* counts as given even if its value is
the default: ``randint(5, size=None)`` is not wrapped in ``int()`` and ``random_integers(5,
None)`` is read as ``[5, None]``.  A fixer should drop arguments that are literally the default
(``None``) before calling ``translate``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .numpy_legacy import GENERATOR_SIGNATURES, SIGNATURES
from .schema import NumpyLegacy

T = TypeVar("T")

__all__ = ["Translated", "translate", "parse_signature", "Signature"]


@dataclass(frozen=True)
class Translated(Generic[T]):
    """``rng.<method>(*args, **kwargs)``; wrap the result in ``int(...)`` if asked."""

    method: str
    args: tuple[T, ...]
    kwargs: dict[str, T | bool] = field(default_factory=dict)
    # randint without size (and dtype): legacy returns a Python int, integers an np.int64.
    wrap_python_scalar: bool = False


@dataclass(frozen=True)
class Signature:
    positional: tuple[str, ...]  # positional-or-keyword parameters, in order
    required: frozenset[str]
    keyword_only: tuple[str, ...]
    var_positional: bool
    var_keyword: bool


def parse_signature(spec: Sequence[str]) -> Signature:
    """Read the generated spelling: "name", "name=", "*args", "**kwargs", "*"."""
    positional: list[str] = []
    keyword_only: list[str] = []
    required: set[str] = set()
    var_positional = var_keyword = star = False
    for item in spec:
        if item.startswith("**"):
            var_keyword = True
        elif item == "*":
            star = True
        elif item.startswith("*"):
            var_positional = star = True
        else:
            name = item.rstrip("=")
            if not item.endswith("="):
                required.add(name)
            (keyword_only if star else positional).append(name)
    return Signature(
        tuple(positional), frozenset(required), tuple(keyword_only), var_positional, var_keyword
    )


# name -> (value, was it passed positionally), in call order.
_Bound = dict[str, tuple[T, bool]]


def _bind(sig: Signature, args: Sequence[T], kwargs: Mapping[str, T]) -> _Bound[T] | None:
    """Bind a call to named parameters like Python would; None for a call that would raise."""
    if sig.var_positional or sig.var_keyword or len(args) > len(sig.positional):
        return None
    bound: _Bound[T] = {
        name: (value, True) for name, value in zip(sig.positional, args, strict=False)
    }
    for name, value in kwargs.items():
        if name in bound or (name not in sig.positional and name not in sig.keyword_only):
            return None
        bound[name] = (value, False)
    if not sig.required <= bound.keys():
        return None
    return bound


def _emit(method: str, bound: _Bound[T]) -> tuple[list[T], dict[str, T | bool]] | None:
    """Arguments for ``Generator.<method>``: positional while the positions agree, keywords
    from the first disagreement on (so a differing positional order can never swap values)."""
    spec = GENERATOR_SIGNATURES.get(method)
    if spec is None:
        return None
    target = parse_signature(spec)
    names = set(target.positional) | set(target.keyword_only)
    args: list[T] = []
    kwargs: dict[str, T | bool] = {}
    for name, (value, was_positional) in bound.items():
        if name not in names:
            return None
        index = len(args)
        if (
            was_positional
            and not kwargs
            and index < len(target.positional)
            and target.positional[index] == name
        ):
            args.append(value)
        else:
            kwargs[name] = value
    if not target.required <= {*target.positional[: len(args)], *kwargs}:
        return None
    return args, kwargs


def translate(
    entry: NumpyLegacy,
    args: Sequence[T],
    kwargs: Mapping[str, T],
    *,
    make_tuple: Callable[[Sequence[T]], T],
    make_int: Callable[[int], T],
) -> Translated[T] | None:
    """The Generator call replacing ``numpy.random.<entry.name>(*args, **kwargs)``.

    None when there is no call-for-call replacement: seeding and state functions (``seed`` is
    rewritten as a statement by the fixer, ``get_state``'s legacy tuple has no equivalent), a
    function without a Generator method, or a call that the legacy function would reject.
    """
    method = entry.generator_method
    if entry.role != "draw" or method is None:
        return None
    kind = entry.translation

    if kind == "varargs_to_size":
        if kwargs or method not in GENERATOR_SIGNATURES:
            return None
        if not args:
            return Translated(method, ())
        size = args[0] if len(args) == 1 else make_tuple(args)
        return Translated(method, (size,))

    spec = SIGNATURES.get(entry.name)
    if spec is None:
        return None
    bound = _bind(parse_signature(spec), args, kwargs)
    if bound is None:
        return None

    if kind in ("same_args", "randint"):
        emitted = _emit(method, bound)
        if emitted is None:
            return None
        new_args, new_kwargs = emitted
        wrap = entry.python_scalar_without_size and "size" not in bound and "dtype" not in bound
        return Translated(method, tuple(new_args), new_kwargs, wrap)

    if kind == "random_integers":
        if "high" not in bound:
            # random_integers(n) is [1, n]: integers(1, n, endpoint=True)
            low, _ = bound.pop("low")
            bound = {"low": (make_int(1), True), "high": (low, True), **bound}
        emitted = _emit(method, bound)
        if emitted is None:
            return None
        new_args, new_kwargs = emitted
        new_kwargs["endpoint"] = True
        return Translated(method, tuple(new_args), new_kwargs)

    # tomaxint (a RandomState method: integers(0, iinfo(long).max, endpoint=True, dtype=long)
    # needs a dtype we cannot build), state functions, "none".
    return None
