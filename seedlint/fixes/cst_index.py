"""One walk over the libcst tree: positions, parents, names, bindings, scopes, imports.

Diagnostics point at calls by position (1-based line, 1-based column in characters, end
exclusive); positions count columns from 0 in characters, as libcst's `PositionProvider`
does, so a node matches when its range plus one column equals the span.

Why one code generation pass and not libcst's metadata providers: on the 174 scikit-learn
files with fixable findings, `PositionProvider` cost 5x a plain code generation (a regular
expression per token, a context manager per node), `ScopeProvider` more than the parse, and
a `CSTVisitor` walk for parents and names as much again.  Code generation visits every node
in source order with its parent on a stack (`before_codegen` / `after_codegen`), so positions,
parents, name mentions, bindings and the scope of each name are all recorded there, with the
same positions as `PositionProvider` (checked node for node on that corpus).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import cast

import libcst as cst
from libcst._nodes.internal import CodegenState

from ..analysis.facts import ApiCall, ModuleFacts
from ..diagnostics import Diagnostic, Span
from ..noqa import parse_directives
from .layout import Layout, Opaque, OpaqueBinding

__all__ = ["CstIndex", "ImportRecord", "Piece", "is_main_guard"]

_MAIN_TESTS = ('__name__ == "__main__"', "__name__ == '__main__'")


@dataclass
class Piece:
    """A run of consecutive top-level statements parsed on their own (layout.py): its
    libcst module (behind a `pass` line when `prefixed`), the index of its first statement
    in the module, and its text's place in the module."""

    top: int
    module: cst.Module
    prefixed: bool
    start: int
    end: int
    first_line: int

    @property
    def statements(self) -> Sequence[cst.BaseStatement]:
        return self.module.body[1:] if self.prefixed else self.module.body


class FallBack(Exception):
    """A statement parsed on its own does not reproduce its text: parse the whole module."""


@dataclass(frozen=True)
class ImportRecord:
    """A module-level import statement (top level, or directly in a top-level `try:` body)."""

    line: cst.SimpleStatementLine
    container: cst.Module | cst.Try
    top_index: int  # index of the top-level statement holding it
    bound: tuple[tuple[str, str], ...]  # (name it binds, dotted name it binds it to)


def _target_names(node: cst.BaseExpression | cst.BaseAssignTargetExpression) -> Iterator[str]:
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            yield from _target_names(element.value)
    elif isinstance(node, cst.StarredElement):
        yield from _target_names(node.value)


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr.value}" if inner else ""
    return ""


def is_main_guard(node: cst.CSTNode) -> bool:
    if not isinstance(node, cst.If):
        return False
    test = cst.Module([]).code_for_node(node.test)
    return " ".join(test.split()) in _MAIN_TESTS


# A position: (line 1-based, column 0-based in characters).
Position = tuple[int, int]
# A node's range: (start, end), end exclusive.
Range = tuple[Position, Position]
# Scopes a name is looked up in, outermost (the module: 0) first: ids of FunctionDef, Lambda,
# ClassDef and comprehension nodes.
Chain = tuple[int, ...]

_NEWLINE = re.compile(r"\r\n?|\n")
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


class _Syntactic:
    """`CodegenState.record_syntactic_position` as a plain context manager (libcst's is a
    generator-based one, a large part of its position cost)."""

    __slots__ = ("end_node", "node", "start", "start_node", "state")

    def __init__(
        self,
        state: _IndexingState,
        node: cst.CSTNode,
        start_node: cst.CSTNode | None,
        end_node: cst.CSTNode | None,
    ) -> None:
        self.state, self.node = state, node
        self.start_node, self.end_node = start_node, end_node
        self.start: Position = (0, 0)

    def __enter__(self) -> None:
        self.start = (self.state.line, self.state.column)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        state = self.state
        ranges = state.ranges
        start = ranges[id(self.start_node)][0] if self.start_node is not None else self.start
        end = (
            ranges[id(self.end_node)][1]
            if self.end_node is not None
            else (state.line, state.column)
        )
        ranges[id(self.node)] = (start, end)


