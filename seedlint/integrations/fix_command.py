"""`seedlint check --fix` / `--diff`: the CLI side of `seedlint.fixes`.

The findings come from the normal check; each file with fixable findings is rewritten by
`fixes.fix_source` and then either written atomically (`--fix`) or shown as a unified diff
(`--diff`, which writes nothing).  A summary says how many fixes were applied, warns when some
of them change the random stream, and lists every finding that has no automatic fix, with why.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from ..diagnostics import Diagnostic
from ..fixes import FIXABLE_CODES, FixOptions, fix_source, write_atomically
from ..reporters import display_path
from ..source import SourceError, read_source


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} {word}{'es' if word.endswith(('x', 's')) else 's'}"


def run_fix(
    diagnostics: Sequence[Diagnostic],
    options: FixOptions,
    *,
    diff: bool,
    stdout: TextIO,
    recheck: Callable[[], Sequence[Diagnostic]],
    write_report: Callable[[Sequence[Diagnostic]], None],
) -> int:
    """Fix (or diff) `diagnostics`; returns the exit status.

    `recheck` re-runs the check after files were written (positions move), `write_report`
    prints findings in the chosen output format."""
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        if diagnostic.code in FIXABLE_CODES:
            by_path[diagnostic.path].append(diagnostic)

    applied = 0
    stream_changing = 0
    changed_files = 0
    unfixed: list[tuple[Diagnostic, str]] = []
    for path in sorted(by_path):
        try:
            source = read_source(path)
        except SourceError as exc:
            unfixed.extend((d, f"cannot read file: {exc}") for d in by_path[path])
            continue
        outcome = fix_source(source.text, path, by_path[path], options)
        unfixed.extend(outcome.remaining)
        if outcome.new_text == source.text:
            continue
        changed_files += 1
        applied += len(outcome.applied)
        stream_changing += sum(f.applicability == "stream-changing" for f in outcome.applied)
        if diff:
            shown = display_path(path)
            stdout.writelines(
                difflib.unified_diff(
                    source.text.splitlines(keepends=True),
                    outcome.new_text.splitlines(keepends=True),
                    fromfile=f"a/{shown}",
                    tofile=f"b/{shown}",
                )
            )
        else:
            write_atomically(Path(path), outcome.new_text, source)

    if diff:
        _summary(stdout, applied, stream_changing, changed_files, unfixed, would=True)
        return 1 if changed_files else 0

    after = list(recheck()) if changed_files else list(diagnostics)
    write_report(after)
    _summary(stdout, applied, stream_changing, changed_files, unfixed, would=False)
    return 1 if after else 0


def _summary(
    stream: TextIO,
    applied: int,
    stream_changing: int,
    files: int,
    unfixed: list[tuple[Diagnostic, str]],
    *,
    would: bool,
) -> None:
    verb = "Would apply" if would else "Applied"
    stream.write(f"{verb} {_plural(applied, 'fix')} in {_plural(files, 'file')}.\n")
    if stream_changing:
        stream.write(
            f"warning: {_plural(stream_changing, 'fix')} change the random stream (numpy's "
            "Generator uses another algorithm): golden values in tests will change; "
            "use --safe-only or --numpy-target=randomstate to keep the exact numbers.\n"
        )
    if unfixed:
        stream.write(f"No automatic fix for {_plural(len(unfixed), 'finding')}:\n")
        for diagnostic, reason in sorted(unfixed, key=lambda item: item[0].sort_key()):
            where = f"{display_path(diagnostic.path)}:{diagnostic.line}:{diagnostic.column}"
            stream.write(f"  {where}: {diagnostic.code} {reason}\n")


def fix_options(ns: object) -> FixOptions:
    """FixOptions from parsed command-line arguments."""
    return FixOptions(
        safe_only=bool(getattr(ns, "safe_only", False)),
        numpy_target=getattr(ns, "numpy_target", "generator"),
        fix_style=getattr(ns, "fix_style", "module"),
        seed=getattr(ns, "seed", None),
    )


__all__ = ["fix_options", "run_fix"]
