"""Project files -> facts, parsing as little as possible: tiers, cache, closure, processes.

1. Every file is read once and hashed; a cache hit gives its facts (or the note that it was
   not worth parsing) without decoding or scanning it.
2. A miss is decoded and classified (`prefilter.classify`): ``direct`` and ``entry`` files are
   parsed, ``none`` files never are, and ``program`` files (they only build layers and the
   like) are parsed only when a program reaches them.
3. Starting from the programs (``__main__`` blocks, test files, modules whose top level draws),
   the imports of parsed modules are followed and the ``program`` files they reach are parsed.

Steps 1-2 run in a process pool when there are enough files (`jobs`); each worker reads,
hashes, classifies, parses and writes its own cache entries, and sends back only facts.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..cache import FactsCache, cache_key
from ..source import SourceError, decode_source, describe_os_error
from .extract import extract_facts
from .facts import ModuleFacts
from .modules import module_name_for
from .prefilter import classify, is_test_file

T = TypeVar("T")

# Below this many files, starting processes costs more than it saves.
_PARALLEL_MIN_FILES = 16


@dataclass
class LoadResult:
    facts: dict[str, ModuleFacts] = field(default_factory=dict)  # path -> facts (maybe empty)
    errors: dict[str, str] = field(default_factory=dict)  # path -> why it could not be read
    # Decoded text of reported files that may have diagnostics (for noqa comments).
    texts: dict[str, str] = field(default_factory=dict)
    parsed: int = 0
    cached: int = 0


@dataclass
class _Scanned:
    path: str
    module: str
    facts: ModuleFacts | None = None
    text: str | None = None
    error: str | None = None
    deferred: bool = False  # a "program"-tier file, not parsed (yet)
    parsed: bool = False
    cached: bool = False


def _may_report(facts: ModuleFacts) -> bool:
    return bool(facts.calls) or facts.syntax_error is not None


def _scan(path: str, reported: bool, forced: bool, cache: FactsCache | None) -> _Scanned:
    module = module_name_for(path)
    result = _Scanned(path, module)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        result.error = f"cannot read file: {describe_os_error(path, exc)}"
        return result
    key = cache_key(data, module) if cache is not None else ""
    hit = cache.get(key, path) if cache is not None else None
    if isinstance(hit, ModuleFacts):
        result.facts, result.cached = hit, True
        if reported and _may_report(hit):
            result.text = _decode_quietly(data)
        return result
    if hit is not None and not forced:
        # Known not to need parsing: no decoding, no scanning, no findings of its own.
        result.cached, result.deferred = True, hit == "program"
        return result
    try:
        text = decode_source(data).text
    except SourceError as exc:
        result.error = f"cannot read file: {exc}"
        return result
    tier = "direct" if forced else classify(text, path)
    if tier in ("direct", "entry"):
        try:
            result.facts = extract_facts(text, path, module)
        except Exception as exc:  # one bad file must not stop the run
            result.error = crash_message(exc)
            return result
        result.parsed = True
        if cache is not None:
            cache.put(key, result.facts)
        if reported and _may_report(result.facts):
            result.text = text
        return result
    result.deferred = tier == "program"
    if cache is not None:
        cache.put(key, tier)
    return result


def _scan_chunk(items: list[tuple[str, bool, bool]], cache_folder: str | None) -> list[_Scanned]:
    cache = FactsCache(cache_folder) if cache_folder is not None else None
    gc.disable()  # parsing allocates millions of acyclic objects (see `_without_gc`)
    return [_scan(path, reported, forced, cache) for path, reported, forced in items]


def _scan_all(
    items: list[tuple[str, bool, bool]], cache: FactsCache | None, jobs: int
) -> list[_Scanned]:
    folder = str(cache.folder) if cache is not None else None
    if jobs <= 1 or len(items) < _PARALLEL_MIN_FILES:
        return _without_gc(lambda: [_scan(p, r, f, cache) for p, r, f in items])
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Interleave so that big and small files spread evenly over the chunks.
    n_chunks = jobs * 4
    chunks = [items[i::n_chunks] for i in range(n_chunks)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    results: list[_Scanned] = []
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method)) as pool:
        for chunk in pool.map(_scan_chunk, chunks, [folder] * len(chunks)):
            results.extend(chunk)
    return results


def _without_gc(work: Callable[[], T]) -> T:
    # The cyclic garbage collector would rescan everything kept so far again and again while
    # `ast.parse` allocates (measured: 4x slower parses); nothing here makes cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return work()
    finally:
        if enabled:
            gc.enable()


def _is_program(facts: ModuleFacts) -> bool:
    if facts.main_block is not None or is_test_file(facts.path):
        return True
    return any(node[0] == "api" for node in facts.toplevel)


def load_facts(
    report_on: Sequence[str],
    context: Sequence[str] = (),
    *,
    force_parse: Iterable[str] = (),
    cache: FactsCache | None = None,
    jobs: int = 1,
) -> LoadResult:
    """Facts for `report_on` and for the project files in `context` that can matter.

    Files in `force_parse` are parsed whatever their tier (files named on the command line:
    a syntax error there is always reported)."""
    result = LoadResult()
    forced = set(force_parse)
    reported = set(report_on)
    items = [(p, p in reported, p in forced) for p in dict.fromkeys([*report_on, *context])]
    deferred: dict[str, _Scanned] = {}  # module name -> program-tier file
    for scanned in _scan_all(items, cache, jobs):
        path = scanned.path
        if scanned.error is not None:
            if path in reported:
                result.errors[path] = scanned.error
            continue
        result.parsed += scanned.parsed
        result.cached += scanned.cached
        result.facts[path] = scanned.facts or ModuleFacts(module=scanned.module, path=path)
        if scanned.text is not None:
            result.texts[path] = scanned.text
        if scanned.deferred:
            deferred.setdefault(scanned.module, scanned)

    # Follow imports from the programs to the modules they reach; parse the deferred ones.
    by_module = {f.module: f for f in result.facts.values()}
    frontier = [f for f in result.facts.values() if _is_program(f)]
    visited = {f.module for f in frontier}
    while frontier:
        names = {n for f in frontier for n in f.imported_modules if n not in visited}
        visited |= names
        wanted = [deferred.pop(n).path for n in sorted(names) if n in deferred]
        if wanted:
            for scanned in _scan_all([(p, p in reported, True) for p in wanted], cache, jobs):
                if scanned.facts is not None:
                    result.facts[scanned.path] = scanned.facts
                    by_module[scanned.module] = scanned.facts
                    result.parsed += 1
                    if scanned.text is not None:
                        result.texts[scanned.path] = scanned.text
        frontier = [by_module[n] for n in names if n in by_module]
    return result


def file_keys(paths: Iterable[str]) -> list[tuple[str, str]]:
    """(path, content key) for each path; an unreadable file gets a key that never matches a
    later readable version.  Cheap: one read and one hash a file, no decoding."""
    keys: list[tuple[str, str]] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            keys.append((path, f"!{type(exc).__name__}"))
            continue
        keys.append((path, cache_key(data, module_name_for(path))))
    return keys


def crash_message(exc: BaseException) -> str:
    """The one-line reason for a file whose analysis crashed (shown as SDL900)."""
    if isinstance(exc, RecursionError):
        return "cannot analyse file: too deeply nested (RecursionError)"
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return f"cannot analyse file: internal error ({detail}); please report it"


def _decode_quietly(data: bytes) -> str:
    try:
        return decode_source(data).text
    except SourceError:
        return ""


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
