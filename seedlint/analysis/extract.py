"""One pass over a module's syntax tree: resolve names, record random API calls, build flow IR.

Why `ast` and not libcst here: analysis needs no formatting, and `ast.parse` is about ten
times faster than libcst's parser on this machine (6 us vs 62 us a line), which is the
difference between a pre-commit hook and a coffee break on a large repository.  libcst is used
where formatting matters: `--fix`.

Name resolution is our own and deliberately small (no scope metadata pass):

* every name is bound to a set of *values* (several after conditional imports):
  ``("ref", "numpy.random")`` a module or something reached from one (a dotted name; a call's
  result is spelled with ``()``: ``"pkg.Trainer().fit"``), ``("inst", "numpy.random.Generator")``
  an explicit generator object, or ``UNKNOWN`` (a parameter, a local, anything else);
* statements are processed in order; `if`/`try`/loops merge the bindings of their branches;
* function bodies are processed after the enclosing body (like pyflakes), so a function sees
  the module's final imports, and a name assigned anywhere in a function is local to all of it.
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .. import knowledge
from ..diagnostics import Span
from ..knowledge.torch_api import CONTAINERS
from . import compat_parse
from .facts import ApiCall, Flow, FunctionFacts, ModuleFacts, SeedArg
from .modules import LIBRARY_PACKAGES, is_library_module, module_name_for, resolve_relative

Value = tuple[str, str]
UNKNOWN: Value = ("unknown", "")
# A dict visibly built with a "generator" key, for `DataLoader(ds, **kwargs)`.
_GENERATOR_KWARGS: frozenset[Value] = frozenset({("kwargs", "generator")})
_UNKNOWN_SET: frozenset[Value] = frozenset({UNKNOWN})
# Call arguments that may pass any parameter (a library calls the function): no parameter
# takes its default for sure.
_OPAQUE_ARGS: tuple[tuple[Any, str, str], ...] = ((-1, "given", "**"),)
Bindings = dict[str, frozenset[Value]]
FuncNode = ast.FunctionDef | ast.AsyncFunctionDef

# Calls whose value changes from run to run: a seed computed from them is not reproducible.
_ENTROPY_PREFIXES: tuple[str, ...] = (
    "time.time",
    "time.time_ns",
    "time.perf_counter",
    "time.monotonic",
    "time.process_time",
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "datetime.now",
    "os.urandom",
    "os.getpid",
    "uuid.uuid1",
    "uuid.uuid4",
    "secrets.",
    "random.SystemRandom",
    "torch.seed",
)
# Not `torch.initial_seed()`: it is the seed of torch's default generator, deterministic once
# torch is seeded (inside a DataLoader worker, the worker's base seed that the main process
# drew from its own generator), which is why `worker_init_fn`s seed numpy and `random` with it.
_ENTROPY_BUILTINS = frozenset({"id", "hash"})
_SCIPY_RVS = re.compile(r"^scipy\.stats\.[A-Za-z_]\w*(?:\(\))?\.rvs$")
_TORCH_DIST_SAMPLE = re.compile(r"^torch\.distributions\.[\w.]+\(\)\.(sample|rsample|sample_n)$")
_PANDAS_SAMPLE_KEYWORDS = frozenset({"frac", "n", "replace", "weights", "ignore_index"})
_Call, _Attribute, _Name, _Constant, _Load = (
    ast.Call,
    ast.Attribute,
    ast.Name,
    ast.Constant,
    ast.Load,
)
_Lambda, _NamedExpr = ast.Lambda, ast.NamedExpr
_RESEED_METHODS = frozenset({"seed", "manual_seed", "setstate", "set_state", "__setstate__"})
_COMPREHENSIONS = frozenset({ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp})
# Seeds derived from these are checked for entropy through local variables (a cheap gate).
_ENTROPY_HINTS: tuple[str, ...] = ("time", "urandom", "getpid", "uuid", "secrets", "now", "rand")
_ENTROPY_EXPRS = frozenset({ast.Call, ast.BinOp, ast.JoinedStr, ast.UnaryOp, ast.BoolOp})
# Methods that call the function passed as their first argument (pools, executors).
_TAKES_FUNCTION = frozenset(
    {"map", "imap", "imap_unordered", "starmap", "submit", "apply", "apply_async"}
)
# Event-loop methods that call back the function at this argument position (asyncio's
# `loop.call_soon(f)`, `call_later(delay, f)`, `run_in_executor(pool, f)`, a future's
# `add_done_callback(f)`): it runs while the loop runs, taken as here.
_CALLBACK_POSITION: dict[str, int] = {
    "call_soon": 0,
    "call_soon_threadsafe": 0,
    "call_later": 1,
    "call_at": 1,
    "run_in_executor": 1,
    "add_done_callback": 0,
}
# Calls that call the lambda they are given before they return.
_CALLS_LAMBDA = frozenset(
    {
        "sorted", "sort", "min", "max", "map", "filter", "reduce", "apply", "applymap",
        "agg", "aggregate", "transform", "pipe", "starmap", "imap", "submit", "Thread",
        "Process", "run", "call", "timeit", "repeat", "where", "vectorize", "defaultdict",
    }
)  # fmt: skip
# Calls that only look at an object (a loader's length, an estimator printed): not a use.
_NOT_USES = frozenset(
    {
        "print", "repr", "str", "len", "isinstance", "type", "id", "hasattr", "getattr",
        "setattr", "vars", "dir", "format", "info", "debug", "warning", "log", "write",
        "get_params", "set_params", "named_modules", "modules", "parameters", "add_module",
        "estimator_html_repr", "is_classifier", "is_regressor", "is_clusterer",
        "is_outlier_detector", "get_tags", "check_is_fitted",
    }
)  # fmt: skip
# Methods of tensors, containers, strings and files called on parameters all the time: not
# worth a flow node (`parameter_call`), as no project object is passed for them.
_NOT_OBJECT_CALLS = frozenset(
    {
        "append", "extend", "items", "keys", "values", "get", "pop", "update", "size", "view",
        "reshape", "to", "cuda", "cpu", "item", "numpy", "detach", "float", "long", "int",
        "sum", "mean", "max", "min", "format", "split", "join", "strip", "replace",
        "startswith", "endswith", "lower", "upper", "add", "copy", "clone", "squeeze",
        "unsqueeze", "permute", "transpose", "contiguous", "backward", "zero_grad", "write",
        "read", "close", "type", "dim", "numel", "tolist", "astype", "flatten", "expand",
        "repeat", "index", "count", "encode", "decode", "add_argument", "info", "debug",
        "warning", "error", "exception", "unsqueeze_", "insert", "remove", "setdefault",
        "add_scalar", "parameters", "named_parameters", "state_dict", "load_state_dict",
        "eval", "train", "requires_grad_", "fill_", "zero_", "copy_", "mul", "div", "sub",
        "matmul", "mm", "bmm", "t", "abs", "exp", "log", "sqrt", "pow", "clamp", "argmax",
        "argmin", "all", "any", "nonzero", "masked_fill", "gather", "scatter", "chunk",
        "narrow", "split_with_sizes", "softmax", "log_softmax", "sigmoid", "tanh", "relu",
        "isoformat", "strftime", "group", "match", "search", "sub_", "add_", "mul_", "div_",
    }
)  # fmt: skip
_CLONES = frozenset({("ref", "sklearn.base.clone"), ("ref", "sklearn.clone")})
# `x.to(device)` and friends return the module itself.
_SELF_RETURNING = (".to()", ".cuda()", ".cpu()", ".float()", ".double()", ".half()", ".train()")
# Process classes whose `target=` runs in the child (`indirect_targets`).
_PROCESS_CLASSES = frozenset(
    {("ref", "multiprocessing.Process"), ("ref", "torch.multiprocessing.Process")}
)
# Launchers that run their first argument in fresh processes (start method "spawn").
_SPAWNS = frozenset(
    {("ref", "torch.multiprocessing.spawn"), ("ref", "torch.multiprocessing.start_processes")}
)
_BUILTIN_NAMES = frozenset(dir(builtins))
# Top-level modules whose functions are never the project's own.
_NOT_PROJECT = frozenset(sys.stdlib_module_names) | {"pytest", "_pytest"}
# Decorators that turn a function into a command whose parameters come from the command line.
_CLI_DECORATORS = ("click.", "typer.", "hydra.", "fire.", "absl.")
# Argument kinds that only say which values reach a project function's parameters.
_VALUE_ARGS = frozenset({"const", "option", "given"})
_GLOBAL_DECL = re.compile(r"^[ \t]+(?:global|nonlocal)[ \t]", re.MULTILINE)


def extract_facts(
    text: str, path: str, module: str | None = None, python: tuple[int, int] | None = None
) -> ModuleFacts:
    """Facts of one module.  Never raises for bad input: a parse failure is recorded.
    `python` is the target version: stdlib functions newer than it are not APIs (None:
    every version seedlint supports, whatever Python runs it).

    This always parses; deciding which project files are worth parsing at all is the
    loader's job (`analysis.prefilter`, `analysis.loader`)."""
    if module is None:
        module = module_name_for(path) if path.endswith(".py") else "__main__"
    facts = ModuleFacts(module=module, path=path)
    try:
        tree = compat_parse.parse(text, path)  # any Python 3.10-3.14 syntax
    except SyntaxError as exc:
        facts.syntax_error = (exc.msg, exc.lineno or 1, exc.offset or 1)
        return facts
    except (ValueError, MemoryError, RecursionError) as exc:
        # ValueError: NUL bytes; RecursionError/MemoryError: absurdly nested code.
        facts.syntax_error = (f"cannot parse: {type(exc).__name__}: {exc}", 1, 1)
        return facts
    try:
        _Extractor(facts, text, path.endswith("__init__.py"), python).run(tree)
    except RecursionError:
        facts.calls.clear()
        facts.syntax_error = ("too deeply nested to analyse", 1, 1)
    return facts


class _Scope:
    __slots__ = ("kind", "qualname", "bindings", "locals", "globals", "parent", "params", "cls")

    def __init__(
        self,
        kind: str,
        qualname: str,
        parent: _Scope | None,
        local_names: frozenset[str] = frozenset(),
        global_names: frozenset[str] = frozenset(),
        params: tuple[str, ...] = (),
        cls: str | None = None,
    ) -> None:
        self.kind = kind  # "module" | "class" | "function"
        self.qualname = qualname
        self.bindings: Bindings = {}
        self.locals = local_names
        self.globals = global_names
        self.parent = parent
        self.params = params
        self.cls = cls  # qualified class name for methods


