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

import os
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..knowledge import seeding_call
from .draws import global_draw_library
from .facts import ApiCall, Flow, FunctionFacts, ModuleFacts
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
# What one call runs, in order (a constructor: `__init__`, then `__post_init__`).
Functions = tuple[tuple[ModuleFacts, FunctionFacts], ...]


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
    draws: list[tuple[Site, str, State]] = field(default_factory=list)  # site, library, state
    seeds: list[SeedEvent] = field(default_factory=list)

    def absorb(self, inner: Effect, returns: bool = False) -> None:
        """Take over the draws and seedings (and, within one function, the returns) that a
        nested piece of flow recorded."""
        self.draws.extend(inner.draws)
        self.seeds.extend(inner.seeds)
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


class _Project:
    def __init__(self, modules: Mapping[str, ModuleFacts]) -> None:
        self.by_path = modules
        # Two files may claim one name (scripts in different folders, each with its own
        # `utils.py`): Python finds the one beside the running script first, and so do we.
        self.by_name: dict[str, list[ModuleFacts]] = {}
        for facts in modules.values():
            self.by_name.setdefault(facts.module, []).append(facts)
        self.memo: dict[tuple[str, State], Effect] = {}
        self.in_progress: set[tuple[str, State]] = set()
        self._functions: dict[tuple[str, str], Functions] = {}
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
            return None
        if len(candidates) > 1 and near is not None:
            folder = self.folder.get(near.path)
            for candidate in candidates:
                if self.folder.get(candidate.path) == folder:
                    return candidate
        return candidates[0]

    def function(self, target: str, near: ModuleFacts) -> Functions:
        key = (self.folder.get(near.path, ""), target)
        found = self._functions.get(key)
        if found is None:
            found = self._functions[key] = self._find_function(target, near)
        return found

    def _locate(self, target: str, near: ModuleFacts) -> tuple[ModuleFacts, str] | None:
        """The module defining `target` (a function, class or method) and its name there,
        following re-exports a few hops."""
        for _ in range(4):
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
                return None
            target = f"{exported}.{rest}" if rest else exported
        return None

    def _find_function(self, target: str, near: ModuleFacts) -> Functions:
        """What calling a dotted candidate name runs: a project function, a method (looked
        up through project base classes; calling an instance runs `__call__`, or an
        nn.Module's `forward`), or a class's `__init__` then `__post_init__`."""
        located = self._locate(target, near)
        if located is None:
            return ()
        module, qualname = located
        function = module.functions.get(qualname)
        if function is not None:
            return ((module, function),)
        if qualname in module.classes:
            return tuple(
                found
                for method in ("__init__", "__post_init__")
                for found in self._method(module, qualname, method, set())[:1]
            )
        cls, _, method = qualname.rpartition(".")
        found = self._method(module, cls, method, set())
        if not found and method == "__call__":
            found = self._method(module, cls, "forward", set())
        return found[:1]

    def _method(
        self, module: ModuleFacts, cls: str, method: str, seen: set[tuple[str, str]]
    ) -> Functions:
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
                found = self._method(owner, name, method, seen)
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


class _Interpreter:
    """Runs flows of one program."""

    def __init__(self, project: _Project, imported: set[str] | None = None) -> None:
        self.project = project
        self.imported: set[str] = imported if imported is not None else set()

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
                self._call(module, node[1], effect, depth)
            elif kind == "import":
                self._import(module, node[1], effect, depth)
            elif kind == "branch":
                if len(node) > 2:
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
            effect.draws.append(((module.path, index), library, effect.state))
            return
        if call.role in ("seed", "state-write", "entropy"):
            seeded = _seeded_libraries(call)
            if seeded is None:
                return
            libraries, deterministic = seeded
            value = YES if deterministic else NO
            state = list(effect.state)
            for lib in libraries:
                state[_INDEX[lib]] = value
            effect.state = (state[0], state[1], state[2], state[3])
            how = "" if deterministic else _entropy_kind(call)
            effect.seeds.append(
                SeedEvent((module.path, index), libraries, call.qualname, deterministic, how)
            )

    def _call(self, caller: ModuleFacts, target: str, effect: Effect, depth: int) -> None:
        if depth >= MAX_DEPTH:
            return
        for module, function in self.project.function(target, caller):
            if effect.state is None:
                return
            self._run_function(module, function, effect, depth)

    def _run_function(
        self, module: ModuleFacts, function: FunctionFacts, effect: Effect, depth: int
    ) -> None:
        assert effect.state is not None
        key = (f"{module.path}:{function.qualname}", effect.state)
        summary = self.project.memo.get(key)
        if summary is None:
            if key in self.project.in_progress:
                return  # recursion: assume the recursive call changes nothing
            self.project.in_progress.add(key)
            # Imports inside function bodies are rare; they share this program's import set.
            inner = self.run(module, function.flow, effect.state, depth + 1)
            self.project.in_progress.discard(key)
            exits = [s for s in [inner.state, *inner.returns] if s is not None]
            out: State | None = None
            for s in exits:
                out = _merge(out, s)
            summary = Effect(out, [], inner.draws, inner.seeds)
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
            inner = self.run(module, module.toplevel, start, depth + 1)
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


def _call_targets(flow: Flow) -> Iterator[str]:
    for node in flow:
        kind = node[0]
        if kind == "call":
            yield node[1]
        elif kind == "branch":
            for sub in node[1]:
                yield from _call_targets(sub)
        elif kind == "loop":
            yield from _call_targets(node[1])
        elif kind == "try":
            for sub in [node[1], *node[2], node[3], node[4]]:
                yield from _call_targets(sub)


def _has_toplevel_draw(flow: Flow, module: ModuleFacts) -> bool:
    for node in flow:
        kind = node[0]
        if kind == "api" and global_draw_library(module.calls[node[1]]) is not None:
            return True
        if kind == "branch" and any(_has_toplevel_draw(f, module) for f in node[1]):
            return True
        if kind == "loop" and _has_toplevel_draw(node[1], module):
            return True
        if kind == "try" and any(
            _has_toplevel_draw(f, module) for f in [node[1], *node[2], node[3], node[4]]
        ):
            return True
    return False


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
    records: dict[tuple[Site, str], list[tuple[Program, int, tuple[SeedEvent, ...]]]] = {}

    def collect(program: Program, effect: Effect) -> None:
        seeds = tuple(effect.seeds)
        for site, library, state in effect.draws:
            value = state[_INDEX[library]]
            records.setdefault((site, library), []).append((program, value, seeds))
        report.programs.append(program)

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
        bad = sorted((p.name, p, v, s) for p, v, s in seen if v <= threshold)
        if not bad:
            continue
        _, program, value, seeds = bad[0]
        report.findings.setdefault(site[0], []).append(
            DrawFinding(site, library, program, value, seeds)
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
