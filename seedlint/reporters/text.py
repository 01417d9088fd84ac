"""``path:line:col: CODE message`` lines (1-based, like flake8 and ruff), then a summary.

In a notebook the cell comes first, as ruff prints it: ``nb.ipynb:cell 3:2:5: SDL101 ...``
(line 2, column 5 of the notebook's third cell)."""

from __future__ import annotations

from collections.abc import Sequence

from ..diagnostics import Diagnostic
from . import display_path, sort_for_display, statistics

__all__ = ["cell_prefix", "format_diagnostic", "message_with_citation", "render_text", "summary"]


def format_diagnostic(
    diagnostic: Diagnostic, cwd: str | None = None, path: str | None = None
) -> str:
    """One line; `path` overrides the displayed path (default: relative to `cwd`)."""
    path = display_path(diagnostic.path, cwd) if path is None else path
    where = f"{path}:{cell_prefix(diagnostic.cell)}{diagnostic.line}:{diagnostic.column}"
    return f"{where}: {diagnostic.code} " + message_with_citation(diagnostic, cwd)


def cell_prefix(cell: int | None) -> str:
    """``cell 3:`` for a location in a notebook's third cell, nothing elsewhere."""
    return "" if cell is None else f"cell {cell}:"


def message_with_citation(diagnostic: Diagnostic, cwd: str | None = None) -> str:
    """The message on one line, followed by the location it cites, ``(common.py:8)``, shown
    relative to `cwd` (default: the current folder): the flake8 plugin prints the same."""
    message = " ".join(diagnostic.message.splitlines())  # one finding, one line
    for related in diagnostic.related:
        if related.cited:
            where = f"{display_path(related.path, cwd)}:{cell_prefix(related.cell)}{related.line}"
            return f"{message} ({where})"
    return message


def summary(count: int) -> str:
    if count == 0:
        return "All checks passed!"
    return f"Found {count} error{'' if count == 1 else 's'}."


def render_statistics(diagnostics: Sequence[Diagnostic]) -> list[str]:
    rows = statistics(diagnostics)
    if not rows:
        return []
    count_width = max(len(str(count)) for _, _, count in rows)
    code_width = max(len(code) for code, _, _ in rows)
    return [f"{count:>{count_width}}  {code:<{code_width}}  {name}" for code, name, count in rows]


def render_text(
    diagnostics: Sequence[Diagnostic],
    *,
    show_statistics: bool = False,
    quiet: bool = False,
    cwd: str | None = None,
) -> str:
    """The whole text report.  `show_statistics` prints a count per code instead of the
    diagnostics (like ruff); `quiet` leaves out the summary line."""
    if show_statistics:
        lines = render_statistics(diagnostics)
    else:
        lines = [format_diagnostic(d, path=path) for path, d in sort_for_display(diagnostics, cwd)]
    if not quiet:
        lines.append(summary(len(diagnostics)))
    return "".join(line + "\n" for line in lines)