class _Extractor:
    def __init__(
        self, facts: ModuleFacts, text: str, is_package: bool, python: tuple[int, int] | None
    ) -> None:
        self.facts = facts
        self.text = text
        self.module = facts.module
        self.is_package = is_package
        self._lines: list[str] | None = None
        self.module_scope = _Scope("module", "<module>", None)
        self.scope = self.module_scope
        self.flow: Flow = []
        self.deferred: list[tuple[FuncNode, _Scope, str, str | None]] = []
        self.loop_depth = 0
        # The innermost enclosing loop; names it assigns are computed only when a seeding
        # call inside it needs them (SDL004), since walking every loop body is costly.
        self.loop_node: ast.AST | None = None
        self.param_default_guard = 0
        # Parameters of the function being walked whose constant value may decide a branch
        # (tested in an `if`, or passed on to another call), and those reassigned so far.
        self.value_params: set[str] = set()
        self.rebound: set[str] = set()
        # Names that may be functions passed by name (`launch(train)`): this module's `def`s
        # and names imported from other modules (their kind is not visible here); not
        # constants, modules or other objects, whose bindings would only split summaries.
        self.function_refs: set[str] = set()
        self.in_decorator = False
        self.imported: set[str] = set()
        self.assigned_call: tuple[ast.expr, ast.expr] | None = None
        # The last call recorded and what its callee resolved to (`x = f()` needs it again).
        self.last_call: tuple[ast.Call, frozenset[Value]] | None = None
        # Calls that are arguments of other calls (`Bagging(estimator=Tree())`).
        self.argument_calls: set[int] = set()
        self.python = python
        # Lines holding `global`/`nonlocal`: only functions spanning one need a body walk.
        self.global_decl_lines: list[int] = []
        line, position = 1, 0
        has_decl = "global" in text or "nonlocal" in text  # a C scan spares most files the regex
        for match in _GLOBAL_DECL.finditer(text) if has_decl else ():
            line += text.count("\n", position, match.start())
            position = match.start()
            self.global_decl_lines.append(line)
        self.referenceable = knowledge.referenceable_names()
        # Objects that draw where they are used (see `facts.CallRole` "deferred"):
        # id of the constructing call node -> index of its "deferred" ApiCall.
        self.call_objs: dict[int, int] = {}
        self.deferred_bound: set[int] = set()  # bound to a name or `self.<attr>`
        self.deferred_used: set[int] = set()
        self.seeded_objects: set[int] = set()  # estimators given a seed by `set_params`
        # Loaders built over a project dataset: deferred index -> (qualname, dataset class,
        # workers, own generator, worker_init_fn): the "loader" flow node.
        self.loaders: dict[int, tuple[str, str, str, int, str]] = {}
        # `self.<attr> = value` in a method: (class qualname, attr) -> values, so that another
        # method's `self.<attr>` resolves to them (`self.drop(x)` in `forward`).
        self.class_attrs: dict[tuple[str, str], frozenset[Value]] = {}
        self.class_attr_names: set[str] = set()
        # The calls under test in `with pytest.raises(...)`: a failing call draws nothing.
        self.raising_calls: set[int] = set()
        self.called_lambdas: set[int] = set()  # lambdas handed to a call that calls them
        # Modules of the project's `from <module> import *` statements, in order.
        self.star_sources: list[str] = []
        # `clone(est)` calls: id -> the objects they copy (`deferred_uses`).
        self.clones: dict[int, frozenset[Value]] = {}
        # Meta-estimators built with estimators: the call's id, and the deferred index of a
        # wrapper that draws itself (`BaggingClassifier`) -> the estimators it holds.
        self.wrapped_calls: dict[int, tuple[int, ...]] = {}
        self.wrapped: dict[int, tuple[int, ...]] = {}
        # Test functions' parameters bound to the objects of their parametrize lists.
        self.parametrized: dict[int, dict[str, frozenset[Value]]] = {}
        self.entropy_text = any(t in text for t in _ENTROPY_HINTS)
        # (scope, name) -> the expression last assigned to it (a seed's entropy is looked up
        # through locals only when a seeding call needs it).
        self.assigned_exprs: dict[tuple[str, str], ast.expr] = {}
        self.assign_target = ""
        # Command-line options whose default is None (`add_argument("--seed", type=int)`):
        # `if args.seed is not None:` takes its else branch when the option is not given.
        self.none_options = _none_default_options(text) if "add_argument" in text else frozenset()

    # --- driver ---------------------------------------------------------------------------
    def run(self, tree: ast.Module) -> None:
        main_flow: Flow | None = None
        for stmt in tree.body:
            if isinstance(stmt, ast.If) and _is_main_guard(stmt.test):
                main_flow = []
                saved, self.flow = self.flow, main_flow
                self.stmts(stmt.body)
                self.flow = saved
                if stmt.orelse:
                    self.stmts(stmt.orelse)
            else:
                self.stmt(stmt)
        self.facts.toplevel = self.flow
        self.facts.main_block = main_flow
        # Deferred bodies may defer nested functions in turn.
        while self.deferred:
            node, parent, qualname, cls = self.deferred.pop(0)
            self.function_body(node, parent, qualname, cls)
        self._unbound_deferred()
        if self.class_attrs:
            self._constructed_attributes()
        self.facts.imported_modules = tuple(sorted(self.imported))
        # Names this module re-exports (`from .utils import set_seed` in a package __init__),
        # so that `pkg.set_seed` resolves to `pkg.utils.set_seed` across modules.
        own = f"{self.module}."
        for name, values in self.module_scope.bindings.items():
            if len(values) == 1:
                ((kind, value),) = values
                if kind == "ref" and value != own + name and "()" not in value:
                    self.facts.exports[name] = value

    def _constructed_attributes(self) -> None:
        """`self.decoder = Decoder()` in a method of a class: other modules reach the object
        as `cvae.decoder` (`cvae.decoder.sample()`), so the class it holds is exported in
        `attr_params`, marked "=" (a parameter's name there means what callers pass)."""
        for (cls, attr), values in self.class_attrs.items():
            if len(values) != 1:
                continue
            ((tag, value),) = values
            if tag != "ref" or not value.endswith("()") or "()" in value[:-2]:
                continue
            if _ref_callee(value)[1] is None:
                continue  # a library's object
            self.facts.attr_params.setdefault(cls, {}).setdefault(attr, "=" + value[:-2])

    # --- positions ------------------------------------------------------------------------
    def span(self, node: ast.expr) -> Span:
        line, col = node.lineno, node.col_offset
        end_line = node.end_lineno or line
        end_col = node.end_col_offset if node.end_col_offset is not None else col
        return Span(
            line, self._char_col(line, col) + 1, end_line, self._char_col(end_line, end_col) + 1
        )

    def _char_col(self, line: int, byte_col: int) -> int:
        # ast columns are UTF-8 byte offsets; diagnostics count characters.
        if self._lines is None:
            # An all-ASCII file (most of them) has no line to split: bytes are characters.
            self._lines = [] if self.text.isascii() else re.split(r"\r\n|\r|\n", self.text)
        if line - 1 >= len(self._lines):
            return byte_col
        text = self._lines[line - 1]
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    # --- bindings -------------------------------------------------------------------------
    def lookup(self, name: str) -> frozenset[Value]:
        scope = self.scope
        if name in scope.globals:
            return self.module_scope.bindings.get(name, _UNKNOWN_SET)
        found = scope.bindings.get(name)
        if found is not None:
            return found
        if scope.kind == "function" and name in scope.locals:
            return _UNKNOWN_SET
        parent = scope.parent
        while parent is not None:
            if parent.kind != "class":
                found = parent.bindings.get(name)
                if found is not None:
                    return found
                if parent.kind == "function" and name in parent.locals:
                    return _UNKNOWN_SET
            parent = parent.parent
        if self.star_sources and name not in _BUILTIN_NAMES:
            # Bound by a project star import (or undefined): a name of one of its modules.
            return frozenset(("ref", f"{source}.{name}") for source in self.star_sources)
        return frozenset()  # a builtin or an undefined name

    def bind(self, name: str, values: frozenset[Value]) -> None:
        if self.call_objs:
            for tag, index in values:
                if tag == "obj":
                    self.deferred_bound.add(int(index))
        scope = self.scope
        if name in scope.globals:
            scope = self.module_scope
        elif name in scope.params:
            self.rebound.add(name)  # a branch on it no longer tests the passed value
        scope.bindings[name] = values or _UNKNOWN_SET

    def bind_target(self, target: ast.expr, values: frozenset[Value]) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, values)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.bind_target(element, _UNKNOWN_SET)
        elif isinstance(target, ast.Starred):
            self.bind_target(target.value, _UNKNOWN_SET)
        # Attributes and subscripts bind nothing we track (self.rng = ... is opaque).

    # --- resolution (pure: records nothing) -----------------------------------------------
    def resolve(self, node: ast.expr) -> frozenset[Value]:
        # The two commonest shapes first, `name` and `name.attr`.
        kind = type(node)
        if kind is _Name:
            return self.lookup(node.id)  # type: ignore[attr-defined]
        if kind is _Attribute and type(node.value) is _Name:  # type: ignore[attr-defined]
            base = self.lookup(node.value.id)  # type: ignore[attr-defined]
            if node.attr in self.class_attr_names:  # type: ignore[attr-defined]
                found = self.attr_values(base, node.attr)  # type: ignore[attr-defined]
                if found is not None:
                    return found
            return _advance(base, "attr", node.attr)  # type: ignore[attr-defined]
        if kind is _Call and self.call_objs:
            index = self.call_objs.get(id(node))
            if index is not None:
                return frozenset({("obj", str(index))})
            cloned = self.clones.get(id(node))
            if cloned is not None:
                return cloned
        if kind is _Call and self.last_call is not None and self.last_call[0] is node:
            # `x = f(...)`: `call` has just resolved `f`.
            return _advance(self.last_call[1], "call", "")
        # Walk attribute/call chains iteratively: generated code nests thousands deep.
        chain: list[tuple[str, str]] = []
        while True:
            kind = type(node)
            if kind is _Attribute:
                chain.append(("attr", node.attr))  # type: ignore[attr-defined]
                node = node.value  # type: ignore[attr-defined]
            elif kind is _Call:
                chain.append(("call", ""))
                node = node.func  # type: ignore[attr-defined]
            else:
                break
        if type(node) is not _Name:
            return _UNKNOWN_SET
        values = self.lookup(node.id)
        steps = reversed(chain)
        if chain[-1][0] == "attr" and chain[-1][1] in self.class_attr_names:
            step, attr = next(steps)
            found = self.attr_values(values, attr)  # `self.buffer.sample()`
            values = found if found is not None else _advance(values, step, attr)
        for step, attr in steps:
            values = _advance(values, step, attr)
        return values

    def attr_values(self, base: frozenset[Value], attr: str) -> frozenset[Value] | None:
        """`self.<attr>` where a method of this module's class (or of a base class defined
        here) assigned it."""
        if len(base) != 1:
            return None
        ((tag, name),) = base
        prefix = self.module + "."
        if tag != "ref" or not name.endswith("()") or not name.startswith(prefix):
            return None
        cls: str | None = name[len(prefix) : -2]
        seen: set[str] = set()
        while cls is not None and cls not in seen:
            seen.add(cls)
            found = self.class_attrs.get((cls, attr))
            if found is not None:
                return found
            # The first base defined in this module (single inheritance, the common case).
            cls = next(
                (b[len(prefix) :] for b in self.facts.classes.get(cls, ()) if b.startswith(prefix)),
                None,
            )
        return None

    # --- statements -----------------------------------------------------------------------
    def stmts(self, body: Iterable[ast.stmt]) -> None:
        for stmt in body:
            self.stmt(stmt)

    def sub_flow(self, body: Iterable[ast.stmt]) -> Flow:
        saved, self.flow = self.flow, []
        self.stmts(body)
        flow, self.flow = self.flow, saved
        return flow

    def branches(
        self,
        bodies: list[list[ast.stmt]],
        extra_empty: bool = False,
        default: int | None = None,
        test: tuple[str, str, str] | None = None,
    ) -> None:
        """Run each body from the same bindings; afterwards a name has any branch's value."""
        scope = self.scope
        before = dict(scope.bindings)
        outcomes: list[Bindings] = []
        flows: list[Flow] = []
        for body in bodies:
            scope.bindings = dict(before)
            flows.append(self.sub_flow(body))
            outcomes.append(scope.bindings)
        if extra_empty:
            flows.append([])
            outcomes.append(before)
        merged: Bindings = {}
        for outcome in outcomes:
            for name, values in outcome.items():
                merged[name] = merged.get(name, frozenset()) | values
        scope.bindings = merged
        if test is not None:
            self.flow.append(("branch", flows, default, test))
        elif default is None:
            self.flow.append(("branch", flows))
        else:
            self.flow.append(("branch", flows, default))

    def stmt(self, node: ast.stmt) -> None:
        handler = _STMT_HANDLERS.get(type(node))
        if handler is not None:
            handler(self, node)
        else:
            # Simple statements: evaluate every expression they hold, in order.
            for child in _children(node):
                self.expr(child)  # type: ignore[arg-type]

    def stmt_Expr(self, node: ast.Expr) -> None:
        self.expr(node.value)

    def stmt_Assign(self, node: ast.Assign) -> None:
        target_name = node.targets[0].id if isinstance(node.targets[0], ast.Name) else None
        # `self.rng = np.random.default_rng()`: the generator's name, for later reseeding.
        self.assigned_call = (node.value, node.targets[0])
        self.expr(node.value, alias_target=target_name)
        self.assigned_call = None
        first = node.targets[0]
        self.assign_target = first.id if type(first) is _Name else ""
        values = self.assigned_values(node.value)
        for target in node.targets:
            self.expr_targets(target)
            self.bind_target(target, values)
            self.bind_attribute(target, values)
            if type(target) is _Attribute and self.scope.cls is not None:
                self.attribute_from_parameter(target, node.value)
            if (
                type(target) is ast.Subscript
                and type(target.value) is _Name
                and type(target.slice) is _Constant
                and target.slice.value == "generator"
            ):
                self.bind(target.value.id, _GENERATOR_KWARGS)  # `kw["generator"] = g`

    def stmt_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            target_name = node.target.id if isinstance(node.target, ast.Name) else None
            self.assign_target = target_name or ""
            self.assigned_call = (node.value, node.target)
            self.expr(node.value, alias_target=target_name)
            self.assigned_call = None
            values = self.assigned_values(node.value)
            self.bind_target(node.target, values)
            self.bind_attribute(node.target, values)

    def assigned_values(self, value: ast.expr) -> frozenset[Value]:
        """What a name assigned `value` is bound to: what `value` resolves to, or for the seed
        analysis a module constant (`SEED = 123`) or a value derived from entropy."""
        kind = type(value)
        if self.entropy_text and self.assign_target and kind not in _ENTROPY_EXPRS:
            self.assigned_exprs.pop((self.scope.qualname, self.assign_target), None)
        if kind is ast.Dict or (
            kind is _Call and type(value.func) is _Name and value.func.id == "dict"  # type: ignore[attr-defined]
        ):
            if _builds_generator_key(value):
                return _GENERATOR_KWARGS  # `kw = {"generator": g}`: `DataLoader(ds, **kw)`
            return _UNKNOWN_SET
        if kind is _Constant:
            if self.scope.kind == "module" and type(value.value) is int:  # type: ignore[attr-defined]
                return frozenset({("const", repr(value.value))})  # type: ignore[attr-defined]
            return _UNKNOWN_SET
        if self.entropy_text and self.assign_target:
            # Looked at only if a seeding call reads the name (`entropy_source`).
            key = (self.scope.qualname, self.assign_target)
            if kind in _ENTROPY_EXPRS:
                self.assigned_exprs[key] = value
            else:
                self.assigned_exprs.pop(key, None)
        return self.resolve(value)

    def _assigned_expr(self, name: str) -> ast.expr | None:
        """The expression a local (or module-level) name was last assigned, if tracked."""
        if not self.assigned_exprs:
            return None
        scope: _Scope | None = self.scope
        while scope is not None:
            found = self.assigned_exprs.get((scope.qualname, name))
            if found is not None:
                return found
            if name in scope.bindings:
                return None  # bound here to something else
            scope = scope.parent
        return None

    def bind_attribute(self, target: ast.expr, values: frozenset[Value]) -> None:
        """`self.x = value` in a method: remembered for `self.x` in the class's methods."""
        scope = self.scope
        if (
            scope.cls is None
            or type(target) is not _Attribute
            or type(target.value) is not _Name
            or not scope.params
            or target.value.id != scope.params[0]
        ):
            return
        if values is _UNKNOWN_SET or all(
            v == UNKNOWN or v[0] in ("const", "kwargs") for v in values
        ):
            return  # nothing `self.x` could be resolved to (keeps most files' table empty)
        key = (scope.cls, target.attr)
        old = self.class_attrs.get(key)
        self.class_attrs[key] = values if old is None else old | values
        self.class_attr_names.add(target.attr)
        for tag, index in values:
            if tag == "obj":
                self.deferred_bound.add(int(index))

    def attribute_from_parameter(self, target: ast.Attribute, value: ast.expr) -> None:
        """`self.model = model` (or `model.to(device)`) in `__init__`: the attribute holds
        what the constructor's caller passed (`ModuleFacts.attr_params`)."""
        scope = self.scope
        if (
            not scope.qualname.endswith(".__init__")
            or type(target.value) is not _Name
            or not scope.params
            or target.value.id != scope.params[0]
        ):
            return
        while (
            type(value) is _Call
            and type(value.func) is _Attribute
            and f".{value.func.attr}()" in _SELF_RETURNING
        ):
            value = value.func.value
        if type(value) is _Name and value.id in scope.params[1:] and scope.cls is not None:
            self.facts.attr_params.setdefault(scope.cls, {})[target.attr] = value.id

    def stmt_AugAssign(self, node: ast.AugAssign) -> None:
        self.expr(node.value)
        self.expr_targets(node.target)
        self.bind_target(node.target, _UNKNOWN_SET)

    def expr_targets(self, target: ast.expr) -> None:
        # Subscript/attribute targets evaluate sub-expressions (x[f()] = ...).
        kind = type(target)
        if kind is _Name or (kind is _Attribute and type(target.value) is _Name):  # type: ignore[attr-defined]
            return  # `x = ...`, `self.x = ...`: nothing to evaluate
        if isinstance(target, (ast.Attribute, ast.Subscript)):
            for child in ast.iter_child_nodes(target):
                if isinstance(child, ast.expr):
                    self.expr(child)

    def stmt_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.expr(node.value)
            # A loader or estimator handed to the caller: drawn there (or later).
            value = node.value
            for element in value.elts if isinstance(value, ast.Tuple) else [value]:
                self.use_escaping(element, element)
        self.flow.append(("stop", "return"))

    def stmt_Raise(self, node: ast.Raise) -> None:
        if node.exc is not None:
            self.expr(node.exc)
        self.flow.append(("stop", "raise"))

    def stmt_Break(self, node: ast.Break) -> None:
        self.flow.append(("stop", "jump"))

    def stmt_Continue(self, node: ast.Continue) -> None:
        self.flow.append(("stop", "jump"))

    def stmt_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self.expr_targets(target)
            if isinstance(target, ast.Name):
                self.bind(target.id, _UNKNOWN_SET)

    def stmt_Global(self, node: ast.Global) -> None:
        pass  # handled when the function scope is created

    def stmt_Nonlocal(self, node: ast.Nonlocal) -> None:
        pass

    def stmt_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.note_import(alias.name)
            if alias.asname:
                self.bind(alias.asname, frozenset({("ref", alias.name)}))
            else:
                top = alias.name.split(".", 1)[0]
                self.bind(top, frozenset({("ref", top)}))

    def stmt_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            source = resolve_relative(self.module, self.is_package, node.level, node.module)
        else:
            source = node.module or ""
        self.note_import(source)
        for alias in node.names:
            if alias.name == "*":
                names = knowledge.star_exports(source)
                for name in names:
                    self.bind(name, frozenset({("ref", f"{source}.{name}")}))
                if not names and source and not is_library_module(source):
                    # `from .misc import *`: a name bound nowhere here may come from there.
                    self.star_sources.append(source)
                    self.facts.star_imports += (source,)
                continue
            qualname = f"{source}.{alias.name}" if source else alias.name
            self.note_import(qualname, submodule=True)
            if alias.name[:1].islower() and not alias.name.isupper():
                self.function_refs.add(qualname)  # maybe a function (not a class or constant)
            self.bind(alias.asname or alias.name, frozenset({("ref", qualname)}))

    def note_import(self, module: str, submodule: bool = False) -> None:
        top = module.split(".", 1)[0]
        if top == "torch":
            self.facts.imports_torch = True
        if top == "pandas":
            self.imported.add("pandas")
        if top in LIBRARY_PACKAGES or not module:
            return
        self.imported.add(module)
        # Importing a module runs its top level: a project module may seed there.
        self.flow.append(("import", module))

    def stmt_If(self, node: ast.If) -> None:
        self.expr(node.test)
        guard = _param_none_guard(node.test, self.scope.params)
        if guard:
            self.param_default_guard += 1
        default = (
            _option_default_branch(node.test, self.none_options) if self.none_options else None
        )
        test = _param_test(node.test, self.scope.params) if self.scope.params else None
        if test is not None and test[0] in self.rebound:
            test = None
        if test is not None:
            self.value_params.add(test[0])
        self.branches([node.body, node.orelse], default=default, test=test)
        if guard:
            self.param_default_guard -= 1

    def stmt_Match(self, node: Any) -> None:
        self.expr(node.subject)
        self.branches([case.body for case in node.cases], extra_empty=True)

    def _loop(self, node: ast.For | ast.AsyncFor | ast.While, header: list[ast.expr]) -> None:
        for expr in header:
            self.expr(expr)
        if self.call_objs and not isinstance(node, ast.While):
            self.use_iterated(header[0])
        saved_loop = self.loop_node
        self.loop_node = node
        self.loop_depth += 1
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self.bind_target(node.target, _UNKNOWN_SET)
        # A loop body may run zero times: branch between "body" and "nothing".
        before = dict(self.scope.bindings)
        body = self.sub_flow(node.body)
        for name, values in before.items():
            self.scope.bindings[name] = self.scope.bindings.get(name, frozenset()) | values
        self.loop_depth -= 1
        self.loop_node = saved_loop
        self.flow.append(("loop", body))
        self.stmts(node.orelse)

    def stmt_For(self, node: ast.For) -> None:
        self._loop(node, [node.iter])

    def stmt_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._loop(node, [node.iter])

    def stmt_While(self, node: ast.While) -> None:
        self._loop(node, [node.test])

    def stmt_With(self, node: ast.With | ast.AsyncWith) -> None:
        raises = False
        for item in node.items:
            self.expr(item.context_expr)
            context = item.context_expr
            if type(context) is _Call and ("ref", "pytest.raises") in self.resolve(context.func):
                raises = True
            if item.optional_vars is not None:
                self.bind_target(item.optional_vars, _UNKNOWN_SET)
        if raises:
            # `with pytest.raises(...)`: the call under test (each statement's outermost
            # call) fails, typically before it draws (argument validation); its arguments
            # are evaluated, and draw, first.
            for stmt in node.body:
                value = getattr(stmt, "value", None)
                if type(value) is _Call:
                    self.raising_calls.add(id(value))
        self.stmts(node.body)

    stmt_AsyncWith = stmt_With

    def stmt_Try(self, node: ast.Try) -> None:
        scope = self.scope
        before = dict(scope.bindings)
        body = self.sub_flow(node.body)
        after_body = dict(scope.bindings)
        handlers: list[Flow] = []
        merged: Bindings = dict(after_body)
        for handler in node.handlers:
            scope.bindings = dict(before)
            if handler.type is not None:
                self.expr(handler.type)
            if handler.name:
                self.bind(handler.name, _UNKNOWN_SET)
            handlers.append(self.sub_flow(handler.body))
            for name, values in scope.bindings.items():
                merged[name] = merged.get(name, frozenset()) | values
        scope.bindings = merged
        orelse = self.sub_flow(node.orelse)
        final = self.sub_flow(node.finalbody)
        self.flow.append(("try", body, handlers, orelse, final))

    stmt_TryStar = stmt_Try

    def stmt_ClassDef(self, node: ast.ClassDef) -> None:
        self.in_decorator = True
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.expr(expr)
        self.in_decorator = False
        qualname = self._child_qualname(node.name)
        bases: list[str] = []
        for base in node.bases:
            for kind, value in sorted(self.resolve(base)):
                if kind == "ref" and "()" not in value:
                    bases.append(value)
        self.facts.classes[qualname] = tuple(bases)
        outer = self.scope
        self.scope = _Scope("class", qualname, outer, cls=qualname)
        self.stmts(node.body)
        self.scope = outer
        self.bind(node.name, frozenset({("ref", f"{self.module}.{qualname}")}))

    def stmt_FunctionDef(self, node: FuncNode) -> None:
        self.in_decorator = True  # a decorator factory's constants decide nothing we follow
        for expr in node.decorator_list:
            self.expr(expr)
            if self.call_objs and type(expr) is _Call:
                self.parametrized_objects(node, expr)
        self.in_decorator = False
        args = node.args
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.expr(default)
        qualname = self._child_qualname(node.name)
        cls = self.scope.cls if self.scope.kind == "class" else None
        self.deferred.append((node, self.scope, qualname, cls))
        ref = f"{self.module}.{qualname}"
        self.function_refs.add(ref)
        self.bind(node.name, frozenset({("ref", ref)}))

    stmt_AsyncFunctionDef = stmt_FunctionDef

    def parametrized_objects(self, node: FuncNode, decorator: ast.Call) -> None:
        """`@pytest.mark.parametrize("est", [RandomForestClassifier(), KMeans()])`: the
        estimators are the test's parameter, used (or not) in its body, e.g. only inside
        `pytest.raises`; not drawn where the list is built."""
        if ("ref", "pytest.mark.parametrize") not in self.resolve(decorator.func):
            return
        if len(decorator.args) < 2:
            return
        names_node, values_node = decorator.args[0], decorator.args[1]
        if type(names_node) is _Constant and isinstance(names_node.value, str):
            names = [n.strip() for n in names_node.value.split(",")]
        elif isinstance(names_node, (ast.Tuple, ast.List)) and all(
            type(e) is _Constant and isinstance(e.value, str) for e in names_node.elts
        ):
            names = [e.value for e in names_node.elts]  # type: ignore[attr-defined]
        else:
            return
        if not isinstance(values_node, (ast.List, ast.Tuple)):
            return
        found: dict[str, set[int]] = {}
        for element in values_node.elts:
            if (
                type(element) is _Call
                and type(element.func) is _Attribute
                and element.func.attr == "param"
            ):
                row: list[ast.expr] = list(element.args)  # `pytest.param(RF(), id="rf")`
            elif len(names) == 1:
                row = [element]
            elif isinstance(element, (ast.Tuple, ast.List)):
                row = list(element.elts)
            else:
                continue
            for name, value in zip(names, row, strict=False):
                for index in self.objects(value):
                    found.setdefault(name, set()).add(index)
                    if self.facts.calls[index].is_argument:
                        # An argument of `pytest.param`, not a meta-estimator's sub-estimator.
                        self.facts.calls[index] = replace(
                            self.facts.calls[index], is_argument=False
                        )
        if found:
            bound = {n: frozenset(("obj", str(i)) for i in sorted(v)) for n, v in found.items()}
            self.parametrized[id(node)] = bound
            for indices in found.values():
                self.deferred_bound.update(indices)

    def _child_qualname(self, name: str) -> str:
        if self.scope.kind == "module":
            return name
        if self.scope.kind == "class":
            return f"{self.scope.qualname}.{name}"
        return f"{self.scope.qualname}.<locals>.{name}"

    def function_body(self, node: FuncNode, parent: _Scope, qualname: str, cls: str | None) -> None:
        args = node.args
        params = tuple(
            a.arg
            for a in [*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg]
            if a is not None
        )
        # A name is local to a whole function in Python, but correct code never reads a local
        # before assigning it, and we process statements in order: bindings made so far are
        # enough.  Only `global`/`nonlocal` declarations need a look at the whole body.
        end = node.end_lineno or node.lineno
        spans_decl = any(node.lineno <= line <= end for line in self.global_decl_lines)
        global_names = _declared_globals(node) if spans_decl else frozenset()
        scope = _Scope("function", qualname, parent, frozenset(params), global_names, params)
        for param in params:
            scope.bindings[param] = _UNKNOWN_SET
        if self.parametrized:
            scope.bindings.update(self.parametrized.get(id(node), {}))
        if cls is not None and params and not _is_staticmethod(node):
            # `self.method()` resolves to the class's method (an instance of the class);
            # `cls(...)` in a classmethod constructs the class.
            instance = "" if _is_classmethod(node) else "()"
            scope.bindings[params[0]] = frozenset({("ref", f"{self.module}.{cls}{instance}")})
            scope.cls = cls if instance else None
        saved = (self.scope, self.flow, self.loop_depth, self.loop_node, self.param_default_guard)
        saved_values = (self.value_params, self.rebound)
        self.scope, self.flow = scope, []
        self.loop_depth, self.loop_node, self.param_default_guard = 0, None, 0
        self.value_params, self.rebound = set(), set()
        self.stmts(node.body)
        decorators = tuple(self._dotted(d) for d in node.decorator_list)
        values: tuple[tuple[str, str | None], ...] = ()
        if self.value_params:
            # Command-line decorators call the function with the parsed options, never
            # with its own defaults.
            cli = any(d.startswith(_CLI_DECORATORS) for d in decorators)
            values = _param_values(node, self.value_params, defaults=not cli)
        self.value_params, self.rebound = saved_values
        is_fixture = any(d.split("(")[0].endswith("fixture") for d in decorators)
        autouse = is_fixture and any(_fixture_autouse(d) for d in node.decorator_list)
        self.facts.functions[qualname] = FunctionFacts(
            qualname=qualname,
            line=node.lineno,
            params=params,
            decorators=decorators,
            autouse_fixture=autouse,
            is_fixture=is_fixture,
            flow=self.flow,
            values=values,
        )
        self.scope, self.flow, self.loop_depth, self.loop_node, self.param_default_guard = saved

    def _dotted(self, node: ast.expr) -> str:
        target = node.func if isinstance(node, ast.Call) else node
        for kind, value in sorted(self.resolve(target)):
            if kind == "ref":
                return value
        if isinstance(target, ast.Call):
            return ""
        # `@property`, `@x.setter`: the text itself (what `ast.unparse` gives, more cheaply).
        return _dotted_text(target) or ast.unparse(target)

    # --- expressions ----------------------------------------------------------------------
    def expr(self, root: ast.expr, alias_target: str | None = None) -> None:
        """Record every random API call (and callable reference) in `root`, innermost first."""
        # Iterative post-order walk: arguments are evaluated before the call that takes them.
        # This is the hottest loop of a run: exact type checks, cheap exits first.
        referenceable = self.referenceable
        argument_calls = self.argument_calls
        stack: list[tuple[ast.AST, bool, str | None]] = [(root, False, alias_target)]
        pop, push = stack.pop, stack.append
        while stack:
            node, visited, alias = pop()
            kind = type(node)
            if kind is _Call:
                if visited:
                    self.call(node, alias)  # type: ignore[arg-type]
                    continue
                push((node, True, alias))
                func = node.func  # type: ignore[attr-defined]
                # The callee's own sub-expressions (a.b(c).d()) but not the callee itself.
                while type(func) is _Attribute:
                    func = func.value
                if type(func) is not _Name:
                    push((func, False, None))
                # Constants and plain names that name nothing random need no visit: most
                # arguments are one or the other.  (Two loops, not one over a joined list:
                # measured 5% of all extraction time on this hottest path.)
                for keyword in reversed(node.keywords):  # type: ignore[attr-defined]
                    value = keyword.value
                    child_kind = type(value)
                    if child_kind is _Call:
                        argument_calls.add(id(value))
                    elif child_kind is _Lambda:
                        self.note_lambda_argument(node, value)  # type: ignore[arg-type]
                    elif child_kind is _Constant or (
                        child_kind is _Name and value.id not in referenceable
                    ):
                        continue
                    push((value, False, None))
                for arg in reversed(node.args):  # type: ignore[attr-defined]
                    child_kind = type(arg)
                    if child_kind is _Call:
                        argument_calls.add(id(arg))
                    elif child_kind is _Lambda:
                        self.note_lambda_argument(node, arg)  # type: ignore[arg-type]
                    elif child_kind is _Constant or (
                        child_kind is _Name and arg.id not in referenceable
                    ):
                        continue
                    push((arg, False, None))
            elif kind is _Name:
                if node.id in referenceable and type(node.ctx) is _Load:  # type: ignore[attr-defined]
                    self.reference(node, alias)  # type: ignore[arg-type]
            elif kind is _Attribute:
                if node.attr in referenceable and type(node.ctx) is _Load:  # type: ignore[attr-defined]
                    self.reference(node, alias)  # type: ignore[arg-type]
                inner = node.value  # type: ignore[attr-defined]
                while type(inner) is _Attribute:
                    inner = inner.value
                if type(inner) is not _Name:
                    push((inner, False, None))
            elif kind is _Constant:
                continue
            elif kind in _COMPREHENSIONS:
                self.comprehension(node)  # type: ignore[arg-type]
            elif kind is _Lambda:
                # The body runs later; record its calls in a scope where parameters shadow.
                self.lambda_body(node)  # type: ignore[arg-type]
            elif kind is _NamedExpr:
                push((node.value, False, None))  # type: ignore[attr-defined]
                self.bind_target(node.target, _UNKNOWN_SET)  # type: ignore[attr-defined]
            else:
                for child in reversed(_children(node)):
                    child_kind = type(child)
                    if child_kind is _Constant or (
                        child_kind is _Name and child.id not in referenceable  # type: ignore[attr-defined]
                    ):
                        continue
                    push((child, False, None))

    def comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> None:
        """Comprehensions have their own scope: the first iterable runs outside it, then the
        loop variables shadow outer names for the conditions, later iterables and elements."""
        generators = node.generators
        self.expr(generators[0].iter)
        if self.call_objs:
            for generator in generators:
                self.use_iterated(generator.iter)
        outer = self.scope
        self.scope = _Scope("function", outer.qualname, outer, params=outer.params)
        for index, generator in enumerate(generators):
            if index:
                self.expr(generator.iter)
            self.bind_target(generator.target, _UNKNOWN_SET)
            for condition in generator.ifs:
                self.expr(condition)
        if isinstance(node, ast.DictComp):
            self.expr(node.key)
            self.expr(node.value)
        else:
            self.expr(node.elt)
        self.scope = outer

    def lambda_body(self, node: ast.Lambda) -> None:
        args = node.args
        params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
        params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        outer = self.scope
        self.scope = _Scope("function", outer.qualname, outer, frozenset(params))
        for param in params:
            self.scope.bindings[param] = _UNKNOWN_SET
        # The body runs when the lambda is called, not here: its calls are recorded (for the
        # per-call rules) but kept out of the flow (`create_fn=lambda s: torch.randn(s)` at
        # module level does not make the module draw when imported).
        if id(node) in self.called_lambdas:
            self.expr(node.body)  # `sorted(xs, key=lambda _: random.random())`: called here
        else:
            saved, self.flow = self.flow, []
            self.expr(node.body)
            self.flow = saved
        self.scope = outer

    def note_lambda_argument(self, call: ast.Call, value: ast.Lambda) -> None:
        func = call.func
        name = func.attr if type(func) is _Attribute else func.id if type(func) is _Name else ""
        if name in _CALLS_LAMBDA:
            self.called_lambdas.add(id(value))

    def reference(self, node: ast.Attribute | ast.Name, alias: str | None) -> None:
        """A random function named without being called (`map(np.random.rand, ...)`)."""
        if alias is not None:
            return  # `f = np.random.rand`: an alias, reported where it is called
        for kind, value in sorted(self.resolve(node)):
            if kind != "ref":
                continue
            qualname = knowledge.canonical(value)
            entry = knowledge.numpy_legacy_call(qualname)
            library = "numpy"
            if entry is None:
                std = knowledge.stdlib_call(qualname, self.python)
                if std is None or std.role != "draw":
                    continue
                role, library = std.role, "random"
            else:
                if entry.role != "draw":
                    continue
                role = entry.role
            self.record(node, qualname, library, role, usage="reference")
            return

    def call(self, node: ast.Call, alias: str | None) -> None:
        func = node.func
        if type(func) is _Attribute and func.attr in _RESEED_METHODS:
            # `rng.seed(1)`, `self.gen.manual_seed(s)`, `r.setstate(st)`: whatever `rng` is,
            # a generator reseeded here is not an unseeded one (SDL003).
            receiver = _dotted_text(func.value)
            if receiver is not None:
                self.facts.reseeded.append((self.scope.qualname, receiver))
        values = self.resolve(node.func)
        self.last_call = (node, values)
        if self.call_objs:
            self.deferred_uses(node, values)
        # Not only where torch is imported: a trainer module may switch the mode of the
        # model it was given without importing torch itself.
        if type(func) is _Attribute and func.attr in ("eval", "train"):
            self.mode_switch(node)
        recorded: list[int] = []
        targets: list[str] = []
        handed = 0  # functions handed to this call that it runs
        candidates = [v for v in values if v != UNKNOWN]
        if len(candidates) > 1:
            # A set's order changes with the string hash seed: flows must not.
            candidates.sort()
        for kind, value in candidates:
            if kind == "ref":
                known, target = _ref_callee(value)
                if known is not None:
                    index = self.classify_ref_call(node, known, alias, len(candidates))
                    if index is not None:
                        recorded.append(index)
                        continue
                if target is not None:
                    targets.append(target)
            elif kind == "inst":
                index = self.classify_instance_call(node, value)
                if index is not None:
                    recorded.append(index)
        if not recorded and isinstance(node.func, ast.Attribute):
            attr = node.func.attr
            api = knowledge.tensor_inplace_random(attr) if self.facts.imports_torch else None
            if api is not None and (not candidates or _all_unknown_receivers(values)):
                index = self.record(node, api.qualname, "torch", "draw")
                recorded.append(index)
            if (
                attr == "sample"
                and "pandas" in self.imported
                and not candidates
                and {k.arg for k in node.keywords} & _PANDAS_SAMPLE_KEYWORDS
            ):
                entry = knowledge.thirdparty_draw("pandas.DataFrame.sample")
                if entry is not None:
                    recorded.append(self.record(node, entry.qualname, "pandas", "draw"))
        if self.raising_calls and id(node) in self.raising_calls:
            recorded = []  # recorded for the per-call rules, but it fails before it draws
        for index in recorded:
            self.flow.append(("api", index))
        if recorded:
            return
        if (
            type(func) is _Name
            and func.id in ("map", "filter")
            or type(func) is _Attribute
            and (
                func.attr in _TAKES_FUNCTION
                or func.attr in _CALLBACK_POSITION
                or func.attr in ("Thread", "Process")
                or type(func.value) is _Call
            )
            or ("ref", "threading.Thread") in values
            or not values.isdisjoint(_PROCESS_CLASSES)
        ):
            passed = self.indirect_targets(node, values)
            if passed is not None:
                handed = self.callbacks(passed)
            else:
                targets.extend(self.super_targets(node))
        if not values.isdisjoint(_SPAWNS):
            self.spawned(node)
        if targets:
            args = self.call_args(node)
            if args and args[-1][1] in _VALUE_ARGS and self.values_ignored(targets):
                args = tuple(a for a in args if a[1] not in _VALUE_ARGS)
            # `self.m()` in a method: the override in the class of the object it runs on.
            kind = "vcall" if self.self_receiver(func) else "call"
            for target in targets:
                node_args = args or kind == "vcall"
                self.flow.append((kind, target, args) if node_args else (kind, target))
        elif not candidates and not handed:
            self.parameter_call(node)

    def values_ignored(self, targets: list[str]) -> bool:
        """Whether the values a call passes cannot decide a branch we follow: decorator
        factories, the standard library and pytest (`os.path.join(...)`,
        `pytest.raises(...)`), and methods of tensors and containers (`x.view(2, 3)`)."""
        return self.in_decorator or all(
            t.partition(".")[0] in _NOT_PROJECT or t.rpartition(".")[2] in _NOT_OBJECT_CALLS
            for t in targets
        )

    def self_receiver(self, func: ast.expr) -> bool:
        scope = self.scope
        return (
            scope.cls is not None
            and type(func) is _Attribute
            and type(func.value) is _Name
            and bool(scope.params)
            and func.value.id == scope.params[0]
        )

    def call_args(self, node: ast.Call) -> tuple[tuple[Any, str, str], ...]:
        """Arguments whose class is visible here (a project object, `Net()`, `model` bound to
        one) or that pass on a parameter of this function: the callee's parameters are bound
        to them (`Trainer(model)` then `self.model(x)` in `Trainer.fit` runs `Net.forward`)."""
        out: list[tuple[Any, str, str]] = []
        # Which parameters the call passes at all, where some argument says nothing more
        # (a callee's parameter not passed takes its default): (positional count, or -1
        # after `*args`; the keywords, "**" for `**kwargs`).
        opaque = False
        positional = len(node.args)
        for position, arg in enumerate(node.args):
            if type(arg) is ast.Starred:
                positional, opaque = -1, True
                break
            found = self.arg_class(arg)
            if found is not None:
                out.append((position, *found))
            else:
                opaque = True
        keywords: list[str] = []
        for keyword in node.keywords:
            name = keyword.arg
            keywords.append(name if name is not None else "**")
            found = self.arg_class(keyword.value) if name is not None else None
            if found is not None:
                out.append((name, *found))
            else:
                opaque = True
        if opaque:
            out.append((positional, "given", " ".join(keywords)))
        if len(out) > 1:
            # Objects first: a call whose first entry is a value binds no object
            # (`_Interpreter._run_function` skips binding for callees that test nothing).
            out.sort(key=_value_last)
        return tuple(out)

    def arg_class(self, arg: ast.expr) -> tuple[str, str] | None:
        kind = type(arg)
        if kind is _Name:
            name = arg.id  # type: ignore[attr-defined]
            values = self.lookup(name)
            scope = self.scope
            if values == _UNKNOWN_SET and name in scope.params:
                if name not in self.rebound:
                    self.value_params.add(name)  # its constant value is passed on
                return "param", name
        elif kind is _Call or kind is _Attribute:
            if (
                kind is _Attribute
                and arg.attr in self.none_options  # type: ignore[attr-defined]
                and type(arg.value) is _Name  # type: ignore[attr-defined]
            ):
                return "option", arg.attr  # type: ignore[attr-defined]
            values = self.resolve(arg)
        else:
            literal = _literal(arg)
            return None if literal is None else ("const", literal)
        if len(values) != 1:
            return None
        ((tag, value),) = values
        if tag != "ref":
            return None
        while value.endswith(_SELF_RETURNING):
            value = value[: value.rindex(".")]  # `Net().to(device)` is the Net
        if kind is _Name and value in self.function_refs and _ref_callee(value)[1] is not None:
            # A project function (or class) passed by name: `launch(train)` runs it where
            # the callee calls its parameter.
            return "fn", value
        if not value.endswith("()") or "()" in value[:-2]:
            return None
        if _ref_callee(value)[1] is None:
            return None  # a library's object
        return "cls", value[:-2]

    def parameter_call(self, node: ast.Call) -> None:
        """`model(x)` / `model.fit(x)` on a parameter: runs whatever the caller passed."""
        func = node.func
        if type(func) is _Name:
            name, method = func.id, "__call__"
        elif type(func) is _Attribute and type(func.value) is _Name:
            name, method = func.value.id, func.attr
            if method in _NOT_OBJECT_CALLS:
                return
        else:
            return
        scope = self.scope
        if name not in scope.params or (scope.cls is not None and name == scope.params[0]):
            return
        if self.lookup(name) != _UNKNOWN_SET:
            return
        self.flow.append(("pcall", name, method, self.call_args(node)))

    def spawned(self, node: ast.Call) -> None:
        """`torch.multiprocessing.spawn(fn, ...)`: fn runs in fresh processes."""
        passed = node.args[:1] or [k.value for k in node.keywords if k.arg == "fn"]
        for target in self.passed_functions(passed):
            self.flow.append(("spawn", target))

    def passed_functions(self, passed: list[ast.expr]) -> list[str]:
        """The project functions that arguments passed by name (`f`, `mod.f`) refer to."""
        out: list[str] = []
        for arg in passed:
            if type(arg) in (_Name, _Attribute):
                for kind, value in sorted(self.resolve(arg)):
                    if kind == "ref":
                        target = _ref_callee(value)[1]
                        if target is not None:
                            out.append(target)
        return out

    def super_targets(self, node: ast.Call) -> list[str]:
        """`super().m(...)` in a method: the bases' `m`."""
        func = node.func
        if type(func) is not _Attribute:
            return []
        receiver = func.value
        if (
            type(receiver) is _Call
            and type(receiver.func) is _Name
            and receiver.func.id == "super"
            and self.scope.cls is not None
        ):
            return [
                f"{base}.{func.attr}"
                for base in self.facts.classes.get(self.scope.cls, ())
                if base.split(".", 1)[0] not in LIBRARY_PACKAGES
            ]
        return []

    def indirect_targets(self, node: ast.Call, values: frozenset[Value]) -> list[ast.expr] | None:
        """The arguments of a call that runs them without naming them as its callee:
        functions passed to `map`, `Thread(target=f)`, `pool.map(f)`, `executor.submit(f)`,
        event-loop callbacks; None where the call is none of these."""
        func = node.func
        if ("ref", "threading.Thread") in values or not values.isdisjoint(_PROCESS_CLASSES):
            # A process started with "fork" (Linux's default before Python 3.14, assumed
            # here) inherits the parent's generator states, like a thread.
            return [k.value for k in node.keywords if k.arg == "target"]
        if type(func) is _Attribute:
            receiver = func.value
            if (
                type(receiver) is _Call
                and type(receiver.func) is _Name
                and receiver.func.id == "super"
            ):
                return None  # `super().m()`
            position = _CALLBACK_POSITION.get(func.attr)
            if position is not None:
                return node.args[position : position + 1]
            return node.args[:1] if func.attr in _TAKES_FUNCTION else []
        if type(func) is _Name and func.id in ("map", "filter") and not self.lookup(func.id):
            return node.args[:1]
        return []

    def callbacks(self, passed: list[ast.expr]) -> int:
        """Functions (or bound methods) handed to a call that runs them: whatever arguments
        it gives them are not visible here.  A method of `self` (`loop.call_soon(self.tick)`,
        `Thread(target=self.run)`) runs the override of the object's class."""
        handed = 0
        for arg in passed:
            kind = "vcall" if type(arg) is _Attribute and self.self_receiver(arg) else "call"
            for target in self.passed_functions([arg]):
                self.flow.append((kind, target, _OPAQUE_ARGS))
                handed += 1
        return handed

    # --- objects that draw where they are used -------------------------------------------
    def deferred_kind(self, index: int) -> str:
        """ "forward" (a dropout layer), "iteration" (a loader or sampler) or "estimator"."""
        call = self.facts.calls[index]
        api = knowledge.torch_call(call.qualname)
        if api is not None:
            return api.draws_on
        return "estimator"

    def draw_methods(self, index: int) -> tuple[str, ...]:
        entry = knowledge.thirdparty_draw(self.facts.calls[index].qualname)
        return entry.draw_methods if entry is not None else ()

    def use(self, index: int, node: ast.expr, train_only: bool = False) -> None:
        """Record a draw of the deferred object built at `index`, where it is used."""
        self.deferred_used.add(index)
        if id(node) in self.raising_calls:
            return  # `with pytest.raises(...)`: the call fails before it draws
        for inner in self.wrapped.get(index, ()):
            self.use(inner, node)  # a meta-estimator fits the estimators it holds
        if index in self.seeded_objects:
            return  # `est.set_params(random_state=0)` seeded it
        built = self.facts.calls[index]
        call = replace(
            built,
            span=self.span(node),
            role="draw",
            scope=self.scope.qualname,
            loop_depth=self.loop_depth,
            loop_assigned=(),
            target=None,
            origin=index,
            train_only=train_only,
        )
        self.facts.calls.append(call)
        self.flow.append(("api", len(self.facts.calls) - 1))
        loader = self.loaders.get(index)
        if loader is not None:
            self.flow.append(("loader", *loader))

    def loader_dataset(self, node: ast.Call, index: int) -> None:
        """`DataLoader(Dataset(), num_workers=...)`: iterating it runs the dataset's methods,
        in this process (no workers), in worker processes (a literal count > 0) or in either
        (a count we cannot read)."""
        entry = knowledge.loader_workers(self.facts.calls[index].qualname)
        if entry is None:
            return
        dataset = _arg_node(node, entry.dataset)
        found = self.arg_class(dataset) if dataset is not None else None
        if found is None or found[0] not in ("cls", "param"):
            return
        # A dataset passed in (`def make_loader(ds): return DataLoader(ds)`): the classes
        # the callers pass for that parameter.
        cls = found[1] if found[0] == "cls" else f"param:{found[1]}"
        workers = _arg_node(node, entry.num_workers)
        if workers is None and any(k.arg is None for k in node.keywords):
            where = "either"  # `**kwargs` may hold num_workers
        elif workers is None or (type(workers) is _Constant and workers.value == 0):
            where = "main"
        elif type(workers) is _Constant and type(workers.value) is int and workers.value > 0:
            where = "workers"
        else:
            where = "either"
        generator = _arg_node(node, entry.generator)
        own = int(
            generator is not None and not (type(generator) is _Constant and generator.value is None)
        )
        init = _arg_node(node, entry.worker_init_fn)
        init_fns = self.passed_functions([init]) if init is not None else []
        self.loaders[index] = (entry.qualname, cls, where, own, init_fns[0] if init_fns else "")

    def objects(self, node: ast.expr, depth: int = 0) -> Iterator[int]:
        """Deferred objects `node` evaluates to (or holds, in a list/tuple/dict literal)."""
        kind = type(node)
        if kind is ast.Starred:
            yield from self.objects(node.value, depth)  # type: ignore[attr-defined]
        elif kind is _Call:
            index = self.call_objs.get(id(node))
            if index is not None:
                yield index
            elif self.clones and id(node) in self.clones:
                for _, found in self.clones[id(node)]:
                    yield int(found)
        elif kind is _Name or (kind is _Attribute and node.attr in self.class_attr_names):  # type: ignore[attr-defined]
            for tag, found in self.resolve(node):
                if tag == "obj":
                    yield int(found)
        elif depth < 3 and kind in (ast.List, ast.Tuple, ast.Set):
            for element in node.elts:  # type: ignore[attr-defined]
                yield from self.objects(element, depth + 1)
        elif depth < 3 and kind is ast.Dict:
            for value in node.values:  # type: ignore[attr-defined]
                yield from self.objects(value, depth + 1)

    def deferred_uses(self, node: ast.Call, values: frozenset[Value]) -> None:
        func = node.func
        # Calling a dropout layer (or a container holding one) runs its forward pass.
        for tag, index in sorted(values):
            if tag == "obj" and self.deferred_kind(int(index)) == "forward":
                self.use(int(index), node, train_only=True)
        if type(func) is _Attribute:
            for position in sorted(set(self.objects(func.value))):
                kind = self.deferred_kind(position)
                if kind == "estimator" and func.attr == "set_params":
                    self.deferred_used.add(position)  # a method call: it does not escape
                    seed = next((k.value for k in node.keywords if k.arg == "random_state"), None)
                    if seed is not None and not (type(seed) is _Constant and seed.value is None):
                        self.seeded_objects.add(position)  # its later fits are seeded
                elif kind == "estimator" and func.attr in self.draw_methods(position):
                    self.use(position, node)
                elif func.attr == "__iter__" and (
                    kind == "iteration" or "__iter__" in self.draw_methods(position)
                ):
                    self.use(position, node)
                else:
                    # `LogisticRegression(...).set_callbacks(cb)`: used, and no draw here.
                    self.deferred_used.add(position)
            name = func.attr
        else:
            name = func.id if type(func) is _Name else ""
        if name == "set_random_state" and any(
            tag == "ref" and value.startswith("sklearn.") for tag, value in values
        ):
            # scikit-learn's test helper `set_random_state(est, random_state=0)`: seeded.
            seed = node.args[1] if len(node.args) > 1 else None
            for keyword in node.keywords:
                if keyword.arg == "random_state":
                    seed = keyword.value
            if not (type(seed) is _Constant and seed.value is None):
                for held in {i for arg in node.args[:1] for i in self.objects(arg)}:
                    self.deferred_used.add(held)
                    self.seeded_objects.add(held)
            return
        if name == "clone" and not values.isdisjoint(_CLONES):
            # `clone(est)`: an unfitted copy, nothing drawn; it stands for the estimator.
            copied = {i for arg in node.args[:1] for i in self.objects(arg)}
            if copied:
                self.clones[id(node)] = frozenset(("obj", str(i)) for i in sorted(copied))
            return
        if (
            name in _NOT_USES
            or name in ("parametrize", "param")
            and (("ref", "pytest.mark.parametrize") in values or ("ref", "pytest.param") in values)
        ):
            return  # a parametrize list: bound to the test's parameter (`parametrized_objects`)
        container = any(
            tag == "ref" and knowledge.canonical(value.rstrip("()")) in CONTAINERS
            for tag, value in values
        )
        arguments = [*node.args, *(k.value for k in node.keywords)]
        wrapper = any(tag == "ref" and knowledge.meta_estimator(value) for tag, value in values)
        wrapped: set[int] = set()
        for held in sorted({i for arg in arguments for i in self.objects(arg)}):
            if self.deferred_kind(held) == "forward":
                if container:
                    self.call_objs[id(node)] = held  # the container draws when called
            elif wrapper and self.deferred_kind(held) == "estimator":
                # `make_pipeline(scaler, est)`, `GridSearchCV(est, grid)`: fitted when the
                # wrapper is (`use`); the wrapper stands for it where it draws nothing itself.
                wrapped.add(held)
                self.deferred_used.add(held)
            else:
                # Handed to another function (`enumerate(loader)`, `cross_val_score(clf,
                # ...)`, `trainer.fit(model, loader)`): it may iterate or fit it there.
                self.use(held, node)
        if wrapped:
            seed = next((k.value for k in node.keywords if k.arg == "random_state"), None)
            if (
                seed is not None
                and not (type(seed) is _Constant and seed.value is None)
                and any(
                    tag == "ref" and knowledge.seeds_held_estimators(value) for tag, value in values
                )
            ):
                self.seeded_objects.update(wrapped)  # the ensemble seeds what it fits
            self.wrapped_calls[id(node)] = tuple(sorted(wrapped))
            self.clones[id(node)] = frozenset(("obj", str(i)) for i in sorted(wrapped))

    def use_iterated(self, node: ast.expr) -> None:
        """`for batch in loader`, `[b for b in sampler]`."""
        for index in sorted(set(self.objects(node))):
            kind = self.deferred_kind(index)
            if kind == "iteration" or (
                kind == "estimator" and "__iter__" in self.draw_methods(index)
            ):
                self.use(index, node)

    def use_escaping(self, node: ast.expr, at: ast.expr) -> None:
        """A loader or estimator returned to the caller: it draws there or later."""
        for index in sorted(set(self.objects(node))):
            if self.deferred_kind(index) != "forward":
                self.use(index, at)

    def _unbound_deferred(self) -> None:
        """A loader or estimator built where no name holds it (`[RF(), SVC()]`, a dict of
        models) and never visibly used: counted where it is built, as before.  A dropout
        layer that is neither held nor called draws nothing we can see."""
        for index in sorted(set(self.call_objs.values())):
            if index in self.deferred_used or index in self.deferred_bound:
                continue
            if self.deferred_kind(index) != "forward":
                self.facts.calls[index] = replace(self.facts.calls[index], role="draw")

    def mode_switch(self, node: ast.Call) -> None:
        """`model.eval()` / `model.train(False)` turn dropout off; `model.train()` on."""
        attr = node.func.attr  # type: ignore[attr-defined]
        if attr == "eval" and not node.args and not node.keywords:
            self.flow.append(("mode", 1))
        elif attr == "train" and len(node.args) + len(node.keywords) <= 1:
            arg = node.args[0] if node.args else node.keywords[0].value if node.keywords else None
            if arg is None or (type(arg) is _Constant and arg.value is True):
                self.flow.append(("mode", 0))
            elif type(arg) is _Constant and arg.value is False:
                self.flow.append(("mode", 1))

    def classify_ref_call(
        self, node: ast.Call, qualname: str, alias: str | None, n_candidates: int
    ) -> int | None:
        legacy = knowledge.numpy_legacy_call(qualname)
        if legacy is not None:
            seed = self.seed_arg(node, (0, "seed")) if legacy.role == "seed" else None
            return self.record(node, qualname, "numpy", legacy.role, seed=seed, n=n_candidates)
        std = knowledge.stdlib_call(qualname, self.python)
        if std is not None:
            seed = self.seed_arg(node, (0, "a")) if std.role == "seed" else None
            return self.record(node, qualname, "random", std.role, seed=seed, n=n_candidates)
        seeding = knowledge.seeding_call(qualname)
        if seeding is not None:
            seed = self.seed_arg(node, seeding.seed_param) if seeding.seed_param else None
            library = qualname.split(".", 1)[0]
            return self.record(node, qualname, library, seeding.role, seed=seed, n=n_candidates)
        torch_api = knowledge.torch_call(qualname)
        if torch_api is None and _TORCH_DIST_SAMPLE.match(qualname):
            torch_api = knowledge.torch_call(
                "torch.distributions.Distribution." + qualname.rsplit(".", 1)[1]
            )
        if torch_api is not None:
            if torch_api.only_if_arg is not None and not _arg_given(node, torch_api.only_if_arg):
                return None
            if torch_api.never_if_zero is not None and _arg_zero(node, torch_api.never_if_zero):
                return None  # `nn.Dropout(p=0.0)`, `F.dropout(x, 0.0)`: never draws
            train_only = False
            if torch_api.training_arg is not None:
                training = _arg_node(node, torch_api.training_arg)
                if type(training) is _Constant and not training.value:
                    return None  # `training=False`
                train_only = training is not None and type(training) is not _Constant
            if torch_api.draws_on in ("forward", "iteration"):
                index = self.record_deferred(node, torch_api.qualname, "torch", n_candidates)
                self.loader_dataset(node, index)
                return index
            index = self.record(node, torch_api.qualname, "torch", "draw", n=n_candidates)
            if train_only:
                self.facts.calls[index] = replace(self.facts.calls[index], train_only=True)
            return index
        generator = knowledge.explicit_generator(qualname)
        if generator is not None:
            seed = self.seed_arg(node, generator.seed_param) if generator.seed_param else None
            target = alias
            if target is None and self.assigned_call is not None and self.assigned_call[0] is node:
                target = _dotted_text(self.assigned_call[1])
            return self.record(
                node,
                qualname,
                generator.library,
                "construct",
                seed=seed,
                target=target,
                n=n_candidates,
            )
        third = knowledge.thirdparty_draw(qualname)
        if third is None and _SCIPY_RVS.match(qualname):
            third = knowledge.thirdparty_draw("scipy.stats.rv_continuous.rvs")
        if third is None and qualname.startswith("pandas.") and qualname.endswith(").sample"):
            third = knowledge.thirdparty_draw("pandas.DataFrame.sample")
        if third is not None:
            if id(node) in self.raising_calls:
                return None  # under `pytest.raises`: the call fails before it draws
            library = third.qualname.split(".", 1)[0]
            if third.kind == "estimator":
                return self.record_deferred(node, third.qualname, library, n_candidates)
            return self.record(node, third.qualname, library, "draw", n=n_candidates)
        return None

    def record_deferred(self, node: ast.Call, qualname: str, library: str, n: int) -> int:
        index = self.record(node, qualname, library, "deferred", n=n)
        self.call_objs[id(node)] = index
        wrapped = self.wrapped_calls.get(id(node))
        if wrapped:
            self.wrapped[index] = wrapped  # `BaggingClassifier(tree)`: fits `tree` too
        return index

    def classify_instance_call(self, node: ast.Call, value: str) -> int | None:
        instance, _, method = value.rpartition(".")
        if instance == "torch.Generator" and method == "manual_seed":
            receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
            target = receiver.id if isinstance(receiver, ast.Name) else None
            return self.record(
                node,
                value,
                "torch",
                "instance",
                seed=self.seed_arg(node, (0, "seed")),
                target=target,
            )
        return None

    def record(
        self,
        node: ast.expr,
        qualname: str,
        library: str,
        role: str,
        *,
        usage: str = "call",
        seed: SeedArg | None = None,
        target: str | None = None,
        n: int = 1,
    ) -> int:
        keywords: tuple[str, ...] = ()
        keyword_values: tuple[tuple[str, str], ...] = ()
        n_positional = 0
        star = star_kwargs = False
        if isinstance(node, ast.Call):
            keywords = tuple(k.arg for k in node.keywords if k.arg is not None)
            star_kwargs = any(k.arg is None for k in node.keywords)
            if star_kwargs and any(
                k.arg is None
                and (_builds_generator_key(k.value) or _GENERATOR_KWARGS <= self.resolve(k.value))
                for k in node.keywords
            ):
                keywords += ("generator",)  # `**kw` built with a "generator" key
            star = star_kwargs or any(isinstance(a, ast.Starred) for a in node.args)
            n_positional = len(node.args)
            keyword_values = tuple(
                (k.arg, _short_source(k.value)) for k in node.keywords if k.arg is not None
            )
        param_default = bool(
            self.param_default_guard
            or (
                seed is not None
                and seed.kind == "dynamic"
                and set(seed.names) & set(self.scope.params)
            )
        )
        call = ApiCall(
            span=self.span(node),
            qualname=qualname,
            library=library,
            role=role,  # type: ignore[arg-type]
            usage=usage,  # type: ignore[arg-type]
            keywords=keywords,
            n_positional=n_positional,
            has_star_args=star,
            star_kwargs=star_kwargs,
            seed=seed,
            scope=self.scope.qualname,
            loop_depth=self.loop_depth,
            loop_assigned=(
                tuple(sorted(_assigned_names(self.loop_node)))
                if self.loop_node is not None and (seed is not None or role == "construct")
                else ()
            ),
            target=target,
            param_default=param_default,
            keyword_values=keyword_values,
            candidates=n,
            is_argument=id(node) in self.argument_calls,
        )
        self.facts.calls.append(call)
        return len(self.facts.calls) - 1

    def seed_arg(self, node: ast.Call, param: tuple[int, str] | None) -> SeedArg:
        if param is None:
            return SeedArg("absent")
        position, keyword = param
        value: ast.expr | None = None
        for kw in node.keywords:
            if kw.arg == keyword:
                value = kw.value
        if (
            value is None
            and len(node.args) > position
            and not any(isinstance(a, ast.Starred) for a in node.args[: position + 1])
        ):
            value = node.args[position]
        if value is None:
            if (
                node.args
                and isinstance(node.args[0], ast.Starred)
                or any(k.arg is None for k in node.keywords)
            ):
                return SeedArg("dynamic", "*args")
            return SeedArg("absent")
        if isinstance(value, ast.Constant):
            if value.value is None:
                return SeedArg("none", "None")
            return SeedArg("constant", repr(value.value))
        names = tuple(sorted({n.id for n in ast.walk(value) if isinstance(n, ast.Name)}))
        source = self.entropy_source(value)
        if source is not None:
            return SeedArg("entropy", _short_source(value), names)
        constant = None
        if type(value) is _Name:
            found = self.lookup(value.id)
            if len(found) == 1:
                ((tag, text),) = found
                if tag == "const":
                    constant = text  # `SEED = 123; default_rng(SEED)`
        return SeedArg("dynamic", _short_source(value), names, constant)

    def entropy_source(self, value: ast.expr) -> str | None:
        """Why `value` changes from run to run: "clock", "entropy" (the OS, ids, a local
        derived from them) or "draw" (a number drawn from a global generator); else None."""
        return self._entropy_source(value, set())

    def _entropy_source(self, value: ast.expr, seen: set[str]) -> str | None:
        for sub in ast.walk(value):
            if type(sub) is _Name:
                name = sub.id
                assigned = self._assigned_expr(name)
                if assigned is not None and name not in seen:
                    seen.add(name)
                    found = self._entropy_source(assigned, seen)
                    if found is not None:
                        return found
            elif isinstance(sub, ast.Call):
                if (
                    isinstance(sub.func, ast.Name)
                    and sub.func.id in _ENTROPY_BUILTINS
                    and not self.lookup(sub.func.id)
                ):
                    return "entropy"
                for kind, resolved in self.resolve(sub.func):
                    if kind != "ref":
                        continue
                    if resolved.startswith(_ENTROPY_PREFIXES):
                        return "clock" if resolved.startswith(("time.", "datetime.")) else "entropy"
                    qualname = knowledge.canonical(resolved)
                    entry = knowledge.numpy_legacy_call(qualname) or knowledge.stdlib_call(qualname)
                    if entry is not None and entry.role == "draw":
                        return "draw"  # `random.seed(random.randint(...))`
        return None


