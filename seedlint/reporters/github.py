"""GitHub Actions workflow commands: one ``::error ...::message`` line per finding, which the
Actions runner turns into annotations shown inline on the pull request's diff.

    ::error file=train.py,line=7,col=15,endLine=7,endColumn=26,title=SDL104::`torch.randn` draws ...

Escaping follows the runner's own (`@actions/core`'s ``escapeData``/``escapeProperty``): in
the message ``%``, ``\\r`` and ``\\n`` become ``%25``, ``%0D`` and ``%0A``; in property values
``:`` and ``,`` also become ``%3A`` and ``%2C``.  A finding in a notebook names the cell in
its title (``SDL101 (cell 3, line 2, column 5)``) and is annotated where that code is in the
``.ipynb`` file (its JSON text, which is what GitHub shows); on the file as a whole when that
cannot be found.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..diagnostics import Diagnostic, Span
from . import Locate, file_span, sort_for_display
from .text import message_with_citation

__all__ = ["escape_data", "escape_property", "render_github"]


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_command(
    path: str, diagnostic: Diagnostic, cwd: str | None = None, locate: Locate | None = None
) -> str:
    span: Span | None = diagnostic.span
    title = diagnostic.code
    if diagnostic.cell is not None:
        cell = diagnostic.cell
        title = f"{title} (cell {cell}, line {diagnostic.line}, column {diagnostic.column})"
        span = file_span(diagnostic.path, cell, diagnostic.span, locate)
    properties: list[tuple[str, str]] = [("file", path)]
    if span is not None:
        properties += [
            ("line", str(span.line)),
            ("col", str(span.column)),
            ("endLine", str(span.end_line)),
            ("endColumn", str(span.end_column)),
        ]
    properties.append(("title", title))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::error {rendered}::{escape_data(message_with_citation(diagnostic, cwd))}"


def render_github(
    diagnostics: Sequence[Diagnostic], *, cwd: str | None = None, locate: Locate | None = None
) -> str:
    """One workflow command per finding (sorted like the text format); nothing else."""
    return "".join(
        format_command(path, d, cwd, locate) + "\n"
        for path, d in sort_for_display(diagnostics, cwd)
    )
