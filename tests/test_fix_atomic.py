"""`write_atomically`: same bytes conventions as the file read, all or nothing on failure."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from seedlint.fixes import write_atomically
from seedlint.source import read_source


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".seedlint-tmp"))


def test_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "script.py"
    path.write_bytes(b"x = 1\n")
    path.chmod(0o751)
    write_atomically(path, "x = 2\n", read_source(path))
    assert path.read_bytes() == b"x = 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert _leftovers(tmp_path) == []


def test_keeps_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfname = '\xc3\xa9'\n")
    source = read_source(path)
    assert source.bom
    write_atomically(path, source.text.replace("name", "nom"), source)
    assert path.read_bytes() == b"\xef\xbb\xbfnom = '\xc3\xa9'\n"


def test_keeps_crlf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.py"
    path.write_bytes(b"import random\r\nx = random.random()\r\n")
    source = read_source(path)
    assert source.newline == "\r\n"
    # Text that kept the file's line endings is written as it is ...
    write_atomically(path, source.text + "y = 2\r\n", source)
    assert path.read_bytes() == b"import random\r\nx = random.random()\r\ny = 2\r\n"
    # ... and text in "\n" style gets the file's style back.
    write_atomically(path, "a = 1\nb = 2\n", read_source(path))
    assert path.read_bytes() == b"a = 1\r\nb = 2\r\n"


def test_keeps_latin1_cookie_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n")
    source = read_source(path)
    assert source.encoding == "iso-8859-1"
    write_atomically(path, source.text + "other = '\xe0'\n", source)
    assert path.read_bytes() == b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\nother = '\xe0'\n"


def test_unencodable_text_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    original = b"# -*- coding: latin-1 -*-\nx = 1\n"
    path.write_bytes(original)
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "# -*- coding: latin-1 -*-\nx = '\u20ac'\n", read_source(path))
    assert path.read_bytes() == original
    assert _leftovers(tmp_path) == []


def test_crash_before_replace_keeps_original_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "script.py"
    path.write_bytes(b"import random\nx = random.random()\n")
    source = read_source(path)

    def crash(src: object, dst: object) -> None:
        raise OSError("simulated crash")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        write_atomically(path, "rewritten\n", source)
    assert path.read_bytes() == b"import random\nx = random.random()\n"
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges")
def test_follows_symbolic_links(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_bytes(b"x = 1\n")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    write_atomically(link, "x = 2\n", read_source(link))
    assert link.is_symlink()
    assert real.read_bytes() == b"x = 2\n"
