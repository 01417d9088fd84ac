"""Reading and damaging the facts cache's database from tests, as a user's disk, another tool
or an attacker could (through sqlite3 itself: the file's own format is SQLite's business)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path


def database(cache: Path) -> Path:
    found = sorted(cache.glob("facts-*.sqlite3"))
    assert len(found) == 1, found
    return found[0]


def entries(cache: Path) -> dict[str, object]:
    """Key -> the stored entry (text, or whatever a damaged row holds); a file with nothing to
    find is stored as its key alone (table `plain`), given here as its own entry."""
    db = sqlite3.connect(database(cache))
    try:
        found = dict(db.execute("SELECT key, entry FROM facts").fetchall())
        found.update((key, key) for (key,) in db.execute("SELECT key FROM plain").fetchall())
    finally:
        db.close()
    return dict(sorted(found.items()))


def replace_entries(cache: Path, new: Mapping[str, object]) -> None:
    """Store `new` (key -> any SQLite value: text, bytes, None, a number) over the entries."""
    db = sqlite3.connect(database(cache))
    try:
        with db:
            db.executemany("INSERT OR REPLACE INTO facts (key, entry) VALUES (?, ?)", new.items())
            db.executemany("DELETE FROM plain WHERE key = ?", [(key,) for key in new])
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
