"""What a Workspace keeps between checks, so that checking again after an edit to a buffer
costs about that buffer (a language server checks after every keystroke).

Two shortcuts, each taken only where its answer is the one a fresh check gives; anything else
goes the whole way (`loader.load_facts`, `seeding.analyse_project`):

1. `reload_buffers`: the project's files and the previous load's inputs are the same, every
   file reported on is a buffer (a file on disk that is reported on is always read again),
   and only buffer texts changed: re-read those buffers alone and keep every other file's facts from
   the previous load.  That is the previous load's answer unless a changed buffer changes
   which program-tier files the loader parses (`loader._load` follows imports from the
   programs): so the buffer must import the same modules and be a program, or a possible
   script, exactly when it was before (`closure_role`).
2. `reusable_seeding`: the previous seeding analysis still holds when every module's facts
   are those it was computed from, apart from positions (`same_apart_from_positions`): the
   analysis names draws and seedings by (path, call index), never by position, and the rules
   look positions up in the current facts.  Typing in a comment, a string or code that calls
   nothing random changes positions only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, fields
from operator import attrgetter

from ..analysis.facts import ApiCall, FunctionFacts, ModuleFacts
from ..analysis.loader import LoadResult
from ..analysis.seeding import SeedingReport, is_program, may_be_script

__all__ = [
    "Kept",
    "LoadState",
    "SeedingState",
    "closure_role",
    "reload_buffers",
    "reusable_seeding",
    "same_apart_from_positions",
]

# (files reported on, other project files, files forced to be parsed, target version)
LoadInputs = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], object]


@dataclass(frozen=True)
class LoadState:
    """One load: what it was asked, the buffer texts it saw, what it gave."""

    inputs: LoadInputs
    overlays: Mapping[str, str]
    loaded: LoadResult


@dataclass(frozen=True)
class SeedingState:
    """One seeding analysis and the facts (in their order) it was computed from."""

    modules: Mapping[str, ModuleFacts]
    strict: bool
    report: SeedingReport


class Kept:
    """The last few loads and seeding analyses, one per set of load inputs: a language server
    checks the buffer being edited alone, and now and then every open buffer together; each
    kind of check goes on from its own previous one."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._entries: OrderedDict[LoadInputs, tuple[LoadState, SeedingState | None]] = (
            OrderedDict()
        )

    def load(self, inputs: LoadInputs) -> LoadState | None:
        entry = self._entries.get(inputs)
        return None if entry is None else entry[0]

    def seeding(self, inputs: LoadInputs) -> SeedingState | None:
        entry = self._entries.get(inputs)
        return None if entry is None else entry[1]

    def keep_load(self, state: LoadState) -> None:
        previous = self._entries.pop(state.inputs, None)
        self._entries[state.inputs] = (state, None if previous is None else previous[1])
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def keep_seeding(self, inputs: LoadInputs, state: SeedingState) -> None:
        entry = self._entries.get(inputs)
        if entry is not None:
            self._entries[inputs] = (entry[0], state)

    def clear(self) -> None:
        self._entries.clear()


def closure_role(facts: ModuleFacts, project_modules: Callable[[], Collection[str]]) -> object:
    """What of a parsed module decides which other files the loader parses: the modules it
    imports, and whether it is a program or a script run without a `__main__` guard (the
    conditions of `loader._load`, which this must follow)."""
    loops = any(node[0] == "loop" for node in facts.toplevel)
    script = loops and may_be_script(facts, project_modules())
    return (facts.module, facts.imported_modules, is_program(facts), script)


def reload_buffers(
    base: LoadState | None,
    inputs: LoadInputs,
    overlays: Mapping[str, str],
    load: Callable[[list[str]], LoadResult],
) -> LoadResult | None:
    """The previous load with the changed buffers re-read (`load(paths)` loads just those,
    forced to be parsed), or None when a full load is needed."""
    if base is None or base.inputs != inputs or base.overlays.keys() != overlays.keys():
        return None
    if any(path not in overlays for path in inputs[0]):
        return None  # a file reported on is read from disk again every time (it may change)
    changed = [path for path, text in overlays.items() if base.overlays[path] != text]
    previous = base.loaded
    forced = set(inputs[2])
    if any(path not in forced for path in changed):
        return None  # a buffer the loader may parse or not: its tier could change
    fresh = load(changed) if changed else LoadResult()
    names: list[Collection[str]] = []

    def project_modules() -> Collection[str]:
        if not names:
            names.append({facts.module for facts in previous.facts.values()})
        return names[0]

    for path in changed:
        old, new = previous.facts.get(path), fresh.facts.get(path)
        if path in previous.errors or path in fresh.errors or old is None or new is None:
            return None
        if closure_role(old, project_modules) != closure_role(new, project_modules):
            return None
    result = LoadResult(
        facts=dict(previous.facts),
        errors=dict(previous.errors),
        parsed=len(changed),
        cached=fresh.cached,
        keys=dict(previous.keys),
        scans=previous.scans,
    )
    for path in changed:
        result.facts[path] = fresh.facts[path]
        result.keys[path] = fresh.keys[path]
    return result


# Every field but the position, as one tuple (a new field is compared too).
_CALL_BUT_SPAN = attrgetter(*(f.name for f in fields(ApiCall) if f.name != "span"))
_FUNCTION_BUT_LINE = attrgetter(*(f.name for f in fields(FunctionFacts) if f.name != "line"))


def same_apart_from_positions(a: ModuleFacts, b: ModuleFacts) -> bool:
    """Whether two facts of one module differ at most in positions (call spans, function
    lines, where a syntax error is).  Any other field, including one added later, must be
    equal."""
    if a is b:
        return True
    for item in fields(ModuleFacts):
        x, y = getattr(a, item.name), getattr(b, item.name)
        if item.name == "calls":
            if len(x) != len(y) or list(map(_CALL_BUT_SPAN, x)) != list(map(_CALL_BUT_SPAN, y)):
                return False
        elif item.name == "functions":
            if list(x) != list(y) or list(map(_FUNCTION_BUT_LINE, x.values())) != list(
                map(_FUNCTION_BUT_LINE, y.values())
            ):
                return False
        elif item.name == "syntax_error":
            if (x is None) != (y is None) or (x is not None and x[0] != y[0]):
                return False
        elif x != y:
            return False
    return True


def reusable_seeding(
    previous: SeedingState | None, modules: Mapping[str, ModuleFacts], strict: bool
) -> SeedingReport | None:
    """The previous seeding analysis, if it is the one `modules` give (see module docs)."""
    if previous is None or previous.strict != strict or list(previous.modules) != list(modules):
        return None
    before = previous.modules
    for path, facts in modules.items():
        if not same_apart_from_positions(before[path], facts):
            return None
    return previous.report
