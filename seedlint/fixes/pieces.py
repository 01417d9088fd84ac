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
                body: list[Any] = []
                parsed = {piece.top: piece for piece in pieces}
                for top, summary in enumerate(opaque):
                    piece = parsed.get(top)
                    # An Opaque stands for the statement; only CstIndex looks at it.
                    body.append(piece.statement if piece else summary)
                try:
                    return CstIndex(
                        text, facts, protected, cst.Module(body=body), pieces, opaque, layout
                    )
                except FallBack:
                    pass
    module = compat_parse.parse_module(text)  # never a native stack overflow
    if module is None:
        return None
    return CstIndex(text, facts, protected, module)


def _parse_pieces(text: str, layout: Layout) -> list[Piece] | None:
    wanted = [(number, top) for number, top in enumerate(layout.tops) if top.needed]

    def parse() -> list[Piece]:
        found: list[Piece] = []
        for number, top in wanted:
            prefixed = number > 0
            source = (PREFIX if prefixed else "") + text[top.start : top.end]
            module = cst.parse_module(source)
            found.append(Piece(number, module, prefixed, top.start, top.end, top.first_line))
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
    parsed = {piece.top: piece for piece in index.pieces}
    text = index.text
    out: list[str] = []
    # Blank lines of removed statements: the next statement without its own takes them.
    carry: list[cst.EmptyLine] = []
    for number, top in enumerate(index.layout.tops):
        piece = parsed.get(number)
        has_leading = top.has_leading
        if piece is not None and id(piece.statement) in paths:
            paths.add(id(piece.module))
            new, pending = apply_edits_within(piece.module, edits, paths)
            body = new.body[1:] if piece.prefixed else new.body
            if not body:  # the statement was removed
                carry.extend(pending)
                if not piece.prefixed:
                    out.append(_lines([*new.header, *new.footer]))
                else:
                    out.append(_lines(new.footer))
                continue
            code = new.code
            if piece.prefixed:
                assert code.startswith(PREFIX)
                code = code[len(PREFIX) :]
            first = body[0]
            has_leading = isinstance(
                first, (cst.SimpleStatementLine, cst.BaseCompoundStatement)
            ) and bool(first.leading_lines)
        else:
            code = text[top.start : top.end]
        if carry and not has_leading:
            code = _lines(carry) + code
        carry = []
        out.append(code)
    return "".join(out)


def _lines(lines: Sequence[cst.EmptyLine]) -> str:
    blank = cst.Module([])
    return "".join(blank.code_for_node(line) for line in lines)
