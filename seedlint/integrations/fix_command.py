"""`seedlint check --fix` / `--diff`: the CLI side of `Workspace.fix`.

`Workspace.fix` plans every file with fixable findings and writes them atomically (`--fix`),
or only plans them, shown here as a unified diff (`--diff`, which writes nothing).  A summary
says how many fixes were applied, warns when some of them change the random stream, and lists
every finding that has no automatic fix, with why.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import TextIO

from ..diagnostics import Diagnostic
from ..fixes import AppliedFix, FixOptions
from ..reporters import display_path
from ..workspace import FixResult

_LIBRARY = {"SDL101": "numpy", "SDL102": "numpy", "SDL103": "random", "SDL104": "torch"}


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} {word}{'es' if word.endswith(('x', 's')) else 's'}"


def run_fix(
    result: FixResult,
    *,
    diff: bool,
    stdout: TextIO,
    recheck: Callable[[], Sequence[Diagnostic]],
    write_report: Callable[[Sequence[Diagnostic]], None],
) -> int:
    """Show what `Workspace.fix` planned (`--diff`) or did (`--fix`); returns the exit status.

    `recheck` runs the check again (what is left after writing), `write_report` prints
    findings in the chosen output format."""
    applied = [fix for file in result.files for fix in file.applied]
    stream_changing = [f for f in applied if f.applicability == "stream-changing"]
    unfixed = list(result.unfixed)
    if diff:
        for planned in result.files:
            shown = display_path(planned.path)
            stdout.writelines(
                difflib.unified_diff(
                    planned.old_text.splitlines(keepends=True),
                    planned.new_text.splitlines(keepends=True),
                    fromfile=f"a/{shown}",
                    tofile=f"b/{shown}",
                )
            )
        _summary(stdout, len(applied), stream_changing, len(result.files), unfixed, would=True)
        return 1 if result.files else 0

    after = list(recheck())
    write_report(after)
    written = set(result.written)
    done = [fix for file in result.files if file.path in written for fix in file.applied]
    changing = [f for f in done if f.applicability == "stream-changing"]
    _summary(stdout, len(done), changing, len(written), unfixed, would=False)
    for path, reason in result.skipped:
        stdout.write(f"warning: {display_path(path)} was not written: {reason}\n")
    return 1 if after or result.skipped else 0


def _summary(
    stream: TextIO,
    applied: int,
    stream_changing: Sequence[AppliedFix],
    files: int,
    unfixed: list[tuple[Diagnostic, str]],
    *,
    would: bool,
) -> None:
    verb = "Would apply" if would else "Applied"
    stream.write(f"{verb} {_plural(applied, 'fix')} in {_plural(files, 'file')}.\n")
    if stream_changing:
        counts: dict[str, int] = {}
        for fix in stream_changing:
            library = _LIBRARY[fix.code]
            counts[library] = counts.get(library, 0) + 1
        libraries = ", ".join(f"{name}: {n}" for name, n in sorted(counts.items()))
        why = "each fix's description says why"
        if any("default_rng" in f.description for f in stream_changing):
            why = "numpy's Generator uses another algorithm; " + why
        hint = "--safe-only"
        if any("default_rng" in f.description for f in stream_changing):
            hint += " or --numpy-target=randomstate"
        stream.write(
            f"warning: {_plural(len(stream_changing), 'fix')} "
            f"{'changes' if len(stream_changing) == 1 else 'change'} the random stream "
            f"({libraries}; {why}): golden values in tests will change; use {hint} to keep "
            "the exact numbers.\n"
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
