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
from ..fixes import FixOptions
from ..reporters import display_path
from ..reporters.text import cell_prefix
from ..workspace import FileFix, FixResult


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
    stream_changing = sum(f.applicability == "stream-changing" for f in applied)
    unfixed = list(result.unfixed)
    if diff:
        for planned in result.files:
            stdout.writelines(_diff(planned))
        _summary(stdout, len(applied), stream_changing, len(result.files), unfixed, would=True)
        return 1 if result.files else 0

    after = list(recheck())
    write_report(after)
    written = set(result.written)
    done = [fix for file in result.files if file.path in written for fix in file.applied]
    changing = sum(f.applicability == "stream-changing" for f in done)
    _summary(stdout, len(done), changing, len(written), unfixed, would=False)
    for path, reason in result.skipped:
        stdout.write(f"warning: {display_path(path)} was not written: {reason}\n")
    return 1 if after or result.skipped else 0


def _diff(planned: FileFix) -> list[str]:
    """The unified diff of one planned file; a notebook's, cell by cell (``nb.ipynb:cell 3``,
    like its findings), over the cells that change."""
    shown = display_path(planned.path)
    notebook = planned.source.notebook if planned.source is not None else None
    if notebook is None:
        pairs = [(shown, planned.old_text, planned.new_text)]
    else:
        new_sources = notebook.cell_sources(planned.new_text)
        pairs = [
            (f"{shown}:cell {cell.number}", cell.source, new)
            for cell, new in zip(notebook.cells, new_sources, strict=True)
            if new != cell.source
        ]
    lines: list[str] = []
    for name, old, new in pairs:
        old_lines = old.splitlines(keepends=True)
        new_lines = new.splitlines(keepends=True)
        if notebook is not None:  # a cell's last line has no newline; show it as a line
            old_lines = [line if line.endswith("\n") else line + "\n" for line in old_lines]
            new_lines = [line if line.endswith("\n") else line + "\n" for line in new_lines]
        lines += difflib.unified_diff(
            old_lines, new_lines, fromfile=f"a/{name}", tofile=f"b/{name}"
        )
    return lines


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
            cell = cell_prefix(diagnostic.cell)
            where = f"{display_path(diagnostic.path)}:{cell}{diagnostic.line}:{diagnostic.column}"
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
