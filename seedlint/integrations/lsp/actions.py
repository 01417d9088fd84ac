"""Code actions: a quick fix per fixable finding, "disable SDLxxx for this line", fix-all.

Edits come from the same planner as ``seedlint check --fix`` (`Session.fix`, i.e.
`Workspace.fix(..., write=False)`); this module only words the titles and turns rewritten
text into LSP edits.
"""

from __future__ import annotations

import re

from lsprotocol import types

from ...diagnostics import Diagnostic
from ...noqa import parse_noqa_comment
from ...workspace import FileFix
from .convert import LineIndex, minimal_edit

__all__ = [
    "FIX_ALL_KIND",
    "fix_title",
    "kind_wanted",
    "noqa_edit",
    "text_edits",
]

FIX_ALL_KIND = "source.fixAll.seedlint"

# A trailing comment on one line: '#' outside one-line string literals.
_STRING_OR_COMMENT = re.compile(
    r"""(?P<comment>\#.*)$|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""",
)
_NOQA_CODES = re.compile(r"(#\s*noqa\s*:\s*)([A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*)", re.I)


def kind_wanted(kind: str, only: list[str] | None) -> bool:
    """Whether the client asked for actions of `kind` (`only` holds kinds or their parents:
    "source" covers "source.fixAll.seedlint")."""
    if only is None:
        return True
    return any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def fix_title(diagnostic: Diagnostic, fixed: FileFix) -> str:
    """ "Fix SDL101: ... (keeps the random stream)" / "(changes the random stream)"."""
    applied = [f for f in fixed.applied if f.code == diagnostic.code and f.line == diagnostic.line]
    chosen = applied[0] if applied else fixed.applied[0]
    stream = (
        "stream-preserving: the same random numbers"
        if all(f.applicability == "stream-preserving" for f in fixed.applied)
        else "stream-changing: other random numbers"
    )
    return f"Fix {diagnostic.code}: {chosen.description} ({stream})"


def text_edits(fixed: FileFix, encoding: str) -> list[types.TextEdit]:
    return minimal_edit(fixed.old_text, fixed.new_text, encoding)


def _comment_start(line: str) -> int | None:
    for match in _STRING_OR_COMMENT.finditer(line):
        if match.group("comment") is not None:
            return match.start()
    return None


def noqa_edit(index: LineIndex, diagnostic: Diagnostic) -> types.TextEdit | None:
    """The edit that adds `diagnostic.code` to the `# noqa` comment of its line (or adds
    ``  # noqa: CODE`` at its end); None when the line already has a blanket `# noqa`."""
    line0 = diagnostic.line - 1
    line = index.line(line0)
    start = _comment_start(line)
    code = diagnostic.code
    if start is not None:
        comment = line[start:]
        codes = parse_noqa_comment(comment)
        if codes is not None:
            if not codes:
                return None
            match = _NOQA_CODES.search(comment)
            if match is not None:
                merged = f"{match.group(2).rstrip()}, {code}"
                first = start + match.start(2)
                last = start + match.end(2)
                return types.TextEdit(
                    types.Range(
                        index.position(diagnostic.line, first + 1),
                        index.position(diagnostic.line, last + 1),
                    ),
                    merged,
                )
        # Another comment: the directive goes in front of it (flake8 reads a noqa directive
        # anywhere in the comment, and so does seedlint).
        position = index.position(diagnostic.line, start + 1)
        return types.TextEdit(types.Range(position, position), f"# noqa: {code} ")
    stripped = line.rstrip()
    position = index.position(diagnostic.line, len(stripped) + 1)
    end = index.position(diagnostic.line, len(line) + 1)
    return types.TextEdit(types.Range(position, end), f"  # noqa: {code}")
