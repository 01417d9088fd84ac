"""A content-hash cache of per-module facts, shared by the CLI, the flake8 plugin and the LSP.

* Keyed by a hash of everything the facts depend on: seedlint's version, the facts format,
  the running Python's minor version (it decides parse errors), the target Python version
  (which stdlib functions exist), the module's dotted name, and the file's bytes.  A changed
  file is a new key; stale entries are never "invalidated", just
  no longer asked for.
* Stored under ``<root>/.seedlint_cache/`` (which holds a ``.gitignore`` of ``*`` so it never
  gets committed, like ruff's cache) in one SQLite database of JSON texts (a safe format:
  loading never executes anything).  One file per entry made the first run on a project cost
  twice a run without cache (measured on 20,000 files: a temporary file, a rename and a
  folder check per entry, mostly kernel time); entries are now written in batches, one
  transaction per worker chunk.  SQLite's locking lets parallel processes (pre-commit runs
  several, an editor runs one) share the folder; a writer that cannot get the lock in time
  drops its batch (entries are only ever an optimisation).
* A corrupt, truncated, foreign or future-format entry is a miss, never an error: each entry
  names its key and starts with a digest of its JSON.  A database that SQLite cannot read is
  moved out of the way and started afresh; any other error (read-only folder, full disk,
  no sqlite3 module) turns the cache off for the rest of the run instead of failing it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .analysis.facts import ModuleFacts
from .analysis.serialize import FORMAT, facts_from_json, facts_to_json
from .diagnostics import Diagnostic

CACHE_DIR_NAME = ".seedlint_cache"

# Every entry records the file's prefilter tier, so that facts parsed only because a program
# reached a file (or it was named on the command line) are not taken, in a later run, for a
# file that is always parsed: findings must not depend on what earlier runs parsed.
TIER = "tier"
# The prefilter's tiers (entries record one, and a deferred file's scanned imports): a changed
# meaning is a new key.  2: "lone".  3: project-qualified draw names are program tier, and
# imports under `if TYPE_CHECKING:` are not scanned.
_TIERS = 3
# Every entry names its own key: an entry copied or moved to another file's place (a foreign
# or tampered cache) is a miss, never another file's facts.
KEY = "key"


@dataclass(frozen=True)
class CachedFile:
    tier: str  # `analysis.prefilter.Tier`
    facts: ModuleFacts | None  # None: not parsed
    imports: tuple[str, ...] = ()  # program tier: the modules it imports (scanned)


# The entry of a file with nothing seedlint looks for (most files of a project): its key in a
# table of keys alone (no entry that could be moved to another key; measured: a tenth of the
# cost of a first run went to writing these as entries).
_NOTHING = CachedFile("none", None)

# Whatever the umask, nobody else may write the cache (entries are 0600, from mkstemp).
_FOLDER_MODE = 0o755
_FILE_MODE = 0o644


def _make_folder(folder: Path) -> None:
    """`folder` and any missing parents, none of them group- or world-writable (the umask
    can only take more bits away)."""
    if folder.is_dir():
        return
    _make_folder(folder.parent)
    try:
        folder.mkdir(mode=_FOLDER_MODE)
    except FileExistsError:
        if not folder.is_dir():
            raise
        # another process made it meanwhile


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _parse(text: str) -> Any:
    """An entry's data, or None when it is truncated, corrupted or not ours.  Each entry
    starts with a digest of its JSON, so that a flipped byte that still reads as JSON (a line
    number changed) is caught, not believed."""
    if not isinstance(text, str):
        return None  # a row of another type (a planted blob)
    digest, _, body = text.partition("\n")
    if digest != _digest(body):
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _entry_text(data: Any) -> str:
    # Facts and diagnostics are trees: no cycle to look for (measured: a quarter of the cost
    # of encoding the facts of a first run).
    text = json.dumps(data, separators=(",", ":"), check_circular=False)
    return f"{_digest(text)}\n{text}"


def _encode(key: str, value: CachedFile) -> str:
    """The stored text of a file's entry (`FactsCache.decode` reads it back)."""
    data: dict[str, Any] = {KEY: key, TIER: value.tier, "imports": list(value.imports)}
    if value.facts is not None:
        data["facts"] = facts_to_json(value.facts)
    return _entry_text(data)


