"""Suppression comments, flake8-compatible.

* ``# noqa`` on the line where a diagnostic starts suppresses every diagnostic there;
* ``# noqa: SDL101,SDL103`` (also ``#noqa:SDL101 SDL103``, any case, codes separated by commas
  and/or whitespace) only those codes.  As in flake8 a code also matches as a prefix
  (``# noqa: SDL1`` covers SDL101), and ``# noqa:`` followed by no valid code is a blanket
  ``# noqa``.  Codes that do not match leave the diagnostic alone.
* ``# seedlint: skip-file`` (``skip_file`` too) on a line of its own skips the whole file.

Speed: the common file has no directive at all, which one C-level regex search establishes.
Only when a directive-looking comment exists is the text scanned for its real comments (strings,
including triple-quoted ones, are skipped, so ``"# noqa"`` inside a string does not count).
No `tokenize`: it is too slow for the hot path and refuses files that do not tokenize.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .diagnostics import Diagnostic

__all__ = ["Directives", "apply_noqa", "parse_directives", "parse_noqa_comment"]

# Anything that could be a directive: a cheap pre-check over the whole text.
_CANDIDATE = re.compile(r"#\s*(?:noqa|seedlint\s*:)", re.IGNORECASE)

# Comments and string literals, so that a '#' inside a string is not taken for a comment.
# Prefixes (r, b, f, u) do not matter for finding where a literal ends: even in a raw string a
# backslash keeps the next quote from ending it.  Unterminated literals simply do not match.
_COMMENT_OR_STRING = re.compile(
    r"""
      (?P<comment>\#[^\r\n]*)
    | \"\"\"[^"\\]*(?:(?:\\(?:\r\n|.)|"(?!""))[^"\\]*)*\"\"\"
    | '''[^'\\]*(?:(?:\\(?:\r\n|.)|'(?!''))[^'\\]*)*'''
    | "[^"\\\r\n]*(?:\\(?:\r\n|.)[^"\\\r\n]*)*"
    | '[^'\\\r\n]*(?:\\(?:\r\n|.)[^'\\\r\n]*)*'
    """,
    re.VERBOSE | re.DOTALL,
)

_CODE = r"[A-Z]+[0-9]+"
_NOQA = re.compile(
    rf"#\s*noqa\b(?:\s*:\s*(?P<codes>{_CODE}(?:[\s,]+{_CODE})*))?",
    re.IGNORECASE,
)
_CODE_SPLIT = re.compile(r"[\s,]+")
_SKIP_FILE = re.compile(r"#\s*seedlint\s*:\s*skip[-_]file\b", re.IGNORECASE)


@dataclass(frozen=True)
class Directives:
    """The suppression comments of one file."""

    skip_file: bool = False
    # line -> the codes its noqa comment names (upper case); empty: a blanket noqa.
    lines: dict[int, frozenset[str]] = field(default_factory=dict)

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        if self.skip_file:
            return True
        if diagnostic.line not in self.lines:
            return False
        codes = self.lines[diagnostic.line]
        return not codes or any(diagnostic.code.startswith(code) for code in codes)


def parse_noqa_comment(comment: str) -> frozenset[str] | None:
    """What one comment says: None when it holds no `# noqa`, else the (upper-case) codes it
    names, empty for a blanket `# noqa`."""
    match = _NOQA.search(comment)
    if match is None:
        return None
    codes = match.group("codes") or ""
    return frozenset(code.upper() for code in _CODE_SPLIT.split(codes) if code)


def _line_breaks(text: str, start: int, end: int) -> int:
    """Number of line breaks (\\n, \\r\\n or a lone \\r, like Python's tokenizer) in
    text[start:end]; neither end may split a \\r\\n pair."""
    return (
        text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)
    )


def _line_start(text: str, pos: int) -> int:
    return max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1


def parse_directives(text: str) -> Directives:
    """Find every `# noqa` and `# seedlint: skip-file` comment of `text`."""
    if _CANDIDATE.search(text) is None:
        return Directives()
    skip_file = False
    lines: dict[int, frozenset[str]] = {}
    line = 1
    last = 0
    for match in _COMMENT_OR_STRING.finditer(text):
        comment = match.group("comment")
        if comment is None or _CANDIDATE.search(comment) is None:
            continue
        start = match.start()
        line += _line_breaks(text, last, start)
        last = start
        if _SKIP_FILE.match(comment) and not text[_line_start(text, start) : start].strip():
            skip_file = True
            continue
        codes = parse_noqa_comment(comment)
        if codes is None:
            continue
        lines[line] = codes  # a comment runs to the end of its line: one per line
    return Directives(skip_file=skip_file, lines=lines)


def is_skip_file(text: str) -> bool:
    return parse_directives(text).skip_file


def apply_noqa(diagnostics: Iterable[Diagnostic], text: str) -> list[Diagnostic]:
    """`diagnostics` (of the file whose text is `text`) minus the suppressed ones."""
    diagnostics = list(diagnostics)
    if not diagnostics:
        return diagnostics
    directives = parse_directives(text)
    if directives.skip_file:
        return []
    if not directives.lines:
        return diagnostics
    return [d for d in diagnostics if not directives.suppresses(d)]
