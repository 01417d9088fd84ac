"""Which top-level statements the fix planner needs as libcst trees, and what the others add.

Parsing a whole module with libcst and indexing every node cost 2.6x a cold check on
scikit-learn, while a fix touches a few statements of a file.  So the module's top-level
statements are found with `ast` (a tenth of libcst's cost), and only the ones the planner
looks at are parsed with libcst, each on its own: those holding a recorded call or a finding,
the leading import block, every module-level import (and `try:` of imports), and those
mentioning a name a `RandomState` is assigned to.  What the planner asks about the whole
module (names mentioned and bound, bindings per scope, `global` declarations, star imports,
whether a statement runs code) comes for the other statements from an `ast` walk that counts
exactly what `cst_index` counts (`Opaque`).  Untouched statements are copied byte for byte
into the output (`render` in cst_index).

Each statement's text (`Top.start`..`Top.end`) is cut where libcst's whole-module parse puts
the boundary: a statement owns the blank and comment lines above it (its `leading_lines`);
a compound statement whose last block is indented owns the comment lines after it up to the
last one indented at that block's level (the block's `footer`).  A statement after the first
is parsed behind a `pass` line, so that the lines above it stay its `leading_lines` rather
than becoming a module header.

`None` (parse the whole module, as before) whenever that cut is not certain to match:
carriage returns or form feeds, a byte-order mark, a module `ast` rejects, the parameter fix
style (which makes new indented blocks in the module's default indentation).
"""

from __future__ import annotations

import ast
import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analysis.facts import ModuleFacts
from ..diagnostics import Diagnostic

__all__ = ["Layout", "Opaque", "OpaqueBinding", "Top", "plan_layout"]

PREFIX = "pass\n"  # parsed before a statement that is not the module's first


@dataclass(frozen=True)
class OpaqueBinding:
    """A name binding in a statement libcst does not parse, with what the planner asks of it
    (see CstIndex's binding questions)."""

    kind: str  # "global", "nonlocal", "import" or "other"
    local: bool  # bound in a nested scope (CstIndex._local_binding)
    module_owner: bool  # no function body runs it (CstIndex.owner_function is None)
    literal: str | None  # `name = "<string>"`, its source (CstStructure.name_value)


@dataclass
class Opaque:
    """A top-level statement kept as text, with its names summarised."""

    nodes: list[ast.stmt]
    has_leading: bool  # blank or comment lines above it (its leading_lines)
    mentions: set[str] = field(default_factory=set)
    bindings: list[tuple[str, OpaqueBinding]] = field(default_factory=list)
    module_scope: Counter[str] = field(default_factory=Counter)  # bindings in scope 0
    declared: set[str] = field(default_factory=set)
    star_import: bool = False
    _runs: bool | None = None

    @property
    def may_run_code(self) -> bool:
        """CstIndex.may_run_code (asked of a few statements: computed when asked)."""
        if self._runs is None:
            self._runs = _may_run_code(self.nodes)
        return self._runs


@dataclass
class Top:
    start: int  # offsets into the module text
    end: int
    first_line: int  # the line `start` is on (1-based)
    has_leading: bool
    nodes: list[ast.stmt]
    needed: bool = False


@dataclass
class Layout:
    tops: list[Top]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None)
    return decorators[0].lineno if decorators else stmt.lineno


def _last_suite(stmt: ast.stmt) -> list[ast.stmt] | None:
    """The textually last block of a compound statement (None for a simple statement)."""
    if isinstance(stmt, ast.If):
        return stmt.orelse or stmt.body
    if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
        return stmt.orelse or stmt.body
    if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
        tried: Any = stmt
        suite: list[ast.stmt] = (
            tried.finalbody
            or tried.orelse
            or (tried.handlers[-1].body if tried.handlers else tried.body)
        )
        return suite
    if isinstance(
        stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With, ast.AsyncWith)
    ):
        return stmt.body
    return None


def _footer_indent(stmt: ast.stmt, lines: Sequence[str]) -> str | None:
    """The indentation of the statement's last block when that block is indented (it owns
    the comment lines after it that are indented as much); None when it is not, or when the
    last block is an `elif`/nested one this cannot tell apart (the caller gives up)."""
    if isinstance(stmt, ast.Match):
        return None  # its cases' block is not any statement's: parse the module whole
    suite = _last_suite(stmt)
    if suite is None:
        return ""
    first = suite[0]
    if isinstance(stmt, ast.If) and stmt.orelse and len(suite) == 1 and isinstance(first, ast.If):
        # `elif`: the block that ends the statement is the elif's own.
        line = lines[first.lineno - 1]
        if line.lstrip().startswith("elif"):
            return _footer_indent(first, lines)
    line = lines[_first_line(first) - 1]
    prefix = line[: len(line) - len(line.lstrip(" \t"))]
    # Inline block (`if x: pass`): no footer.  The block's first statement starts after the
    # indentation only when the block is indented (columns are UTF-8 bytes; indentation is
    # ASCII, so the two agree up to the first non-blank).
    if first.col_offset != len(prefix.encode()) or _first_line(first) == stmt.lineno:
        return ""
    return prefix