# Statement type -> its `_Extractor.stmt_*` method (a dict lookup instead of a getattr on a
# built name for each of the millions of statements of a large run).
_STMT_HANDLERS: dict[type, Any] = {
    getattr(ast, name[5:]): method
    for name, method in vars(_Extractor).items()
    if name.startswith("stmt_") and hasattr(ast, name[5:])
}


@lru_cache(maxsize=65536)
def _ref_callee(value: str) -> tuple[str | None, str | None]:
    """For a call of the resolved name `value`: the canonical name to look up in the tables
    (None when no table can know it), and the project function it may be (None for the
    libraries themselves and builtins).  Cached: the same few thousand names recur."""
    top = value.split(".", 1)[0]
    target = value.replace("()", "")
    if value.endswith("()"):
        target += ".__call__"  # calling an instance (an nn.Module runs its forward)
    if top not in knowledge.known_packages():
        return None, target
    qualname = knowledge.canonical(value)
    api = qualname if _may_be_api(qualname) else None
    if top in LIBRARY_PACKAGES or value.startswith("builtins."):
        return api, None
    return api, target


@lru_cache(maxsize=16384)
def _may_be_api(qualname: str) -> bool:
    """Whether any knowledge table (or name pattern) knows `qualname`."""
    return bool(
        knowledge.numpy_legacy_call(qualname)
        or knowledge.stdlib_call(qualname)
        or knowledge.seeding_call(qualname)
        or knowledge.torch_call(qualname)
        or knowledge.explicit_generator(qualname)
        or knowledge.thirdparty_draw(qualname)
        or _TORCH_DIST_SAMPLE.match(qualname)
        or _SCIPY_RVS.match(qualname)
        or (qualname.startswith("pandas.") and qualname.endswith(").sample"))
    )


