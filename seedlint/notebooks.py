"""Jupyter notebooks as Python source: ``.ipynb`` JSON <-> one program, with a cell map.

A kernel runs code cells top to bottom, so the code cells, in order, are one module: the
*virtual source*.  Each code cell is preceded there by a marker comment line
(``# %% [seedlint cell 3]``), which keeps cell boundaries findable after a fix inserted or
removed lines.  Markdown and raw cells are not code and are left out.

IPython syntax that is not Python (``%magic``, ``%%cell_magic``, ``!shell``, ``x = !cmd``,
``obj?`` help) is replaced, line for line, by a placeholder statement, so that every other
line keeps its line and column.  ``%%time``-like cell magics whose body is Python keep their
body; any other cell magic (``%%bash``, ``%%writefile``...) hides the whole cell.

Cells are numbered as a reader counts them in the notebook: 1-based, markdown cells
included (the position in the JSON ``cells`` array, plus one).

Writing back (`Notebook.write_back`) never re-serialises the JSON: only the ``"source"``
values of cells whose code changed are replaced in the original text, in the layout the
original used (list of lines or one string, indentation, ASCII escaping), so outputs,
metadata, cell ids, key order, indentation and the final newline stay byte for byte.

Only the standard library's `json` is used (its scanner gives the offsets).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .source import SourceError

__all__ = ["NOTEBOOK_SUFFIX", "Cell", "Notebook", "NotebookError", "is_notebook", "parse_notebook"]

NOTEBOOK_SUFFIX = ".ipynb"

# Cell magics whose body is Python that the kernel runs (once or several times).
_PYTHON_BODY_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})

_NEWLINE = re.compile(r"\r\n|\r|\n")  # what Python's tokenizer counts as line breaks
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SIGNIFICANT = re.compile(r"[#\"'()\[\]{}\\]")  # what moves `_LineState` on
_HELP = re.compile(r"^(\?{1,2}[\w.*]+|[\w.*]+\?{1,2})$")
_ASSIGNED_MAGIC = re.compile(r"^[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[%!]")
_MARKER = "# %% [seedlint cell {number}]"
_PLACEHOLDER = "pass  # seedlint: IPython syntax"
_decoder = json.JSONDecoder()
# The C string scanner `json` itself uses (not in the type stubs): (string, end offset).
scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class NotebookError(SourceError):
    """Not a notebook seedlint can read, or a rewrite that lost a cell boundary."""


def is_notebook(path: str) -> bool:
    return path.endswith(NOTEBOOK_SUFFIX)


@dataclass(frozen=True)
class Cell:
    number: int  # 1-based position in the notebook, markdown cells included
    source: str  # the cell's code as the notebook stores it
    first_line: int  # the virtual line of the cell's first line
    line_count: int  # lines in the virtual source (the source plus a final newline)
    span: tuple[int, int]  # offsets of the "source" value in the notebook's JSON text
    hidden: tuple[tuple[int, str], ...]  # (0-based line in cell, original text) replaced


@dataclass(frozen=True)
class Notebook:
    raw: str  # the notebook's JSON text, as read
    cells: tuple[Cell, ...]  # code cells, in order
    text: str  # the virtual source

    def locate(self, line: int) -> tuple[int, int] | None:
        """(cell number, 1-based line in that cell) of a virtual line; None for a marker."""
        for cell in self.cells:
            if cell.first_line <= line < cell.first_line + cell.line_count:
                return cell.number, line - cell.first_line + 1
        return None

    def file_position(self, cell_number: int, line: int, column: int) -> tuple[int, int] | None:
        """Where (line, column) of a cell is in the notebook's JSON text, 1-based, for viewers
        that show the ``.ipynb`` file itself (GitHub's annotations and code scanning): the
        character inside the JSON string that holds it, escapes counted as the file writes
        them.  None when the cell has no such line."""
        cell = next((c for c in self.cells if c.number == cell_number), None)
        if cell is None:
            return None
        lines = cell.source.splitlines(True)  # how nbformat splits a source into a list
        if not 1 <= line <= max(1, len(lines)):
            return None
        start, _ = cell.span
        before = "".join(lines[: line - 1])
        if self.raw.startswith("[", start):
            items = _items(self.raw, start)
            if len(items) != len(lines):  # a list not split at line ends: find the line
                return self._string_position(items, len(before) + column - 1)
            offset = items[line - 1][0] if items else start
            before = ""
        else:
            offset = start
        text = before + (lines[line - 1] if lines else "")[: column - 1]
        offset += len(json.dumps(text, ensure_ascii=self.raw.isascii())) - 1
        line_start = self.raw.rfind("\n", 0, offset) + 1
        return self.raw.count("\n", 0, offset) + 1, offset - line_start + 1

    def _string_position(self, items: list[tuple[int, int]], wanted: int) -> tuple[int, int] | None:
        """`file_position` of the `wanted`-th character of a source stored as a list of
        strings that are not one line each."""
        consumed = 0
        ascii_only = self.raw.isascii()
        for start, end in items:
            part, _ = _decode(self.raw, start)
            if not isinstance(part, str):
                return None
            if consumed + len(part) > wanted or (start, end) == items[-1]:
                inside = part[: max(0, wanted - consumed)]
                offset = start + len(json.dumps(inside, ensure_ascii=ascii_only)) - 1
                line_start = self.raw.rfind("\n", 0, offset) + 1
                return self.raw.count("\n", 0, offset) + 1, offset - line_start + 1
            consumed += len(part)
        return None

    def write_back(self, text: str) -> str:
        """The notebook's JSON text with the code of `text` (a rewritten virtual source):
        only changed cells' ``"source"`` values differ from `raw`.  Raises `NotebookError`
        when a cell marker or a placeholder went missing."""
        sources = self.cell_sources(text)
        pieces: list[str] = []
        position = 0
        ascii_only = self.raw.isascii()
        for cell, new in zip(self.cells, sources, strict=True):
            if new == cell.source:
                continue
            start, end = cell.span
            pieces += [
                self.raw[position:start],
                _render_source(self.raw, cell.span, new, ascii_only),
            ]
            position = end
        pieces.append(self.raw[position:])
        return "".join(pieces)

    def cell_sources(self, text: str) -> list[str]:
        """The source of each code cell (as `cells`) for a rewritten virtual source `text`;
        raises `NotebookError` when a cell marker or a placeholder went missing."""
        lines = _lines(text)
        sources: list[str] = []
        index = 0
        head: list[str] = []
        prefix: list[str] = []
        for cell_index, cell in enumerate(self.cells):
            marker = _MARKER.format(number=cell.number)
            while index < len(lines) and lines[index].rstrip("\r\n") != marker:
                head.append(lines[index])
                index += 1
            if index == len(lines):
                raise NotebookError(f"the rewrite lost the boundary of cell {cell.number}")
            if cell_index == 0:
                prefix, head = head, []
            else:
                sources.append("".join(head))
                head = []
            index += 1
        sources.append("".join(head + lines[index:]))
        if prefix:
            sources[0] = "".join(prefix) + sources[0]
        return [_restore(cell, code) for cell, code in zip(self.cells, sources, strict=True)]


def parse_notebook(raw: str) -> Notebook:
    """The notebook in `raw` (JSON text) and its virtual source; `NotebookError` when it is
    not a notebook (not JSON, no ``cells`` list, a cell without a ``source``)."""
    document, read = _read_notebook(raw)
    if not isinstance(document.get("cells"), list):
        if "worksheets" in document:  # nbformat 3 (IPython 1-2) kept cells in worksheets
            raise NotebookError(
                "unsupported notebook: nbformat 3; upgrade it with "
                "`jupyter nbconvert --to notebook --inplace`"
            )
        raise NotebookError("invalid notebook: no list of cells")
    language = _language(document)
    cells: list[Cell] = []
    lines: list[str] = []
    for number, (cell, span) in enumerate(read, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code" or language != "python":
            continue
        if span is None:
            raise NotebookError(f"invalid notebook: cell {number} has no source")
        source = cell.get("source")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(f"invalid notebook: cell {number} has a malformed source")
        code, hidden = _hide_ipython(source)
        body = _lines(code)
        if body and not body[-1].endswith(("\n", "\r")):
            body[-1] += "\n"
        lines.append(_MARKER.format(number=number) + "\n")
        cells.append(Cell(number, source, len(lines) + 1, len(body), span, hidden))
        lines.extend(body)
    return Notebook(raw, tuple(cells), "".join(lines))


def _language(document: dict[str, Any]) -> str:
    """The kernel's language; "python" when the notebook does not say."""
    metadata = document.get("metadata")
    if isinstance(metadata, dict):
        info = metadata.get("language_info")
        if isinstance(info, dict) and isinstance(info.get("name"), str):
            return str(info["name"]).lower()
        kernel = metadata.get("kernelspec")
        if isinstance(kernel, dict) and isinstance(kernel.get("language"), str):
            return str(kernel["language"]).lower()
    return "python"


def _lines(text: str) -> list[str]:
    """`text` split after each line break Python's tokenizer knows (\\r\\n, \\r, \\n)."""
    lines: list[str] = []
    start = 0
    for match in _NEWLINE.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


# --- IPython syntax ------------------------------------------------------------------------------


def _hide_ipython(source: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """`source` with each line of IPython syntax replaced by a placeholder statement (same
    indentation), and (line index, original line) for each one replaced."""
    lines = _lines(source)
    hide, whole_cell = _ipython_lines(lines)
    hidden: list[tuple[int, str]] = []
    indent = ""
    for index in sorted(hide):
        line = lines[index]
        ending = line[len(line.rstrip("\r\n")) :]
        content = line[: len(line) - len(ending)]
        continued = bool(hidden) and hidden[-1][0] == index - 1 and hidden[-1][1].endswith("\\")
        if whole_cell:  # a cell magic's body (shell, HTML...) is not indented Python
            indent = ""
        elif not continued:  # a continuation line keeps the block's indentation, not its own
            indent = content[: len(content) - len(content.lstrip())]
        hidden.append((index, content))
        lines[index] = indent + _PLACEHOLDER + ending
    return "".join(lines), tuple(hidden)


def _ipython_lines(lines: list[str]) -> tuple[set[int], bool]:
    """Indices of the lines that are IPython syntax, not Python, and whether that is the
    whole cell (a cell magic whose body is not Python)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        name = lines[first].lstrip()[2:].split(maxsplit=1)
        if not name or name[0] not in _PYTHON_BODY_CELL_MAGICS:
            return {i for i, line in enumerate(lines) if line.strip()}, True
        return {first} | _line_magics(lines, first + 1), False
    return _line_magics(lines, 0), False


def _line_magics(lines: list[str], start: int) -> set[int]:
    """Line magics, shell escapes and help requests, recognised (as IPython does) only where
    a logical line starts: not inside brackets, strings or after a backslash continuation."""
    found: set[int] = set()
    state = _LineState()
    index = start
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if state.at_start() and _is_ipython(stripped):
            found.add(index)
            # A magic continued with a backslash goes on on the next line.
            while lines[index].rstrip("\r\n").endswith("\\") and index + 1 < len(lines):
                index += 1
                found.add(index)
        else:
            state.feed(line)
        index += 1
    return found


def _is_ipython(stripped: str) -> bool:
    if not stripped:
        return False
    if stripped[0] in "%!":
        return not stripped.startswith("!=")
    if "?" in stripped and _HELP.match(stripped):
        return True
    return bool(_ASSIGNED_MAGIC.match(stripped))


class _LineState:
    """Just enough of Python's tokenizer to know where logical lines start."""

    def __init__(self) -> None:
        self.depth = 0  # open brackets
        self.quote: str | None = None  # the open triple-quoted string's delimiter
        self.continued = False  # the previous line ended with a backslash

    def at_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued

    def feed(self, line: str) -> None:
        text = line.rstrip("\r\n")
        i = 0
        self.continued = False
        while i < len(text):
            if self.quote is not None:
                end = text.find(self.quote, i)
                while end > 0 and _escaped(text, end):
                    end = text.find(self.quote, end + 1)
                if end < 0:
                    return
                i = end + len(self.quote)
                self.quote = None
                continue
            match = _SIGNIFICANT.search(text, i)
            if match is None:
                return
            i = match.start()
            char = text[i]
            if char == "#":
                return
            if char in "\"'":
                if text.startswith(char * 3, i):
                    self.quote = char * 3
                    i += 3
                    continue
                end = i + 1
                while end < len(text) and (text[end] != char or _escaped(text, end)):
                    end += 1
                i = end + 1
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            elif i == len(text) - 1:  # a backslash ending the line
                self.continued = True
            i += 1


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _restore(cell: Cell, code: str) -> str:
    """The cell's source for rewritten virtual code: placeholders back to the IPython syntax
    they stand for, and no final newline the cell did not have."""
    lines = _lines(code)
    originals = iter(cell.hidden)
    for index, line in enumerate(lines):
        if line.strip() == _PLACEHOLDER:
            try:
                _, original = next(originals)
            except StopIteration:
                raise NotebookError(f"unexpected placeholder in cell {cell.number}") from None
            lines[index] = original + line[len(line.rstrip("\r\n")) :]
    if next(originals, None) is not None:
        raise NotebookError(f"the rewrite lost IPython syntax in cell {cell.number}")
    restored = "".join(lines)
    if not cell.source.endswith(("\n", "\r")) and restored.endswith("\n"):
        restored = restored[:-2] if restored.endswith("\r\n") else restored[:-1]
    return restored


# --- JSON offsets -------------------------------------------------------------------------------


def _skip(raw: str, index: int) -> int:
    match = _WHITESPACE.match(raw, index)
    assert match is not None  # `*` always matches
    return match.end()


def _decode(raw: str, index: int) -> tuple[Any, int]:
    try:
        value, end = _decoder.raw_decode(raw, index)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"invalid notebook: not JSON ({exc})") from None
    return value, int(end)


def _expect(raw: str, index: int, char: str) -> int:
    """The offset past `char`, which must come next (after whitespace)."""
    index = _skip(raw, index)
    if not raw.startswith(char, index):
        line = raw.count("\n", 0, index) + 1
        raise NotebookError(f"invalid notebook: not JSON (expected {char!r} on line {line})")
    return index + 1


def _read_object(raw: str, index: int, member: Callable[[str, int], int]) -> int:
    """Walk the JSON object at `index`: `member(key, value start)` reads each value and gives
    its end.  Returns the end of the object."""
    index = _skip(raw, _expect(raw, index, "{"))
    if raw.startswith("}", index):
        return index + 1
    while True:
        _expect(raw, index, '"')
        key, index = scanstring(raw, _skip(raw, index) + 1)
        index = member(key, _skip(raw, _expect(raw, index, ":")))
        index = _skip(raw, index)
        if raw.startswith("}", index):
            return index + 1
        index = _skip(raw, _expect(raw, index, ","))


def _read_array(raw: str, index: int, item: Callable[[int], int]) -> int:
    """Walk the JSON array at `index`: `item(start)` reads each item and gives its end."""
    index = _skip(raw, _expect(raw, index, "["))
    if raw.startswith("]", index):
        return index + 1
    while True:
        index = _skip(raw, item(index))
        if raw.startswith("]", index):
            return index + 1
        index = _skip(raw, _expect(raw, index, ","))


def _read_notebook(raw: str) -> tuple[dict[str, Any], list[tuple[Any, tuple[int, int] | None]]]:
    """The notebook's top-level object, and each cell with the offsets of its ``"source"``
    value (the last one, as `json.loads` keeps): one pass, each value decoded once."""
    document: dict[str, Any] = {}
    cells: list[tuple[Any, tuple[int, int] | None]] = []

    def read_cell(start: int) -> int:
        if not raw.startswith("{", start):
            value, end = _decode(raw, start)
            cells.append((value, None))
            return end
        cell: dict[str, Any] = {}
        spans: list[tuple[int, int]] = []

        def read_member(key: str, start: int) -> int:
            cell[key], end = _decode(raw, start)
            if key == "source":
                spans.append((start, end))
            return end

        end = _read_object(raw, start, read_member)
        cells.append((cell, spans[-1] if spans else None))
        return end

    def read_top(key: str, start: int) -> int:
        if key == "cells" and raw.startswith("[", start):
            cells.clear()
            end = _read_array(raw, start, read_cell)
            document[key] = [cell for cell, _ in cells]
            return end
        document[key], end = _decode(raw, start)
        return end

    start = _skip(raw, 0)
    if not raw.startswith("{", start):
        _decode(raw, start)  # not JSON at all, or JSON that is not an object
        raise NotebookError("invalid notebook: no list of cells")
    end = _read_object(raw, start, read_top)
    if _skip(raw, end) != len(raw):
        line = raw.count("\n", 0, end) + 1
        raise NotebookError(f"invalid notebook: not JSON (extra data after line {line})")
    return document, cells


def _items(raw: str, index: int) -> list[tuple[int, int]]:
    """(start, end) of each item of the (valid) JSON array at `index`."""
    found: list[tuple[int, int]] = []

    def item(start: int) -> int:
        end = _decode(raw, start)[1]
        found.append((start, end))
        return end

    _read_array(raw, index, item)
    return found


def _render_source(raw: str, span: tuple[int, int], source: str, ascii_only: bool) -> str:
    """`source` as a JSON value laid out like the original value at `span`: a list of lines
    (nbformat's way) with the original's separators, or one string."""
    start, end = span
    if raw[start] != "[":
        return json.dumps(source, ensure_ascii=ascii_only)
    items = list(_items(raw, start))
    if items:
        opening = raw[start + 1 : items[0][0]]
        separator = raw[items[0][1] : items[1][0]] if len(items) > 1 else None
        closing = raw[items[-1][1] : end - 1]
        if separator is None:
            # One line before: items go one per line like the opening puts the first.
            separator = "," + opening if "\n" in opening else ", "
    else:
        # An empty list shows no layout: one line per item, one space deeper than the key
        # (nbformat writes with indent=1).
        line_start = raw.rfind("\n", 0, start) + 1
        before = raw[line_start:start]
        key_indent = before[: len(before) - len(before.lstrip())]
        newline = "\r\n" if "\r\n" in raw[:start] else "\n"
        opening = newline + key_indent + " "
        separator = "," + opening
        closing = newline + key_indent
    parts = [json.dumps(line, ensure_ascii=ascii_only) for line in source.splitlines(True)]
    if not parts:
        return "[]"
    return "[" + opening + separator.join(parts) + closing + "]"
