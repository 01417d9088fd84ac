"""Project files -> facts, parsing as little as possible: tiers, cache, closure, processes.

1. Every file is read once and hashed; a cache hit gives its facts (or the note that it was
   not worth parsing) without decoding or scanning it.
2. A miss is decoded and classified (`prefilter.classify`): ``direct`` and ``entry`` files are
   parsed, ``none`` files never are, and ``program`` files (they only build layers and the
   like) are parsed only when a program reaches them; ``lone`` files (entry points that name
   no API) too, or when they import a project module.
3. Starting from the programs (``__main__`` blocks, test files, modules whose top level draws,
   lone files that import a project module), the imports of parsed modules are followed and
   the ``program`` and ``lone`` files they reach are parsed.

Steps 1-2 run in a process pool when there are enough files (`jobs`); each worker reads,
hashes, classifies, parses and writes its own cache entries, and sends back only facts.  The
pool gets the biggest files first and ever smaller chunks (`_guided_chunks`), and starts on
the ``program`` files that the programs found so far reach while step 2 is still going on
(`_Prefetch`); step 3 then only parses what that guess missed.  Results are put back in the
order of the files, so that the outcome never depends on which worker finished first.
"""

from __future__ import annotations

import bisect
import gc
import os
import re
from collections.abc import (
    Callable,
    Container,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..cache import CachedFile, FactsCache, cache_key
from ..source import SourceError, decode_source, describe_os_error, overlay_source
from .extract import extract_facts
from .facts import ModuleFacts
from .modules import is_library_module, module_name_for, resolve_relative
from .prefilter import classify
from .seeding import is_program, may_be_script

T = TypeVar("T")
Item = tuple[str, bool, bool]  # path, reported, forced to be parsed
Python = tuple[int, int] | None  # the target Python version; None: every supported one

# Tiers whose files are always parsed (`analysis.prefilter`).
_PARSED_TIERS = ("direct", "entry")
# Tiers whose files are parsed when a program reaches them (and "lone" files also when they
# import a project module: `_load`).
_DEFERRED_TIERS = ("program", "lone")

# A chunk smaller than this costs more to send than to scan (hundreds of empty __init__.py).
_MIN_CHUNK_BYTES = 64 * 1024

# Below this many files, starting processes costs more than it saves.
_PARALLEL_MIN_FILES = 16


@dataclass
class LoadResult:
    facts: dict[str, ModuleFacts] = field(default_factory=dict)  # path -> facts (maybe empty)
    errors: dict[str, str] = field(default_factory=dict)  # path -> why it could not be read
    parsed: int = 0
    cached: int = 0
    # path -> content key of what was analysed (a writer checks the file did not change since).
    keys: dict[str, str] = field(default_factory=dict)
    # The first-round scan of every file, reusable by a later load of the same project
    # (`load_facts(reuse=...)`) for files known not to have changed.
    scans: dict[str, Scanned] = field(default_factory=dict)


@dataclass
class Scanned:
    """What one read of one file gave: facts, or why not (opaque outside this module)."""

    path: str
    module: str
    key: str = ""  # content key (`cache.cache_key`)
    facts: ModuleFacts | None = None
    error: str | None = None
    deferred: bool = False  # a "program"- or "lone"-tier file, not parsed (yet)
    lone: bool = False  # "lone" tier: an entry point that names no API
    imports: tuple[str, ...] = ()  # what a deferred file imports (scanned, not parsed)
    parsed: bool = False
    cached: bool = False


def overlay_key(text: str, module: str, python: Python = None) -> str:
    """The content key of an in-memory buffer (an editor's unsaved text, flake8's lines)."""
    return cache_key(b"overlay\0" + text.encode("utf-8", "surrogatepass"), module, python)


# Files read before their cache entries are looked up in one query (and kept in memory
# meanwhile): one query a file cost more than the lookup itself (a read transaction each).
_LOOKUP_BATCH = 256


def _read(path: str, overlay: str | None, python: Python) -> tuple[Scanned, bytes]:
    """The file's bytes and content key (`Scanned.key`), or `Scanned.error`."""
    module = module_name_for(path)
    result = Scanned(path, module)
    if overlay is not None:
        # The buffer is the truth; whatever is on disk (maybe nothing) is not read.
        result.key = overlay_key(overlay, module, python)
        return result, b""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        result.error = f"cannot read file: {describe_os_error(path, exc)}"
        return result, b""
    result.key = cache_key(data, module, python)
    return result, data


def _scan_items(
    items: Sequence[Item],
    cache: FactsCache | None,
    python: Python,
    overlays: Mapping[str, str] | None = None,
) -> Iterator[Scanned]:
    """`_scan` of each item, in order, looking cache entries up a batch at a time."""
    overlays = overlays or {}
    for start in range(0, len(items), _LOOKUP_BATCH):
        batch = items[start : start + _LOOKUP_BATCH]
        reads = [_read(item[0], overlays.get(item[0]), python) for item in batch]
        entries = cache.lookup([r.key for r, _ in reads if r.error is None]) if cache else {}
        for (path, _, forced), (result, data) in zip(batch, reads, strict=True):
            if result.error is not None:
                yield result  # unreadable: reported as such
            else:
                yield _scan(result, data, forced, cache, entries, overlays.get(path), python)


def _scan(
    result: Scanned,
    data: bytes,
    forced: bool,
    cache: FactsCache | None,
    entries: Mapping[str, str],
    overlay: str | None,
    python: Python,
) -> Scanned:
    """Facts (or the tier) of a file read by `_read`, from its cache entry (among `entries`,
    the texts found for a batch) or by classifying and maybe parsing it."""
    path, module, key = result.path, result.module, result.key
    entry = entries.get(key)
    hit = cache.decode(key, entry, path) if cache is not None and entry is not None else None
    if hit is not None and _from_cache(result, forced, hit):
        return result
    try:
        if overlay is not None:
            text = overlay_source(overlay, path).text
        else:
            text = decode_source(data, path).text
    except SourceError as exc:
        result.error = f"cannot read file: {exc}"
        return result
    tier = classify(text, path)
    if tier in _DEFERRED_TIERS:
        result.imports = scan_imports(text, module, path.endswith("__init__.py"))
    if forced or tier in _PARSED_TIERS:
        try:
            result.facts = extract_facts(text, path, module, python)
        except Exception as exc:  # one bad file must not stop the run
            result.error = crash_message(exc)
            return result
        result.parsed = True
    else:
        result.deferred = tier in _DEFERRED_TIERS
        result.lone = tier == "lone"
    if cache is not None:
        entry_value = CachedFile(tier, result.facts, result.imports)
        if overlay is not None:
            cache.remember(key, entry_value)  # a buffer version: memory only
        else:
            cache.put(key, entry_value)
    return result


def _from_cache(result: Scanned, forced: bool, hit: CachedFile) -> bool:
    """Fill `result` from its cache entry; False when the file must be read and parsed after
    all (stored unparsed, now forced to be parsed)."""
    # A program-tier file parsed because a program reached it stays program tier: a run that
    # does not reach it must not find it parsed (findings never depend on the cache).
    parse_now = forced or hit.tier in _PARSED_TIERS
    if parse_now and hit.facts is not None:
        result.facts, result.cached = hit.facts, True
        return True
    if not parse_now:
        # Known not to need parsing: no decoding, no scanning, no findings of its own.
        result.cached, result.deferred = True, hit.tier in _DEFERRED_TIERS
        result.lone = hit.tier == "lone"
        result.imports = hit.imports
        return True
    return False


def _scan_chunk(items: list[Item], cache_folder: str | None, python: Python) -> list[Scanned]:
    cache = FactsCache(cache_folder) if cache_folder is not None else None
    gc.disable()  # parsing allocates millions of acyclic objects (see `without_gc`)
    scanned = list(_scan_items(items, cache, python))
    if cache is not None:
        cache.flush()  # the chunk's entries in one batch
    return scanned


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _guided_chunks(items: list[Item], jobs: int) -> list[list[Item]]:
    """Biggest files first, each chunk about 1/(4 jobs) of the bytes still to share out: big
    chunks while there is plenty left, small ones at the end, so that workers finish together
    (measured with equal chunks: a third of a second of one worker idling)."""
    sized = sorted(((_size(item[0]), item) for item in items), key=lambda pair: -pair[0])
    remaining = sum(size for size, _ in sized)
    chunks: list[list[Item]] = []
    chunk: list[Item] = []
    chunk_bytes = 0
    for size, item in sized:
        chunk.append(item)
        chunk_bytes += size
        if chunk_bytes >= max(remaining / (4 * jobs), _MIN_CHUNK_BYTES):
            chunks.append(chunk)
            remaining -= chunk_bytes
            chunk, chunk_bytes = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


class _Workers:
    """A process pool started on first use and shared by every round of one load.

    `scan` yields results as chunks finish (unordered); `prefetch` queues more files while
    that goes on, so that a worker with nothing left to scan starts on them at once."""

    def __init__(
        self,
        jobs: int,
        cache: FactsCache | None,
        overlays: Mapping[str, str] | None = None,
        python: Python = None,
        known_keys: Mapping[str, str] | None = None,
    ) -> None:
        self.jobs = jobs
        self.python = python
        self.folder = str(cache.folder) if cache is not None else None
        self.cache = cache
        self.known_keys = known_keys or {}
        # Buffers are scanned here, in the parent: they are few, and a worker could only read
        # the file on disk.
        self.overlays = overlays or {}
        self._pool: Any = None
        self._prefetched: list[Any] = []  # pending results of `prefetch`

    def _parallel(self, n_items: int) -> bool:
        return self.jobs > 1 and n_items >= _PARALLEL_MIN_FILES

    def _start(self) -> Any:
        if self._pool is None:
            import multiprocessing
            import threading

            methods = multiprocessing.get_all_start_methods()
            # A forked child has only the thread that forked: a lock another thread held then
            # (the language server reads its client on one) stays locked in the child for
            # ever.  With other threads running, start workers from a clean server process.
            method = "fork" if "fork" in methods and threading.active_count() == 1 else None
            if method is None and "forkserver" in methods:
                method = "forkserver"
            # Workers ignore Ctrl-C: the process group's SIGINT is the parent's to handle.  An
            # idle worker interrupted in the task queue's `get()` died with a traceback, and
            # the pool's shutdown then waited for it for ever (an interrupted `--fix` hung).
            self._pool = multiprocessing.get_context(method).Pool(self.jobs, ignore_sigint)
        return self._pool

    def scan(self, items: list[Item]) -> Iterator[Scanned]:
        if self.overlays:
            buffers = [item for item in items if item[0] in self.overlays]
            yield from _scan_items(buffers, self.cache, self.python, self.overlays)
            items = [item for item in items if item[0] not in self.overlays]
        if self.known_keys and self.cache is not None:
            items = yield from self._known_hits(items, self.cache)
        if not self._parallel(len(items)):
            yield from _scan_items(items, self.cache, self.python)
            return
        chunks = [(c, self.folder, self.python) for c in _guided_chunks(items, self.jobs)]
        for results in self._start().imap_unordered(_scan_chunk_star, chunks):
            yield from results

    def _known_hits(
        self, items: list[Item], cache: FactsCache
    ) -> Generator[Scanned, None, list[Item]]:
        """Yield the files whose content key the caller already read (`known_keys`) and the
        cache holds, here and without reading them again; return the others.  A re-check
        after one file changed finds all but that one: reading and hashing every file again,
        and decoding facts in workers only to pickle them over to this process, cost more
        than decoding them here (measured: a third of the CPU of such a run)."""
        keyed = [item for item in items if item[0] in self.known_keys]
        entries = cache.lookup([self.known_keys[item[0]] for item in keyed])
        rest = [item for item in items if item[0] not in self.known_keys]
        for item in keyed:
            path = item[0]
            key = self.known_keys[path]
            entry = entries.get(key)
            hit = cache.decode(key, entry, path) if entry is not None else None
            result = Scanned(path, module_name_for(path), key)
            if hit is not None and _from_cache(result, item[2], hit):
                yield result
            else:
                rest.append(item)  # a miss: read, hashed and maybe parsed as usual
        return rest

    def prefetch(self, items: list[Item]) -> None:
        """Scan `items` in the background (a no-op without a pool: `collect` finds nothing
        and the caller scans what it still needs)."""
        items = [item for item in items if item[0] not in self.overlays]
        if items and self._pool is not None:
            args = (items, self.folder, self.python)
            self._prefetched.append(self._pool.apply_async(_scan_chunk, args))

    def collect(self) -> Iterator[Scanned]:
        for pending in self._prefetched:
            yield from pending.get()
        self._prefetched.clear()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


def _scan_chunk_star(args: tuple[list[Item], str | None, Python]) -> list[Scanned]:
    return _scan_chunk(*args)


def without_gc(work: Callable[[], T]) -> T:
    # The cyclic garbage collector would rescan everything kept so far again and again while
    # `ast.parse` allocates (measured: 4x slower parses); nothing here makes cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return work()
    finally:
        if enabled:
            gc.enable()


def load_facts(
    report_on: Sequence[str],
    context: Sequence[str] = (),
    *,
    force_parse: Iterable[str] = (),
    cache: FactsCache | None = None,
    jobs: int = 1,
    overlays: Mapping[str, str] | None = None,
    reuse: Mapping[str, Scanned] | None = None,
    python: Python = None,
    known_keys: Mapping[str, str] | None = None,
) -> LoadResult:
    """Facts for `report_on` and for the project files in `context` that can matter.

    Files in `force_parse` are parsed whatever their tier (files named on the command line:
    a syntax error there is always reported).  `overlays` (path -> text) stand for the files
    on disk, which need not exist.  `reuse` holds scans of an earlier load (`LoadResult.scans`)
    that the caller knows are still current: those files are not read again.  `python` is
    the target version (which stdlib functions exist; None: every supported version).
    `known_keys` (path -> content key, `file_keys`) are keys the caller has just read: a file
    whose key the cache holds is taken from it without being read again."""
    result = LoadResult()
    forced = set(force_parse)
    reported = set(report_on)
    items: list[Item] = [
        (p, p in reported, p in forced) for p in dict.fromkeys([*report_on, *context])
    ]
    workers = _Workers(jobs, cache, overlays, python, known_keys)

    def load() -> LoadResult:
        loaded = _load(result, items, reported, workers, reuse or {})
        # The facts live until the run ends and hold no cycles: keep the collector from
        # scanning them over and over during the rules (a full collection of them costs
        # ~0.4 s).  Frozen before the collector is enabled again: the first allocations after
        # that ran a full collection of everything loaded (measured: 0.45 s of a warm run).
        gc.freeze()
        return loaded

    try:
        # The parent unpickles millions of small objects: no cyclic GC meanwhile either.
        loaded = without_gc(load)
    finally:
        workers.close()
        if cache is not None:
            cache.flush()  # what this process scanned itself (buffers, small projects)
    return loaded


def _load(
    result: LoadResult,
    items: list[Item],
    reported: set[str],
    workers: _Workers,
    reuse: Mapping[str, Scanned],
) -> LoadResult:
    by_path: dict[str, Scanned] = {}
    prefetch = _Prefetch(workers, reported)
    fresh: list[Item] = []
    for item in items:
        known = reuse.get(item[0])
        # A reused scan must answer what this load asks: not for a file forced to be parsed
        # that was not parsed then, nor for a file now in a buffer.
        if known is None or item[0] in workers.overlays or (item[2] and known.deferred):
            fresh.append(item)
        else:
            by_path[known.path] = known
            prefetch.add(known)
    for scanned in workers.scan(fresh):
        by_path[scanned.path] = scanned
        prefetch.add(scanned)
    prefetch.flush()
    result.scans = by_path

    # Everything below runs in the order of `items`, whatever order the workers finished in,
    # so that which file wins a module name shared by several files never varies.
    # Module name -> its program-tier files: two folders may each hold a `utils.py`, and
    # every one that a program may reach is parsed (which one an import means is the seeding
    # analysis' question, answered the same whatever order the files were listed in).
    deferred: dict[str, list[Scanned]] = {}
    for path, _, _ in items:
        if path not in by_path:
            continue
        scanned = by_path[path]
        if scanned.error is not None:
            if path in reported:
                result.errors[path] = scanned.error
            continue
        result.parsed += scanned.parsed
        result.cached += scanned.cached
        result.keys[path] = scanned.key
        result.facts[path] = scanned.facts or ModuleFacts(module=scanned.module, path=path)
        if scanned.deferred:
            deferred.setdefault(scanned.module, []).append(scanned)

    # Follow imports from the programs to the modules they reach (through parsed modules'
    # facts and deferred modules' scanned imports), then parse the deferred ones.
    by_module: dict[str, list[ModuleFacts]] = {}
    for module_facts in result.facts.values():
        by_module.setdefault(module_facts.module, []).append(module_facts)
    # Also the scripts that run without a `__main__` guard: a parsed module that no other
    # module imports, that loops at its top level and calls into a project module it imports
    # (it may draw through them).  The loop keeps out the many library modules that no module
    # imports by name (registries, lazy imports) and call `get_logger()` at import time.
    imported = {n for f in result.facts.values() for n in f.imported_modules}
    imported.update(n for files in deferred.values() for s in files for n in s.imports)
    project_modules = by_module.keys() | deferred.keys()
    programs = [
        f
        for f in result.facts.values()
        if is_program(f)
        or (
            f.module not in imported
            and any(node[0] == "loop" for node in f.toplevel)
            and may_be_script(f, project_modules)
        )
    ]
    visited = {f.module for f in programs}
    queue = [name for f in programs for name in f.imported_modules]
    wanted: list[str] = []
    # Entry points that name no API ("lone" tier) are programs when they import a project
    # module (through which they may draw or seed); the others can have no findings.
    for path, _, _ in items:
        lone = by_path.get(path)
        if lone is not None and lone.lone and lone.deferred and lone.error is None:
            if imports_project_module(lone.imports, project_modules):
                wanted.append(path)
                queue.extend(lone.imports)
    while queue:
        name = queue.pop()
        if name in visited:
            continue
        visited.add(name)
        for pending in deferred.pop(name, ()):
            wanted.append(pending.path)
            queue.extend(pending.imports)
        for module_facts in by_module.get(name, ()):
            queue.extend(module_facts.imported_modules)
    wanted = sorted(set(wanted))  # a lone program may also be reached by another
    parsed = {s.path: s for s in workers.collect()}  # most were prefetched meanwhile
    missing = [(p, p in reported, True) for p in wanted if p not in parsed]
    parsed.update((s.path, s) for s in workers.scan(missing))
    for path in wanted:
        facts = parsed[path].facts
        if facts is not None:
            result.facts[path] = facts
            result.parsed += 1
    return result


class _Prefetch:
    """While the first scan goes on, guess which program-tier files the programs found so
    far reach, and have idle workers parse them (`_load` then computes exactly which it needs,
    and parses any the guess missed).  A lone-tier file is a program once a module it imports
    turns up in the project: it is parsed then too, and what it imports is reached."""

    def __init__(self, workers: _Workers, reported: set[str]) -> None:
        self.workers = workers
        self.reported = reported
        self.entries: dict[str, list[Scanned]] = {}  # module name -> files seen so far
        self.reached: set[str] = set()
        self.queued: set[str] = set()
        self.batch: list[Item] = []
        self.modules: set[str] = set()  # every module name seen so far
        self.waiting: dict[str, list[Scanned]] = {}  # module name -> lone files importing it

    def add(self, scanned: Scanned) -> None:
        if scanned.error is not None:
            return
        names: list[str] = []
        self.modules.add(scanned.module)
        for lone in self.waiting.pop(scanned.module, ()):
            names.extend(self._follow(lone))
        if scanned.lone and scanned.deferred:
            if imports_project_module(scanned.imports, self.modules):
                names.extend(self._follow(scanned))
            else:
                for name in scanned.imports:
                    for part in _name_parts(name):
                        self.waiting.setdefault(part, []).append(scanned)
        if scanned.deferred or scanned.facts:
            self.entries.setdefault(scanned.module, []).append(scanned)
            if scanned.module in self.reached:
                names.extend(self._follow(scanned))
            if scanned.facts is not None and is_program(scanned.facts):
                names.extend(scanned.facts.imported_modules)
        while names:
            name = names.pop()
            if name not in self.reached:
                self.reached.add(name)
                for entry in self.entries.get(name, ()):
                    names.extend(self._follow(entry))
        if len(self.batch) >= 8:
            self.flush()

    def _follow(self, entry: Scanned) -> tuple[str, ...]:
        if entry.facts is not None:
            return entry.facts.imported_modules
        if entry.path not in self.queued:
            self.queued.add(entry.path)
            self.batch.append((entry.path, entry.path in self.reported, True))
        return entry.imports

    def flush(self) -> None:
        self.workers.prefetch(self.batch)
        self.batch = []


def _name_parts(name: str) -> Iterator[str]:
    """`a.b.c` -> `a`, `a.b`, `a.b.c`, `b.c`, `c`: the names under which a project module
    may be what the import means (a module of a namespace package, a folder without
    `__init__.py`, is named by its file alone: `tools.noise` is `noise`)."""
    parts = name.split(".")
    for end in range(1, len(parts) + 1):
        yield ".".join(parts[:end])
    for start in range(1, len(parts)):
        yield ".".join(parts[start:])


def imports_project_module(imports: Iterable[str], modules: Container[str]) -> bool:
    """Whether any of `imports` (scanned, generous) may name one of the project's `modules`."""
    return any(part in modules for name in imports for part in _name_parts(name))


_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n#;]*)"
    r"|import[ \t]+([^\n#;]*))",
    re.MULTILINE,
)


