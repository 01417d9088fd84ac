"""One walk over the libcst tree: positions, parents, names, bindings, imports.

Diagnostics point at calls by position (1-based line, 1-based column in characters, end
exclusive); libcst's `PositionProvider` counts columns from 0 in characters, so a node matches
when its range plus one column equals the span.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import cast

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider, ScopeProvider

from ..analysis.facts import ApiCall, ModuleFacts
from ..diagnostics import Diagnostic, Span
from ..noqa import parse_directives

__all__ = ["CstIndex", "ImportRecord", "is_main_guard"]

_MAIN_TESTS = ('__name__ == "__main__"', "__name__ == '__main__'")


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


class _Collector(cst.CSTVisitor):
    """Parents, name mentions and bindings, in one walk."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[cst.CSTNode] = []
        self.parent: dict[int, cst.CSTNode] = {}
        self.mentions: Counter[str] = Counter()  # Name loads/stores outside import statements
        self.bindings: list[tuple[str, cst.CSTNode]] = []
        self.star_import = False
        self._in_import = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.stack:
            self.parent[id(node)] = self.stack[-1]
        self.stack.append(node)
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            self._in_import += 1
            self._import_bindings(node)
        elif isinstance(node, cst.Name):
            self._name(node)
        else:
            self._binding(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()
        if isinstance(original_node, (cst.Import, cst.ImportFrom)):
            self._in_import -= 1

    def _name(self, node: cst.Name) -> None:
        if self._in_import:
            return
        parent = self.stack[-2] if len(self.stack) > 1 else None
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return
        if isinstance(parent, cst.Arg) and parent.keyword is node:
            return
        self.mentions[node.value] += 1

    def _import_bindings(self, node: cst.Import | cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            self.star_import = True
            return
        for alias in node.names:
            if alias.asname is not None:
                for name in _target_names(cast(cst.BaseExpression, alias.asname.name)):
                    self.bindings.append((name, node))
            else:
                self.bindings.append((_dotted(alias.name).split(".", 1)[0], node))

    def _binding(self, node: cst.CSTNode) -> None:
        add = self.bindings.append
        if isinstance(node, cst.Param):
            add((node.name.value, node))
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            add((node.name.value, node))
        elif isinstance(node, cst.AsName) and not self._in_import:
            for name in _target_names(cast(cst.BaseExpression, node.name)):
                add((name, node))
        elif isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign)):
            for name in _target_names(node.target):
                add((name, node))
        elif isinstance(node, (cst.For, cst.CompFor)):
            for name in _target_names(node.target):
                add((name, node))
        elif isinstance(node, cst.NamedExpr):
            for name in _target_names(node.target):
                add((name, node))
        elif isinstance(node, cst.Del):
            for name in _target_names(cast(cst.BaseExpression, node.target)):
                add((name, node))
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            for item in node.names:
                add((item.name.value, node))
        elif isinstance(node, (cst.MatchAs, cst.MatchStar)) and node.name is not None:
            add((node.name.value, node))
        elif isinstance(node, cst.MatchMapping) and node.rest is not None:
            add((node.rest.value, node))


class CstIndex:
    """The parsed module with everything the rewriters look up."""

    def __init__(
        self,
        text: str,
        facts: ModuleFacts,
        protected: Sequence[Diagnostic],
        module: cst.Module,
    ) -> None:
        self.text = text
        self.facts = facts
        self.wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.module = module
        self.positions = self.wrapper.resolve(PositionProvider)
        collector = _Collector()
        module.visit(collector)
        self.parent = collector.parent
        self.mentions = collector.mentions
        self.bindings = collector.bindings
        self.bound_names = {name for name, _ in collector.bindings}
        self.star_import = collector.star_import
        self._by_span: dict[Span, list[cst.CSTNode]] = {}
        for node, where in self.positions.items():
            if isinstance(node, (cst.Call, cst.Attribute, cst.Name)):
                self._by_span.setdefault(self.span_of_range(where), []).append(node)
        self.protected = self._protected_lines(protected)
        self.imports = self._imports()
        self._scopes: object | None = None
        self._functions: dict[str, cst.FunctionDef] | None = None
        self._tops: dict[int, int] | None = None

    # -- positions ----------------------------------------------------------------------
    @staticmethod
    def span_of_range(where: CodeRange) -> Span:
        return Span(where.start.line, where.start.column + 1, where.end.line, where.end.column + 1)

    def span(self, node: cst.CSTNode) -> Span:
        return self.span_of_range(self.positions[node])

    def start(self, node: cst.CSTNode) -> tuple[int, int]:
        where = self.positions[node]
        return where.start.line, where.start.column

    def end(self, node: cst.CSTNode) -> tuple[int, int]:
        where = self.positions[node]
        return where.end.line, where.end.column

    def node_for(self, call: ApiCall) -> cst.CSTNode | None:
        """The Call (or, for a reference, the Attribute/Name) node of a recorded call."""
        for node in self._by_span.get(call.span, ()):
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
        where = self.positions[node]
        return any(line in self.protected for line in range(where.start.line, where.end.line + 1))

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
                for node in self.positions
                if isinstance(node, cst.FunctionDef)
            }
        return self._functions.get(key)

    def may_run_code(self, stmt: cst.BaseStatement) -> bool:
        """Does executing this top-level statement call anything (outside function bodies)?"""
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
        declared_global = any(
            other == name and isinstance(node, cst.Global) for other, node in self.bindings
        )
        for other, node in self.bindings:
            if other != name or isinstance(node, cst.Global):
                continue
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

    def _local_binding(self, node: cst.CSTNode) -> bool:
        """Does this binding happen in a scope nested in the module's?"""
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

    def scopes(self) -> dict[cst.CSTNode, object]:
        if self._scopes is None:
            self._scopes = self.wrapper.resolve(ScopeProvider)
        return cast("dict[cst.CSTNode, object]", self._scopes)


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