def _blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def plan_layout(
    text: str,
    facts: ModuleFacts,
    diagnostics: Iterable[Diagnostic],
) -> tuple[Layout, list[Opaque | None]] | None:
    """The module's top-level statements, those the planner needs marked, the others
    summarised (`Opaque`, None for the needed ones); None to parse the whole module."""
    if "\r" in text or "\f" in text or text.startswith("\ufeff") or not text.endswith("\n"):
        return None  # (without a final newline, removing the last statement moves it)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not tree.body:
        return None
    starts = _line_starts(text)
    lines = text.split("\n")
    # Group statements joined by `;` on one line: libcst makes them one statement.
    groups: list[list[ast.stmt]] = []
    for stmt in tree.body:
        if groups and _first_line(stmt) == groups[-1][-1].end_lineno:
            groups[-1].append(stmt)
        else:
            groups.append([stmt])
    tops: list[Top] = []
    begin_line = 1
    for index, group in enumerate(groups):
        first = _first_line(group[0])
        last = group[-1]
        assert last.end_lineno is not None
        if index + 1 < len(groups):
            following = _first_line(groups[index + 1][0])
            indent = _footer_indent(last, lines)
            if indent is None:
                return None
            end_line = last.end_lineno
            for number in range(last.end_lineno + 1, following):
                line = lines[number - 1]
                if not _blank_or_comment(line):
                    return None  # not the layout assumed: parse it whole
                if indent and line.startswith(indent):
                    end_line = number
            end = starts[end_line]
        else:
            end = len(text)
        start = starts[begin_line - 1]
        tops.append(Top(start, end, begin_line, first > begin_line, group))
        if end < len(text):
            begin_line = _line_of(starts, end)
    _mark_needed(tops, facts, diagnostics)
    summaries: list[Opaque | None] = []
    for top in tops:
        if top.needed:
            summaries.append(None)
        else:
            summaries.append(_summarise(top, lines))
        top.nodes = []  # libcst parses the needed ones; an Opaque keeps its own (memory)
    return Layout(tops), summaries


def _line_of(starts: list[int], offset: int) -> int:
    """1-based line number of a line-start offset."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


_LEADING = (ast.Import, ast.ImportFrom, ast.Try, ast.If, ast.Assign, ast.AnnAssign, ast.Expr)


# Calls the planner asks about beyond the findings: the seeding calls (plan._is_seeding).
_SEEDING_ROLES = ("seed", "state-write", "entropy")


def _mark_needed(tops: list[Top], facts: ModuleFacts, diagnostics: Iterable[Diagnostic]) -> None:
    lines: set[int] = {c.span.line for c in facts.calls if c.role in _SEEDING_ROLES}
    lines.update(d.span.line for d in diagnostics)
    randomstate_lines = {d.span.line for d in diagnostics if d.code == "SDL102"}
    # The leading import block (CstIndex.leading_block_end reads it statement by statement).
    for top in tops:
        if all(isinstance(s, _LEADING) for s in top.nodes):
            top.needed = True
        else:
            break
    names: set[str] = set()
    ordered = sorted(lines)
    for top in tops:
        first, last = _first_line(top.nodes[0]), top.nodes[-1].end_lineno or 0
        at = bisect.bisect_left(ordered, first)
        if at < len(ordered) and ordered[at] <= last:
            top.needed = True
            if any(first <= line <= last for line in randomstate_lines):
                names.update(_randomstate_names(top.nodes, randomstate_lines))
        for stmt in top.nodes:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                top.needed = True
            elif isinstance(stmt, ast.Try) and any(
                isinstance(s, (ast.Import, ast.ImportFrom)) for s in stmt.body
            ):
                top.needed = True
    if names:
        # Every use of a name a RandomState is assigned to must be seen (_name_uses).
        for top in tops:
            if not top.needed and any(
                isinstance(n, ast.Name) and n.id in names for n in _walk(top.nodes)
            ):
                top.needed = True


def _module_scope(nodes: Sequence[ast.AST]) -> Iterable[ast.AST]:
    """The nodes whose names are the module's (not in a function, class, lambda or
    comprehension): a name assigned in a function is only used in that statement."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.Lambda, *_COMPS)):
            stack.extend(ast.iter_child_nodes(node))


