"""One JSON array of `Diagnostic.to_json()` objects, sorted by path, line and column; nothing
else on stdout.  In a notebook ``cell`` is the cell (1-based, markdown cells counted) and
``line`` the line in it; ``cell`` is null elsewhere.  With statistics: an array of
``{"code", "name", "count"}`` objects instead."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..diagnostics import Diagnostic
from . import display_path, sort_for_display, statistics

__all__ = ["relative_entry", "render_json"]


def relative_entry(entry: dict[str, Any], path: str, cwd: str | None) -> dict[str, Any]:
    """A `Diagnostic.to_json()` entry with its paths as displayed (`path` for its own)."""
    entry["path"] = path
    for related in entry.get("related") or ():
        related["path"] = display_path(related["path"], cwd)
    return entry


def render_json(
    diagnostics: Sequence[Diagnostic], *, show_statistics: bool = False, cwd: str | None = None
) -> str:
    if show_statistics:
        data: list[dict[str, Any]] = [
            {"code": code, "name": name, "count": count}
            for code, name, count in statistics(diagnostics)
        ]
    else:
        data = [
            relative_entry(d.to_json(), path, cwd) for path, d in sort_for_display(diagnostics, cwd)
        ]
    return json.dumps(data, indent=2) + "\n"
