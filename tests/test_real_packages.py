"""No crash on real code: `seedlint check` and `seedlint check --diff` over every Python file
of the installed torch, numpy and scikit-learn (about 3,400 files): zero tracebacks, zero
internal errors, no SDL900 (they all parse), and every file the diff rewrites compiles.

Marked `slow` (it runs in CI: `-m "not slow"` leaves it out locally).  Both commands run with
`-j2` in the process pool, as users run them.  Measured here (2 cores shared with other jobs,
load 9-16): check of all three 53 s wall (15 s CPU); --diff of numpy 200 s wall, of
scikit-learn 7.7 min wall (2.3 min CPU): the fixer plans each file with findings one after
another in the main process."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from seedlint.source import read_source

from .conftest import require

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def _packages() -> list[str]:
    """The installed packages' folders (the test fails, not skips, without them)."""
    return [str(Path(require(name).__file__).parent) for name in ("torch", "numpy", "sklearn")]


def _seedlint(*args: str) -> tuple[str, str]:
    """(stdout, stderr); decoded without newline translation, so that the diff of a CRLF or
    CR file applies to its text."""
    done = subprocess.run(
        [sys.executable, "-m", "seedlint", "check", "--no-cache", "-j2", *args],
        capture_output=True,
        timeout=1800,
    )
    stdout = done.stdout.decode("utf-8", "replace")
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode in (0, 1), stderr[-3000:]
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    return stdout, stderr


def _apply(diff: str) -> dict[str, str]:
    """The new text of every file in a unified diff (`a/PATH` / `b/PATH` headers)."""
    result: dict[str, str] = {}
    lines = diff.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        if not lines[index].startswith("--- a/"):
            index += 1
            continue
        path = lines[index][len("--- a/") :].rstrip("\n")
        old = read_source(path).text.splitlines(keepends=True)
        new: list[str] = []
        cursor = 0
        index += 2  # the +++ line
        while index < len(lines) and lines[index].startswith("@@"):
            match = _HUNK.match(lines[index])
            assert match, lines[index]
            start = int(match.group(1)) - 1 if match.group(2) != "0" else int(match.group(1))
            new.extend(old[cursor:start])
            cursor = start
            index += 1
            while index < len(lines) and lines[index][:1] in (" ", "-", "+", "\\"):
                line = lines[index]
                if line.startswith(" "):
                    new.append(old[cursor])
                    cursor += 1
                elif line.startswith("-"):
                    cursor += 1
                elif line.startswith("+"):
                    new.append(line[1:])
                index += 1
        new.extend(old[cursor:])
        result[path] = "".join(new)
    return result


@pytest.mark.slow
def test_check_every_file_of_torch_numpy_and_scikit_learn() -> None:
    stdout, _ = _seedlint("-q", *_packages())
    assert " SDL900 " not in stdout, [line for line in stdout.splitlines() if " SDL900 " in line]


@pytest.mark.slow
@pytest.mark.parametrize("package", ["numpy", "sklearn", "torch"])
def test_diff_of_every_file_compiles(package: str) -> None:
    """`--diff` over the whole package; most of its time is the fixer planning each file
    with findings (one after another, in the main process)."""
    folder = str(Path(require(package).__file__).parent)
    stdout, _ = _seedlint("--diff", "--seed", "0", folder)
    rewritten = _apply(stdout)
    assert len(rewritten) > 5, stdout[-2000:]
    broken = []
    for path, text in rewritten.items():
        try:
            compile(text, path, "exec", dont_inherit=True)
        except SyntaxError as error:
            broken.append(f"{path}:{error.lineno}: {error.msg}")
    assert not broken, broken