def _randomstate_names(nodes: Sequence[ast.stmt], lines: set[int]) -> set[str]:
    """Names a RandomState is assigned to at module level (its uses may be anywhere)."""
    found: set[str] = set()
    for node in _module_scope(nodes):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
            and node.value.lineno in lines
        ):
            found.add(node.targets[0].id)
    return found


def _walk(nodes: Sequence[ast.AST]) -> Iterable[ast.AST]:
    for node in nodes:
        yield from ast.walk(node)


# --- the summary of an unparsed statement: what cst_index would have recorded -------------


def _targets(node: ast.AST | None) -> Iterable[str]:
    """cst_index._target_names on the libcst twin of `node`."""
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            yield from _targets(element)
    elif isinstance(node, ast.Starred):
        yield from _targets(node.value)


@dataclass(frozen=True)
class _Where:
    module_scope: bool  # the libcst chain's innermost scope is the module's (0)
    owner_module: bool  # no function body encloses it
    in_body: bool  # in a function's or class's body
    in_lambda: bool
    in_comp: bool


_TOP = _Where(True, True, False, False, False)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class _Summariser:
    def __init__(self, out: Opaque, lines: list[str]) -> None:
        self.out = out
        self.lines = lines

    def mention(self, name: str) -> None:
        self.out.mentions.add(name)

    def bind(
        self,
        name: str,
        where: _Where,
        kind: str = "other",
        *,
        local: bool | None = None,
        scope_zero: bool | None = None,
        literal: str | None = None,
    ) -> None:
        is_local = (
            local if local is not None else (where.in_body or where.in_lambda or where.in_comp)
        )
        binding = OpaqueBinding(kind, is_local, where.owner_module, literal)
        self.out.bindings.append((name, binding))
        if scope_zero if scope_zero is not None else where.module_scope:
            self.out.module_scope[name] += 1

    # -- the walk --------------------------------------------------------------------------
    def stmts(self, body: Sequence[ast.stmt], where: _Where) -> None:
        for stmt in body:
            self.node(stmt, where)

    def exprs(self, nodes: Iterable[ast.AST | None], where: _Where) -> None:
        for node in nodes:
            if node is not None:
                self.node(node, where)

    def arguments(self, args: ast.arguments, outer: _Where, inner: _Where) -> None:
        """Parameters bind in the function's scope; defaults and annotations are evaluated
        where the function is defined."""
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        if args.vararg is not None:
            every.append(args.vararg)
        if args.kwarg is not None:
            every.append(args.kwarg)
        for arg in every:
            self.mention(arg.arg)
            self.bind(arg.arg, inner, local=True, scope_zero=False)
            self.exprs([arg.annotation], outer)
        self.exprs([*args.defaults, *args.kw_defaults], outer)

    def node(self, node: ast.AST, where: _Where) -> None:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            for child in ast.iter_child_nodes(node):
                self.node(child, where)
        elif handler is not _skip:
            handler(self, node, where)

    def _name(self, node: ast.Name, where: _Where) -> None:
        self.mention(node.id)

    def _constant(self, node: ast.Constant, where: _Where) -> None:
        if node.value is None or type(node.value) is bool:
            self.mention(repr(node.value))  # libcst's Name("None"), Name("True")...

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, where: _Where) -> None:
        self.mention(node.name)
        self.exprs(node.decorator_list, where)
        self.bind(node.name, where)
        inner = _Where(False, where.owner_module, where.in_body, where.in_lambda, where.in_comp)
        self.arguments(node.args, where, inner)
        self.exprs([node.returns], where)
        for param in getattr(node, "type_params", ()):
            self.node(param, where)
        body = _Where(False, False, True, where.in_lambda, where.in_comp)
        self.stmts(node.body, body)

    def _class(self, node: ast.ClassDef, where: _Where) -> None:
        self.mention(node.name)
        self.exprs(node.decorator_list, where)
        self.bind(node.name, where)
        for param in getattr(node, "type_params", ()):
            self.node(param, where)
        self.exprs([*node.bases, *node.keywords], where)
        body = _Where(False, where.owner_module, True, where.in_lambda, where.in_comp)
        self.stmts(node.body, body)

    def _lambda(self, node: ast.Lambda, where: _Where) -> None:
        inner = _Where(False, where.owner_module, where.in_body, True, where.in_comp)
        outer = _Where(where.module_scope, where.owner_module, where.in_body, True, where.in_comp)
        self.arguments(node.args, outer, inner)
        self.node(node.body, inner)

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp, where: _Where
    ) -> None:
        inner = _Where(False, where.owner_module, where.in_body, where.in_lambda, True)
        for number, generator in enumerate(node.generators):
            # The outermost iterable is evaluated in the enclosing scope.
            outer = _Where(
                where.module_scope, where.owner_module, where.in_body, where.in_lambda, True
            )
            self.node(generator.iter, outer if number == 0 else inner)
            for name in _targets(generator.target):
                self.bind(name, inner, local=True, scope_zero=False)
            self.node(generator.target, inner)
            self.exprs(generator.ifs, inner)
        if isinstance(node, ast.DictComp):
            self.exprs([node.key, node.value], inner)
        else:
            self.node(node.elt, inner)

    def _walrus(self, node: ast.NamedExpr, where: _Where) -> None:
        for name in _targets(node.target):
            # Counted in every scope of the chain, the module's included (cst_index).
            self.bind(name, where, local=where.in_body or where.in_lambda, scope_zero=True)
        self.exprs([node.target, node.value], where)

    def _import(self, node: ast.Import | ast.ImportFrom, where: _Where) -> None:
        for alias in node.names:
            if alias.name == "*":
                self.out.star_import = True
                continue
            name = alias.asname if alias.asname else alias.name.split(".", 1)[0]
            self.bind(name, where, "import")

    def _declaration(self, node: ast.Global | ast.Nonlocal, where: _Where) -> None:
        kind = "global" if isinstance(node, ast.Global) else "nonlocal"
        for name in node.names:
            self.mention(name)
            self.bind(name, where, kind)
            self.out.declared.add(name)

    def _assign(self, node: ast.Assign, where: _Where) -> None:
        literal = None
        if (
            len(node.targets) == 1
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, (str, bytes))
        ):
            literal = self._simple_string(node.value)
        for target in node.targets:
            for name in _targets(target):
                self.bind(name, where, literal=literal)
        self.exprs([*node.targets, node.value], where)

    def _augmented(self, node: ast.AnnAssign | ast.AugAssign, where: _Where) -> None:
        for name in _targets(node.target):
            self.bind(name, where)
        self.exprs([node.target, getattr(node, "annotation", None), node.value], where)

    def _for(self, node: ast.For | ast.AsyncFor, where: _Where) -> None:
        for name in _targets(node.target):
            self.bind(name, where)
        self.exprs([node.target, node.iter], where)
        self.stmts(node.body, where)
        self.stmts(node.orelse, where)

    def _delete(self, node: ast.Delete, where: _Where) -> None:
        for target in node.targets:
            for name in _targets(target):
                self.bind(name, where)
        self.exprs(node.targets, where)

    def _withitem(self, node: ast.withitem, where: _Where) -> None:
        self.node(node.context_expr, where)
        if node.optional_vars is not None:
            for name in _targets(node.optional_vars):
                self.bind(name, where)
            self.node(node.optional_vars, where)

    def _handler(self, node: ast.ExceptHandler, where: _Where) -> None:
        self.exprs([node.type], where)
        if node.name is not None:
            self.mention(node.name)
            self.bind(node.name, where)
        self.stmts(node.body, where)

    def _match_as(self, node: ast.MatchAs | ast.MatchStar, where: _Where) -> None:
        if node.name is not None:
            self.mention(node.name)
            self.bind(node.name, where)
        if isinstance(node, ast.MatchAs):
            self.exprs([node.pattern], where)

    def _match_mapping(self, node: ast.MatchMapping, where: _Where) -> None:
        self.exprs([*node.keys, *node.patterns], where)
        if node.rest is not None:
            self.mention(node.rest)
            self.bind(node.rest, where)

    def _match_class(self, node: ast.MatchClass, where: _Where) -> None:
        self.node(node.cls, where)
        for attr in node.kwd_attrs:
            self.mention(attr)  # libcst's MatchKeyword.key is a Name
        self.exprs([*node.patterns, *node.kwd_patterns], where)

    def _match_singleton(self, node: ast.MatchSingleton, where: _Where) -> None:
        self.mention(repr(node.value))

    def _type_param(self, node: Any, where: _Where) -> None:
        self.mention(node.name)
        for child in ast.iter_child_nodes(node):
            self.node(child, where)

    def _simple_string(self, value: ast.Constant) -> str | None:
        """The source of a string literal when libcst makes it a SimpleString (one literal,
        not implicitly concatenated, not an f-string)."""
        source = _segment(self.lines, value)
        return source if source is not None and _one_literal(source) else None


