"""`seedlint check --fix / --diff` through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import seedlint.fixes.atomic as atomic
from seedlint.integrations.cli import main

PROGRAM = """\
import random
import numpy as np

random.seed(1)
np.random.seed(2)
x = np.random.randint(0, 10)
y = random.choice([1, 2, 3])
print(x, y)
"""

STDLIB_ONLY = """\
import random

random.seed(5)
print(random.random(), random.randint(1, 6))
"""


def seedlint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seedlint", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "a.py").write_text(PROGRAM)
    (tmp_path / "b.py").write_text(STDLIB_ONLY)
    return tmp_path


def test_diff_prints_a_unified_diff_and_writes_nothing(project: Path) -> None:
    result = seedlint(project, "--diff", "--no-cache", ".")
    assert result.returncode == 1, result.stderr
    assert "--- a/a.py" in result.stdout and "+++ b/a.py" in result.stdout
    assert "+x = int(rng.integers(0, 10))" in result.stdout
    assert "Would apply 7 fixes in 2 files." in result.stdout
    assert (project / "a.py").read_text() == PROGRAM
    assert (project / "b.py").read_text() == STDLIB_ONLY


def test_diff_of_a_file_outside_the_cwd_names_it_by_its_absolute_path(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # As `ruff check --diff` prints it (not `a//tmp/...`): `patch -p1` from the root applies it.
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = seedlint(elsewhere, "--diff", "--no-cache", str(project / "b.py"))
    assert result.returncode == 1, result.stderr
    header = result.stdout.splitlines()[:2]
    assert header == [f"--- {project / 'b.py'}", f"+++ {project / 'b.py'}"]
    patched = subprocess.run(
        ["patch", "-p1", "--dry-run"],
        input=result.stdout,
        cwd=Path(project.anchor),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert patched.returncode == 0, patched.stdout + patched.stderr


# The last line changes and has no newline; a form feed (a page break, common in old code)
# is a line separator for str.splitlines but not for patch.
NO_FINAL_NEWLINE = "import random\n\x0c\nrandom.seed(4)\nprint(random.random())"


@pytest.mark.parametrize("tool", ["patch", "git"])
def test_diff_applies_with_patch_and_git_apply(tmp_path: Path, tool: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (project / "tail.py").write_bytes(NO_FINAL_NEWLINE.encode())
    shown = seedlint(project, "--diff", "--no-cache", ".")
    assert shown.returncode == 1, shown.stderr
    diff = shown.stdout[: shown.stdout.index("Would apply")]
    assert "\\ No newline at end of file\n" in diff
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "tail.py").write_bytes(NO_FINAL_NEWLINE.encode())
    command = ["patch", "-p1", "--batch"] if tool == "patch" else ["git", "apply", "-p1", "-"]
    applied = subprocess.run(command, cwd=copy, input=diff, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    fixed = seedlint(project, "--fix", "--no-cache", ".")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (copy / "tail.py").read_bytes() == (project / "tail.py").read_bytes()
    assert (project / "tail.py").read_bytes() != NO_FINAL_NEWLINE.encode()


def test_fix_rewrites_warns_about_stream_changes_and_is_idempotent(project: Path) -> None:
    result = seedlint(project, "--fix", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Applied 7 fixes in 2 files." in result.stdout
    assert "change the random stream" in result.stdout
    fixed = (project / "a.py").read_text()
    assert "np.random.seed" not in fixed and "random.seed" not in fixed
    compile(fixed, "a.py", "exec")
    # Stream-preserving for stdlib random: the program prints the same numbers.
    before = subprocess.run([sys.executable, "-c", STDLIB_ONLY], capture_output=True, text=True)
    after = subprocess.run([sys.executable, str(project / "b.py")], capture_output=True, text=True)
    assert before.stdout == after.stdout and before.stdout
    again = seedlint(project, "--fix", "--no-cache", ".")
    assert again.returncode == 0
    assert "Applied 0 fixes in 0 files." in again.stdout
    assert (project / "a.py").read_text() == fixed


def test_safe_only_applies_only_stream_preserving_fixes(project: Path) -> None:
    result = seedlint(project, "--fix", "--safe-only", "--no-cache", ".")
    assert result.returncode == 1  # numpy findings remain
    assert "stream-changing (not applied with --safe-only)" in result.stdout
    assert "np.random.randint" in (project / "a.py").read_text()
    assert "random.seed" not in (project / "b.py").read_text()


def test_json_output_carries_fix_applicability(project: Path) -> None:
    result = seedlint(project, "--format", "json", "--no-cache", ".")
    findings = json.loads(result.stdout)
    by_code = {(f["path"], f["line"]): f for f in findings if f["code"].startswith("SDL1")}
    assert by_code[("a.py", 6)]["fix"]["applicability"] == "stream-changing"
    assert by_code[("a.py", 7)]["fix"]["applicability"] == "stream-preserving"


def test_interrupted_fix_leaves_every_file_old_or_new(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_replace = atomic.os.replace
    calls: list[str] = []

    def replace_then_interrupt(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C while the second file is being written
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace_then_interrupt)
    monkeypatch.chdir(project)
    assert main(["check", "--fix", "--no-cache", "."]) == 130
    assert "interrupted" in capsys.readouterr().err
    texts = {p.name: p.read_text() for p in project.glob("*.py")}
    assert texts["a.py"] != PROGRAM  # written first, completely
    compile(texts["a.py"], "a.py", "exec")
    assert texts["b.py"] == STDLIB_ONLY  # interrupted: untouched
    assert not [p for p in project.iterdir() if "seedlint-tmp" in p.name]