def _read(path: Path) -> Any:
    """A file entry's data (`_parse`), or None when it is missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            return _parse(handle.read())
    except (OSError, ValueError):
        return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def run_key(settings_repr: str, files: list[tuple[str, str]], report_on: list[str]) -> str:
    """Key of a whole run: the settings and every (path, content key) read for it."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{__version__}\0{FORMAT}\0{settings_repr}\0".encode())
    for path, key in files:
        h.update(f"{path}\0{key}\n".encode())
    h.update("\0".join(report_on).encode())
    return h.hexdigest()


def cache_key(data: bytes, module: str, python: tuple[int, int] | None = None) -> str:
    """Key of one file's facts: its bytes, its module name, the Python that parses it (parse
    errors depend on it) and the target Python version (which stdlib APIs exist)."""
    h = hashlib.blake2b(digest_size=20)
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    h.update(f"{__version__}\0{FORMAT}\0{_TIERS}\0{running}\0{python}\0{module}\0".encode())
    h.update(data)
    return h.hexdigest()


# The facts database (its name carries the layout: a new layout is a new file, not a
# migration).  Rows: key -> "<digest>\n<json>" with the key inside the JSON.
_DB_NAME = "facts-1.sqlite3"
# A batch is written once this many bytes wait (bounds the memory a long serial run holds).
_BATCH_BYTES = 8 << 20
# Keys per lookup query (SQLite before 3.32 allows 999 parameters).
_QUERY_KEYS = 500
# How long a writer (or a reader, while a writer checkpoints) waits for another process.
_BUSY_TIMEOUT_MS = 10_000
# Entries of contents no project file has any more are dropped once they number more than
# the live ones plus this (pruning is a rewrite of the tables: not worth it for a few).
_PRUNE_SLACK = 1_000
# Entries for editor buffers kept in memory (per process, never on disk): the newest ones.
_BUFFER_ENTRIES = 64