class _IndexingState(CodegenState):
    """Code generation that records, for every node: its range (as libcst's
    `PositionProvider`), its parent; and for names: mentions, bindings and scopes."""

    def __init__(self, module: cst.Module) -> None:
        super().__init__(
            default_indent=module.default_indent, default_newline=module.default_newline
        )
        self.line = 1
        self.column = 0
        self.ranges: dict[int, Range] = {}  # by id(node): a node's hash is a Python call
        self.located: list[cst.CSTNode] = []  # the nodes looked up by position
        # Nodes whose range nobody asks for (dropped once a statement is indexed: memory).
        self.unpositioned: list[int] = []
        self._starts: list[Position] = []
        self.stack: list[cst.CSTNode] = []
        self.chains: list[Chain] = []
        self.parent: dict[int, cst.CSTNode] = {}
        self.mentions: Counter[str] = Counter()  # Name loads/stores outside import statements
        # name -> (Name node, the scopes it is looked up in), for each mention.
        self.mention_nodes: dict[str, list[tuple[cst.Name, Chain]]] = {}
        # (name, binding node), or an OpaqueBinding for a statement kept as text.
        self.bindings: list[tuple[str, cst.CSTNode | OpaqueBinding]] = []
        self.binding_scopes: Counter[tuple[str, int]] = Counter()
        self.class_scopes: set[int] = set()
        self.declared: set[str] = set()  # names some scope declares global or nonlocal
        self.star_import = False
        self._in_import = 0

    # -- positions (as PositionProvidingCodegenState) -------------------------------------------
    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\n" in value or "\r" in value:
            self._advance(value)
        else:
            self.column += len(value)

    def _advance(self, value: str) -> None:
        segments = _NEWLINE.split(value)
        if len(segments) == 1:
            self.column += len(value)
        else:
            self.line += len(segments) - 1
            self.column = len(segments[-1])

    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> _Syntactic:
        return _Syntactic(self, node, start_node, end_node)

    # Dispatch on the exact type: libcst's node classes are ABCs, and isinstance() on them
    # goes through ABCMeta (a third of this pass's time when it was used per node).
    def before_codegen(self, node: cst.CSTNode) -> None:
        self._starts.append((self.line, self.column))
        stack = self.stack
        kind = type(node)
        parent: cst.CSTNode | None = None
        chain: Chain = (0,)
        if stack:
            above = stack[-1]
            parent = above
            if kind not in _TRIVIA_TYPES:  # nobody asks a comma or a space for its parent
                self.parent[id(node)] = above
            chain = self.chains[-1]
            if type(above) in _SCOPE_PARENTS or kind in _COMPREHENSION_TYPES:
                chain = _chain_of(node, above, stack, chain)
        stack.append(node)
        self.chains.append(chain)
        if kind is cst.Name:
            self._name(cast(cst.Name, node), parent, chain)
        elif kind in _IMPORT_TYPES:
            self._in_import += 1
            self._import_bindings(cast("cst.Import | cst.ImportFrom", node), chain)
        elif kind in _BINDING_TYPES:
            self._binding(node, chain)

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self._starts.pop()
        key = id(node)
        if key not in self.ranges:  # a syntactic position recorded already wins
            self.ranges[key] = (start, (self.line, self.column))
        kind = type(node)
        if kind in _LOCATED_TYPES:
            self.located.append(node)
        if kind not in _POSITIONED_TYPES:
            self.unpositioned.append(key)
        self.stack.pop()
        self.chains.pop()
        if kind in _IMPORT_TYPES:
            self._in_import -= 1

    # -- names ---------------------------------------------------------------------------------
    def _name(self, node: cst.Name, parent: cst.CSTNode | None, chain: Chain) -> None:
        if self._in_import:
            return
        kind = type(parent)
        if kind is cst.Attribute and cast(cst.Attribute, parent).attr is node:
            return
        if kind is cst.Arg and cast(cst.Arg, parent).keyword is node:
            return
        self.mentions[node.value] += 1
        self.mention_nodes.setdefault(node.value, []).append((node, chain))

    def _add(self, name: str, node: cst.CSTNode, scope: int) -> None:
        self.bindings.append((name, node))
        self.binding_scopes[(name, scope)] += 1

    def _import_bindings(self, node: cst.Import | cst.ImportFrom, chain: Chain) -> None:
        if isinstance(node.names, cst.ImportStar):
            self.star_import = True
            return
        for alias in node.names:
            if alias.asname is not None:
                for name in _target_names(cast(cst.BaseExpression, alias.asname.name)):
                    self._add(name, node, chain[-1])
            else:
                self._add(_dotted(alias.name).split(".", 1)[0], node, chain[-1])

    def _binding(self, node: cst.CSTNode, chain: Chain) -> None:
        scope = chain[-1]
        if isinstance(node, cst.Param):
            self._add(node.name.value, node, scope)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            self._add(node.name.value, node, scope)
            if isinstance(node, cst.ClassDef):
                self.class_scopes.add(id(node))
        elif isinstance(node, cst.AsName) and not self._in_import:
            for name in _target_names(cast(cst.BaseExpression, node.name)):
                self._add(name, node, scope)
        elif isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign)):
            for name in _target_names(node.target):
                self._add(name, node, scope)
        elif isinstance(node, (cst.For, cst.CompFor)):
            for name in _target_names(node.target):
                self._add(name, node, scope)
        elif isinstance(node, cst.NamedExpr):
            # In a comprehension, `:=` binds in the enclosing function's scope: counted in
            # every scope of the chain (more bindings only ever refuse more).
            for name in _target_names(node.target):
                self.bindings.append((name, node))
                for outer in chain:
                    self.binding_scopes[(name, outer)] += 1
        elif isinstance(node, cst.Del):
            for name in _target_names(cast(cst.BaseExpression, node.target)):
                self._add(name, node, scope)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            for item in node.names:
                self._add(item.name.value, node, scope)
                self.declared.add(item.name.value)
        elif isinstance(node, (cst.MatchAs, cst.MatchStar)) and node.name is not None:
            self._add(node.name.value, node, scope)
        elif isinstance(node, cst.MatchMapping) and node.rest is not None:
            self._add(node.rest.value, node, scope)

    def resolve(self, name: str, chain: Chain) -> int:
        """The scope a mention of `name` looked up through `chain` finds (the module's, 0,
        when none binds it: a global or a builtin).  A class body's names are seen only by
        code directly in it."""
        innermost = len(chain) - 1
        for depth in range(innermost, -1, -1):
            scope = chain[depth]
            if depth != innermost and scope in self.class_scopes:
                continue
            if (name, scope) in self.binding_scopes:
                return scope
        return 0


