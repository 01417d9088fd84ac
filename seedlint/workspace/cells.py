"""Notebook positions at the edge: diagnostics on a notebook's program -> cell and line in cell.

The analysis, suppression and the fixer all work on the program a notebook's code cells make
(`seedlint.notebooks`); what the Workspace hands to front ends names the cell instead
(`Diagnostic.cell`, `Related.cell`, `Edit.cell`), so that every reporter shows the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from ..diagnostics import Diagnostic, Edit, Related, Span
from ..notebooks import Notebook, is_notebook

__all__ = ["to_cells"]

NotebookOf = Callable[[str], "Notebook | None"]


def to_cells(
    diagnostics: Iterable[Diagnostic], notebook_of: NotebookOf, *, keep_order: bool = False
) -> list[Diagnostic]:
    """`diagnostics` with every location in a notebook given as (cell, line in cell), sorted
    (by cell first) unless `keep_order`; `notebook_of(path)` gives the notebook (None:
    unreadable, left as it is)."""
    cache: dict[str, Notebook | None] = {}

    def notebook(path: str) -> Notebook | None:
        if path not in cache:
            cache[path] = notebook_of(path) if is_notebook(path) else None
        return cache[path]

    mapped: list[Diagnostic] = []
    for diagnostic in diagnostics:
        related = tuple(_related(r, notebook(r.path)) for r in diagnostic.related)
        if related != diagnostic.related:
            diagnostic = replace(diagnostic, related=related)
        found = notebook(diagnostic.path)
        if found is not None and diagnostic.cell is None:
            cell, span = _span(found, diagnostic.span)
            fix = diagnostic.fix
            if fix is not None and fix.edits:
                fix = replace(fix, edits=tuple(_edit(found, e) for e in fix.edits))
            diagnostic = replace(diagnostic, span=span, cell=cell, fix=fix)
        mapped.append(diagnostic)
    if not keep_order:
        mapped.sort(key=Diagnostic.sort_key)
    return mapped


def _locate(notebook: Notebook, line: int) -> tuple[int, int]:
    """(cell, line in cell); a marker line (only a parse error at a cell's very end can
    point there) counts as the next cell's first line, or the last cell's last."""
    found = notebook.locate(line)
    if found is not None:
        return found
    following = notebook.locate(line + 1)
    if following is not None:
        return following
    if notebook.cells:
        last = notebook.cells[-1]
        return last.number, max(1, last.line_count)
    return 1, 1


def _span(notebook: Notebook, span: Span) -> tuple[int, Span]:
    cell, line = _locate(notebook, span.line)
    end_cell, end_line = _locate(notebook, span.end_line)
    if end_cell != cell:  # a span never crosses cells in practice; never let it look so
        return cell, Span(line, span.column, line, span.column)
    return cell, Span(line, span.column, end_line, span.end_column)


def _related(related: Related, notebook: Notebook | None) -> Related:
    if notebook is None or related.cell is not None:
        return related
    cell, line = _locate(notebook, related.line)
    return replace(related, line=line, cell=cell)


def _edit(notebook: Notebook, edit: Edit) -> Edit:
    if edit.cell is not None:
        return edit
    cell, span = _span(notebook, edit.span)
    return replace(edit, span=span, cell=cell)
