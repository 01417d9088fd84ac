"""No lost edits: `seedlint check --fix` interrupted at random moments (SIGINT, SIGKILL) leaves
every file byte-identical to its original or to its fully fixed form; read-only files and
files changed on disk between analysis and writing are skipped with a message.

Through the real CLI in a subprocess (the signal arrives wherever the process happens to be:
discovery, the pool, planning, between two writes, inside one)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import seedlint.fixes
from seedlint.integrations.cli import main

FILES = 60
TRIALS = 6
TEMPLATE = """\
import random

import numpy as np

np.random.seed({i})
random.seed({i})
values = np.random.rand({n})
pick = random.randint(0, {i})


def helper(x):
    return x + np.random.normal()
"""


def _make_project(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    (folder / "pyproject.toml").write_text("[tool.seedlint]\n", encoding="utf-8")
    originals: dict[str, bytes] = {}
    for i in range(FILES):
        sub = folder / f"pkg{i % 4}"
        sub.mkdir(exist_ok=True)
        data = TEMPLATE.format(i=i, n=i % 5 + 1).encode("utf-8")
        (sub / f"mod{i}.py").write_bytes(data)
        originals[f"pkg{i % 4}/mod{i}.py"] = data
    return originals


def _command(folder: Path) -> list[str]:
    return [sys.executable, "-m", "seedlint", "check", "--fix", "--no-cache", "-j2", str(folder)]


def _python_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.py")}


def test_interrupted_fix_leaves_each_file_old_or_fully_fixed(tmp_path: Path) -> None:
    originals = _make_project(tmp_path / "template")
    reference = tmp_path / "reference"
    shutil.copytree(tmp_path / "template", reference)
    started = time.perf_counter()
    subprocess.run(_command(reference), capture_output=True, check=False, timeout=300)
    duration = time.perf_counter() - started
    fixed = _python_files(reference)
    assert fixed.keys() == originals.keys()
    assert all(fixed[name] != originals[name] for name in originals), "every file has fixes"

    seed = int.from_bytes(os.urandom(4), "little")
    rng = random.Random(seed)
    outcomes: list[str] = []
    for trial in range(TRIALS):
        folder = tmp_path / f"trial{trial}"
        shutil.copytree(tmp_path / "template", folder)
        sig = signal.SIGINT if trial % 2 == 0 else signal.SIGKILL
        first = folder / "pkg0" / "mod0.py"  # written first (files are written in path order)
        inode = first.stat().st_ino
        process = subprocess.Popen(
            _command(folder),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its pool workers get the signal too, as from a terminal
        )
        begin = time.perf_counter()
        if trial < 2:  # any moment of the run
            time.sleep(rng.uniform(0.05, duration * 1.1))
        else:  # the writing phase: once the first file was replaced, plus up to 40 ms
            while first.stat().st_ino == inode and process.poll() is None:
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.04))
        delay = time.perf_counter() - begin
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass  # it had already finished
        try:
            _, stderr = process.communicate(timeout=120)
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        after = _python_files(folder)
        where = f"(seed {seed}, trial {trial}, {sig.name} after {delay:.2f}s)"
        assert after.keys() == originals.keys(), where
        for name, data in after.items():
            assert data in (originals[name], fixed[name]), f"{name} is half-written {where}"
        assert b"Traceback" not in stderr, stderr.decode(errors="replace")
        changed = sum(after[name] == fixed[name] for name in after)
        outcomes.append(f"{sig.name}@{delay:.2f}s: {changed}/{FILES} fixed")
        # Temporary files left by a kill are named so that no tool takes them for sources.
        leftovers = [p.name for p in folder.rglob("*") if p.is_file() and ".seedlint-tmp" in p.name]
        assert all(not name.endswith(".py") for name in leftovers)
        # Running --fix again completes the work: nothing was lost, nothing is left half-done.
        subprocess.run(_command(folder), capture_output=True, check=False, timeout=300)
        assert _python_files(folder) == fixed, where
    print("\n".join(outcomes))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.seedlint]\n", encoding="utf-8")
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(TEMPLATE.format(i=1, n=2), encoding="utf-8")
    return tmp_path


def test_read_only_file_is_skipped_with_a_message(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = project / "b.py"
    before = locked.read_bytes()
    locked.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        status = main(["check", "--fix", "--no-cache", "."])
    finally:
        locked.chmod(0o644)
    out = capsys.readouterr().out
    assert locked.read_bytes() == before
    assert "warning: b.py was not written: the file is read-only" in out
    assert (project / "a.py").read_bytes() != before and (project / "c.py").read_bytes() != before
    assert status == 1


def test_file_changed_between_analysis_and_writing_is_skipped(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor saves c.py while --fix is writing a.py: c.py keeps the user's edit."""
    real = seedlint.fixes.write_atomically
    edited = "# the user's edit\n" + TEMPLATE.format(i=9, n=3)

    def write_and_meanwhile_edit(path: Path, text: str, like: object) -> None:
        if path.name == "a.py":
            (project / "c.py").write_text(edited, encoding="utf-8")
        real(path, text, like)  # type: ignore[arg-type]

    monkeypatch.setattr(seedlint.fixes, "write_atomically", write_and_meanwhile_edit)
    status = main(["check", "--fix", "--no-cache", "."])
    out = capsys.readouterr().out
    assert (project / "c.py").read_text(encoding="utf-8") == edited
    assert "warning: c.py was not written: the file changed on disk while it was being fixed" in out
    assert status == 1
