"""The language server's conversions, without a client: positions in each encoding, the
minimal edit of a rewrite, noqa edits, client settings."""

from __future__ import annotations

import os

import pytest

try:
    from lsprotocol import types
except ImportError:  # CI installs pygls (the `test` extra); skipping needs an explicit yes
    if os.environ.get("SEEDLINT_ALLOW_SKIP") == "1":
        pytest.skip("pygls is not installed (SEEDLINT_ALLOW_SKIP=1)", allow_module_level=True)
    raise

from seedlint.diagnostics import Diagnostic, Span
from seedlint.integrations.lsp.actions import kind_wanted, noqa_edit
from seedlint.integrations.lsp.convert import LineIndex, minimal_edit
from seedlint.integrations.lsp.options import parse_client_options

UTF8, UTF16, UTF32 = (
    types.PositionEncodingKind.Utf8,
    types.PositionEncodingKind.Utf16,
    types.PositionEncodingKind.Utf32,
)


def _apply(text: str, edit: types.TextEdit, encoding: str) -> str:
    index = LineIndex(text, encoding)
    start, end = index.offset(edit.range.start), index.offset(edit.range.end)
    return text[:start] + edit.new_text + text[end:]


@pytest.mark.parametrize(("encoding", "character"), [(UTF8, 14), (UTF16, 11), (UTF32, 10)])
def test_columns_in_each_encoding(encoding: str, character: int) -> None:
    # "é" is 2 UTF-8 bytes, 1 UTF-16 unit; "🎲" 4 bytes, 2 units; both one code point.
    index = LineIndex("x = 1\ns = 'é🎲'; y\n", encoding)
    assert index.position(2, 11) == types.Position(1, character)
    assert index.offset(types.Position(1, character)) == len("x = 1\ns = 'é🎲'; ")


def test_line_breaks_are_lsp_line_breaks() -> None:
    # \r\n, \r and \n end lines; a form feed does not (str.splitlines would split there).
    index = LineIndex("a\r\nb\rc\x0cd\ne", UTF16)
    assert [index.line(n) for n in range(4)] == ["a", "b", "c\x0cd", "e"]
    assert index.position(3, 3) == types.Position(2, 2)
    assert index.position(9, 1) == types.Position(3, 1)  # past the end: clamped


@pytest.mark.parametrize("encoding", [UTF8, UTF16, UTF32])
def test_minimal_edit_turns_old_into_new(encoding: str) -> None:
    old = "import numpy as np\r\n\r\nlabel = '🎲'\r\nx = np.random.rand(3)\r\n"
    new = old.replace("np.random.rand(3)", "rng.random(3)").replace(
        "\r\n\r\n", "\r\n\r\nrng = np.random.default_rng(0)\r\n"
    )
    edits = minimal_edit(old, new, encoding)
    assert len(edits) == 1
    assert _apply(old, edits[0], encoding) == new
    assert minimal_edit(old, old, encoding) == []


def _finding(line: int) -> Diagnostic:
    return Diagnostic("m.py", Span(line, 5, line, 20), "SDL103", "stdlib-global-random", "m")


@pytest.mark.parametrize(
    ("line", "after"),
    [
        ("x = random.random()", "x = random.random()  # noqa: SDL103"),
        ("x = random.random()   ", "x = random.random()  # noqa: SDL103"),
        ("x = random.random()  # noqa: SDL101", "x = random.random()  # noqa: SDL101, SDL103"),
        ("x = random.random()  # draw", "x = random.random()  # noqa: SDL103 # draw"),
        ("x = f('#', random.random())", "x = f('#', random.random())  # noqa: SDL103"),
    ],
)
def test_noqa_edit(line: str, after: str) -> None:
    text = f"import random\n{line}\n"
    edit = noqa_edit(LineIndex(text, UTF16), _finding(2))
    assert edit is not None
    assert _apply(text, edit, UTF16) == f"import random\n{after}\n"


def test_no_noqa_edit_under_a_blanket_noqa() -> None:
    text = "import random\nx = random.random()  # noqa\n"
    assert noqa_edit(LineIndex(text, UTF16), _finding(2)) is None


def test_kinds() -> None:
    assert kind_wanted("source.fixAll.seedlint", None)
    assert kind_wanted("source.fixAll.seedlint", ["source"])
    assert kind_wanted("source.fixAll.seedlint", ["source.fixAll"])
    assert not kind_wanted("source.fixAll.seedlint", ["quickfix"])
    assert not kind_wanted("quickfix", ["source.fixAll"])


def test_client_options() -> None:
    options, problems = parse_client_options(
        {"seedlint": {"select": ["SDL1"], "strict": True, "safeOnly": False, "seed": 3}}
    )
    assert problems == []
    assert options.overrides.select == ("SDL1",)
    assert options.overrides.strict is True
    assert options.safe_only is False
    assert options.fix.seed == 3
    options, problems = parse_client_options(
        {"ignore": ["sdl101"], "strict": "yes", "numpyTarget": "nope", "debounceMs": -1}
    )
    assert len(problems) == 4, problems
    assert options.overrides.ignore == () and options.overrides.strict is None
    assert parse_client_options(None) == (parse_client_options({})[0], [])