def _skip(summariser: _Summariser, node: Any, where: _Where) -> None:
    """Contexts and operators: no names below them."""


def _handlers() -> dict[type, Callable[[_Summariser, Any, _Where], None]]:
    """The summariser's method for each node type (built once, never changed)."""
    table: dict[type, Callable[[_Summariser, Any, _Where], None]] = {
        ast.Name: _Summariser._name,
        ast.Constant: _Summariser._constant,
        ast.FunctionDef: _Summariser._function,
        ast.AsyncFunctionDef: _Summariser._function,
        ast.ClassDef: _Summariser._class,
        ast.Lambda: _Summariser._lambda,
        ast.ListComp: _Summariser._comprehension,
        ast.SetComp: _Summariser._comprehension,
        ast.DictComp: _Summariser._comprehension,
        ast.GeneratorExp: _Summariser._comprehension,
        ast.NamedExpr: _Summariser._walrus,
        ast.Import: _Summariser._import,
        ast.ImportFrom: _Summariser._import,
        ast.Global: _Summariser._declaration,
        ast.Nonlocal: _Summariser._declaration,
        ast.Assign: _Summariser._assign,
        ast.AnnAssign: _Summariser._augmented,
        ast.AugAssign: _Summariser._augmented,
        ast.For: _Summariser._for,
        ast.AsyncFor: _Summariser._for,
        ast.Delete: _Summariser._delete,
        ast.withitem: _Summariser._withitem,
        ast.ExceptHandler: _Summariser._handler,
        ast.MatchAs: _Summariser._match_as,
        ast.MatchStar: _Summariser._match_as,
        ast.MatchMapping: _Summariser._match_mapping,
        ast.MatchClass: _Summariser._match_class,
        ast.MatchSingleton: _Summariser._match_singleton,
    }
    for kind in ("TypeVar", "ParamSpec", "TypeVarTuple"):
        if hasattr(ast, kind):
            table[getattr(ast, kind)] = _Summariser._type_param
    for base in (ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop):
        for leaf in base.__subclasses__():
            table[leaf] = _skip
    return table