_IMPORT_TYPES = frozenset({cst.Import, cst.ImportFrom})
_BINDING_TYPES = frozenset(
    {
        cst.Param,
        cst.FunctionDef,
        cst.ClassDef,
        cst.AsName,
        cst.AssignTarget,
        cst.AnnAssign,
        cst.AugAssign,
        cst.For,
        cst.CompFor,
        cst.NamedExpr,
        cst.Del,
        cst.Global,
        cst.Nonlocal,
        cst.MatchAs,
        cst.MatchStar,
        cst.MatchMapping,
    }
)
_SCOPE_PARENTS = frozenset({cst.FunctionDef, cst.Lambda, cst.Param, cst.ClassDef, cst.CompFor})
_COMPREHENSION_TYPES = frozenset(_COMPREHENSIONS)
_LOCATED_TYPES = frozenset({cst.Call, cst.Attribute, cst.Name, cst.FunctionDef})


def _subclasses(base: type) -> set[type]:
    found: set[type] = set()
    sub: type
    for sub in base.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


# The nodes whose positions are asked for (start, end, touches_protected, node_for).
_POSITIONED_TYPES = frozenset(
    {
        *_LOCATED_TYPES,
        cst.Expr,
        *(t for t in _subclasses(cst.BaseStatement) if t.__module__.startswith("libcst.")),
    }
)
_TRIVIA_TYPES = frozenset(
    t
    for t in _subclasses(cst.CSTNode)
    if t.__module__ in ("libcst._nodes.whitespace", "libcst._nodes.op")
)


