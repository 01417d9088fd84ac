"""Write a fixed file atomically, byte-compatible with what was read.

The new bytes go to a temporary file in the same folder (so `os.replace` is a rename on one
file system, atomic on POSIX and Windows), are flushed to disk, get the original's permission
bits, and then replace it.  Any failure before the rename leaves the original untouched and
removes the temporary file.  Encoding, BOM and newline style come from the `Source` that was
read (`seedlint.source`): a latin-1 file stays latin-1, a CRLF file stays CRLF.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path

from ..source import Source, detect_newline

__all__ = ["SourceInfo", "write_atomically"]

# What was read: codec, BOM and newline style (the reader's own type).
SourceInfo = Source

_NEWLINES = re.compile(r"\r\n|\r|\n")


def _with_newline_style(text: str, newline: str) -> str:
    """Text whose line endings follow `newline` when it uses another style throughout the
    way `str` APIs produce it ("\\n"); mixed files that already use the style stay as they are."""
    if detect_newline(text) == newline or not _NEWLINES.search(text):
        return text
    return _NEWLINES.sub(newline, text)


def write_atomically(path: Path, text: str, like: SourceInfo) -> None:
    """Replace `path` with `text`, encoded like `like` (same codec, BOM, newline style) and
    keeping the file's permission bits; a symbolic link is followed, not replaced."""
    target = Path(os.path.realpath(path))
    data = like.encode(_with_newline_style(text, like.newline))  # fails before touching disk
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    handle, temp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".seedlint-tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
