"""Output formats, one module each: `text` (flake8/ruff-style lines and a summary), `json`
(one array), `json-lines` (one object per line, streamed), `sarif` (SARIF 2.1.0, for code
scanning) and `github` (GitHub Actions annotations).

All print paths relative to the current directory when the file is under it.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

from ..diagnostics import Diagnostic, Span

if TYPE_CHECKING:
    from .sarif import RuleDoc

__all__ = [
    "FORMATS",
    "Locate",
    "display_path",
    "file_span",
    "sort_for_display",
    "statistics",
    "write_report",
]

FORMATS: tuple[str, ...] = ("text", "json", "json-lines", "sarif", "github")

# (notebook path, cell, line, column) -> (line, column) in the notebook's JSON text, or None:
# for the formats whose viewers show the .ipynb file itself (SARIF, GitHub annotations).
Locate = Callable[[str, int, int, int], "tuple[int, int] | None"]


def display_path(path: str, cwd: str | None = None) -> str:
    """`path` relative to `cwd` (default: the current directory) when it is inside it."""
    if not os.path.isabs(path):
        return path
    base = os.path.abspath(cwd if cwd is not None else os.getcwd())
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive (Windows)
        return path
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return path
    return rel


def file_span(path: str, cell: int, span: Span, locate: Locate | None) -> Span | None:
    """The span of a notebook cell's code in the notebook's JSON text, if it can be found."""
    if locate is None:
        return None
    start = locate(path, cell, span.line, span.column)
    end = locate(path, cell, span.end_line, span.end_column)
    if start is None or end is None:
        return None
    return Span(*start, *end)


def sort_for_display(
    diagnostics: Iterable[Diagnostic], cwd: str | None = None
) -> list[tuple[str, Diagnostic]]:
    """(displayed path, diagnostic) pairs sorted by displayed path, line, column, code."""
    shown = [(display_path(d.path, cwd), d) for d in diagnostics]
    shown.sort(key=lambda item: (item[0], *item[1].sort_key()[1:]))
    return shown


def statistics(diagnostics: Iterable[Diagnostic]) -> list[tuple[str, str, int]]:
    """(code, name, count) per code, most frequent first, then by code."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for diagnostic in diagnostics:
        counts[diagnostic.code] += 1
        names.setdefault(diagnostic.code, diagnostic.name)
    return [
        (code, names[code], count)
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def write_report(
    diagnostics: Iterable[Diagnostic],
    stream: TextIO,
    *,
    format: str = "text",
    show_statistics: bool = False,
    quiet: bool = False,
    cwd: str | None = None,
    rules: Sequence[RuleDoc] = (),
    locate: Locate | None = None,
) -> None:
    """Write `diagnostics` to `stream` in `format` (one of `FORMATS`); `rules` describes the
    rules for the formats that carry their documentation (SARIF); `locate` finds positions
    in notebooks' files (SARIF, github)."""
    ordered = list(diagnostics)
    if format == "json-lines" and not show_statistics:
        from .json_lines import write_json_lines

        write_json_lines(ordered, stream, cwd=cwd)
    elif format in ("json", "json-lines"):
        from .json import render_json

        stream.write(render_json(ordered, show_statistics=show_statistics, cwd=cwd))
    elif format == "text":
        from .text import render_text

        stream.write(render_text(ordered, show_statistics=show_statistics, quiet=quiet, cwd=cwd))
    elif format == "sarif":
        from .sarif import render_sarif

        stream.write(render_sarif(ordered, rules, cwd=cwd, locate=locate))
    elif format == "github":
        from .github import render_github

        stream.write(render_github(ordered, cwd=cwd, locate=locate))
    else:
        raise ValueError(f"unknown output format {format!r}; expected one of {FORMATS}")
