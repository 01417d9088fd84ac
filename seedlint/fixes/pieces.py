"""libcst state for the statements the planner needs (layout.py), and the module's new text
from them: each changed statement's code spliced between the untouched text, byte for byte.

Code generation of a whole module was a fifth of `--fix` on a file with one finding per
line; here only the statements that change are generated again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst

from ..analysis import compat_parse
from ..analysis.facts import ModuleFacts
from ..diagnostics import Diagnostic
from .cst_index import CstIndex, FallBack, Piece
from .edits import EditSet, apply_edits, apply_edits_within, edit_paths
from .layout import PREFIX, Layout, plan_layout

__all__ = ["build_index", "render"]


def build_index(
    text: str,
    facts: ModuleFacts,
    protected: Sequence[Diagnostic],
    fixable: Sequence[Diagnostic],
    whole: bool = False,
) -> CstIndex | None:
    """The index the planner works on: of the statements it needs when the layout allows
    (`whole`: always of the whole module); None when libcst cannot parse the module."""
    if not whole and compat_parse.libcst_safe(text):
        found = plan_layout(text, facts, [*fixable, *protected])
        if found is not None:
            layout, opaque = found
            pieces = _parse_pieces(text, layout)
            if pieces is not None:
                body: list[Any] = list(opaque)  # an Opaque stands for a statement kept as text
                for piece in pieces:
                    statements = piece.statements
                    body[piece.top : piece.top + len(statements)] = statements
                if len(body) != len(opaque) or any(b is None for b in body):
                    return _whole(text, facts, protected)
                try:
                    return CstIndex(
                        text, facts, protected, cst.Module(body=body), pieces, opaque, layout
                    )
                except FallBack:
                    pass
    return _whole(text, facts, protected)


def _whole(text: str, facts: ModuleFacts, protected: Sequence[Diagnostic]) -> CstIndex | None:
    module = compat_parse.parse_module(text)  # never a native stack overflow
    if module is None:
        return None
    return CstIndex(text, facts, protected, module)


_RUN = 64  # statements parsed together at most


def _parse_pieces(text: str, layout: Layout) -> list[Piece] | None:
    """Each run of consecutive needed statements, parsed as one module (fewer parses, and
    libcst itself handles what happens at the boundaries between them)."""
    tops = layout.tops
    runs: list[tuple[int, int]] = []  # (first statement, last statement)
    for number, top in enumerate(tops):
        if not top.needed:
            continue
        # (Bounded: libcst's parser peaks at several times the tree's size.)
        if runs and runs[-1][1] == number - 1 and number - runs[-1][0] < _RUN:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))

    def parse() -> list[Piece]:
        found: list[Piece] = []
        for first, last in runs:
            prefixed = first > 0
            start, end = tops[first].start, tops[last].end
            source = (PREFIX if prefixed else "") + text[start:end]
            module = cst.parse_module(source)
            found.append(Piece(first, module, prefixed, start, end, tops[first].first_line))
        return found

    try:
        return compat_parse.in_deep_thread(parse)
    except (cst.ParserSyntaxError, RecursionError, MemoryError, ValueError):
        return None


def render(index: CstIndex, edits: EditSet) -> str:
    """The module's text with `edits` made."""
    if index.layout is None:
        return apply_edits(index.module, edits, index.parent).code
    paths = edit_paths(edits, index.parent, index.module)
    runs = {piece.top: piece for piece in index.pieces}
    tops = index.layout.tops
    text = index.text
    out: list[str] = []
    # Blank lines of removed statements: the next statement without its own takes them.
    carry: list[cst.EmptyLine] = []
    number = 0
    while number < len(tops):
        piece = runs.get(number)
        if piece is None:
            top = tops[number]
            code, has_leading = text[top.start : top.end], top.has_leading
            number += 1
        else:
            number += len(piece.statements)
            if not any(id(s) in paths for s in piece.statements) and not carry:
                code, has_leading = text[piece.start : piece.end], tops[piece.top].has_leading
            else:
                # libcst's own handling of removed statements, with those before the run.
                paths.add(id(piece.module))
                new, carry = apply_edits_within(
                    piece.module, edits, paths, carry, 1 if piece.prefixed else 0
                )
                code = new.code
                if piece.prefixed:
                    assert code.startswith(PREFIX)
                    code = code[len(PREFIX) :]
                elif not new.body:
                    code = _lines([*new.header, *new.footer])  # not a lone newline
                out.append(code)
                continue
        if carry and not has_leading:
            code = _lines(carry) + code
        carry = []
        out.append(code)
    return "".join(out)


def _lines(lines: Sequence[cst.EmptyLine]) -> str:
    blank = cst.Module([])
    return "".join(blank.code_for_node(line) for line in lines)
