"""seedlint values -> LSP values, in the position encoding negotiated with the client.

seedlint counts lines and columns from 1, columns in code points (`diagnostics.Span`); LSP
counts from 0, columns in UTF-16 code units unless the client offered another encoding at
`initialize` (`general.positionEncodings`: "utf-8", "utf-16" or "utf-32").  Lines are split
on \\n, \\r\\n and a lone \\r only, as both LSP and Python's tokenizer do (`str.splitlines`
would also split on form feeds and U+2028, and put every later line off by one).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from lsprotocol import types

from ...diagnostics import Diagnostic, Related, Span
from ...rules import get_rule
from ...urls import rule_docs_url

__all__ = [
    "LineIndex",
    "SOURCE",
    "docs_url",
    "minimal_edit",
    "to_lsp_diagnostic",
]

SOURCE = "seedlint"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _units(text: str, encoding: str) -> int:
    """Length of `text` in the code units of `encoding`."""
    if text.isascii() or encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _chars(text: str, units: int, encoding: str) -> int:
    """How many characters of `text` the first `units` code units cover (a position inside a
    character counts as that character's start)."""
    if text.isascii() or encoding == types.PositionEncodingKind.Utf32:
        return min(units, len(text))
    counted = 0
    for index, char in enumerate(text):
        width = _units(char, encoding)
        if counted + width > units:
            return index
        counted += width
    return len(text)


class LineIndex:
    """Line starts of one text, for converting positions both ways."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]

    def line(self, number: int) -> str:
        """Line `number` (0-based) without its line break ('' beyond the end)."""
        if number < 0 or number >= len(self.starts):
            return ""
        start = self.starts[number]
        end = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def position(self, line: int, column: int) -> types.Position:
        """The LSP position of seedlint's (1-based line, 1-based code-point column)."""
        line0 = max(line - 1, 0)
        if line0 >= len(self.starts):  # past the end (a file that ends without a newline)
            last = len(self.starts) - 1
            return types.Position(last, _units(self.line(last), self.encoding))
        text = self.line(line0)
        return types.Position(line0, _units(text[: max(column - 1, 0)], self.encoding))

    def range(self, span: Span) -> types.Range:
        return types.Range(
            self.position(span.line, span.column), self.position(span.end_line, span.end_column)
        )

    def offset(self, position: types.Position) -> int:
        """Offset into the text of an LSP position (clamped to the text)."""
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        return start + _chars(self.line(position.line), position.character, self.encoding)

    def end(self) -> types.Position:
        last = len(self.starts) - 1
        return types.Position(last, _units(self.line(last), self.encoding))


def docs_url(code: str) -> str | None:
    """Where the rule's documentation is on the web (`seedlint.urls`, as SARIF links it);
    None for a code that is no rule."""
    return rule_docs_url(code) if get_rule(code) is not None else None


_SEVERITY = {"SDL900": types.DiagnosticSeverity.Error}


def to_lsp_diagnostic(
    diagnostic: Diagnostic,
    index: LineIndex,
    related_location: Callable[[Related], types.Location | None],
    docs: Callable[[str], str | None] = docs_url,
) -> types.Diagnostic:
    """One seedlint diagnostic as LSP shows it.  `related_location` places a related site
    (another file's positions need that file's text); None leaves it out."""
    related: list[types.DiagnosticRelatedInformation] = []
    for item in diagnostic.related:
        location = related_location(item)
        if location is not None:
            related.append(types.DiagnosticRelatedInformation(location, item.message))
    href = docs(diagnostic.code)
    return types.Diagnostic(
        range=index.range(diagnostic.span),
        message=diagnostic.message,
        severity=_SEVERITY.get(diagnostic.code, types.DiagnosticSeverity.Warning),
        code=diagnostic.code,
        code_description=types.CodeDescription(href=href) if href is not None else None,
        source=SOURCE,
        related_information=related or None,
        data={"name": diagnostic.name},
    )


def minimal_edit(old: str, new: str, encoding: str) -> list[types.TextEdit]:
    """One edit that turns `old` into `new`: the changed middle between the common prefix and
    suffix (editors keep the cursor and undo history of the untouched rest)."""
    if old == new:
        return []
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    # Never split a \r\n pair: editors may normalise line breaks inside an edit.
    while prefix > 0 and old[prefix - 1] == "\r":
        prefix -= 1
    while suffix > 0 and old[len(old) - suffix] == "\n":
        suffix -= 1
    index = LineIndex(old, encoding)
    start = _position_at(index, prefix)
    end = _position_at(index, len(old) - suffix)
    return [types.TextEdit(types.Range(start, end), new[prefix : len(new) - suffix])]


def _position_at(index: LineIndex, offset: int) -> types.Position:
    line = bisect.bisect_right(index.starts, offset) - 1
    before = index.text[index.starts[line] : offset]
    return types.Position(line, _units(before, index.encoding))