# Fields of the expression types that hold sub-expressions, in evaluation order: `_children`
# is on the hottest path, and a table beats inspecting every field of every node.
_EXPR_FIELDS: dict[type, tuple[str, ...]] = {
    ast.BoolOp: ("values",),
    ast.BinOp: ("left", "right"),
    ast.UnaryOp: ("operand",),
    ast.IfExp: ("test", "body", "orelse"),
    ast.Dict: ("keys", "values"),
    ast.Set: ("elts",),
    ast.Await: ("value",),
    ast.Yield: ("value",),
    ast.YieldFrom: ("value",),
    ast.Compare: ("left", "comparators"),
    ast.FormattedValue: ("value", "format_spec"),
    ast.JoinedStr: ("values",),
    ast.Subscript: ("value", "slice"),
    ast.Starred: ("value",),
    ast.List: ("elts",),
    ast.Tuple: ("elts",),
    ast.Slice: ("lower", "upper", "step"),
}
_FIELDS: dict[type, tuple[str, ...]] = {}
_NODE_TYPES = (ast.expr, ast.comprehension, ast.keyword)


def _children(node: ast.AST) -> list[ast.AST]:
    """Sub-expressions of an expression node, or of a simple statement, in order."""
    cls = type(node)
    known = _EXPR_FIELDS.get(cls)
    if known is not None:
        out: list[ast.AST] = []
        for name in known:
            value = getattr(node, name)
            if type(value) is list:
                out.extend(v for v in value if v is not None)  # Dict keys hold None for **
            elif value is not None:
                out.append(value)
        return out
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = tuple(
            f
            for f in cls._fields
            if f not in ("ctx", "op", "ops", "conversion", "is_async", "kind")
        )
    out = []
    for name in fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            out.extend(v for v in value if isinstance(v, _NODE_TYPES))
        elif isinstance(value, _NODE_TYPES):
            out.append(value)
    return out


