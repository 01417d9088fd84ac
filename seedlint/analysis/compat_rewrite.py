"""The libcst half of `compat_parse`: rewrite newer (or older) syntax in place.

Imported only for a file the running `ast` rejects (libcst costs 0.16 s to import).  Every
edit replaces characters one for one, keeping each line and each UTF-8 byte column: a blanked
character becomes as many spaces as it had bytes, line breaks stay.  Positions come from the
starts of nodes that cannot be parenthesised (a replacement field's `{`, a type parameter
list's `[`, a statement's first keyword) plus the lengths of the code libcst generates for
their children (which round-trips the source exactly), so parentheses around an expression
never shift what is blanked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from .compat_parse import in_deep_thread, parse_module

__all__ = ["rewrite"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_Hole = cst.FormattedStringExpression | cst.TemplatedStringExpression
_Interpolated = (cst.FormattedString, cst.TemplatedString)


def rewrite(text: str) -> str | None:
    """`text` rewritten (see `compat_parse`), or None when libcst does not parse it."""
    module = parse_module(text)
    if module is None:
        return None

    def collect() -> tuple[Mapping[cst.CSTNode, CodeRange], _Collector]:
        # Metadata and visiting recurse as deep as the tree: in the parser's deep thread too.
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        collector = _Collector()
        module.visit(collector)
        return positions, collector

    try:
        positions, collector = in_deep_thread(collect)
    except (RecursionError, MemoryError):
        return None
    return _Rewriter(text, module, positions).apply(collector)


def _string_parts(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The strings of an implicit concatenation, in source order."""
    parts: list[cst.CSTNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.ConcatenatedString):
            stack.extend((current.right, current.left))
        else:
            parts.append(current)
    return parts


def _holes(parts: Sequence[cst.CSTNode]) -> list[_Hole]:
    """Replacement fields, those nested in format specs included."""
    found: list[_Hole] = []
    for part in parts:
        if isinstance(part, (cst.FormattedStringExpression, cst.TemplatedStringExpression)):
            found.append(part)
            if part.format_spec:
                found.extend(_holes(part.format_spec))
    return found


class _Collector(cst.CSTVisitor):
    """The nodes to rewrite."""

    def __init__(self) -> None:
        super().__init__()
        self.type_parameters: list[cst.TypeParameters] = []
        self.type_aliases: list[cst.TypeAlias] = []
        self.handlers: list[cst.ExceptHandler | cst.ExceptStarHandler] = []
        self.strings: list[cst.CSTNode] = []  # outermost string groups holding an f/t-string
        self.stars: list[cst.CSTNode] = []  # `*` of a subscript or an annotation (PEP 646)

    def visit_TypeParameters(self, node: cst.TypeParameters) -> None:
        self.type_parameters.append(node)

    def visit_TypeAlias(self, node: cst.TypeAlias) -> None:
        self.type_aliases.append(node)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self.handlers.append(node)

    def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> None:
        self.handlers.append(node)

    def visit_Index(self, node: cst.Index) -> None:
        if node.star is not None:
            self.stars.append(node)

    def visit_Annotation(self, node: cst.Annotation) -> None:
        if isinstance(node.annotation, cst.StarredElement):
            self.stars.append(node.annotation)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        return self._string(node)

    def visit_FormattedString(self, node: cst.FormattedString) -> bool:
        return self._string(node)

    def visit_TemplatedString(self, node: cst.TemplatedString) -> bool:
        return self._string(node)

    def _string(self, node: cst.CSTNode) -> bool:
        parts = _string_parts(node)
        if any(isinstance(part, _Interpolated) for part in parts):
            self.strings.append(node)
        # The outermost node of a concatenation is the group; nested strings live only in
        # the holes' expressions, visited here.
        for part in parts:
            if isinstance(part, _Interpolated):
                for hole in _holes(part.parts):
                    hole.expression.visit(self)
        return False