# `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`) ending its line: the block never runs.
_TYPE_CHECKING = re.compile(
    r"^([ \t]*)if[ \t]+(?:typing\.)?TYPE_CHECKING[ \t]*:[ \t]*(?:#[^\n]*)?$", re.MULTILINE
)


def _type_checking_blocks(text: str) -> list[int]:
    """Start and end offsets of the `if TYPE_CHECKING:` blocks, flattened: [s0, e0, ...].

    A block is the lines after the `if` indented deeper than it (blank and comment lines
    too).  Ending a block too early only keeps imports that never run (the scan stays
    generous); a line at the `if`'s indentation (`else:`, the next statement) always ends it."""
    bounds: list[int] = []
    if "TYPE_CHECKING" not in text:
        return bounds
    end = 0
    length = len(text)
    for match in _TYPE_CHECKING.finditer(text):
        if match.start() < end:
            continue  # nested in a block already skipped
        indent = len(match.group(1))
        start = end = match.end() + 1
        while end < length:
            line_end = text.find("\n", end)
            line_end = length if line_end < 0 else line_end + 1
            line = text[end:line_end]
            code = line.lstrip(" \t")
            if code and code[0] not in "#\r\n" and len(line) - len(code) <= indent:
                break
            end = line_end
        bounds += (start, end)
    return bounds


