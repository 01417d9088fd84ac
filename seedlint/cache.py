"""A content-hash cache of per-module facts, shared by the CLI, the flake8 plugin and the LSP.

* Keyed by a hash of everything the facts depend on: seedlint's version, the facts format,
  the running Python's minor version (it decides parse errors), the target Python version
  (which stdlib functions exist), the module's dotted name, and the file's bytes.  A changed
  file is a new key; stale entries are never "invalidated", just
  no longer asked for.
* Stored as small JSON files (a safe format: loading never executes anything) under
  ``<root>/.seedlint_cache/``, which holds a ``.gitignore`` of ``*`` so it never gets
  committed, like ruff's cache.  One file per entry, written atomically (temporary file +
  rename), so parallel processes (pre-commit runs several) never see a half-written entry.
* A corrupt or foreign entry is a miss, never an error.  Any OS error (read-only folder, full
  disk) turns the cache off for the rest of the run instead of failing it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
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
# Every entry names its own key: an entry copied or moved to another file's place (a foreign
# or tampered cache) is a miss, never another file's facts.
KEY = "key"


@dataclass(frozen=True)
class CachedFile:
    tier: str  # `analysis.prefilter.Tier`
    facts: ModuleFacts | None  # None: not parsed
    imports: tuple[str, ...] = ()  # program tier: the modules it imports (scanned)


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


def _read(path: Path) -> Any:
    """An entry's data, or None when it is missing, truncated, corrupted or not ours.  Each
    entry starts with a digest of its JSON, so that a flipped byte that still reads as JSON
    (a line number changed) is caught, not believed."""
    try:
        with open(path, encoding="utf-8") as handle:
            digest, _, text = handle.read().partition("\n")
        if digest != _digest(text):
            return None
        return json.loads(text)
    except (OSError, ValueError, RecursionError):
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
    h.update(f"{__version__}\0{FORMAT}\0{running}\0{python}\0{module}\0".encode())
    h.update(data)
    return h.hexdigest()


class FactsCache:
    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.enabled = True
        self._prepared = False

    def _entry(self, key: str) -> Path:
        return self.folder / "facts" / key[:2] / f"{key}.json"

    def get(self, key: str, path: str) -> CachedFile | None:
        """What an earlier run learnt of a file with this content: its tier, its facts if it
        was parsed, and, for a program-tier file, the modules it imports; or None."""
        if not self.enabled:
            return None
        data = _read(self._entry(key))
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

    def put(self, key: str, value: CachedFile) -> None:
        if not self.enabled:
            return
        data: dict[str, Any] = {KEY: key, TIER: value.tier, "imports": list(value.imports)}
        if value.facts is not None:
            data["facts"] = facts_to_json(value.facts)
        target = self._entry(key)
        try:
            self._prepare()
            _make_folder(target.parent)
            self._write(target, data)
        except OSError:
            self.enabled = False

    # --- whole-run results: a warm run over an unchanged project reads one file --------------
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
        # One `write` of the whole text: `json.dump` writes in thousands of small pieces,
        # which made filling the cache cost more than the analysis it saves (measured 4x).
        text = json.dumps(data, separators=(",", ":"))
        text = f"{_digest(text)}\n{text}"
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