class _Rewriter:
    def __init__(
        self, text: str, module: cst.Module, positions: Mapping[cst.CSTNode, CodeRange]
    ) -> None:
        self.text = text
        self.module = module
        self.positions = positions
        self.out: list[str] = list(text)
        self.line_starts = [0, *(match.end() for match in _LINE_BREAK.finditer(text))]

    def _offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column

    def start(self, node: cst.CSTNode) -> int:
        position = self.positions[node].start
        return self._offset(position.line, position.column)

    def end(self, node: cst.CSTNode) -> int:
        position = self.positions[node].end
        return self._offset(position.line, position.column)

    def length(self, node: cst.CSTNode) -> int:
        return len(self.module.code_for_node(node))

    def blank(self, start: int, stop: int, *, continuation: bool) -> None:
        """Blank text[start:stop]; with `continuation`, a backslash ends each line inside it
        (the brackets that held the line break together are gone)."""
        out, text = self.out, self.text
        for index in range(start, stop):
            char = text[index]
            if char in "\r\n":
                continue
            blank = " " if char.isascii() else " " * len(char.encode("utf-8"))
            if continuation and index + 1 < len(text) and text[index + 1] in "\r\n":
                blank = blank[:-1] + "\\"
            out[index] = blank

    def apply(self, found: _Collector) -> str | None:
        for parameters in found.type_parameters:
            start = self.start(parameters)
            self.blank(start, start + self.length(parameters), continuation=True)
        for alias in found.type_aliases:
            start = self.start(alias)
            if self.text[start : start + 4] != "type":
                return None
            # `type X = v` -> `0;  X = v`: an expression statement, then an assignment whose
            # target keeps its column; valid wherever a simple statement is.
            self.out[start : start + 4] = ["0", ";", " ", " "]
        for handler in found.handlers:
            if not self.except_types(handler):
                return None
        for star in found.stars:
            start = self.start(star)
            if self.text[start] != "*":
                return None
            self.out[start] = " "
        for group in found.strings:
            if not self.string_group(group):
                return None
        return "".join(self.out)

    def except_types(self, handler: cst.ExceptHandler | cst.ExceptStarHandler) -> bool:
        cursor = self.start(handler) + len("except") + self.length(handler.whitespace_after_except)
        if isinstance(handler, cst.ExceptStarHandler):
            if self.text[cursor] != "*":
                return False
            self.out[cursor] = " "  # `except*` (3.11+) is `except` to the analysis
            cursor += 1 + self.length(handler.whitespace_after_star)
        types = handler.type
        if isinstance(types, cst.Tuple) and not types.lpar and len(types.elements) > 1:
            # PEP 758 `except A, B:`: `A` stays where it is, `, B` is blanked.
            first = cursor + self.length(types.elements[0].value)
            self.blank(first, cursor + self.length(types), continuation=True)
        return True

    def string_group(self, group: cst.CSTNode) -> bool:
        """An f-string or t-string, with the strings concatenated to it, becomes
        `(e1, e2, ...)`: its replacement fields' expressions where they are, each followed
        by a comma where its `}`, `!`, `:` or `=` was, everything else blank."""
        start, stop = self.start(group), self.end(group)
        kept: list[tuple[int, int]] = []
        separators: list[int] = []
        for part in _string_parts(group):
            if not isinstance(part, _Interpolated):
                continue
            for hole in _holes(part.parts):
                begin = self.start(hole)
                if self.text[begin] != "{":
                    return False
                expression = begin + 1 + self.length(hole.whitespace_before_expression)
                expression_end = expression + self.length(hole.expression)
                separator = expression_end + self.length(hole.whitespace_after_expression)
                while separator < stop and self.text[separator] in " \t\f":
                    separator += 1  # `{x = }`: the space before `=` belongs to the `=`
                if separator >= stop or self.text[separator] not in "=!:}":
                    return False
                kept.append((expression, expression_end))
                separators.append(separator)
        cursor = start
        for begin, finish in sorted(kept):
            self.blank(cursor, begin, continuation=False)
            cursor = max(cursor, finish)
        self.blank(cursor, stop, continuation=False)
        for separator in separators:
            self.out[separator] = ","
        self.out[start] = "("
        self.out[stop - 1] = ")"
        return True
