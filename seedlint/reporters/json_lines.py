"""JSON Lines: one `Diagnostic.to_json()` object per line (paths relative like the JSON
format), written and flushed one finding at a time, so a consumer can act on each finding as
it arrives; nothing else on stdout (no array, no summary)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from ..diagnostics import Diagnostic
from . import sort_for_display
from .json import relative_entry

__all__ = ["write_json_lines"]


def write_json_lines(
    diagnostics: Iterable[Diagnostic], stream: TextIO, *, cwd: str | None = None
) -> None:
    for path, diagnostic in sort_for_display(diagnostics, cwd):
        entry = relative_entry(diagnostic.to_json(), path, cwd)
        stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
        stream.flush()