def _import_statements(text: str) -> Iterator[tuple[str, str, str, str]]:
    """The `_IMPORT` groups of each import statement, trying the pattern only on lines that
    hold the word `import` (trying it at every line start costs ten times more).  Imports
    in `if TYPE_CHECKING:` blocks are left out: they never run, so a program reaches nothing
    through them (a lazy package such as transformers' imports its 400 model packages that
    way: following them parsed 1,500 modeling files that no program runs)."""
    skipped = _type_checking_blocks(text)
    position = text.find("import")
    while position >= 0:
        line_start = text.rfind("\n", 0, position) + 1
        match = _IMPORT.match(text, line_start)
        if match is not None and match.end() > position:
            if not skipped or bisect.bisect_right(skipped, line_start) % 2 == 0:
                yield match.groups(default="")  # type: ignore[misc]
            position = text.find("import", match.end())
        else:
            position = text.find("import", position + 6)


def scan_imports(text: str, module: str, is_package: bool) -> tuple[str, ...]:
    """Module names a file imports, found by a line scan instead of a parse (for files that
    are parsed only if a program reaches them).  Generous: `from a import b` gives both `a`
    and `a.b`, since `b` may be a submodule.  Library imports are left out, as the parser
    leaves them out of `ModuleFacts.imported_modules`."""
    found: set[str] = set()
    for dots, source, names, plain in _import_statements(text):
        if plain:
            for part in plain.split(","):
                name = part.strip().split(" ", 1)[0]
                if name and not is_library_module(name):
                    found.add(name)
            continue
        base = resolve_relative(module, is_package, len(dots), source) if dots else source
        if not base or is_library_module(base):
            continue
        found.add(base)
        for part in names.strip("()").replace("\n", " ").split(","):
            name = part.strip().split(" ", 1)[0]
            if name and name != "*":
                found.add(f"{base}.{name}")
    return tuple(sorted(found))


def file_keys(
    paths: Iterable[str], overlays: Mapping[str, str] | None = None, python: Python = None
) -> list[tuple[str, str]]:
    """(path, content key) for each path; an unreadable file gets a key that never matches a
    later readable version.  Cheap: one read and one hash a file, no decoding."""
    keys: list[tuple[str, str]] = []
    for path in paths:
        if overlays and path in overlays:
            keys.append((path, overlay_key(overlays[path], module_name_for(path), python)))
            continue
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            keys.append((path, f"!{type(exc).__name__}"))
            continue
        keys.append((path, cache_key(data, module_name_for(path), python)))
    return keys


def crash_message(exc: BaseException) -> str:
    """The one-line reason for a file whose analysis crashed (shown as SDL900)."""
    if isinstance(exc, RecursionError):
        return "cannot analyse file: too deeply nested (RecursionError)"
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return f"cannot analyse file: internal error ({detail}); please report it"


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def ignore_sigint() -> None:
    """Pool worker initializer: leave Ctrl-C to the parent process."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
