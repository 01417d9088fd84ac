"""Bytes -> text for a Python source file, the way Python itself decodes it.

* a UTF-8 byte-order mark is honoured (and remembered),
* a PEP 263 ``# -*- coding: ... -*-`` cookie on line 1 or 2 selects the codec
  (`tokenize.detect_encoding`), UTF-8 otherwise,
* line endings are left alone: ``\\r\\n`` and ``\\r`` stay in the text (`ast` accepts them and
  columns do not change), so a writer can put back exactly what it read,
* binary files (NUL bytes), undecodable bytes and bad cookies give a `SourceError` whose
  message is one clear line; nothing here lets a traceback escape for bad input.

`Source` keeps what an atomic writer needs to round-trip the file: `Source.encode(new_text)`
gives the bytes to write (same codec, same BOM; newlines are whatever `new_text` holds, and
`Source.newline` says which style to use for inserted lines).

This is the one place where a path's bytes (or an editor's buffer) become the text that is
analysed and fixed: a Jupyter notebook (``*.ipynb``) becomes the Python program its code
cells make (`seedlint.notebooks`), and encoding a rewritten program gives back the notebook
with only the changed cells' sources replaced.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .notebooks import Notebook

__all__ = ["Source", "SourceError", "decode_source", "overlay_source", "read_source"]

BOM = codecs.BOM_UTF8
_NEWLINE = re.compile(r"\r\n|\r|\n")
_NEWLINE_BYTES = re.compile(rb"\r\n|\r|\n")


class SourceError(Exception):
    """The file cannot be read or decoded; `str(error)` is a one-line reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class Source:
    """Decoded text plus what is needed to write it back byte-for-byte."""

    text: str
    # Codec name as `tokenize.detect_encoding` spells it ("utf-8", "iso-8859-1", ...), without
    # the "-sig": the BOM is recorded separately in `bom`.
    encoding: str = "utf-8"
    bom: bool = False
    # The first line ending of the file ("\n" when it has none): the style for new lines.
    newline: str = "\n"
    # For a notebook: its JSON and cell map (`text` is then the program its code cells make).
    notebook: Notebook | None = None

    def encode(self, text: str | None = None) -> bytes:
        """Bytes for `text` (default: this source's own text) in this file's encoding; for a
        notebook, the notebook with its code cells taken from `text` (raises `SourceError`
        when `text` lost a cell boundary)."""
        text = self.text if text is None else text
        if self.notebook is not None:
            text = self.notebook.write_back(text)
        body = text.encode(self.encoding)
        return BOM + body if self.bom else body


def detect_newline(text: str) -> str:
    """The first line ending in `text`, or "\\n" when there is none."""
    match = _NEWLINE.search(text)
    return match.group() if match else "\n"


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of byte `offset`; the column counts bytes of its line."""
    line = 1
    start = 0
    for match in _NEWLINE_BYTES.finditer(data, 0, offset):
        line += 1
        start = match.end()
    return line, offset - start + 1


def _detect_encoding(data: bytes) -> tuple[str, bool]:
    """(codec, has_bom) the way Python picks them; raises SourceError for a bad cookie."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        message = str(exc.msg if exc.msg else exc)
        if message.startswith("invalid or missing encoding declaration"):
            # No cookie and line 1 or 2 is not UTF-8: decode as UTF-8 below, which reports
            # the exact position of the offending byte.
            return "utf-8", False
        raise SourceError(f"invalid encoding declaration ({message})") from None
    if encoding == "utf-8-sig":
        return "utf-8", True
    try:
        info = codecs.lookup(encoding)
    except LookupError:  # detect_encoding validated it already; belt and braces
        raise SourceError(f"invalid encoding declaration (unknown encoding: {encoding})") from None
    if not getattr(info, "_is_text_encoding", True):
        raise SourceError(f"invalid encoding declaration ({encoding!r} is not a text encoding)")
    try:
        ascii_compatible = "# coding\n".encode(encoding) == b"# coding\n"
    except (UnicodeError, LookupError, ValueError, TypeError):
        ascii_compatible = False
    if not ascii_compatible:
        raise SourceError(
            f"invalid encoding declaration ({encoding!r} cannot encode Python source: "
            "it is not ASCII-compatible)"
        )
    return encoding, False


def decode_source(data: bytes, path: str | os.PathLike[str] | None = None) -> Source:
    """Decode the bytes of a Python file; raises `SourceError` (one-line reason) when Python
    would refuse them too: NUL bytes, an undecodable byte, an unknown or unusable cookie.
    When `path` names a notebook, the bytes are its JSON (see the module docstring)."""
    if path is not None and _is_notebook(path):
        return _decode_notebook(data)
    nul = data.find(b"\x00")
    if nul >= 0:
        line, _ = _position(data, nul)
        raise SourceError(f"binary file (NUL byte on line {line})")
    encoding, bom = _detect_encoding(data)
    body = data[len(BOM) :] if bom else data
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _position(body, exc.start)
        bad = body[exc.start : max(exc.end, exc.start + 1)][:4]
        shown = " ".join(f"0x{b:02x}" for b in bad)
        raise SourceError(
            f"invalid {exc.encoding} byte{'s' if len(bad) > 1 else ''} {shown} "
            f"at line {line}, column {column} ({exc.reason})"
        ) from None
    except (LookupError, ValueError, TypeError) as exc:  # a codec that is not for text
        raise SourceError(f"cannot decode as {encoding}: {exc}") from None
    return Source(text=text, encoding=encoding, bom=bom, newline=detect_newline(text))


def _is_notebook(path: str | os.PathLike[str]) -> bool:
    from .notebooks import is_notebook

    return is_notebook(os.fspath(path))


def _decode_notebook(data: bytes) -> Source:
    from .notebooks import parse_notebook

    bom = data.startswith(BOM)
    try:
        raw = data[len(BOM) :].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        raise SourceError(
            f"invalid notebook: not UTF-8 (byte 0x{data[exc.start]:02x} at line {line}, "
            f"column {column})"
        ) from None
    notebook = parse_notebook(raw)
    # `newline` is the program's own style, so that the writer leaves the cells' line ends be.
    newline = detect_newline(notebook.text)
    return Source(text=notebook.text, bom=bom, newline=newline, notebook=notebook)


def overlay_source(text: str, path: str | os.PathLike[str] | None = None) -> Source:
    """The `Source` of an in-memory buffer (an editor's unsaved text, standard input) that
    stands for `path`: a notebook's buffer is its JSON text."""
    if path is not None and _is_notebook(path):
        from .notebooks import parse_notebook

        notebook = parse_notebook(text)
        return Source(text=notebook.text, newline=detect_newline(notebook.text), notebook=notebook)
    return Source(text=text, newline=detect_newline(text))


def describe_os_error(path: str | os.PathLike[str], exc: OSError) -> str:
    """A short lower-case reason for an OSError raised while reading `path`."""
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "broken symbolic link" if os.path.islink(path) else "no such file"
    reason = exc.strerror or str(exc) or type(exc).__name__
    return reason[:1].lower() + reason[1:]


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read (one `read_bytes`) and decode a Python file; raises `SourceError` for a file that
    cannot be read (missing, a directory, permissions, broken link) or decoded."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(describe_os_error(path, exc)) from None
    except (ValueError, MemoryError) as exc:  # e.g. an embedded NUL in the path itself
        raise SourceError(f"{type(exc).__name__}: {exc}") from None
    return decode_source(data, path)
