"""`--fix` over every linter fixture (edge cases of names, imports, scopes, encodings), with
each option set: the result compiles whenever the input does, fixing it again changes
nothing, no refusal is an internal error, noqa lines are kept, and `describe_fix` announced
every fix that was applied."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seedlint.fixes import FixOptions
from seedlint.noqa import apply_noqa
from seedlint.source import SourceError, decode_source

from .conftest import FIXTURES
from .engine_helpers import analyze, check_source, describe_fix, fix_source
from .test_fix_fixtures import SETTINGS

SOURCES = sorted(
    p
    for pattern in ("sdl1*/**/*.py", "sdl900/*.py", "projects/**/*.py")
    for p in FIXTURES.glob(pattern)
)
NOQA = re.compile(r"#\s*" + "noqa", re.IGNORECASE)
OPTION_SETS = (
    FixOptions(),
    FixOptions(numpy_target="randomstate"),
    FixOptions(fix_style="parameter", seed=7),
    FixOptions(safe_only=True),
)


def _compiles(text: str) -> bool:
    try:
        compile(text, "m.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fix_is_safe_on_linter_fixtures(path: Path) -> None:
    try:
        text = decode_source(path.read_bytes()).text
    except SourceError:
        return
    name = str(path.relative_to(FIXTURES.parent))
    diagnostics = apply_noqa(check_source(text, name, SETTINGS), text)
    facts = analyze(text, name)
    for options in OPTION_SETS:
        outcome = fix_source(text, name, diagnostics, options)
        assert all(not r.startswith("internal:") for _, r in outcome.remaining), outcome.remaining
        # describe_fix announced every fix that was applied, with its applicability, and
        # nothing else.
        exact: dict[tuple[str, int], set[str]] = {}
        for diag in diagnostics:
            fix = describe_fix(diag, facts, options, text=text)
            if fix is not None:
                exact.setdefault((diag.code, diag.line), set()).add(fix.applicability)
        applied: dict[tuple[str, int], set[str]] = {}
        for fixed in outcome.applied:
            applied.setdefault((fixed.code, fixed.line), set()).add(fixed.applicability)
        assert applied == exact
        if outcome.new_text == text:
            continue
        if _compiles(text):
            assert _compiles(outcome.new_text), outcome.new_text
        again = apply_noqa(check_source(outcome.new_text, name, SETTINGS), outcome.new_text)
        assert fix_source(outcome.new_text, name, again, options).new_text == outcome.new_text
        # Lines carrying a noqa comment are byte-for-byte the same (they only move).
        kept = [line for line in text.splitlines() if NOQA.search(line)]
        new_lines = set(outcome.new_text.splitlines())
        assert all(line in new_lines for line in kept)