_HANDLERS = _handlers()


def _may_run_code(nodes: Sequence[ast.AST]) -> bool:
    """cst_index._CallFinder on the libcst twin: a call or a decorator that runs when the
    statement does (function and lambda bodies do not run; their defaults do)."""

    def visit(node: ast.AST) -> bool:
        if isinstance(node, ast.Call):
            return True
        if isinstance(node, _FUNCTIONS):
            if node.decorator_list:
                return True
            return _arguments_run(node.args)
        if isinstance(node, ast.Lambda):
            return _arguments_run(node.args)
        if isinstance(node, ast.ClassDef) and node.decorator_list:
            return True
        return any(visit(child) for child in ast.iter_child_nodes(node))

    def _arguments_run(args: ast.arguments) -> bool:
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        every += [a for a in (args.vararg, args.kwarg) if a is not None]
        parts: list[ast.AST] = [a.annotation for a in every if a.annotation is not None]
        parts += [d for d in (*args.defaults, *args.kw_defaults) if d is not None]
        return any(visit(part) for part in parts)

    return any(visit(node) for node in nodes)


def _summarise(top: Top, lines: list[str]) -> Opaque:
    out = Opaque(top.nodes, top.has_leading)
    _Summariser(out, lines).stmts(top.nodes, _TOP)
    return out


def _segment(lines: list[str], node: ast.expr) -> str | None:
    """The node's source (ast columns are UTF-8 byte offsets)."""
    if node.end_lineno is None or node.end_col_offset is None:
        return None
    if node.lineno == node.end_lineno:
        raw = lines[node.lineno - 1].encode()
        return raw[node.col_offset : node.end_col_offset].decode()
    first = lines[node.lineno - 1].encode()[node.col_offset :].decode()
    last = lines[node.end_lineno - 1].encode()[: node.end_col_offset].decode()
    return "\n".join([first, *lines[node.lineno : node.end_lineno - 1], last])


def _one_literal(source: str) -> bool:
    """A single string literal (no implicit concatenation, no f-string, no parentheses):
    what libcst makes a SimpleString."""
    lowered = source.lower()
    head = 0
    while head < len(lowered) and lowered[head] in "rbu":
        head += 1
    if head >= len(source) or source[head] not in "'\"":
        return False
    quote = source[head : head + 3] if source[head : head + 3] in ('"""', "'''") else source[head]
    end = len(source) - len(quote)
    at = head + len(quote)
    if end < at or not source.endswith(quote):
        return False
    while at < end:
        if source[at] == "\\":  # escapes the next character, in raw strings too
            at += 2
        elif source.startswith(quote, at):
            return False  # this literal ends before the source does: another follows
        else:
            at += 1
    return at == end