def _advance(values: frozenset[Value], kind: str, attr: str) -> frozenset[Value]:
    """The values one attribute or call step further; an unknown thing's stay unknown."""
    if len(values) == 1:
        (value,) = values
        if value == UNKNOWN:
            return _UNKNOWN_SET
        return frozenset((_step(value, kind, attr),))
    return frozenset(_step(v, kind, attr) for v in values)


def _step(value: Value, kind: str, attr: str) -> Value:
    tag, name = value
    if tag == "ref":
        if kind == "attr":
            return ("ref", f"{name}.{attr}")
        canonical = knowledge.canonical(name)
        generator = knowledge.explicit_generator(canonical)
        if generator is not None:
            return ("inst", generator.instance)
        return ("ref", f"{name}()")
    if tag == "inst":
        if kind == "attr":
            return ("inst", f"{name}.{attr}")
        # Methods that return the generator itself (torch.Generator().manual_seed(0)).
        if name == "torch.Generator.manual_seed":
            return ("inst", "torch.Generator")
        return UNKNOWN
    return UNKNOWN


def _dotted_text(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of names, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _all_unknown_receivers(values: frozenset[Value]) -> bool:
    return all(v == UNKNOWN or v[1].endswith("()") or "()." in v[1] for v in values)


def _arg_node(node: ast.Call, param: tuple[int, str]) -> ast.expr | None:
    """The argument passed for `param` (position, keyword), or None."""
    position, keyword = param
    for kw in node.keywords:
        if kw.arg == keyword:
            return kw.value
    args = node.args
    if len(args) > position and not any(type(a) is ast.Starred for a in args[: position + 1]):
        return args[position]
    return None


def _arg_zero(node: ast.Call, param: tuple[int, str]) -> bool:
    value = _arg_node(node, param)
    return type(value) is _Constant and type(value.value) in (int, float) and value.value == 0


def _arg_given(node: ast.Call, param: tuple[int, str]) -> bool:
    position, keyword = param
    for kw in node.keywords:
        if kw.arg == keyword:
            return not (isinstance(kw.value, ast.Constant) and kw.value.value in (0, 0.0, None))
    if len(node.args) > position:
        arg = node.args[position]
        return not (isinstance(arg, ast.Constant) and arg.value in (0, 0.0, None))
    return False


def _short_source(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return repr(node.value)
    if isinstance(node, ast.Name):
        return node.id
    try:
        text = ast.unparse(node)
    except Exception:  # unparse of odd trees: the text is only informative
        return "<expr>"
    return text if len(text) <= 80 else text[:77] + "..."


_ADD_ARGUMENT = re.compile(
    r"""add_argument\(\s*(?:["']-[\w-]*["']\s*,\s*)?["']--?([\w-]+)["']((?:[^()]|\([^()]*\))*)\)"""
)


def _none_default_options(text: str) -> frozenset[str]:
    """Destinations of `add_argument` calls that default to None: no `default=` (or
    `default=None`), not required, not a flag (`action="store_true"` defaults to False)."""
    names: set[str] = set()
    for match in _ADD_ARGUMENT.finditer(text):
        rest = match.group(2)
        if re.search(r"\brequired\s*=\s*True|\baction\s*=", rest):
            continue
        default = re.search(r"\bdefault\s*=\s*([^,)\s]+)", rest)
        if default is not None and default.group(1) != "None":
            continue
        dest = re.search(r"""\bdest\s*=\s*["'](\w+)["']""", rest)
        names.add(dest.group(1) if dest else match.group(1).replace("-", "_"))
    return frozenset(names)


def _option_default_branch(test: ast.expr, options: frozenset[str]) -> int | None:
    """For `if args.seed is not None:` (or `if args.seed:`) on an option that defaults to
    None: the branch a run without the option takes (0: the body, 1: the else)."""
    negated = False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, negated = test.operand, True
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        right = test.comparators[0]
        if not (isinstance(right, ast.Constant) and right.value is None):
            return None
        if isinstance(test.ops[0], (ast.IsNot, ast.NotEq)):
            taken_when_given = True
        elif isinstance(test.ops[0], (ast.Is, ast.Eq)):
            taken_when_given = False
        else:
            return None
        test = test.left
    else:
        taken_when_given = True  # `if args.seed:`
    if not (isinstance(test, ast.Attribute) and test.attr in options):
        return None
    if negated:
        taken_when_given = not taken_when_given
    return 1 if taken_when_given else 0


def _builds_generator_key(value: ast.expr) -> bool:
    if isinstance(value, ast.Dict):
        return any(isinstance(k, ast.Constant) and k.value == "generator" for k in value.keys)
    return isinstance(value, ast.Call) and any(k.arg == "generator" for k in value.keywords)


def _is_main_guard(test: ast.expr) -> bool:
    if (
        not isinstance(test, ast.Compare)
        or len(test.ops) != 1
        or not isinstance(test.ops[0], ast.Eq)
    ):
        return False
    sides = [test.left, test.comparators[0]]
    has_name = any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
    has_main = any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)
    return has_name and has_main


def _param_none_guard(test: ast.expr, params: tuple[str, ...]) -> bool:
    """`if rng is None:` / `if not rng:` on a parameter: the scientific-Python default idiom."""
    if not params:
        return False
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.Eq))
    ):
        left, right = test.left, test.comparators[0]
        return (
            isinstance(left, ast.Name)
            and left.id in params
            and isinstance(right, ast.Constant)
            and right.value is None
        )
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return isinstance(test.operand, ast.Name) and test.operand.id in params
    return False


