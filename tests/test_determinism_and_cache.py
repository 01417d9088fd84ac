"""Byte-identical output for the same input across runs, process counts, cache states and
hash seeds; several processes sharing one cache folder; a cache folder full of corrupted,
truncated, foreign or future-version entries.  Never a crash, never a different result.

Through the real CLI in subprocesses, over the bundled example projects."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .cache_helpers import database, entries, replace_entries
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


def _entry_text(data: object) -> str:
    """An entry as seedlint writes one: its digest, then its JSON (a well-formed entry)."""
    text = json.dumps(data, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest() + "\n" + text


def _damage(cache: Path, rng: random.Random) -> list[str]:
    """Damage every entry of the cache in one of several ways; returns what was done."""
    done = []
    stored = entries(cache)
    keys = sorted(stored)
    assert keys
    damaged: dict[str, object] = {}
    for index, key in enumerate(keys):
        value = stored[key]
        data = value.encode() if isinstance(value, str) else bytes(value)  # type: ignore[arg-type]
        way = index % 9
        if way == 0:
            damaged[key] = data[: rng.randrange(len(data))].decode(errors="replace")  # truncated
        elif way == 1:  # one byte flipped: often still JSON, with another value
            at = rng.randrange(len(data))
            flipped = data[:at] + bytes([data[at] ^ 0x04]) + data[at + 1 :]
            damaged[key] = flipped.decode(errors="replace")
        elif way == 2:
            damaged[key] = os.urandom(len(data))  # random bytes
        elif way == 3:
            damaged[key] = "replaced below by text that is not UTF-8"
        elif way == 4:  # foreign: another entry's content at this key
            damaged[key] = stored[keys[(index + 1) % len(keys)]]
        elif way == 5:  # a future version: plausible, well-formed, unknown layout
            future = {"format": 999, "key": key, "tier": "direct", "facts": {"format": 999}}
            damaged[key] = _entry_text(future)
        elif way == 6:
            damaged[key] = None
        elif way == 7:
            damaged[key] = 42
        else:
            damaged[key] = ""
        done.append(f"{key}: {way}")
    damaged["zz-stray"] = "{}"
    replace_entries(cache, damaged)
    # Text that is not UTF-8 at all, as only a foreign writer could store it.
    db = sqlite3.connect(database(cache))
    try:
        with db:
            db.executemany(
                "UPDATE facts SET entry = CAST(x'fffe00' AS TEXT) WHERE key = ?",
                [(key,) for key in keys[3::9]],
            )
    finally:
        db.close()
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


@pytest.mark.parametrize("way", ["truncated", "random", "pickle", "folder", "journal"])
def test_damaged_database_file_never_changes_results_and_is_replaced(
    projects: Path, tmp_path: Path, way: str
) -> None:
    """The database file itself damaged (a disk fault, an interrupted copy, a planted file):
    the runs are the same, and a file that is no database at all is replaced by a working
    one.  (SQLite notices a truncated file only on the pages a query reads: a run that does
    is the same, and then replaces it.)"""
    cache = tmp_path / "cache"
    reference = _run(projects, "--no-cache", "--format", "json")
    assert _run(projects, "--cache-dir", str(cache), "--format", "json") == reference
    path = database(cache)
    replace_entries(cache, {})  # checkpoints: every entry is in the database file itself
    data = path.read_bytes()
    if way == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif way == "random":
        path.write_bytes(os.urandom(len(data)))
    elif way == "pickle":
        path.write_bytes(b"\x80\x04\x95" + os.urandom(64))
    elif way == "folder":
        path.unlink()
        path.mkdir()
    else:
        Path(f"{path}-wal").write_bytes(os.urandom(40_000))
    shutil.rmtree(cache / "results")  # so that the runs read the facts
    assert _run(projects, "--cache-dir", str(cache), "--format", "json") == reference
    assert _run(projects, "--cache-dir", str(cache), "--format", "json") == reference
    if way in ("random", "pickle", "journal"):
        assert entries(cache), "the cache works again"


def test_cache_files_are_not_group_or_world_writable(projects: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env_umask = os.umask(0)  # the loosest umask a user can have
    try:
        _run(projects, "--cache-dir", str(cache))
    finally:
        os.umask(env_umask)
    paths = [cache, *cache.rglob("*")]
    names = {path.name for path in paths}
    assert {".gitignore", "results"} <= names and any(n.endswith(".sqlite3") for n in names)
    assert any(path.suffix == ".json" for path in paths)  # the run's results were stored
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert not mode & (stat.S_IWGRP | stat.S_IWOTH), (path, oct(mode))