class FactsCache:
    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.enabled = True
        self._prepared = False
        self._db: Any = None  # sqlite3.Connection, opened on first use in this process
        self._pid = 0  # the process that opened `_db` (a forked child opens its own)
        self._pending: dict[str, str] = {}  # key -> entry text, not yet written
        self._pending_nothing: set[str] = set()  # keys of `_NOTHING` entries, not yet written
        self._pending_bytes = 0
        self._empty = False  # the database held nothing when opened: no lookups needed
        # key -> entry text of in-memory buffers (`remember`), oldest first.
        self._buffers: dict[str, str] = {}

    def _connect(self) -> Any:
        """The database connection of this process, opening (and if need be creating) it.
        Raises sqlite3.Error or OSError; callers turn the cache off."""
        if self._db is not None and self._pid == os.getpid():
            return self._db
        import sqlite3  # only runs that use the cache pay for the import

        self._prepare()
        path = self.folder / _DB_NAME
        # Created here, not by SQLite, so that it is 0600 whatever the umask; SQLite gives its
        # -wal and -shm files the database's mode.
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        try:
            db = self._open(sqlite3, path)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise  # locked, read-only, no space: not the file's fault
            # Not a database (truncated, overwritten, a planted file): start afresh.
            self._discard()
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
            db = self._open(sqlite3, path)
        self._db, self._pid = db, os.getpid()
        # A first run looks up every file in vain; one query tells it there is nothing.
        query = "SELECT 1 FROM facts UNION ALL SELECT 1 FROM plain LIMIT 1"
        self._empty = db.execute(query).fetchone() is None
        return db

    def _discard(self) -> None:
        """Remove a database SQLite found damaged, with its journal files (a journal left
        beside a new database would be replayed into it).  A process still using the old one
        keeps its open files; nothing is lost but the time to fill the cache again."""
        for suffix in ("", "-wal", "-shm"):
            try:
                (self.folder / (_DB_NAME + suffix)).unlink()
            except FileNotFoundError:
                pass

    @staticmethod
    def _open(sqlite3: Any, path: Path) -> Any:
        db = sqlite3.connect(
            path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        # Entries come back as bytes, decoded here: a row that is not UTF-8 (only a foreign
        # writer stores one) would otherwise fail the whole query.
        db.text_factory = bytes
        try:
            # WAL: readers never wait for a writer.  NORMAL: no fsync per batch (a crash of
            # the machine may lose the last batches, never corrupt the database).
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, entry TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS plain (key TEXT PRIMARY KEY) WITHOUT ROWID")
        except BaseException:
            db.close()
            raise
        return db

    def _failed(self, exc: Exception) -> None:
        """Turn the cache off for the rest of the run (the run goes on without it); a
        database found damaged is removed, so that the next run starts a fresh one."""
        self.enabled = False
        self._pending.clear()
        self._pending_nothing.clear()
        self._pending_bytes = 0
        if self._db is not None and self._pid == os.getpid():
            try:
                self._db.close()
            except Exception:
                pass
        self._db = None
        sqlite3 = sys.modules.get("sqlite3")
        if sqlite3 is None:
            return
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            try:
                self._discard()
            except OSError:
                pass

    def lookup(self, keys: Sequence[str]) -> dict[str, Any]:
        """The stored entries of those of `keys` that have one (`decode` reads them)."""
        if not self.enabled or not keys:
            return {}
        found: dict[str, Any] = {k: self._pending[k] for k in keys if k in self._pending}
        found.update((k, self._buffers[k]) for k in keys if k in self._buffers)
        found.update((k, k) for k in keys if k in self._pending_nothing)
        wanted = [key for key in keys if key not in found]
        try:
            db = self._connect()
            if self._empty:
                return found
            for start in range(0, len(wanted), _QUERY_KEYS):
                part = wanted[start : start + _QUERY_KEYS]
                marks = ",".join("?" * len(part))
                query = f"SELECT key, entry FROM facts WHERE key IN ({marks})"
                for stored, entry in db.execute(query, part).fetchall():
                    found[stored.decode("utf-8", "replace")] = entry
                part = [key for key in part if key not in found]
                if part:
                    marks = ",".join("?" * len(part))
                    query = f"SELECT key FROM plain WHERE key IN ({marks})"
                    for (stored,) in db.execute(query, part).fetchall():
                        key = stored.decode("utf-8", "replace")
                        found[key] = key  # `decode` reads the key itself as `_NOTHING`
        except Exception as exc:  # sqlite3.Error, OSError, ImportError
            self._failed(exc)
            return {}
        return found

    def decode(self, key: str, text: Any, path: str) -> CachedFile | None:
        """What an earlier run learnt of a file with this content (`text`, its entry): its
        tier, its facts if it was parsed, and, for a program-tier file, the modules it
        imports; or None when the entry is damaged or not this key's."""
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError:
                return None
        if text == key:
            return _NOTHING
        data = _parse(text)
        if not isinstance(data, dict) or data.get(KEY) != key:
            return None  # not ours: another file's entry moved here, or another format
        try:
            tier, imports = data[TIER], data.get("imports", [])
            if not isinstance(tier, str) or not all(isinstance(i, str) for i in imports):
                return None
            facts = facts_from_json(data["facts"], path) if "facts" in data else None
            return CachedFile(tier, facts, tuple(imports))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None  # foreign or corrupt: recompute

    def get(self, key: str, path: str) -> CachedFile | None:
        text = self.lookup([key]).get(key)
        return None if text is None else self.decode(key, text, path)

    def put(self, key: str, value: CachedFile) -> None:
        """Queue an entry; it is written with the next batch (`flush`)."""
        if not self.enabled:
            return
        if value.tier == "none" and value.facts is None and not value.imports:
            self._pending_nothing.add(key)  # most files of a project: no JSON at all
            self._pending.pop(key, None)
            self._pending_bytes += len(key)
        else:
            text = _encode(key, value)
            self._pending[key] = text
            self._pending_nothing.discard(key)
            self._pending_bytes += len(text)
        if self._pending_bytes >= _BATCH_BYTES:
            self.flush()

    def remember(self, key: str, value: CachedFile) -> None:
        """Keep the entry of an in-memory buffer (an editor's unsaved text) for this process
        only: every keystroke is a new version, and writing each to disk would grow the
        database without bound for entries no later run can hit."""
        if not self.enabled:
            return
        self._buffers.pop(key, None)
        self._buffers[key] = key if value == _NOTHING else _encode(key, value)
        while len(self._buffers) > _BUFFER_ENTRIES:
            del self._buffers[next(iter(self._buffers))]

    def flush(self) -> None:
        """Write the queued entries in one transaction."""
        if not (self._pending or self._pending_nothing) or not self.enabled:
            return
        rows = list(self._pending.items())
        nothing = [(key,) for key in self._pending_nothing]
        self._pending.clear()
        self._pending_nothing.clear()
        self._pending_bytes = 0
        try:
            db = self._connect()
            # IMMEDIATE: take the write lock now (waiting for it), so that the transaction
            # never has to upgrade a read lock, which SQLite refuses without waiting.
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO facts (key, entry) VALUES (?, ?)", rows)
                db.executemany("INSERT OR IGNORE INTO plain (key) VALUES (?)", nothing)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._empty = False
        except Exception as exc:  # sqlite3.Error, OSError, ImportError
            self._failed(exc)

    def prune(self, live: Collection[str]) -> None:
        """Drop the entries of contents that are not in `live` (the keys of every file of
        the project as just loaded) once they outnumber the live ones plus a slack: without
        this the database keeps a version of every file each time it changes, for ever.
        Another project sharing the folder may lose entries: it recomputes them, nothing
        more (findings never depend on the cache)."""
        if not self.enabled:
            return
        try:
            db = self._connect()
            count = "SELECT (SELECT count(*) FROM facts) + (SELECT count(*) FROM plain)"
            if db.execute(count).fetchone()[0] <= len(live) + _PRUNE_SLACK:
                return
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
                db.execute("DELETE FROM live")
                db.executemany("INSERT OR IGNORE INTO live (key) VALUES (?)", ((k,) for k in live))
                db.execute("DELETE FROM facts WHERE key NOT IN (SELECT key FROM live)")
                db.execute("DELETE FROM plain WHERE key NOT IN (SELECT key FROM live)")
                db.execute("DELETE FROM live")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except Exception as exc:  # sqlite3.Error, OSError, ImportError
            self._failed(exc)

    # --- whole-run results: a warm run over an unchanged project reads one file --------------
    def has_results(self) -> bool:
        """Whether any whole-run result is stored (none: a first run, nothing to look up)."""
        try:
            with os.scandir(self.folder / "results") as entries:
                return any(entry.name.endswith(".json") for entry in entries)
        except OSError:
            return False

    def get_results(self, key: str) -> list[Diagnostic] | None:
        if not self.enabled:
            return None
        data = _read(self.folder / "results" / f"{key}.json")
        try:
            if not isinstance(data, dict) or data.get(KEY) != key:
                return None
            return [Diagnostic.from_json(item) for item in data["diagnostics"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None

    def put_results(self, key: str, diagnostics: list[Diagnostic]) -> None:
        if not self.enabled:
            return
        folder = self.folder / "results"
        try:
            self._prepare()
            _make_folder(folder)
            # Keep the folder small: results of older runs are useless once files change.
            for old in sorted(folder.glob("*.json"), key=_mtime)[:-16]:
                old.unlink(missing_ok=True)
            entry = {KEY: key, "diagnostics": [d.to_json() for d in diagnostics]}
            self._write(folder / f"{key}.json", entry)
        except OSError:
            self.enabled = False

    def _write(self, target: Path, data: Any) -> None:
        # One `write` of the whole text: `json.dump` writes in thousands of small pieces.
        text = _entry_text(data)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def _prepare(self) -> None:
        if self._prepared:
            return
        _make_folder(self.folder)
        gitignore = self.folder / ".gitignore"
        if not gitignore.exists():
            fd = os.open(gitignore, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _FILE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write("# Automatically created by seedlint.\n*\n")
        self._prepared = True