def _prune(state: _IndexingState) -> None:
    ranges = state.ranges
    for key in state.unpositioned:
        ranges.pop(key, None)
    state.unpositioned = []


def _chain_of(
    node: cst.CSTNode, parent: cst.CSTNode, stack: list[cst.CSTNode], chain: Chain
) -> Chain:
    """The scopes `node` looks names up in, from its parent's (`chain`)."""
    if isinstance(parent, (cst.FunctionDef, cst.Lambda)):
        if node is parent.params or node is parent.body:
            return (*chain, id(parent))
        return chain
    if isinstance(parent, cst.Param):
        # Defaults and annotations are evaluated where the function is defined.
        if node is parent.default or node is parent.annotation:
            return chain[:-1]
        return chain
    if isinstance(parent, cst.ClassDef):
        return (*chain, id(parent)) if node is parent.body else chain
    if isinstance(node, _COMPREHENSIONS):
        return (*chain, id(node))
    if isinstance(parent, cst.CompFor) and node is parent.iter:
        # The outermost iterable is evaluated in the enclosing scope.
        grand = stack[-2] if len(stack) > 1 else None
        if isinstance(grand, _COMPREHENSIONS) and grand.for_in is parent:
            return chain[:-1]
    return chain


class CstIndex:
    """The parsed module with everything the rewriters look up."""

    def __init__(
        self,
        text: str,
        facts: ModuleFacts,
        protected: Sequence[Diagnostic],
        module: cst.Module,
        pieces: Sequence[Piece] = (),
        opaque: Sequence[Opaque | None] = (),
        layout: Layout | None = None,
    ) -> None:
        """The whole `module`; or, with `pieces`, `module` is the statements of `pieces`
        and the `opaque` ones (layout.py) in order, and only the pieces are indexed."""
        self.text = text
        self.facts = facts
        self.module = module
        self.pieces = list(pieces)
        self.layout = layout
        state = _IndexingState(module)
        if layout is not None:
            _index_pieces(state, module, text, self.pieces, opaque)
        else:
            module._codegen(state)
            _prune(state)
        state.tokens = []  # the module's text again, a token at a time: not needed
        self._state = state
        self.positions = state.ranges
        self.parent = state.parent
        self.mentions = state.mentions
        self.bindings = state.bindings
        self.bound_names = {name for name, _ in state.bindings}
        self.star_import = state.star_import
        # Only the nodes of recorded calls are looked up by span.
        wanted = {
            ((c.span.line, c.span.column - 1), (c.span.end_line, c.span.end_column - 1))
            for c in facts.calls
        }
        self._by_range: dict[Range, list[cst.CSTNode]] = {}
        for node in state.located:
            if type(node) is not cst.FunctionDef:
                where = self.positions[id(node)]
                if where in wanted:
                    self._by_range.setdefault(where, []).append(node)
        self.protected = self._protected_lines(protected)
        self.imports = self._imports()
        self._functions: dict[str, cst.FunctionDef] | None = None
        self._tops: dict[int, int] | None = None

    # -- positions ----------------------------------------------------------------------
    def span(self, node: cst.CSTNode) -> Span:
        return _span(self.positions[id(node)])

    def start(self, node: cst.CSTNode) -> tuple[int, int]:
        return self.positions[id(node)][0]

    def end(self, node: cst.CSTNode) -> tuple[int, int]:
        return self.positions[id(node)][1]

    def node_for(self, call: ApiCall) -> cst.CSTNode | None:
        """The Call (or, for a reference, the Attribute/Name) node of a recorded call."""
        span = call.span
        where = ((span.line, span.column - 1), (span.end_line, span.end_column - 1))
        for node in self._by_range.get(where, ()):
            if call.usage == "call" and isinstance(node, cst.Call):
                return node
            if call.usage == "reference" and isinstance(node, (cst.Attribute, cst.Name)):
                return node
        return None

    def ancestors(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """Outermost first, ending with the node's parent."""
        chain: list[cst.CSTNode] = []
        current = self.parent.get(id(node))
        while current is not None:
            chain.append(current)
            current = self.parent.get(id(current))
        chain.reverse()
        return chain

    def top_index(self, node: cst.CSTNode) -> int:
        chain = [*self.ancestors(node), node]
        top = chain[1] if len(chain) > 1 else node
        if self._tops is None:  # one scan of the module body, not one per question
            self._tops = {id(stmt): index for index, stmt in enumerate(self.module.body)}
        return self._tops.get(id(top), -1)

    def statement_of(self, node: cst.CSTNode) -> cst.BaseStatement | None:
        for ancestor in reversed(self.ancestors(node)):
            if isinstance(ancestor, cst.BaseStatement):
                return ancestor
        return None

    # -- protection -----------------------------------------------------------------------
    def _protected_lines(self, protected: Sequence[Diagnostic]) -> frozenset[int]:
        """Lines no edit may touch: `# noqa` lines, and the lines of findings the caller does
        not want fixed (suppressed or deselected ones: handed in, never re-computed here)."""
        lines = set(parse_directives(self.text).lines)
        for diag in protected:
            lines.update(range(diag.span.line, diag.span.end_line + 1))
        return frozenset(lines)

    def touches_protected(self, node: cst.CSTNode) -> bool:
        (first, _), (last, _) = self.positions[id(node)]
        return any(line in self.protected for line in range(first, last + 1))

    # -- function ownership -------------------------------------------------------------------
    def owner_function(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        """The innermost function whose body runs `node` (decorators and defaults run in the
        enclosing scope; lambdas, comprehensions and classes are looked through)."""
        chain = [*self.ancestors(node), node]
        for index in range(len(chain) - 2, -1, -1):
            ancestor = chain[index]
            if isinstance(ancestor, cst.FunctionDef) and chain[index + 1] is ancestor.body:
                return ancestor
        return None

    def function_key(self, func: cst.FunctionDef) -> str:
        line, column = self.start(func)
        return f"{line}:{column}"

    def function_by_key(self, key: str) -> cst.FunctionDef | None:
        if self._functions is None:
            self._functions = {
                self.function_key(node): node
                for node in self._state.located
                if isinstance(node, cst.FunctionDef)
            }
        return self._functions.get(key)

    def may_run_code(self, stmt: cst.BaseStatement) -> bool:
        """Does executing this top-level statement call anything (outside function bodies)?"""
        if isinstance(stmt, Opaque):
            return stmt.may_run_code
        finder = _CallFinder()
        stmt.visit(finder)
        return finder.found

    # -- imports --------------------------------------------------------------------------
    def _imports(self) -> list[ImportRecord]:
        records: list[ImportRecord] = []

        def scan(body: Sequence[cst.CSTNode], container: cst.Module | cst.Try, top: int) -> None:
            for stmt in body:
                if not isinstance(stmt, cst.SimpleStatementLine):
                    continue
                bound: list[tuple[str, str]] = []
                for small in stmt.body:
                    if isinstance(small, cst.Import):
                        for alias in small.names:
                            dotted = _dotted(alias.name)
                            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                                bound.append((alias.asname.name.value, dotted))
                            elif alias.asname is None:
                                first = dotted.split(".", 1)[0]
                                bound.append((first, first))
                    elif isinstance(small, cst.ImportFrom) and not small.relative:
                        source = _dotted(small.module) if small.module else ""
                        if isinstance(small.names, cst.ImportStar) or not source:
                            bound.append(("*", source))
                            continue
                        for alias in small.names:
                            name = _dotted(alias.name)
                            asname = alias.asname.name if alias.asname is not None else None
                            local = asname.value if isinstance(asname, cst.Name) else name
                            bound.append((local, f"{source}.{name}"))
                if bound:
                    records.append(ImportRecord(stmt, container, top, tuple(bound)))

        for index, stmt in enumerate(self.module.body):
            if isinstance(stmt, cst.Try):
                scan(stmt.body.body, stmt, index)
            else:
                scan([stmt], self.module, index)
        return records

    def library_imports(self, library: str) -> list[ImportRecord]:
        return [
            r
            for r in self.imports
            if any(d == library or d.startswith(library + ".") for _, d in r.bound)
        ]

    def leading_block_end(self) -> int:
        """Index of the last import-ish statement of the module's leading import block."""
        last = -1
        for index, stmt in enumerate(self.module.body):
            if index == 0 and _is_docstring(stmt):
                continue
            if _is_import_line(stmt) or (
                isinstance(stmt, (cst.Try, cst.If)) and _only_imports(stmt)
            ):
                last = index
            elif _is_dunder_assignment(stmt):
                continue
            else:
                break
        return last

    def alias_for(self, dotted: str, limit: cst.CSTNode | None) -> str | None:
        """An expression spelling `dotted` (e.g. "numpy.random.default_rng") through a name
        that a module-level import binds and nothing else rebinds (but a `np = None`
        fallback in the import's except handler), imported by the time statement `limit`
        has run (None: anywhere, for code in function bodies); None when there is none."""
        best: tuple[int, str] | None = None
        for record in self.imports:
            if limit is not None and self.start(record.line) > self.start(limit):
                continue
            for name, target in record.bound:
                if name == "*" or not (dotted == target or dotted.startswith(target + ".")):
                    continue
                if not self._sole_binding(name, record):
                    continue
                # Prefer `np.random.default_rng` over `npr.default_rng` over `default_rng`.
                rank = target.count(".")
                if best is None or rank < best[0]:
                    best = (rank, name + dotted[len(target) :])
        return best[1] if best else None

    def _sole_binding(self, name: str, record: ImportRecord) -> bool:
        """`name` is bound at module level only by this import (or, when the import sits in a
        try body, also in that try's except handlers: the `np = None` fallback).  Bindings
        local to a function, lambda, class body or comprehension do not count, unless some
        function declares the name `global`."""
        if self.star_import:
            return False
        declared_global = any(other == name and _is_global(node) for other, node in self.bindings)
        for other, node in self.bindings:
            if other != name or _is_global(node):
                continue
            if isinstance(node, OpaqueBinding):
                if node.local and not declared_global:
                    continue
                return False
            if any(node is small for small in record.line.body):
                continue
            if not declared_global and self._local_binding(node):
                continue
            if isinstance(record.container, cst.Try) and any(
                isinstance(a, cst.ExceptHandler) and a in record.container.handlers
                for a in self.ancestors(node)
            ):
                continue
            return False
        return True

    def _local_binding(self, node: cst.CSTNode | OpaqueBinding) -> bool:
        """Does this binding happen in a scope nested in the module's?"""
        if isinstance(node, OpaqueBinding):
            return node.local
        if isinstance(node, (cst.Param, cst.CompFor)):
            return True
        chain = [*self.ancestors(node), node]
        for index in range(len(chain) - 1):
            ancestor, child = chain[index], chain[index + 1]
            if isinstance(ancestor, (cst.FunctionDef, cst.ClassDef)) and child is ancestor.body:
                return True
            if isinstance(ancestor, cst.Lambda):
                return True
            if isinstance(ancestor, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
                if isinstance(node, cst.NamedExpr):
                    continue  # a walrus in a comprehension binds in the enclosing scope
                return True
        return False

    # -- scopes ---------------------------------------------------------------------------
    def name_scope(self, name: cst.Name) -> tuple[int, bool] | None:
        """(the scope a name binds in, whether that is a class body); None for a name that
        is no mention (an attribute, a keyword, in an import)."""
        for node, chain in self._state.mention_nodes.get(name.value, ()):
            if node is name:
                return chain[-1], chain[-1] in self._state.class_scopes
        return None

    def scope_bindings(self, name: str, scope: int) -> int:
        """How many statements bind `name` in `scope` (or may: `global`/`nonlocal`
        declarations anywhere count as more)."""
        count = self._state.binding_scopes[(name, scope)]
        return count + 1 if name in self._state.declared else count

    def references(self, name: str, scope: int) -> list[cst.Name]:
        """Every mention of `name` that finds the binding in `scope`, in source order."""
        state = self._state
        return [
            node
            for node, chain in state.mention_nodes.get(name, ())
            if scope in chain and state.resolve(name, chain) == scope
        ]


def _is_global(node: cst.CSTNode | OpaqueBinding) -> bool:
    if isinstance(node, OpaqueBinding):
        return node.kind == "global"
    return isinstance(node, cst.Global)


def _index_pieces(
    state: _IndexingState,
    module: cst.Module,
    text: str,
    pieces: list[Piece],
    opaque: Sequence[Opaque | None],
) -> None:
    """Index each parsed statement where it sits in the module (its own parse's indentation
    and newline), its parent the module; add what the statements kept as text bind and
    mention."""
    state.stack.append(module)
    state.chains.append((0,))
    for piece in pieces:
        state.default_indent = piece.module.default_indent
        state.default_newline = piece.module.default_newline
        state.tokens = []
        state.line, state.column = piece.first_line, 0
        if piece.prefixed:
            first = piece.module.body[0]
            if piece.module.header or not (
                isinstance(first, cst.SimpleStatementLine)
                and len(first.body) == 1
                and isinstance(first.body[0], cst.Pass)
            ):
                raise FallBack
        else:
            for line in piece.module.header:
                line._codegen(state)
        for statement in piece.statements:
            statement._codegen(state)
        produced = "".join(state.tokens)
        expected = text[piece.start : piece.end]
        if piece.end < len(text):
            if produced != expected or piece.module.footer:
                raise FallBack
        elif not expected.startswith(produced):
            raise FallBack
        _prune(state)
    state.stack.pop()
    state.chains.pop()
    for summary in opaque:
        if summary is None:
            continue
        state.mentions.update(summary.mentions)
        state.bindings.extend(summary.bindings)
        for name, count in summary.module_scope.items():
            state.binding_scopes[(name, 0)] += count
        state.declared |= summary.declared
        state.star_import = state.star_import or summary.star_import


def _span(where: Range) -> Span:
    (line, column), (end_line, end_column) = where
    return Span(line, column + 1, end_line, end_column + 1)


class _CallFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_Call(self, node: cst.Call) -> bool:
        self.found = True
        return False

    def visit_Decorator(self, node: cst.Decorator) -> bool:
        self.found = True
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        # Decorators and defaults run now; the body later.
        for decorator in node.decorators:
            decorator.visit(self)
        node.params.visit(self)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        node.params.visit(self)
        return False


def _is_docstring(stmt: cst.CSTNode) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import_line(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
    )


def _is_dunder_assignment(stmt: cst.CSTNode) -> bool:
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        if not isinstance(small, (cst.Assign, cst.AnnAssign)):
            return False
        targets = (
            [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
        )
        if not all(isinstance(t, cst.Name) and t.value.startswith("__") for t in targets):
            return False
        finder = _CallFinder()
        small.visit(finder)
        if finder.found:
            return False
    return True


def _only_imports(stmt: cst.Try | cst.If) -> bool:
    """A try/if block of imports and trivial fallbacks (`np = None`, `pass`, `raise`)."""
    finder = _CallFinder()
    blocks: list[cst.BaseSuite] = [stmt.body]
    if isinstance(stmt, cst.Try):
        blocks += [h.body for h in stmt.handlers]
        if stmt.orelse is not None:
            blocks.append(stmt.orelse.body)
    elif stmt.orelse is not None:
        blocks.append(stmt.orelse.body)
    for block in blocks:
        for inner in block.body:
            if not isinstance(inner, cst.SimpleStatementLine):
                return False
            for small in inner.body:
                if isinstance(small, (cst.Import, cst.ImportFrom, cst.Pass)):
                    continue
                if isinstance(small, (cst.Assign, cst.Raise)):
                    small.visit(finder)
                    if isinstance(small, cst.Assign) and finder.found:
                        return False
                    continue
                return False
    return True