def _fixture_autouse(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        for kw in node.keywords:
            if kw.arg == "autouse" and isinstance(kw.value, ast.Constant):
                return bool(kw.value.value)
    return False


def _is_classmethod(node: FuncNode) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "classmethod" for d in node.decorator_list)


def _is_staticmethod(node: FuncNode) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a function body, not descending into nested functions, classes or lambdas."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        yield child
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(child))


def _declared_globals(node: FuncNode) -> frozenset[str]:
    names: set[str] = set()
    for child in _own_nodes(node):
        if isinstance(child, (ast.Global, ast.Nonlocal)):
            names.update(child.names)
    return frozenset(names)


def _assigned_names(node: ast.AST) -> set[str]:
    return {
        child.id
        for child in ast.walk(node)
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store)
    }


def _value_last(entry: tuple[Any, str, str]) -> bool:
    return entry[1] in _VALUE_ARGS


_LITERAL_TYPES = (bool, int, float, str, type(None))


def _literal(node: ast.expr) -> str | None:
    """The source form of a constant argument or default (`0`, `-1`, `True`, `None`, `"a"`),
    or None for anything else."""
    if type(node) is ast.UnaryOp and type(node.op) is ast.USub:
        inner = _literal(node.operand)
        return None if inner is None or inner[0] == "-" else f"-{inner}"
    if type(node) is not _Constant:
        return None
    value = node.value
    if not isinstance(value, _LITERAL_TYPES) or (type(value) is str and len(value) > 40):
        return None
    return repr(value)


