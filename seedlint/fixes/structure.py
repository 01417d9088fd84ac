"""What the planner asks about a module's syntax, and the numpy translation it shares.

`Structure` is the planner's only window on syntax.  `FactsStructure` (here) answers from the
facts alone, optimistically where they are silent: `fix_source` and `describe_fixes` use it
only to refuse early, for reasons the facts alone decide (then no libcst state is built).
`cst_structure.CstStructure` answers exactly from the libcst tree: every fix made or
announced is planned with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Literal, Protocol, TypeVar

from ..analysis.facts import ApiCall, ModuleFacts
from ..knowledge import numpy_legacy_call
from ..knowledge.numpy_translate import translate
from ..knowledge.schema import NumpyLegacy
from .model import Family

__all__ = ["Block", "FactsStructure", "Structure", "translate_numpy"]

# Where a generator replaces a seeding call: ("module", ""), ("function", key), ("main", "").
Block = tuple[Literal["module", "function", "main"], str]

# Legacy parameters whose default is None: a literal None passed for them means "not given".
_NONE_DEFAULTS: frozenset[str] = frozenset({"size", "high", "p"})
# Seed texts (as the facts normalise them) that cst_structure may accept: names, dotted
# attributes and (negated) numbers.
_SIMPLE_SEED = re.compile(r"^-?[A-Za-z_][\w.]*$|^-?\d[\d.eE_+-]*$")
_NEGATIVE_NUMBER = re.compile(r"^-\d[\d.eE_+-]*$")

T = TypeVar("T")


class Structure(Protocol):
    """Questions about the module's syntax (see the module docstring)."""

    def site_refusal(self, family: Family, call: ApiCall) -> str | None:
        """Why this call cannot be rewritten for a syntax reason, or None."""

    def seed_block(self, call: ApiCall, sites: Sequence[ApiCall]) -> Block | str:
        """The block where a generator can take the seeding call's place, before every site
        runs; or why there is none."""

    def module_anchor(self, library: str, sites: Sequence[ApiCall]) -> str | None:
        """None when a module-level generator can be created after the imports, before
        every one of `sites` runs; else why not."""

    def numpy_translation(self, call: ApiCall) -> tuple[str, bool] | None:
        """(Generator method, wrap in int()) for a legacy numpy call, None if it has none."""

    def seed_duplicable(self, call: ApiCall) -> bool:
        """The seed argument can be evaluated a second time without changing anything."""

    def seed_hoistable(self, call: ApiCall) -> bool:
        """A statement of its own at module level or in the main block whose seed is a
        literal: a generator created after the imports can take that seed."""

    def statement_removable(self, call: ApiCall) -> bool:
        """The seeding call's line can be deleted (no comment would go with it)."""

    def owner_function(self, call: ApiCall) -> str | None:
        """A key of the function whose body runs this call, None at module level."""

    def randomstate_uses(self, call: ApiCall) -> tuple[str, ...] | str:
        """The methods called on the RandomState this call builds, when they are its only
        uses; else why not.  An empty tuple means "unknown, assume fixable"."""

    def numpy_domain_risk(self, call: ApiCall) -> str | None:
        """Why the Generator method could raise for arguments the legacy function accepts
        (uniform(high, low), negative_binomial(n, 0.0), huge hypergeometric), or None."""

    def randomstate_domain_risk(self, call: ApiCall) -> str | None:
        """The same for the method calls on a RandomState instance (SDL102)."""

    def reentrancy(self, function: str) -> str | None:
        """Why a generator private to each call of this function would not draw what the
        shared global one did (a generator function, recursion, lazy draws), or None."""

    def seed_literal(self, call: ApiCall) -> int | Literal["none"] | None:
        """The seeding call's seed when it is an int literal; "none" when it is absent or
        None (entropy); None otherwise."""

    def doctests(self) -> str | None:
        """Why the module's doctests may share the global generators, or None."""

    def untracked_torch_use(self) -> str | None:
        """Why code the facts do not record uses torch's default generator, or None."""

    def bound_by_import(self, name: str) -> bool:
        """`name` is bound at module level by an import statement (not an assignment)."""

    def name_value(self, call: ApiCall, name: str) -> str | None:
        """The source of the one literal a plain name used by `call` is bound to (in the
        module, or in the call's function), e.g. `"cpu"` for `dev = "cpu"`; else None."""

    def int_shadowed(self) -> bool: ...

    def mentions_devices(self) -> bool: ...

    def changes_default_device(self) -> bool: ...


# --- numpy translation, shared by the planner (placeholders) and the rewriter (CST nodes)


def translate_numpy(
    entry: NumpyLegacy,
    positional: Sequence[T],
    keywords: Mapping[str, T],
    *,
    is_none: Callable[[T], bool],
    make_tuple: Callable[[Sequence[T]], T],
    make_int: Callable[[int], T],
) -> tuple[str, tuple[T, ...], dict[str, T | bool], bool] | None:
    """(method, args, kwargs, wrap_in_int) of the Generator call, or None.

    Arguments that are literally None for a parameter whose legacy default is None mean "not
    given" (`randint(5, size=None)` returns a Python int): they are dropped before the
    translation, and positional arguments after such a one are passed by keyword."""
    from ..knowledge.numpy_legacy import SIGNATURES
    from ..knowledge.numpy_translate import parse_signature

    args: list[T] = list(positional)
    kwargs: dict[str, T] = {
        k: v for k, v in keywords.items() if not (k in _NONE_DEFAULTS and is_none(v))
    }
    spec = SIGNATURES.get(entry.name)
    if spec is not None and entry.translation != "varargs_to_size":
        names = parse_signature(spec).positional
        for index, value in enumerate(args):
            if index < len(names) and names[index] in _NONE_DEFAULTS and is_none(value):
                rest = args[index + 1 :]
                if len(rest) > len(names) - index - 1:
                    return None
                for name, later in zip(names[index + 1 :], rest, strict=False):
                    if name in kwargs:
                        return None
                    if not (name in _NONE_DEFAULTS and is_none(later)):
                        kwargs[name] = later
                args = args[:index]
                break
    result = translate(entry, args, kwargs, make_tuple=make_tuple, make_int=make_int)
    if result is None:
        return None
    return result.method, result.args, result.kwargs, result.wrap_python_scalar


