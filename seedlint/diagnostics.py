"""The values every layer agrees on: a diagnostic, its location, and its (optional) fix.

Lines and columns are 1-based everywhere in this module, like flake8's and ruff's output.
Columns count characters (code points), not bytes.

In a Jupyter notebook a location also names its cell (`cell`: 1-based, markdown cells
counted, as `seedlint.notebooks` numbers them) and its line is the line in that cell; the
analysis works on the notebook's whole program and the Workspace maps positions to cells
only at the edge, in what it hands to front ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Library = Literal["random", "numpy", "torch"]
Applicability = Literal["stream-preserving", "stream-changing"]


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range of source text: (line, column) up to (end_line, end_column)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Related:
    """Another place the message refers to (e.g. where a program seeds another library).

    Messages never hold paths (they would depend on the working directory and the front end);
    a `cited` location is what the message points at, and each reporter renders it its own
    way: the text format as ``(path:line)`` after the message, relative to the current
    folder; JSON, SARIF and the language server as locations."""

    path: str
    line: int
    column: int
    message: str
    cited: bool = False
    cell: int | None = None  # in a notebook: the cell, and `line` is the line in it

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "cited": self.cited,
            "cell": self.cell,
        }


@dataclass(frozen=True)
class Edit:
    """Replace the text in `span` with `content` (an empty span inserts)."""

    span: Span
    content: str
    cell: int | None = None  # in a notebook: the cell the span's lines are in

    def to_json(self) -> dict[str, Any]:
        s = self.span
        return {
            "line": s.line,
            "column": s.column,
            "end_line": s.end_line,
            "end_column": s.end_column,
            "content": self.content,
            "cell": self.cell,
        }


@dataclass(frozen=True)
class Fix:
    """What `--fix` would change for one diagnostic, and whether numbers stay the same."""

    message: str
    applicability: Applicability
    edits: tuple[Edit, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "applicability": self.applicability,
            "edits": [e.to_json() for e in self.edits],
        }


@dataclass(frozen=True)
class Diagnostic:
    path: str
    span: Span
    code: str
    name: str
    message: str
    library: Library | None = None
    fix: Fix | None = None
    related: tuple[Related, ...] = field(default=())
    cell: int | None = None  # in a notebook: the cell, and `span` is relative to it

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        cell = self.cell or 0
        return (self.path, cell, self.span.line, self.span.column, self.code, self.message)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Diagnostic:
        """The inverse of `to_json` (used by the results cache)."""
        fix = data.get("fix")
        return cls(
            path=data["path"],
            span=Span(data["line"], data["column"], data["end_line"], data["end_column"]),
            code=data["code"],
            name=data["name"],
            message=data["message"],
            library=data.get("library"),
            fix=None
            if fix is None
            else Fix(
                fix["message"],
                fix["applicability"],
                tuple(
                    Edit(
                        Span(e["line"], e["column"], e["end_line"], e["end_column"]),
                        e["content"],
                        e.get("cell"),
                    )
                    for e in fix.get("edits", ())
                ),
            ),
            related=tuple(
                Related(
                    r["path"],
                    r["line"],
                    r["column"],
                    r["message"],
                    bool(r.get("cited")),
                    r.get("cell"),
                )
                for r in data.get("related", ())
            ),
            cell=data.get("cell"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "library": self.library,
            "fix": self.fix.to_json() if self.fix else None,
            "related": [r.to_json() for r in self.related],
            "cell": self.cell,
        }
