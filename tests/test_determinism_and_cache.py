"""Byte-identical output for the same input across runs, process counts, cache states and
hash seeds; several processes sharing one cache folder; a cache folder full of corrupted,
truncated, foreign or future-version entries.  Never a crash, never a different result.

Through the real CLI in subprocesses, over the bundled example projects."""

from __future__ import annotations

import json
import os
import random
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("det") / "projects"
    shutil.copytree(FIXTURES / "projects", folder)
    for newer in (FIXTURES / "sdl900").glob("pep*_valid.py"):
        shutil.copy(newer, folder / newer.name)  # newer syntax goes through the slow path
    (folder / "pyproject.toml").write_text("[tool.seedlint]\n", encoding="utf-8")
    return folder


def _run(folder: Path, *args: str, seed: str = "0") -> tuple[int, bytes, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-m", "seedlint", "check", *args, "."],
        cwd=folder,
        capture_output=True,
        env=env,
        timeout=300,
    )
    assert b"Traceback" not in done.stderr and b"internal error" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def test_output_is_byte_identical_across_jobs_cache_states_and_hash_seeds(
    projects: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    for output in (["--format", "json"], ["--diff", "--seed", "4"]):
        reference = _run(projects, "--no-cache", "-j1", *output)
        assert reference[1], "the projects have findings"
        variants = [
            ("-j2", "--no-cache"),
            ("-j1", "--cache-dir", str(cache)),  # empty cache
            ("-j2", "--cache-dir", str(cache)),  # filled cache
            ("-j2", "--cache-dir", str(cache)),  # results cache
        ]
        for seed in ("1", "random"):
            for variant in variants:
                got = _run(projects, *variant, *output, seed=seed)
                assert got == reference, (variant, seed)
        shutil.rmtree(cache)


def test_processes_sharing_one_cache_folder(projects: Path, tmp_path: Path) -> None:
    """As pre-commit's parallel batches and an editor do: all start on an empty cache."""
    cache = tmp_path / "shared-cache"
    reference = _run(projects, "--no-cache", "--format", "json")
    for _ in range(2):  # first on an empty cache, then on the one they filled together
        with ThreadPoolExecutor(6) as pool:
            runs = list(
                pool.map(
                    lambda i: _run(
                        projects, "-j2", "--cache-dir", str(cache), "--format", "json", seed=str(i)
                    ),
                    range(6),
                )
            )
        assert all(run == reference for run in runs)


def _damage(cache: Path, rng: random.Random) -> list[str]:
    """Damage every entry of the cache in one of several ways; returns what was done."""
    done = []
    entries = sorted(p for p in cache.rglob("*.json"))
    assert entries
    for index, entry in enumerate(entries):
        data = entry.read_bytes()
        way = index % 8
        if way == 0:
            entry.write_bytes(data[: rng.randrange(len(data))])  # truncated
        elif way == 1:  # one byte flipped: often still JSON, with another value
            at = rng.randrange(len(data))
            entry.write_bytes(data[:at] + bytes([data[at] ^ 0x04]) + data[at + 1 :])
        elif way == 2:
            entry.write_bytes(os.urandom(len(data)))  # random bytes
        elif way == 3:
            entry.write_bytes(b"\xff\xfe invalid utf-8 \x00")
        elif way == 4:  # foreign: another entry's content at this key
            entry.write_bytes(entries[(index + 1) % len(entries)].read_bytes())
        elif way == 5:  # a future version: plausible, well-formed, unknown layout
            entry.write_text(json.dumps({"format": 999, "key": entry.stem, "facts": {}}))
        elif way == 6:
            entry.unlink()
            entry.mkdir()  # a folder where an entry should be
        else:
            entry.write_bytes(b"")
        done.append(f"{entry.name}: {way}")
    (cache / "facts" / "zz").mkdir(parents=True, exist_ok=True)
    (cache / "facts" / "zz" / "stray.json").write_bytes(b"{}")
    return done


def test_damaged_cache_never_crashes_and_never_changes_results(
    projects: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    reference = _run(projects, "--no-cache", "--format", "json")
    assert _run(projects, "--cache-dir", str(cache), "--format", "json") == reference
    _damage(cache, random.Random(7))
    assert _run(projects, "--cache-dir", str(cache), "--format", "json") == reference
    # And with a cache folder it cannot write to (entries left damaged).
    for folder in [cache, *(p for p in cache.rglob("*") if p.is_dir())]:
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert _run(projects, "--cache-dir", str(cache), "--format", "json") == reference
    finally:
        for folder in [cache, *(p for p in cache.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)


def test_cache_files_are_not_group_or_world_writable(projects: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env_umask = os.umask(0)  # the loosest umask a user can have
    try:
        _run(projects, "--cache-dir", str(cache))
    finally:
        os.umask(env_umask)
    paths = [cache, *cache.rglob("*")]
    assert len(paths) > 5
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert not mode & (stat.S_IWGRP | stat.S_IWOTH), (path, oct(mode))
