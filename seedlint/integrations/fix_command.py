"""`seedlint check --fix` / `--diff`: the CLI side of `Workspace.fix`.

`Workspace.fix` plans every file with fixable findings and writes them atomically (`--fix`),
or only plans them, shown here as a unified diff (`--diff`, which writes nothing).  A summary
says how many fixes were applied, warns when some of them change the random stream, and lists
every finding that has no automatic fix, with why.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TextIO

from ..diagnostics import Diagnostic
from ..fixes import AppliedFix, FixOptions
from ..reporters import display_path
from ..reporters.text import cell_prefix
from ..workspace import FileFix, FixResult

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
            stdout.writelines(_diff(planned))
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
        old_name, new_name = _header_names(name)
        old_lines = _lines(old)
        new_lines = _lines(new)
        if notebook is not None:  # a cell's last line has no newline; show it as a line
            old_lines = [line if line.endswith("\n") else line + "\n" for line in old_lines]
            new_lines = [line if line.endswith("\n") else line + "\n" for line in new_lines]
        lines += unified_diff(old_lines, new_lines, fromfile=old_name, tofile=new_name)
    return lines


def _header_names(shown: str) -> tuple[str, str]:
    """`a/<path>` and `b/<path>` for a file inside the current directory (`patch -p1` or
    `git apply` there); the absolute path itself for one outside it, as ruff prints it
    (`patch -p0` anywhere; `a//tmp/x.py` would read as `tmp/x.py` after `-p1`)."""
    if os.path.isabs(shown):
        return shown, shown
    return f"a/{shown}", f"b/{shown}"


def _lines(text: str) -> list[str]:
    """Lines as `patch` counts them: split after each newline only (`str.splitlines` also
    splits at form feeds and other separators, which would make hunks `patch` rejects)."""
    lines = text.split("\n")
    ending = lines.pop()  # "" when the text ends with a newline
    return [line + "\n" for line in lines] + ([ending] if ending else [])


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
            cell = cell_prefix(diagnostic.cell)
            where = f"{display_path(diagnostic.path)}:{cell}{diagnostic.line}:{diagnostic.column}"
            stream.write(f"  {where}: {diagnostic.code} {reason}\n")


# --- a unified diff in about linear time ------------------------------------------------------
# difflib's matcher is quadratic on long files whose lines repeat (blank lines, `def` lines,
# one edit per line): 30 s of a 78 s `--diff` of 8,000 lines.  Anchoring on lines that occur
# once in both texts (patience diff) splits the texts into small gaps first; only a gap is
# handed to difflib, and only when it is small.
_SMALL_GAP = 250_000  # len(a) * len(b) of a gap difflib may match


def _matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int, int]]:
    found: list[tuple[int, int]] = []
    pending = [(0, len(a), 0, len(b))]
    while pending:
        alo, ahi, blo, bhi = pending.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            found.append((alo, blo))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            found.append((ahi, bhi))
        if alo == ahi or blo == bhi:
            continue
        anchors = _unique_anchors(a, b, alo, ahi, blo, bhi)
        if not anchors:
            if (ahi - alo) * (bhi - blo) <= _SMALL_GAP:
                matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
                for i, j, size in matcher.get_matching_blocks():
                    found.extend((alo + i + k, blo + j + k) for k in range(size))
            continue
        previous = (alo, blo)
        for i, j in anchors:
            found.append((i, j))
            pending.append((previous[0], i, previous[1], j))
            previous = (i + 1, j + 1)
        pending.append((previous[0], ahi, previous[1], bhi))
    found.sort()
    blocks: list[tuple[int, int, int]] = []
    for i, j in found:
        if blocks and blocks[-1][0] + blocks[-1][2] == i and blocks[-1][1] + blocks[-1][2] == j:
            blocks[-1] = (blocks[-1][0], blocks[-1][1], blocks[-1][2] + 1)
        else:
            blocks.append((i, j, 1))
    blocks.append((len(a), len(b), 0))
    return blocks


def _unique_anchors(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Lines occurring once in a[alo:ahi] and once in b[blo:bhi], matched in order (the
    longest increasing subsequence of their positions in b)."""
    count_a: dict[str, int] = {}
    for i in range(alo, ahi):
        count_a[a[i]] = count_a.get(a[i], 0) + 1
    count_b: dict[str, int] = {}
    where_b: dict[str, int] = {}
    for j in range(blo, bhi):
        count_b[b[j]] = count_b.get(b[j], 0) + 1
        where_b[b[j]] = j
    pairs = [
        (i, where_b[a[i]]) for i in range(alo, ahi) if count_a[a[i]] == 1 and count_b.get(a[i]) == 1
    ]
    # Longest increasing subsequence of the b positions (patience sorting), O(n log n).
    tails: list[int] = []  # index into pairs of the smallest tail of each length
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if pairs[tails[mid]][1] < j:
                lo = mid + 1
            else:
                hi = mid
        back[k] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(k)
        else:
            tails[lo] = k
    chain: list[tuple[int, int]] = []
    k = tails[-1] if tails else -1
    while k != -1:
        chain.append(pairs[k])
        k = back[k]
    chain.reverse()
    return chain


def unified_diff(
    a: Sequence[str], b: Sequence[str], fromfile: str, tofile: str, n: int = 3
) -> Iterator[str]:
    """`difflib.unified_diff` (same output format), matched as described above."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # get_opcodes() builds on the matching blocks, computed here instead of by difflib.
    matcher.matching_blocks = _matching_blocks(a, b)  # type: ignore[attr-defined]
    started = False
    for group in matcher.get_grouped_opcodes(n):
        if not started:
            started = True
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
        first, last = group[0], group[-1]
        old = _range(first[1], last[2])
        new = _range(first[3], last[4])
        yield f"@@ -{old} +{new} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from _marked(" ", a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from _marked("-", a[i1:i2])
            if tag in ("replace", "insert"):
                yield from _marked("+", b[j1:j2])


def _marked(prefix: str, lines: Sequence[str]) -> Iterator[str]:
    """Diff lines; a last line without a newline is followed by the marker that `patch` and
    `git apply` read (else it would run into the next line of the diff)."""
    for line in lines:
        if line.endswith("\n"):
            yield prefix + line
        else:
            yield prefix + line + "\n"
            yield "\\ No newline at end of file\n"


def _range(start: int, stop: int) -> str:
    """A unified diff range, as difflib writes it."""
    beginning = start + 1
    length = stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def fix_options(ns: object) -> FixOptions:
    """FixOptions from parsed command-line arguments."""
    return FixOptions(
        safe_only=bool(getattr(ns, "safe_only", False)),
        numpy_target=getattr(ns, "numpy_target", "generator"),
        fix_style=getattr(ns, "fix_style", "module"),
        seed=getattr(ns, "seed", None),
    )


__all__ = ["fix_options", "run_fix", "unified_diff"]
