"""Seeding analysis: is each global draw preceded by a seeding of its library, in every program?

A *program* is an entry point: a module's top level plus its `if __name__ == "__main__":`
block; a module whose top level itself draws; a pytest test function (after its file's and
conftest.py's top level, autouse fixtures and requested fixtures).  Along a program, the flow
IR of `facts.py` is interpreted with a tiny abstract state: for each library, was its global
generator seeded on *no* path, on *some* paths, or on *every* path so far?  Calls into project
functions are followed through memoised summaries (function, entry state) -> effect, with a
depth bound; recursion stops at the first repeat.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..knowledge import loader_workers, seeding_call
from .draws import global_draw_library
from .facts import ApiCall, Flow, FunctionFacts, ModuleFacts, flow_nodes
from .prefilter import is_test_file

LIBRARIES: tuple[str, ...] = ("random", "numpy", "torch")
_INDEX = {lib: i for i, lib in enumerate(LIBRARIES)}
NO, MAYBE, YES = 0, 1, 2
# One entry per library (was its global generator seeded: NO/MAYBE/YES), then whether modules
# are in eval mode (`model.eval()`: NO/MAYBE/YES), which turns dropout layers off.
State = tuple[int, int, int, int]
_MODE = len(LIBRARIES)
UNSEEDED: State = (NO, NO, NO, NO)
MAX_DEPTH = 24

# (path, call index) of a draw or a seeding call.
Site = tuple[str, int]
# The class of the object a method runs on, where it differs from the class defining the
# method (an inherited method): (module path, class qualname).  `self.m()` in it runs this
# class's override of `m`.
Receiver = tuple[str, str] | None
# What a function runs with: its receiver, and the classes of the objects passed to its
# parameters (parameter -> dotted class names), as far as the call sites show them.
Env = tuple[Receiver, tuple[tuple[str, tuple[str, ...]], ...]]
NO_ENV: Env = (None, ())
# Marks a function (or class) passed by name among a parameter's classes (`launch(train)`):
# calling the parameter runs it.
_FUNCTION = "def:"
# Marks the constant value a parameter holds (`main(seed=0)`, or its default), by its
# literal, so that an `if` on the parameter takes one branch; or a command-line option that
# defaults to None (`main(seed=args.seed)`).
_CONST = "#"
# Arguments a library passes (a worker's id, a process index): whatever they are, every
# parameter may be given.
_OPAQUE_ARGS = ((-1, "given", "**"),)
_OPTION = "?"
# Both sort before any class name: a parameter's sorted values start with them if any.
_VALUE_MARKS = "#?"
# Call-argument entries that carry values, not objects (listed after the objects).
_VALUE_KINDS = frozenset({"const", "option", "given"})
# Summaries of one function kept apart by constant arguments, at most: more distinct
# constants than this and the branches on them are taken as undecided.
MAX_CONSTANT_ENVS = 8
Method = tuple[ModuleFacts, FunctionFacts]
# What one call runs, in order (a constructor: `__init__`, then `__post_init__`).
Functions = tuple[tuple[ModuleFacts, FunctionFacts, Receiver], ...]
# What a call may run: one of these (an attribute that holds objects of several classes).
Alternatives = tuple[Functions, ...]


@dataclass(frozen=True)
class SeedEvent:
    site: Site
    libraries: tuple[str, ...]  # tracked libraries it seeds (empty: e.g. CUDA only)
    qualname: str
    # False: it seeds from entropy (`np.random.seed(int(time.time()))`, `random.seed()`):
    # the generator is as unpredictable afterwards as before.
    deterministic: bool = True
    how: str = ""  # for entropy: "clock", "entropy" or "draw"


@dataclass
class Effect:
    """What running a flow from a given state does."""

    state: State | None  # state after it (None: it never completes normally)
    returns: list[State] = field(default_factory=list)  # states at `return`
    # site, library, state, and whether it ran in a DataLoader worker (reseeded from torch)
    draws: list[tuple[Site, str, State, bool]] = field(default_factory=list)
    seeds: list[SeedEvent] = field(default_factory=list)
    # Processes started with fresh generators (`torch.multiprocessing.spawn(fn)`): the
    # function's name and what running it there does.  Each is a program of its own.
    processes: list[tuple[str, Effect]] = field(default_factory=list)

    def absorb(self, inner: Effect, returns: bool = False) -> None:
        """Take over the draws and seedings (and, within one function, the returns) that a
        nested piece of flow recorded."""
        self.draws.extend(inner.draws)
        self.seeds.extend(inner.seeds)
        self.processes.extend(inner.processes)
        if returns:
            self.returns.extend(inner.returns)


@dataclass(frozen=True)
class Program:
    name: str  # "train.py (__main__ block)", "tests/test_x.py::test_draw"
    path: str


@dataclass(frozen=True)
class DrawFinding:
    site: Site
    library: str
    program: Program
    state: int  # NO or MAYBE
    seeds: tuple[SeedEvent, ...]  # every seeding event of the program, in order
    # The draw runs in a DataLoader worker, which reseeds the library from torch's generator.
    worker: bool = False


@dataclass
class SeedingReport:
    # path -> findings for draws in that file (one per draw site and library)
    findings: dict[str, list[DrawFinding]] = field(default_factory=dict)
    programs: list[Program] = field(default_factory=list)


def _merge(a: State | None, b: State | None) -> State | None:
    if a is None:
        return b
    if b is None or a == b:
        return a
    return tuple(x if x == y else MAYBE for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _nearest_root_first(facts: ModuleFacts) -> tuple[int, str]:
    return facts.path.count(os.sep), facts.path


class _Project:
    def __init__(self, modules: Mapping[str, ModuleFacts]) -> None:
        self.by_path = modules
        # Two files may claim one name (scripts in different folders, each with its own
        # `utils.py`): Python finds the one beside the running script first, and so do we.
        # Otherwise the one nearest the root wins (then the first by path): never the order
        # in which a front end happened to list the files.
        self.by_name: dict[str, list[ModuleFacts]] = {}
        for facts in sorted(modules.values(), key=_nearest_root_first):
            self.by_name.setdefault(facts.module, []).append(facts)
        self.memo: dict[tuple[str, State, Env], Effect] = {}
        self.in_progress: set[tuple[str, State, Env]] = set()
        self._functions: dict[tuple[str, str], Alternatives] = {}
        self._located: dict[tuple[str, str, int], tuple[ModuleFacts, str] | None] = {}
        self._attr_types: dict[tuple[str, str], dict[str, set[str]]] | None = None
        self.fresh_process: dict[str, State] = {}
        self._called: dict[tuple[str, str], frozenset[str]] = {}
        # function -> the constant bindings its summaries were computed with (`_bind`).
        self.constant_envs: dict[str, set[Any]] = {}
        self._values: dict[int, dict[str, str | None]] = {}
        # Dotted path suffixes of every module, for namespace packages (`_namespace_module`).
        self._suffixes: dict[str, list[tuple[str, ModuleFacts]]] | None = None
        self.imports: dict[tuple[str, State], Effect] = {}
        self.folder = {path: os.path.dirname(path) for path in modules}
        self.conftests = {
            os.path.abspath(p): m
            for p, m in modules.items()
            if os.path.basename(p) == "conftest.py"
        }

    def module(self, name: str, near: ModuleFacts | None) -> ModuleFacts | None:
        candidates = self.by_name.get(name)
        if not candidates:
            return self._namespace_module(name, near) if "." in name else None
        if len(candidates) > 1 and near is not None:
            folder = self.folder.get(near.path)
            for candidate in candidates:
                if self.folder.get(candidate.path) == folder:
                    return candidate
        return candidates[0]

    def _namespace_module(self, name: str, near: ModuleFacts | None) -> ModuleFacts | None:
        """`utils.helpers` where `utils/` has no `__init__.py` (a namespace package, as
        Python imports it from the running script's folder or the project root): the file
        `utils/helpers.py` (or `utils/helpers/__init__.py`) under a folder holding the
        importer, the nearest first."""
        if self._suffixes is None:
            self._suffixes = {}
            for path, facts in self.by_path.items():
                parts = os.path.normpath(os.path.abspath(path)).split(os.sep)
                parts[-1] = parts[-1][:-3] if parts[-1].endswith(".py") else parts[-1]
                if parts[-1] == "__init__":
                    parts.pop()
                for i in range(len(parts) - 2, 0, -1):
                    root = os.sep.join(parts[:i]) or os.sep
                    dotted = ".".join(parts[i:])
                    self._suffixes.setdefault(dotted, []).append((root, facts))
        found = self._suffixes.get(name)
        if not found:
            return None
        folder = os.path.abspath(os.path.dirname(near.path)) if near is not None else ""
        best: tuple[int, ModuleFacts] | None = None
        for root, facts in found:
            if folder == root or folder.startswith(root + os.sep):
                if best is None or len(root) > best[0]:
                    best = (len(root), facts)
        return best[1] if best is not None else None

    def function(self, target: str, near: ModuleFacts) -> Alternatives:
        key = (self.folder.get(near.path, ""), target)
        found = self._functions.get(key)
        if found is None:
            self._functions[key] = ()  # an attribute whose class leads back here
            found = self._functions[key] = self._find_function(target, near)
        return found

    def _locate(
        self, target: str, near: ModuleFacts, hops: int = 4
    ) -> tuple[ModuleFacts, str] | None:
        """The module defining `target` (a function, class or method) and its name there,
        following re-exports (names imported into a package, project star imports) a few
        hops.  Memoised: the answer depends only on the folder of `near` (`module`), and the
        constructor table (`attr_types`) and every call of every program ask again."""
        folder = self.folder.get(near.path)
        if folder is None:  # not a project module: `module` matches no candidate's folder
            folder = "\0" + os.path.dirname(near.path)
        key = (folder, target, hops)
        if key in self._located:
            return self._located[key]
        found = self._located[key] = self._locate_uncached(target, near, hops)
        return found

    def _locate_uncached(
        self, target: str, near: ModuleFacts, hops: int
    ) -> tuple[ModuleFacts, str] | None:
        while hops > 0:
            hops -= 1
            module, qualname = self._split(target, near)
            if module is None:
                return None
            if qualname in module.functions or qualname in module.classes:
                return module, qualname
            head, _, rest = qualname.partition(".")
            if head in module.classes:
                return module, qualname  # a method, maybe inherited
            exported = module.exports.get(head)
            if exported is None:
                for source in module.star_imports:  # `from .misc import *`
                    found = self._locate(f"{source}.{qualname}", module, hops)
                    if found is not None:
                        return found
                return None
            target = f"{exported}.{rest}" if rest else exported
        return None

    def _find_function(self, target: str, near: ModuleFacts) -> Alternatives:
        """What calling a dotted candidate name runs: a project function, a method (looked
        up through project base classes; calling an instance runs `__call__`, or an
        nn.Module's `forward`), a class's `__init__` then `__post_init__`, or a method of
        the objects an attribute holds (`self.model(x)` after `self.model = model` in
        `__init__`, and `Trainer(Net())` somewhere)."""
        located = self._locate(target, near)
        if located is None:
            return ()
        module, qualname = located
        function = module.functions.get(qualname)
        if function is not None:
            return (((module, function, None),),)
        if qualname in module.classes:
            found = tuple(
                _entry(method, module, qualname)
                for name in ("__init__", "__post_init__")
                for method in self.method_of(module, qualname, name, set())[:1]
            )
            return (found,) if found else ()
        cls, _, name = qualname.rpartition(".")
        methods = self.method_of(module, cls, name, set())
        if not methods and name == "__call__":
            methods = self.method_of(module, cls, "forward", set())
        if methods:
            return ((_entry(methods[0], module, cls),),)
        return tuple(
            alternative
            for held in self._attribute_targets(module, qualname)
            for alternative in self.function(held, module)
        )

    def _attribute_targets(self, module: ModuleFacts, qualname: str) -> list[str]:
        """`Cls.attr` (calling the attribute) or `Cls.attr.m`: the methods of the classes
        the attribute holds."""
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            cls = ".".join(parts[:cut])
            if cls not in module.classes:
                continue
            rest = parts[cut:]
            if len(rest) > 2:
                return []
            attr, method = rest[0], rest[1] if len(rest) == 2 else "__call__"
            held = self._attr_classes(module, cls, attr, set())
            return [f"{k}.{method}" for k in sorted(held)]
        return []

    def _attr_classes(
        self, module: ModuleFacts, cls: str, attr: str, seen: set[tuple[str, str]]
    ) -> set[str]:
        if (module.path, cls) in seen or len(seen) > 16:
            return set()
        seen.add((module.path, cls))
        found = self.attr_types().get((module.path, cls), {}).get(attr)
        if found:
            return found
        for base in module.classes.get(cls, ()):
            located = self._locate(base, module)
            if located is not None and located[1] in located[0].classes:
                found = self._attr_classes(located[0], located[1], attr, seen)
                if found:
                    return found
        return set()

    def attr_types(self) -> dict[tuple[str, str], dict[str, set[str]]]:
        """(module path, class) -> attribute -> classes of the objects stored in it: the
        constructor calls of the project whose arguments' classes are visible, matched with
        `self.<attr> = <param>` in `__init__` (one table for the project: an attribute holds
        whatever any constructor call passed)."""
        if self._attr_types is None:
            self._attr_types = {}
            passed = False  # attributes holding what a constructor's caller passes
            for module in self.by_path.values():
                for cls, attrs in module.attr_params.items():
                    for attr, held in attrs.items():
                        if held.startswith("="):
                            table = self._attr_types.setdefault((module.path, cls), {})
                            table.setdefault(attr, set()).add(held[1:])
                        else:
                            passed = True
            if passed:
                for module in self.by_path.values():
                    flows = [module.toplevel, module.main_block or []]
                    flows.extend(f.flow for f in module.functions.values())
                    for flow in flows:
                        for node in _calls_with_args(flow):
                            self._note_construction(module, node[1], node[2])
        return self._attr_types

    def _note_construction(self, near: ModuleFacts, target: str, args: Any) -> None:
        located = self._locate(target, near)
        if located is None or located[1] not in located[0].classes:
            return
        init = self.method_of(located[0], located[1], "__init__", set())
        if not init:
            return
        owner, function = init[0]
        cls = function.qualname.rpartition(".")[0]
        stored = owner.attr_params.get(cls)
        if not stored:
            return
        params = function.params[1:]
        assert self._attr_types is not None
        for key, kind, value in args:
            if kind != "cls":
                continue
            name = params[key] if type(key) is int and key < len(params) else key
            for attr, param in stored.items():
                if param == name:
                    table = self._attr_types.setdefault((owner.path, cls), {})
                    table.setdefault(attr, set()).add(value)

    def values_of(self, function: FunctionFacts) -> dict[str, str | None]:
        """`function.values` as a table (built once per function)."""
        found = self._values.get(id(function))
        if found is None:
            found = self._values[id(function)] = dict(function.values)
        return found

    def called_params(self, module: ModuleFacts, function: FunctionFacts) -> frozenset[str]:
        key = (module.path, function.qualname)
        found = self._called.get(key)
        if found is None:
            found = self._called[key] = _called_params(function)
        return found

    def method_of(
        self, module: ModuleFacts, cls: str, method: str, seen: set[tuple[str, str]]
    ) -> tuple[Method, ...]:
        """`cls.method` in `module`, or inherited from a project base class (depth first,
        left to right: Python's MRO for the single and simple multiple inheritance of
        ordinary code)."""
        if (module.path, cls) in seen or len(seen) > 16:
            return ()
        seen.add((module.path, cls))
        function = module.functions.get(f"{cls}.{method}")
        if function is not None:
            return ((module, function),)
        for base in module.classes.get(cls, ()):
            located = self._locate(base, module)
            if located is None:
                continue
            owner, name = located
            if name in owner.classes:
                found = self.method_of(owner, name, method, seen)
                if found:
                    return found
        return ()

    def _split(self, target: str, near: ModuleFacts) -> tuple[ModuleFacts | None, str]:
        parts = target.split(".")
        for i in range(len(parts) - 1, 0, -1):
            module = self.module(".".join(parts[:i]), near)
            if module is not None:
                return module, ".".join(parts[i:])
        return None, ""


Entry = tuple[ModuleFacts, FunctionFacts, Receiver]


def _entry(method: Method, module: ModuleFacts, cls: str) -> Entry:
    """`method` run on an object of class `cls` (defined in `module`)."""
    owner, function = method
    same = owner is module and function.qualname.rpartition(".")[0] == cls
    return owner, function, None if same else (module.path, cls)


def _calls_with_args(flow: Flow) -> Iterator[Any]:
    """Calls that pass objects (their entries come first, values after them)."""
    for node in flow_nodes(flow):
        if node[0] in ("call", "vcall") and len(node) > 2 and node[2]:
            if node[2][0][1] not in _VALUE_KINDS:
                yield node


class _Interpreter:
    """Runs flows of one program."""

    def __init__(self, project: _Project, imported: set[str] | None = None) -> None:
        self.project = project
        self.imported: set[str] = imported if imported is not None else set()
        self.env: Env = NO_ENV  # of the function being run

    def run(self, module: ModuleFacts, flow: Flow, state: State, depth: int = 0) -> Effect:
        effect = Effect(state)
        self._flow(module, flow, effect, depth)
        return effect

    def _flow(self, module: ModuleFacts, flow: Flow, effect: Effect, depth: int) -> None:
        for node in flow:
            if effect.state is None:
                return
            kind = node[0]
            if kind == "api":
                self._api(module, node[1], effect)
            elif kind == "call":
                self._call(module, node[1], effect, depth, node[2] if len(node) > 2 else ())
            elif kind == "vcall":
                self._vcall(module, node[1], node[2], effect, depth)
            elif kind == "pcall":
                self._pcall(module, node, effect, depth)
            elif kind == "spawn":
                self._spawn(module, node[1], effect, depth)
            elif kind == "loader":
                self._loader(module, node, effect, depth)
            elif kind == "import":
                self._import(module, node[1], effect, depth)
            elif kind == "branch":
                decided = self._decide(node[3]) if len(node) > 3 and self.env[1] else None
                if decided is not None:
                    index, option = decided
                    if option:
                        self._default_branch(module, node[1], index, effect, depth)
                    else:
                        start = effect.state
                        effect.state = self._sub(module, node[1][index], start, effect, depth)
                elif len(node) > 2 and node[2] is not None:
                    self._default_branch(module, node[1], node[2], effect, depth)
                else:
                    self._branch(module, node[1], effect, depth)
            elif kind == "loop":
                self._loop(module, node[1], effect, depth)
            elif kind == "try":
                self._try(module, node, effect, depth)
            elif kind == "mode":
                state = effect.state
                effect.state = (*state[:_MODE], YES if node[1] else NO)  # type: ignore[assignment]
            elif kind == "stop":
                if node[1] == "return":
                    effect.returns.append(effect.state)
                effect.state = None

    def _api(self, module: ModuleFacts, index: int, effect: Effect) -> None:
        call = module.calls[index]
        assert effect.state is not None
        library = global_draw_library(call)
        if library is not None:
            if call.train_only and effect.state[_MODE] == YES:
                return  # a dropout layer after `.eval()`
            effect.draws.append(((module.path, index), library, effect.state, False))
            return
        if call.role in ("seed", "state-write", "entropy"):
            seeded = _seeded_libraries(call)
            if seeded is None:
                return
            libraries, deterministic = seeded
            value = YES if deterministic else NO
            how = "" if deterministic else _entropy_kind(call)
            if deterministic and call.seed is not None and "initial_seed" in call.seed.text:
                # `np.random.seed(torch.initial_seed() % 2**32)`: as seeded as torch is (in a
                # DataLoader worker, the worker's base seed); unseeded torch's initial seed
                # comes from operating-system entropy.
                value = effect.state[_INDEX["torch"]]
                deterministic, how = value == YES, "" if value == YES else "entropy"
            state = list(effect.state)
            for lib in libraries:
                state[_INDEX[lib]] = value
            effect.state = (state[0], state[1], state[2], state[3])
            effect.seeds.append(
                SeedEvent((module.path, index), libraries, call.qualname, deterministic, how)
            )

    def _call(
        self, caller: ModuleFacts, target: str, effect: Effect, depth: int, args: Any = ()
    ) -> None:
        if depth >= MAX_DEPTH:
            return
        self._run_alternatives(self.project.function(target, caller), args, effect, depth)

    def _vcall(
        self, caller: ModuleFacts, target: str, args: Any, effect: Effect, depth: int
    ) -> None:
        """`self.m()`: the override of `m` in the class of the object the method runs on."""
        receiver = self.env[0]
        if receiver is not None and depth < MAX_DEPTH:
            module = self.project.by_path.get(receiver[0])
            name = target.rpartition(".")[2]
            found = self.project.method_of(module, receiver[1], name, set()) if module else ()
            if found and module is not None:
                entry = _entry(found[0], module, receiver[1])
                self._run_alternatives(((entry,),), args, effect, depth)
                return
        self._call(caller, target, effect, depth, args)

    def _pcall(self, caller: ModuleFacts, node: Any, effect: Effect, depth: int) -> None:
        """`param.m(...)`: `m` of the classes the caller passed for `param`."""
        _, param, name, args = node
        classes = dict(self.env[1]).get(param)
        if not classes or depth >= MAX_DEPTH:
            return
        alternatives = tuple(
            alternative
            for cls in classes
            if not cls.startswith((_FUNCTION, _CONST, _OPTION))
            for alternative in self.project.function(f"{cls}.{name}", caller)
        )
        if name == "__call__":
            # `fn(...)` on a parameter the caller passed a function (or class) by name.
            alternatives += tuple(
                alternative
                for cls in classes
                if cls.startswith(_FUNCTION)
                for alternative in self.project.function(cls[len(_FUNCTION) :], caller)
            )
        self._run_alternatives(alternatives, args, effect, depth)

    def _spawn(self, caller: ModuleFacts, target: str, effect: Effect, depth: int) -> None:
        """`torch.multiprocessing.spawn(fn)` starts processes with the "spawn" method: each
        imports the main module afresh (its top level runs, not its `__main__` block) and
        calls fn with fresh generators; the parent's seeding does not reach them."""
        alternatives = self.project.function(target, caller)
        if not alternatives or depth >= MAX_DEPTH:
            return
        start = self.project.fresh_process.get(caller.path)
        if start is None:
            fresh = _Interpreter(self.project, {caller.module})
            start = fresh.run(caller, caller.toplevel, UNSEEDED).state or UNSEEDED
            self.project.fresh_process[caller.path] = start
        child = Effect(start)
        saved, self.env = self.env, NO_ENV
        self._run_alternatives(alternatives, _OPAQUE_ARGS, child, depth)
        self.env = saved
        effect.processes.append((target, child))  # the parent's own state is unchanged

    def _loader(self, caller: ModuleFacts, node: Any, effect: Effect, depth: int) -> None:
        """Iterating a data loader runs its dataset's methods.  In worker processes each
        worker seeds the generators of `entry.seeds` from a base seed the loader drew from
        torch's default generator, or from its own `generator=` (taken as seeded), so they are
        seeded exactly where that is; in this process they run on its own state."""
        _, qualname, cls, where, own, init = node
        entry = loader_workers(qualname)
        if entry is None or depth >= MAX_DEPTH:
            return
        if cls.startswith("param:"):
            # `def make_loader(ds): return DataLoader(ds)`: what the caller passed.
            classes = [
                c
                for c in dict(self.env[1]).get(cls[len("param:") :], ())
                if not c.startswith((_FUNCTION, _CONST, _OPTION))
            ]
        else:
            classes = [cls]
        methods = [
            tuple(
                alternative
                for name_cls in classes
                for alternative in self.project.function(f"{name_cls}.{name}", caller)
            )
            for name in entry.methods
        ]
        if not any(methods):
            return
        start = effect.state
        assert start is not None
        saved, self.env = self.env, NO_ENV
        if where in ("main", "either"):
            here = Effect(start)
            for alternatives in methods:
                if here.state is not None:
                    self._run_alternatives(alternatives, (), here, depth)
            effect.draws.extend(here.draws)
            effect.seeds.extend(here.seeds)
            effect.processes.extend(here.processes)
            if here.state is not None:
                effect.state = here.state if where == "main" else _merge(start, here.state)
        if where in ("workers", "either"):
            torch = YES if own else start[_INDEX["torch"]]
            worker = tuple(
                torch if lib in entry.seeds else start[i] for i, lib in enumerate(LIBRARIES)
            )
            child = Effect((*worker, start[_MODE]))  # type: ignore[arg-type]
            if init:
                # `worker_init_fn` runs in each worker after that seeding, before loading.
                self._run_alternatives(
                    self.project.function(init, caller), _OPAQUE_ARGS, child, depth
                )
            for alternatives in methods:
                if child.state is not None:
                    self._run_alternatives(alternatives, (), child, depth)
            # The worker's seedings stay in the worker.
            effect.draws.extend((site, lib, state, True) for site, lib, state, _ in child.draws)
        self.env = saved

    def _decide(self, test: Any) -> tuple[int, bool] | None:
        """The branch an `if` on a parameter takes with the constant the parameter holds
        (0: the body, 1: the else), and whether that constant is a command-line option's
        default (the other branch runs when the option is given); None: undecided."""
        param, operator, literal = test
        held = dict(self.env[1]).get(param)
        if not held or len(held) != 1:
            return None
        value = held[0]
        if value.startswith(_CONST):
            constant, option = _constant(value[len(_CONST) :]), False
        elif value.startswith(_OPTION):
            constant, option = None, True
        else:
            return None
        if constant is _UNDECIDED:
            return None
        if operator in ("truthy", "falsy"):
            taken = bool(constant) == (operator == "truthy")
        else:
            other = _constant(literal)
            if other is _UNDECIDED:
                return None
            if operator in ("is", "isnot"):
                same = constant is other or (constant == other and type(constant) is type(other))
            else:
                same = constant == other
            taken = same == (operator in ("is", "eq"))
        return (0 if taken else 1), option

    def _run_alternatives(
        self, alternatives: Alternatives, args: Any, effect: Effect, depth: int
    ) -> None:
        if len(alternatives) == 1:
            for module, function, receiver in alternatives[0]:
                if effect.state is None:
                    return
                self._run_function(module, function, receiver, args, effect, depth)
            return
        # An attribute holding objects of several classes: one of them runs.
        start = effect.state
        out: State | None = None
        for functions in alternatives:
            branch = Effect(start)
            for module, function, receiver in functions:
                if branch.state is None:
                    break
                self._run_function(module, function, receiver, args, branch, depth)
            effect.absorb(branch)
            out = _merge(out, branch.state)
        if alternatives:
            effect.state = out

    def _bind(self, module: ModuleFacts, function: FunctionFacts, args: Any) -> Env:
        """The callee's parameters bound to the classes of the objects passed to them."""
        params = function.params
        if function.qualname.rpartition(".")[0] in module.classes and not any(
            d.endswith("staticmethod") for d in function.decorators
        ):
            params = params[1:]
        current = dict(self.env[1])
        bound: dict[str, set[str]] = {}
        values = self.project.values_of(function) if function.values else None
        passed: set[str] = set()
        every = False  # `*args`/`**kwargs`: any parameter may be passed
        for key, kind, value in args:
            if kind == "given":
                if values:
                    every = every or key < 0 or "**" in value
                    passed.update(params[: max(key, 0)])
                    passed.update(value.split())
                continue
            if type(key) is int:
                if key >= len(params):
                    continue
                name = params[key]
            elif key in params:
                name = key
            else:
                continue
            passed.add(name)
            if kind == "const" or kind == "option":
                if values is not None and name in values:
                    prefix = _CONST if kind == "const" else _OPTION
                    bound.setdefault(name, set()).add(prefix + value)
                continue
            if kind == "cls":
                classes: tuple[str, ...] = (value,)
            elif kind == "fn":
                # Only where the callee calls that parameter: other bindings would only
                # split the memo of its summaries.
                if name not in self.project.called_params(module, function):
                    continue
                classes = (_FUNCTION + value,)
            else:
                classes = current.get(value, ())
                if classes and classes[0][0] in _VALUE_MARKS and (not values or name not in values):
                    # A constant is worth binding only where the callee may test it.
                    classes = tuple(c for c in classes if c[0] not in _VALUE_MARKS)
            if classes:
                bound.setdefault(name, set()).update(classes)
        if values and not every:
            for name, default in values.items():
                if name not in passed and default is not None:
                    bound.setdefault(name, set()).add(_CONST + default)
        env = tuple(sorted((k, tuple(sorted(v))) for k, v in bound.items()))
        if values and env:
            # A small cap on the summaries that constants keep apart.
            constants = tuple((k, v) for k, v in env if v[0][0] in _VALUE_MARKS)
            if constants:
                seen = self.project.constant_envs.setdefault(
                    f"{module.path}:{function.qualname}", set()
                )
                if constants not in seen and len(seen) >= MAX_CONSTANT_ENVS:
                    env = tuple(
                        (k, kept)
                        for k, v in env
                        if (kept := tuple(c for c in v if c[0] not in _VALUE_MARKS))
                    )
                else:
                    seen.add(constants)
        return None, env

    def _run_function(
        self,
        module: ModuleFacts,
        function: FunctionFacts,
        receiver: Receiver,
        args: Any,
        effect: Effect,
        depth: int,
    ) -> None:
        assert effect.state is not None
        env: Env = NO_ENV
        if function.values or (args and args[0][1] not in _VALUE_KINDS):
            env = self._bind(module, function, args)
        if receiver is not None:
            env = (receiver, env[1])
        key = (f"{module.path}:{function.qualname}", effect.state, env)
        summary = self.project.memo.get(key)
        if summary is None:
            if key in self.project.in_progress:
                return  # recursion: assume the recursive call changes nothing
            self.project.in_progress.add(key)
            # Imports inside function bodies are rare; they share this program's import set.
            saved, self.env = self.env, env
            inner = self.run(module, function.flow, effect.state, depth + 1)
            self.env = saved
            self.project.in_progress.discard(key)
            exits = [s for s in [inner.state, *inner.returns] if s is not None]
            out: State | None = None
            for s in exits:
                out = _merge(out, s)
            summary = Effect(out, [], inner.draws, inner.seeds, inner.processes)
            self.project.memo[key] = summary
        effect.absorb(summary)
        # A function that always raises: the caller continues only on the exception path,
        # which we do not follow; keep the state (precision first).
        if summary.state is not None:
            effect.state = summary.state

    def _import(self, importer: ModuleFacts, name: str, effect: Effect, depth: int) -> None:
        if name in self.imported:
            return
        module = self.project.module(name, importer)
        if module is None:
            return
        self.imported.add(name)
        start = effect.state or UNSEEDED
        # Importing a module runs its top level once per program; what that does from a given
        # state is the same in every program, so it is computed once (like function summaries).
        key = (module.path, start)
        inner = self.project.imports.get(key)
        if inner is None:
            saved, self.env = self.env, NO_ENV
            inner = self.run(module, module.toplevel, start, depth + 1)
            self.env = saved
            self.project.imports[key] = inner
        effect.absorb(inner)
        if inner.state is not None:
            effect.state = inner.state

    def _sub(
        self, module: ModuleFacts, flow: Flow, state: State, effect: Effect, depth: int
    ) -> State | None:
        inner = self.run(module, flow, state, depth)
        effect.absorb(inner, returns=True)
        return inner.state

    def _branch(self, module: ModuleFacts, flows: list[Flow], effect: Effect, depth: int) -> None:
        assert effect.state is not None
        start = effect.state
        out: State | None = None
        for flow in flows:
            out = _merge(out, self._sub(module, flow, start, effect, depth))
        effect.state = out

    def _default_branch(
        self, module: ModuleFacts, flows: list[Flow], default: int, effect: Effect, depth: int
    ) -> None:
        """`if args.seed is not None: seed(args.seed)` with an option that defaults to None:
        every branch may run (their draws count), but a run without the option takes the
        default one, so a seeding elsewhere does not make the program seeded; it is kept as
        a non-deterministic seeding ("only when the option is given") for the messages."""
        assert effect.state is not None
        start = effect.state
        out: State | None = start
        for index, flow in enumerate(flows):
            inner = self.run(module, flow, start, depth)
            effect.draws.extend(inner.draws)
            effect.processes.extend(inner.processes)
            effect.returns.extend(inner.returns)
            if index == default:
                effect.seeds.extend(inner.seeds)
                out = inner.state
            else:
                effect.seeds.extend(
                    SeedEvent(e.site, e.libraries, e.qualname, False, "option") for e in inner.seeds
                )
        effect.state = out

    def _loop(self, module: ModuleFacts, body: Flow, effect: Effect, depth: int) -> None:
        assert effect.state is not None
        start = effect.state
        first = self._sub_loop(module, body, start, effect, depth)
        # A second pass sees what the first iteration left behind (seed at the end of the
        # body, draw at the start); zero iterations are possible too.
        second_start = _merge(start, first) or start
        second = (
            self._sub_loop(module, body, second_start, effect, depth)
            if second_start != start
            else first
        )
        effect.state = _merge(start, _merge(first, second))

    def _sub_loop(
        self, module: ModuleFacts, body: Flow, start: State, effect: Effect, depth: int
    ) -> State:
        # break/continue end the iteration, not the function: the loop goes on from here.
        return self._sub(module, body, start, effect, depth) or start

    def _try(
        self,
        module: ModuleFacts,
        node: Any,
        effect: Effect,
        depth: int,
    ) -> None:
        _, body, handlers, orelse, final = node
        assert effect.state is not None
        start = effect.state
        after_body = self._sub(module, body, start, effect, depth)
        # An exception can come before or after anything in the body.
        handler_start = _merge(start, after_body) or start
        out = (
            self._sub(module, orelse, after_body, effect, depth) if after_body is not None else None
        )
        for handler in handlers:
            out = _merge(out, self._sub(module, handler, handler_start, effect, depth))
        if final:
            base = out if out is not None else handler_start
            out_final = self._sub(module, final, base, effect, depth)
            out = out_final if out is not None else None
        effect.state = out


_UNDECIDED = object()


@lru_cache(maxsize=1024)
def _constant(literal: str) -> Any:
    """The value of a literal recorded by the extractor (`extract._literal`)."""
    try:
        return ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return _UNDECIDED


def _entropy_kind(call: ApiCall) -> str:
    """How a non-deterministic seeding gets its value (for the messages)."""
    seed = call.seed
    if seed is not None and seed.kind == "entropy":
        text = seed.text
        if any(t in text for t in ("time", "now", "today")):
            return "clock"
        if any(t in text for t in ("rand", "choice", "shuffle", "sample")):
            return "draw"
    return "entropy"


def _seeded_libraries(call: ApiCall) -> tuple[tuple[str, ...], bool] | None:
    """Libraries a seeding call seeds, and whether it does so deterministically."""
    entry = seeding_call(call.qualname)
    if entry is None:
        if call.qualname == "random.seed":
            libraries: tuple[str, ...] = ("random",)
            without = "entropy"
        elif call.qualname in (
            "numpy.random.seed",
            "numpy.random.set_state",
            "numpy.random.set_bit_generator",
        ):
            libraries, without = ("numpy",), "entropy"
        else:
            return None
    else:
        libraries = tuple(lib for lib in LIBRARIES if lib in entry.seeds)
        without = entry.without_seed
        if entry.role == "entropy":
            # torch.seed(): reseeds torch's default generator from the OS.
            return ("torch",), False
    seed = call.seed
    if seed is None or seed.kind in ("absent", "none"):
        return libraries, without != "entropy"
    return libraries, seed.kind != "entropy"


def is_program(module: ModuleFacts) -> bool:
    """Whether the module is (or, for conftest.py, belongs to) an entry point: a `__main__`
    block, a pytest file, a Jupyter notebook, or a top level that draws, itself or through
    the module's own functions and classes (a script that builds `agent = Agent()` and loops
    over `agent.act(s)` without a `__main__` guard)."""
    return (
        module.main_block is not None
        or module.path.endswith(".ipynb")
        or is_test_file(module.path)
        or _has_toplevel_draw(module.toplevel, module)
        or _draws_through_own_code(module)
    )


def _draws_through_own_code(module: ModuleFacts) -> bool:
    """The top level calls this module's own functions or classes, and running it draws."""
    if os.path.basename(module.path) == "__init__.py":
        return False  # a package's __init__ is imported, not run
    prefix = module.module + "."
    if not any(t.startswith(prefix) for t in _call_targets(module.toplevel)):
        return False
    effect = _Interpreter(_Project({module.path: module}), {module.module}).run(
        module, module.toplevel, UNSEEDED
    )
    return bool(effect.draws)


def _called_params(function: FunctionFacts) -> frozenset[str]:
    """Parameters the function calls (`fn(...)`), anywhere in its flow."""
    return frozenset(
        node[1]
        for node in flow_nodes(function.flow)
        if node[0] == "pcall" and node[2] == "__call__"
    )


def _call_targets(flow: Flow) -> Iterator[str]:
    return (node[1] for node in flow_nodes(flow) if node[0] in ("call", "vcall"))


def _has_toplevel_draw(flow: Flow, module: ModuleFacts) -> bool:
    return any(
        node[0] == "api" and global_draw_library(module.calls[node[1]]) is not None
        for node in flow_nodes(flow)
    )


def _conftests_for(path: str, by_abs: Mapping[str, ModuleFacts]) -> list[ModuleFacts]:
    """conftest.py files that apply to `path`, outermost first."""
    folder = os.path.dirname(os.path.abspath(path))
    found: list[ModuleFacts] = []
    while True:
        candidate = by_abs.get(os.path.join(folder, "conftest.py"))
        if candidate is not None and os.path.abspath(candidate.path) != os.path.abspath(path):
            found.append(candidate)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return list(reversed(found))


def _test_functions(module: ModuleFacts) -> Iterator[FunctionFacts]:
    for qualname, function in module.functions.items():
        parts = qualname.split(".")
        if function.is_fixture or "<locals>" in parts:
            continue
        if len(parts) == 1 and parts[0].startswith("test"):
            yield function
        elif len(parts) == 2 and parts[0].startswith("Test") and parts[1].startswith("test"):
            yield function


def _fixtures(
    modules_in_scope: Iterable[ModuleFacts],
) -> dict[str, tuple[ModuleFacts, FunctionFacts]]:
    """Fixture name -> definition; later (inner) modules override earlier (outer) ones."""
    table: dict[str, tuple[ModuleFacts, FunctionFacts]] = {}
    for module in modules_in_scope:
        for qualname, function in module.functions.items():
            if function.is_fixture and "." not in qualname:
                table[qualname] = (module, function)
    return table


def may_be_script(module: ModuleFacts, project_modules: Container[str]) -> bool:
    """A module without a `__main__` guard whose top level calls into a project module it
    imports (`RL = DeepQNetwork(...)` after `from RL_brain import DeepQNetwork`): run as a
    script (when no other module imports it), it may draw through them."""
    if (
        module.main_block is not None
        or module.syntax_error is not None
        or os.path.basename(module.path) == "__init__.py"
        or is_test_file(module.path)
    ):
        return False
    imported = [m for m in module.imported_modules if m in project_modules]
    if not imported:
        return False
    prefixes = tuple(f"{m}." for m in imported)
    return any(t.startswith(prefixes) for t in _call_targets(module.toplevel))


def _draws_through_project(project: _Project, module: ModuleFacts) -> bool:
    """A module that no other module imports (a script run without a `__main__` guard) whose
    top level calls into the project, and running it draws."""
    if not may_be_script(module, project.by_name):
        return False
    effect = _Interpreter(project, {module.module}).run(module, module.toplevel, UNSEEDED)
    return bool(effect.draws)


def analyse_project(modules: Mapping[str, ModuleFacts], strict: bool = False) -> SeedingReport:
    project = _Project(modules)
    # Modules some other module imports are libraries, not scripts.
    imported = {name for m in modules.values() for name in m.imported_modules}
    report = SeedingReport()
    records: dict[tuple[Site, str], list[tuple[Program, int, tuple[SeedEvent, ...], bool]]] = {}

    def collect(program: Program, effect: Effect) -> None:
        seeds = tuple(effect.seeds)
        for site, library, state, worker in effect.draws:
            value = state[_INDEX[library]]
            records.setdefault((site, library), []).append((program, value, seeds, worker))
        report.programs.append(program)
        for target, child in effect.processes:
            name = target.rpartition(".")[2]
            collect(Program(f"`{name}` (spawned process)", program.path), child)

    for path in sorted(modules):
        module = modules[path]
        if module.syntax_error is not None:
            continue
        base = os.path.basename(path)
        if is_test_file(path):
            if base == "conftest.py":
                continue
            _run_tests(project, module, modules, collect)
            continue
        if module.main_block is not None:
            program = Program(f"`{module.module}` (__main__ block)", path)
            interp = _Interpreter(project, {module.module})
            effect = interp.run(module, module.toplevel + module.main_block, UNSEEDED)
            collect(program, effect)
        elif (
            path.endswith(".ipynb")
            or _has_toplevel_draw(module.toplevel, module)
            or _draws_through_own_code(module)
            or (module.module not in imported and _draws_through_project(project, module))
        ):
            # A notebook's cells run top to bottom: a program even when only its helpers draw.
            kind = "notebook" if path.endswith(".ipynb") else "module level"
            program = Program(f"`{module.module}` ({kind})", path)
            interp = _Interpreter(project, {module.module})
            collect(program, interp.run(module, module.toplevel, UNSEEDED))

    threshold = MAYBE if strict else NO
    for (site, library), seen in records.items():
        # Deterministic choice: the first program (by name) that reaches the draw unseeded.
        bad = sorted((p.name, w, p, v, s) for p, v, s, w in seen if v <= threshold)
        if not bad:
            continue
        _, worker, program, value, seeds = bad[0]
        report.findings.setdefault(site[0], []).append(
            DrawFinding(site, library, program, value, seeds, worker)
        )
    return report


def _run_tests(
    project: _Project,
    module: ModuleFacts,
    modules: Mapping[str, ModuleFacts],
    collect: Callable[[Program, Effect], None],
) -> None:
    conftests = _conftests_for(module.path, project.conftests)
    fixtures = _fixtures([*conftests, module])
    interp = _Interpreter(project, set())
    state: State = UNSEEDED
    setup = Effect(state)
    for conftest in conftests:
        if conftest.module not in interp.imported:
            interp.imported.add(conftest.module)
            inner = interp.run(conftest, conftest.toplevel, setup.state or UNSEEDED)
            setup.absorb(inner)
            setup.state = inner.state or setup.state
    interp.imported.add(module.module)
    inner = interp.run(module, module.toplevel, setup.state or UNSEEDED)
    setup.absorb(inner)
    setup.state = inner.state or setup.state
    start = setup.state or UNSEEDED
    autouse = [f for f in fixtures.values() if f[1].autouse_fixture]
    for test in _test_functions(module):
        program = Program(f"`{module.module}::{test.qualname}` (test)", module.path)
        effect = Effect(start, [], list(setup.draws), list(setup.seeds))
        if any(d.split("(")[0].endswith(("hypothesis.given", ".given")) for d in test.decorators):
            # hypothesis seeds `random` and numpy's global generator for every example.
            effect.state = (YES, YES, *effect.state[2:]) if effect.state else effect.state
        requested: list[tuple[ModuleFacts, FunctionFacts]] = []
        _requested_fixtures(test.params, fixtures, requested, set())
        setups = [(module, f) for f in _setup_functions(module, test)]
        for owner, fixture in [*setups, *autouse, *(r for r in requested if r not in autouse)]:
            if effect.state is None:
                break
            inner = interp.run(owner, fixture.flow, effect.state)
            effect.absorb(inner)
            effect.state = _merge(inner.state, _merge_all(inner.returns)) or effect.state
        if effect.state is not None:
            inner = interp.run(module, test.flow, effect.state)
            effect.absorb(inner)
        collect(program, effect)


# xunit-style setup that pytest (and unittest) run before each test, outermost first.
_MODULE_SETUPS = ("setup_module", "setUpModule", "setup_function")
_CLASS_SETUPS = ("setup_class", "setUpClass", "setup_method", "setUp", "setup")


def _setup_functions(module: ModuleFacts, test: FunctionFacts) -> list[FunctionFacts]:
    found = [module.functions[name] for name in _MODULE_SETUPS[:2] if name in module.functions]
    if "." in test.qualname:
        cls = test.qualname.rsplit(".", 1)[0]
        found.extend(
            module.functions[f"{cls}.{name}"]
            for name in _CLASS_SETUPS
            if f"{cls}.{name}" in module.functions
        )
    elif "setup_function" in module.functions:
        found.append(module.functions["setup_function"])
    return found


def _merge_all(states: list[State]) -> State | None:
    out: State | None = None
    for s in states:
        out = _merge(out, s)
    return out


def _requested_fixtures(
    params: Iterable[str],
    fixtures: Mapping[str, tuple[ModuleFacts, FunctionFacts]],
    out: list[tuple[ModuleFacts, FunctionFacts]],
    seen: set[str],
) -> None:
    """Fixtures requested by parameter name, dependencies first."""
    for name in params:
        if name in seen or name not in fixtures:
            continue
        seen.add(name)
        owner, fixture = fixtures[name]
        _requested_fixtures(fixture.params, fixtures, out, seen)
        out.append((owner, fixture))