class _Placeholder:
    """An argument the facts know exists but not what it is (never None)."""

    __slots__ = ("none",)

    def __init__(self, none: bool = False) -> None:
        self.none = none


def _translate_from_facts(entry: NumpyLegacy, call: ApiCall) -> tuple[str, bool] | None:
    values = dict(call.keyword_values)
    translated = translate_numpy(
        entry,
        [_Placeholder() for _ in range(call.n_positional)],
        {k: _Placeholder(values.get(k) == "None") for k in call.keywords},
        is_none=lambda p: p.none,
        make_tuple=lambda items: _Placeholder(),
        make_int=lambda n: _Placeholder(),
    )
    if translated is None:
        return None
    return translated[0], translated[3]


# --- the facts-only structure ------------------------------------------------------------


class FactsStructure:
    """`Structure` answered from facts: exact where facts know, optimistic where not."""

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self._index = {id(c): i for i, c in enumerate(facts.calls)}

    def site_refusal(self, family: Family, call: ApiCall) -> str | None:
        return None

    def numpy_translation(self, call: ApiCall) -> tuple[str, bool] | None:
        entry = numpy_legacy_call(call.qualname)
        return _translate_from_facts(entry, call) if entry is not None else None

    def _direct(self, flow: list[object], call: ApiCall) -> bool:
        index = self._index.get(id(call))
        return any(
            isinstance(node, (tuple, list))
            and len(node) == 2
            and node[0] == "api"
            and node[1] == index
            for node in flow
        )

    def _owner(self, scope: str) -> str | None:
        """The function whose body runs code of `scope` (class bodies are looked through,
        as cst_structure does), None at module level."""
        functions = self.facts.functions
        while scope not in functions:
            if scope == "<module>" or "." not in scope:
                return None
            scope = scope.rsplit(".", 1)[0].removesuffix(".<locals>")
        return scope

    def seed_block(self, call: ApiCall, sites: Sequence[ApiCall]) -> Block | str:
        facts = self.facts
        if self._direct(facts.toplevel, call):
            block: Block = ("module", "")
        elif facts.main_block is not None and self._direct(facts.main_block, call):
            block = ("main", "")
        elif call.scope in facts.functions and self._direct(facts.functions[call.scope].flow, call):
            block = ("function", call.scope)
        else:
            return "it is not a statement of its own in the module, a function or the main block"
        for site in sites:
            owner = self._owner(site.scope)
            if block[0] == "function" and owner != block[1]:
                return "calls outside its function would use the generator"
            if block[0] == "main" and owner is not None:
                return "functions would use a generator that exists only when run as a script"
            if (block[0] != "module" or owner is None) and site.span < call.span:
                return f"the call on line {site.span.line} comes before it"
        return block

    def module_anchor(self, library: str, sites: Sequence[ApiCall]) -> str | None:
        return None

    def seed_duplicable(self, call: ApiCall) -> bool:
        seed = call.seed
        if seed is None:
            return False
        return seed.kind in ("absent", "none", "constant") or (
            seed.kind == "dynamic" and bool(_SIMPLE_SEED.match(seed.text))
        )

    def seed_hoistable(self, call: ApiCall) -> bool:
        seed = call.seed
        main = self.facts.main_block
        return (
            (
                self._direct(self.facts.toplevel, call)
                or (main is not None and self._direct(main, call))
            )
            and seed is not None
            and (
                seed.kind in ("absent", "none", "constant")
                or (seed.kind == "dynamic" and bool(_NEGATIVE_NUMBER.match(seed.text)))
            )
        )

    def statement_removable(self, call: ApiCall) -> bool:
        return True

    def owner_function(self, call: ApiCall) -> str | None:
        return self._owner(call.scope)

    def randomstate_uses(self, call: ApiCall) -> tuple[str, ...] | str:
        return ()

    def numpy_domain_risk(self, call: ApiCall) -> str | None:
        return None

    def randomstate_domain_risk(self, call: ApiCall) -> str | None:
        return None

    def reentrancy(self, function: str) -> str | None:
        return None

    def seed_literal(self, call: ApiCall) -> int | Literal["none"] | None:
        seed = call.seed
        if seed is None:
            return None
        if seed.kind in ("absent", "none"):
            return "none"
        text = seed.text.replace("_", "")
        if seed.kind in ("constant", "dynamic") and re.fullmatch(r"-?\d+", text):
            return int(text)
        return None

    def doctests(self) -> str | None:
        return None

    def untracked_torch_use(self) -> str | None:
        return None

    def bound_by_import(self, name: str) -> bool:
        return True

    def name_value(self, call: ApiCall, name: str) -> str | None:
        return None

    def int_shadowed(self) -> bool:
        return False

    def mentions_devices(self) -> bool:
        return False

    def changes_default_device(self) -> bool:
        return False