def _param_test(test: ast.expr, params: tuple[str, ...]) -> tuple[str, str, str] | None:
    """An `if` test on a parameter alone, evaluable once the parameter's constant value is
    known: (parameter, operator, literal) with operator "truthy" (`if p:`), "falsy"
    (`if not p:`), "is", "isnot", "eq" or "ne" (`p is None`, `p == "cuda"`)."""
    if type(test) is _Name:
        name = test.id
        return (name, "truthy", "") if name in params else None
    if type(test) is ast.UnaryOp and type(test.op) is ast.Not:
        inner = _param_test(test.operand, params)
        if inner is None:
            return None
        negated = {"truthy": "falsy", "falsy": "truthy", "is": "isnot", "isnot": "is"}
        negated |= {"eq": "ne", "ne": "eq"}
        return inner[0], negated[inner[1]], inner[2]
    if type(test) is ast.Compare and len(test.ops) == 1:
        left, right = test.left, test.comparators[0]
        if type(left) is not _Name:
            left, right = right, left
        if type(left) is not _Name or left.id not in params:
            return None
        literal = _literal(right)
        operator = _TEST_OPERATORS.get(type(test.ops[0]))
        if literal is None or operator is None:
            return None
        return left.id, operator, literal
    return None


_TEST_OPERATORS: dict[type, str] = {ast.Is: "is", ast.IsNot: "isnot", ast.Eq: "eq", ast.NotEq: "ne"}


def _param_values(
    node: FuncNode, names: set[str], defaults: bool = True
) -> tuple[tuple[str, str | None], ...]:
    """The parameters whose constant value matters (`names`), each with its literal default
    (None: no default, one that is not a literal, or `defaults` is False)."""
    if not defaults:
        return tuple((name, None) for name in sorted(names))
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    found: dict[str, str | None] = {}
    for arg, default in zip(
        positional[len(positional) - len(args.defaults) :], args.defaults, strict=True
    ):
        found[arg.arg] = _literal(default)
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if kw_default is not None:
            found[arg.arg] = _literal(kw_default)
    return tuple((name, found.get(name)) for name in sorted(names))
