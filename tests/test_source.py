"""Bytes -> text like Python does it (seedlint.source)."""

from __future__ import annotations

import ast
import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seedlint.source import Source, SourceError, decode_source, detect_newline, read_source


def test_plain_utf8() -> None:
    source = decode_source("x = 'é'\n".encode())
    assert source == Source("x = 'é'\n", "utf-8", False, "\n")


def test_utf8_bom_is_removed_from_text_and_remembered() -> None:
    data = codecs.BOM_UTF8 + b"x = 1\n"
    source = decode_source(data)
    assert source.text == "x = 1\n"
    assert source.bom is True
    assert source.encoding == "utf-8"
    assert source.encode() == data


def test_bom_with_utf8_cookie_is_fine() -> None:
    data = codecs.BOM_UTF8 + b"# -*- coding: utf-8 -*-\nx = 1\n"
    assert decode_source(data).bom


def test_bom_with_conflicting_cookie_is_an_error() -> None:
    with pytest.raises(SourceError, match="encoding"):
        decode_source(codecs.BOM_UTF8 + b"# coding: latin-1\nx = 1\n")


@pytest.mark.parametrize(
    "cookie", ["# -*- coding: latin-1 -*-", "# vim: set fileencoding=iso-8859-1 :"]
)
def test_latin1_cookie(cookie: str) -> None:
    data = f"{cookie}\ns = 'caf\xe9'\n".encode("latin-1")
    source = decode_source(data)
    assert "café" in source.text
    assert source.encoding == "iso-8859-1"
    assert source.encode() == data


def test_cookie_on_second_line_after_shebang() -> None:
    data = b"#!/usr/bin/env python\n# coding: latin-1\nx = '\xe9'\n"
    assert decode_source(data).text.endswith("x = 'é'\n")


def test_cookie_on_third_line_is_ignored_like_python_does() -> None:
    data = b"\n\n# coding: latin-1\nx = '\xe9'\n"
    with pytest.raises(SourceError, match="utf-8"):
        decode_source(data)


@pytest.mark.parametrize("cookie", ["foo-bar-encoding", "rot13", "utf-16"])
def test_unusable_cookie_is_an_error_not_a_crash(cookie: str) -> None:
    with pytest.raises(SourceError) as info:
        decode_source(f"# coding: {cookie}\nx = 1\n".encode())
    message = str(info.value)
    assert "encoding" in message and "\n" not in message


def test_crlf_is_preserved_and_parses_with_right_positions() -> None:
    data = b"import random\r\nx = random.random()\r\n"
    source = decode_source(data)
    assert source.text == "import random\r\nx = random.random()\r\n"
    assert source.newline == "\r\n"
    assert source.encode() == data
    call = ast.parse(source.text).body[1].value  # type: ignore[attr-defined]
    assert (call.lineno, call.col_offset, call.end_col_offset) == (2, 4, 19)


def test_lone_cr_is_preserved() -> None:
    source = decode_source(b"a = 1\rb = 2\r")
    assert source.text == "a = 1\rb = 2\r"
    assert source.newline == "\r"
    assert [n.lineno for n in ast.parse(source.text).body] == [1, 2]


def test_newline_style_of_first_line_and_default() -> None:
    assert detect_newline("a\nb\r\n") == "\n"
    assert detect_newline("a\r\nb\n") == "\r\n"
    assert detect_newline("no newline") == "\n"


def test_empty_file() -> None:
    assert decode_source(b"") == Source("", "utf-8", False, "\n")


def test_binary_file_is_a_clear_error() -> None:
    with pytest.raises(SourceError) as info:
        decode_source(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert str(info.value) == "binary file (NUL byte on line 3)"


def test_utf16_file_with_bom_counts_as_binary() -> None:
    with pytest.raises(SourceError, match="binary"):
        decode_source("x = 1\n".encode("utf-16"))


def test_undecodable_byte_names_its_position() -> None:
    with pytest.raises(SourceError) as info:
        decode_source(b"x = 1\ny = 2\nz = '\xff'\n")
    message = str(info.value)
    assert "0xff" in message and "line 3" in message and "column 6" in message
    assert "\n" not in message


def test_undecodable_byte_in_first_two_lines_without_cookie() -> None:
    with pytest.raises(SourceError, match=r"line 1, column 6"):
        decode_source(b"x = '\xe9'\n")


def test_read_source_reads_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"x = 1\n")
    calls = []
    original = Path.read_bytes

    def counting(self: Path) -> bytes:
        calls.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    assert read_source(path).text == "x = 1\n"
    assert calls == [path]


def test_read_source_errors_are_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "pkg.py"
    folder.mkdir()
    with pytest.raises(SourceError, match="^is a directory$"):
        read_source(folder)
    with pytest.raises(SourceError, match="^no such file$"):
        read_source(tmp_path / "missing.py")
    link = tmp_path / "link.py"
    link.symlink_to(tmp_path / "nowhere.py")
    with pytest.raises(SourceError, match="^broken symbolic link$"):
        read_source(link)


def test_permission_error_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(SourceError, match="^permission denied$"):
        read_source(tmp_path / "x.py")


def test_five_megabytes() -> None:
    line = "value = 'é' * 3  # padding padding padding\r\n"
    data = (line * (5 * 1024 * 1024 // len(line) + 1)).encode()
    source = decode_source(data)
    assert len(source.text) > 4_000_000
    assert source.newline == "\r\n"


_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=200,
)


@given(_TEXT, st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_utf8_round_trip(body: str, newline: str, bom: bool) -> None:
    text = body.replace("\n", newline)
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode()
    try:
        source = decode_source(data)
    except SourceError:
        # Only a cookie in the text itself can make valid UTF-8 undecodable.
        assert "coding" in text
        return
    assert source.encode() == data


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        source = decode_source(data)
    except SourceError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(source.text, str)
