"""`--fix` on hand-written fixture pairs: ``fixtures/fix/<case>.in.py`` -> ``<case>.out.py``.

Options for a case go in a first-line comment of the input::

    # seedlint-fix-options: --numpy-target=randomstate --seed 3

For every case: the output is exactly the expected file; fixing the output again changes
nothing (idempotence); the output compiles; and `check_source` on the output reports, of the
fixable codes, only what the fix reported as remaining (plus the `np.random.RandomState(...)`
that `--numpy-target=randomstate` creates on purpose).
"""

from __future__ import annotations

import argparse
import shlex
from collections import Counter
from pathlib import Path

import pytest

from seedlint.diagnostics import Diagnostic
from seedlint.fixes import FIXABLE_CODES, FixOptions, FixOutcome
from seedlint.settings import Settings
from seedlint.source import decode_source

from .conftest import FIXTURES
from .engine_helpers import check_source, fix_source

FIX_DIR = FIXTURES / "fix"
CASES = sorted(p.name[: -len(".in.py")] for p in FIX_DIR.glob("*.in.py"))
# Rules of the fixable codes only: the SDL0xx seeding rules are not what --fix is about.
SETTINGS = Settings(select=tuple(sorted(FIXABLE_CODES)))
OPTIONS_MARK = "# seedlint-fix-options:"


def parse_options(text: str) -> FixOptions:
    first = text.splitlines()[0] if text else ""
    if not first.startswith(OPTIONS_MARK):
        return FixOptions()
    parser = argparse.ArgumentParser(exit_on_error=False)
    parser.add_argument("--safe-only", action="store_true")
    parser.add_argument("--numpy-target", choices=("generator", "randomstate"), default="generator")
    parser.add_argument("--fix-style", choices=("module", "parameter"), default="module")
    parser.add_argument("--seed", type=int)
    args = parser.parse_args(shlex.split(first[len(OPTIONS_MARK) :]))
    return FixOptions(args.safe_only, args.numpy_target, args.fix_style, args.seed)


def read(path: Path) -> str:
    return decode_source(path.read_bytes()).text


def run_fix(text: str, path: str, options: FixOptions) -> tuple[FixOutcome, list[Diagnostic]]:
    diagnostics = check_source(text, path, SETTINGS)
    return fix_source(text, path, diagnostics, options), diagnostics


def snippet(text: str, diag: Diagnostic) -> str:
    lines = text.splitlines()
    span = diag.span
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1 :]]
    parts += lines[span.line : span.end_line - 1]
    parts.append(lines[span.end_line - 1][: span.end_column - 1])
    return "\n".join(parts)


def test_there_are_cases() -> None:
    assert len(CASES) >= 25, CASES
    for case in CASES:
        assert (FIX_DIR / f"{case}.out.py").exists(), f"{case}.out.py is missing"


@pytest.mark.parametrize("case", CASES)
def test_fix_fixture(case: str) -> None:
    source = FIX_DIR / f"{case}.in.py"
    text = read(source)
    expected = read(FIX_DIR / f"{case}.out.py")
    options = parse_options(text)
    path = str(source.relative_to(FIXTURES.parent))
    outcome, diagnostics = run_fix(text, path, options)

    assert outcome.new_text == expected
    for _, reason in outcome.remaining:
        assert not reason.startswith("internal:"), reason
    fixable = [d for d in diagnostics if d.code in FIXABLE_CODES]
    assert len(outcome.applied) + len(outcome.remaining) == len(fixable)
    if options.safe_only:
        assert all(a.applicability == "stream-preserving" for a in outcome.applied)

    compile(outcome.new_text, path, "exec", dont_inherit=True)

    # Idempotent: the output's own findings (the unfixed ones) change nothing.
    again, after = run_fix(outcome.new_text, path, options)
    assert again.new_text == outcome.new_text
    assert again.applied == []

    # What is still reported is exactly what the fix said it left.
    left = Counter((d.code, snippet(text, d)) for d, _ in outcome.remaining)
    now = Counter((d.code, snippet(outcome.new_text, d)) for d in after)
    if options.numpy_target == "randomstate":
        for key in list(now):
            if key[0] == "SDL102" and key not in left:
                del now[key]  # the RandomState the fix created
    assert now == left


def test_no_diagnostics_means_no_change() -> None:
    text = read(FIX_DIR / "numpy_seed_first.in.py")
    assert fix_source(text, "x.py", [], FixOptions()).new_text == text
