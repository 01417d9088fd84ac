"""`# noqa` and `# seedlint: skip-file` (seedlint.noqa)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seedlint.diagnostics import Diagnostic, Span
from seedlint.noqa import apply_noqa, parse_directives, parse_noqa_comment

from .engine_helpers import check_source


def diag(line: int, code: str = "SDL101", end_line: int | None = None) -> Diagnostic:
    return Diagnostic("m.py", Span(line, 1, end_line or line, 5), code, "name", "message")


@pytest.mark.parametrize(
    ("comment", "codes"),
    [
        ("# noqa", frozenset()),
        ("#noqa", frozenset()),
        ("# NOQA", frozenset()),
        ("# NoQa", frozenset()),
        ("# noqa: SDL101", frozenset({"SDL101"})),
        ("# noqa:SDL101", frozenset({"SDL101"})),
        ("# noqa: SDL101,SDL103", frozenset({"SDL101", "SDL103"})),
        ("# noqa: SDL101, SDL103", frozenset({"SDL101", "SDL103"})),
        ("#noqa:SDL101 SDL103", frozenset({"SDL101", "SDL103"})),
        ("# NOQA: sdl101", frozenset({"SDL101"})),
        ("# noqa : SDL101", frozenset({"SDL101"})),
        ("# noqa: SDL101 -- seeded by the caller", frozenset({"SDL101"})),
        ("# type: ignore[misc]  # noqa: SDL104", frozenset({"SDL104"})),
        # flake8: a colon without any valid code is a blanket noqa
        ("# noqa:", frozenset()),
        ("# noqa: because reasons", frozenset()),
        ("# just a comment", None),
        ("# noqa123", None),
        ("# see noqa docs", None),
    ],
)
def test_parse_noqa_comment(comment: str, codes: frozenset[str] | None) -> None:
    assert parse_noqa_comment(comment) == codes


def test_blanket_noqa_suppresses_everything_on_its_line() -> None:
    text = "a = 1  # noqa\nb = 2\n"
    kept = apply_noqa([diag(1, "SDL101"), diag(1, "SDL103"), diag(2)], text)
    assert kept == [diag(2)]


def test_codes_suppress_only_matching_diagnostics() -> None:
    text = "a = 1  # noqa: SDL101,SDL104\n"
    kept = apply_noqa([diag(1, "SDL101"), diag(1, "SDL103"), diag(1, "SDL104")], text)
    assert kept == [diag(1, "SDL103")]


def test_non_matching_codes_leave_the_diagnostic() -> None:
    assert apply_noqa([diag(1, "SDL101")], "a = 1  # noqa: SDL103\n") == [diag(1, "SDL101")]


def test_code_prefix_matches_like_flake8() -> None:
    text = "a = 1  # noqa: SDL1\n"
    assert apply_noqa([diag(1, "SDL101"), diag(1, "SDL001")], text) == [diag(1, "SDL001")]


def test_noqa_applies_to_the_line_where_the_diagnostic_starts() -> None:
    text = "x = f(\n    1,\n)  # noqa\ny = g(  # noqa\n    2,\n)\n"
    kept = apply_noqa([diag(1, end_line=3), diag(4, end_line=6)], text)
    assert kept == [diag(1, end_line=3)]


def test_noqa_inside_a_string_does_not_count() -> None:
    text = "a = \"# noqa\"\nb = '#noqa: SDL101'\n"
    assert apply_noqa([diag(1), diag(2)], text) == [diag(1), diag(2)]


def test_noqa_inside_a_triple_quoted_string_does_not_count() -> None:
    text = 'doc = """\nexample()  # noqa\n"""\nc = 1\n'
    assert apply_noqa([diag(2)], text) == [diag(2)]


def test_hash_inside_a_string_before_the_real_comment() -> None:
    text = "a = '#' + \"x # y\"  # noqa: SDL101\n"
    assert apply_noqa([diag(1)], text) == []


def test_escaped_quotes_do_not_end_strings() -> None:
    text = 'a = "\\" # noqa"\nb = r"\\"  # noqa\n'
    assert apply_noqa([diag(1), diag(2)], text) == [diag(1)]


def test_quote_in_a_comment_does_not_open_a_string() -> None:
    text = "# don't\na = 1  # noqa\n"
    assert apply_noqa([diag(2)], text) == []


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_with_every_newline_style(newline: str) -> None:
    text = newline.join(["a = 1", '"""', "doc", '"""', "b = 2  # noqa", "c = 3", ""])
    assert parse_directives(text).lines == {5: frozenset()}
    assert apply_noqa([diag(5), diag(6)], text) == [diag(6)]


def test_form_feed_does_not_shift_lines() -> None:
    text = "a = 1\n\x0c\nb = 2  # noqa\n"
    assert parse_directives(text).lines == {3: frozenset()}


@pytest.mark.parametrize(
    "comment",
    [
        "# seedlint: skip-file",
        "#seedlint:skip-file",
        "# SEEDLINT: SKIP-FILE",
        "# seedlint: skip_file",
    ],
)
def test_skip_file(comment: str) -> None:
    text = f"import random\n\n    {comment}\nrandom.random()\n"
    assert parse_directives(text).skip_file
    assert apply_noqa([diag(4)], text) == []


def test_skip_file_must_be_on_its_own_line() -> None:
    text = "x = 1  # seedlint: skip-file\n"
    assert not parse_directives(text).skip_file
    assert apply_noqa([diag(1)], text) == [diag(1)]


def test_skip_file_inside_a_docstring_does_not_count() -> None:
    text = '"""\n# seedlint: skip-file\n"""\n'
    assert not parse_directives(text).skip_file


def test_no_directives_is_cheap_and_empty() -> None:
    directives = parse_directives("x = 1  # a comment\n" * 1000)
    assert not directives.skip_file and not directives.lines


def test_with_the_real_engine() -> None:
    text = (
        "import random\n"
        "import numpy as np\n"
        "a = random.random()  # noqa: SDL103\n"
        "b = np.random.rand()  # noqa: SDL103\n"
        "c = random.random()  # NOQA\n"
    )
    found = check_source(text, "m.py")
    kept = apply_noqa(found, text)
    assert {(d.line, d.code) for d in found} >= {(3, "SDL103"), (4, "SDL101"), (5, "SDL103")}
    assert (4, "SDL101") in {(d.line, d.code) for d in kept}
    assert all(d.line != 5 for d in kept)
    assert all(not (d.line == 3 and d.code == "SDL103") for d in kept)


@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    directives = parse_directives(text)
    for line in directives.lines:
        assert line >= 1
