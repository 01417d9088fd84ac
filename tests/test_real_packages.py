"""No crash on real code: `seedlint check` and `seedlint check --diff` over every Python file
of the installed torch, numpy and scikit-learn (about 3,400 files): zero tracebacks, zero
internal errors, no SDL900 (they all parse), and every file the diff rewrites compiles.

Marked `slow` (it runs in CI: `-m "not slow"` leaves it out locally).  Both commands run with
`-j2` in the process pool, as users run them.  Measured here (2 cores shared with other jobs,
load 9-16): check of all three 53 s wall (15 s CPU); --diff of numpy 200 s wall, of
scikit-learn 7.7 min wall (2.3 min CPU): the fixer plans each file with findings one after
another in the main process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from seedlint.analysis import compat_parse
from seedlint.fixes import FixOptions
from seedlint.settings import Settings
from seedlint.workspace import Workspace

from .conftest import require


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


@pytest.mark.slow
def test_check_every_file_of_torch_numpy_and_scikit_learn() -> None:
    stdout, _ = _seedlint("-q", *_packages())
    assert " SDL900 " not in stdout, [line for line in stdout.splitlines() if " SDL900 " in line]


# numpy, scikit-learn and torch: about 25, 40 and 60 s of --diff planning on 2 cores.
_DIFF_PACKAGES = ["numpy", "sklearn", "torch"]


@pytest.mark.slow
@pytest.mark.parametrize("package", _DIFF_PACKAGES)
def test_diff_of_every_file_compiles(package: str) -> None:
    """What `--diff` shows (the Workspace's fix plan, written nowhere) for the whole package:
    every rewritten file compiles on some supported Python (torch ships modules only 3.12+
    accepts: they must still compile there, which `compat_parse.accepts` decides).  Most of the
    time is the fixer planning each file with findings."""
    folder = Path(require(package).__file__).parent
    workspace = Workspace(folder, Settings(), use_cache=False, jobs=2, project_context=False)
    result = workspace.fix([folder], FixOptions(seed=0), write=False)
    assert len(result.files) > 5
    assert not [r for _, r in result.unfixed if "internal error" in r], result.unfixed[:5]
    broken = [
        str(planned.path)
        for planned in result.files
        if not compat_parse.accepts(planned.new_text, str(planned.path))
    ]
    assert not broken, broken
