"""Project files -> facts, parsing as little as possible: tiers, cache, closure, processes.

1. Every file is read once and hashed; a cache hit gives its facts (or the note that it was
   not worth parsing) without decoding or scanning it.
2. A miss is decoded and classified (`prefilter.classify`): ``direct`` and ``entry`` files are
   parsed, ``none`` files never are, and ``program`` files (they only build layers and the
   like) are parsed only when a program reaches them.
3. Starting from the programs (``__main__`` blocks, test files, modules whose top level draws),
   the imports of parsed modules are followed and the ``program`` files they reach are parsed.
4. Parsing runs in a process pool when there is enough of it (`jobs`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from ..cache import FactsCache, cache_key
from ..source import SourceError, decode_source
from .extract import extract_facts
from .facts import ModuleFacts
from .modules import module_name_for
from .prefilter import classify, is_test_file

# Below this many lines to parse, starting processes costs more than it saves.
_PARALLEL_MIN_LINES = 40_000


@dataclass
class LoadResult:
    facts: dict[str, ModuleFacts] = field(default_factory=dict)  # path -> facts (maybe empty)
    errors: dict[str, str] = field(default_factory=dict)  # path -> why it could not be read
    texts: dict[str, str] = field(default_factory=dict)  # decoded text of files reported on
    parsed: int = 0
    cached: int = 0


@dataclass
class _Pending:
    path: str
    module: str
    key: str
    text: str


def _parse_one(item: tuple[str, str, str]) -> ModuleFacts:
    path, text, module = item
    return extract_facts(text, path, module)


def _parse_chunk(items: list[tuple[str, str, str]]) -> list[ModuleFacts]:
    return [_parse_one(item) for item in items]


def _parse_all(items: list[_Pending], jobs: int) -> list[ModuleFacts]:
    work = [(p.path, p.text, p.module) for p in items]
    lines = sum(p.text.count("\n") for p in items)
    if jobs <= 1 or len(work) < 2 or lines < _PARALLEL_MIN_LINES:
        return [_parse_one(item) for item in work]
    # Interleave big and small files so chunks are balanced; keep result order.
    n_chunks = jobs * 4
    chunks: list[list[tuple[str, str, str]]] = [work[i::n_chunks] for i in range(n_chunks)]
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    results: dict[str, ModuleFacts] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for chunk_result in pool.map(_parse_chunk, chunks):
            for facts in chunk_result:
                results[facts.path] = facts
    return [results[p.path] for p in items]


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
    to_parse: list[_Pending] = []
    deferred: dict[str, _Pending] = {}  # module name -> pending program-tier file
    deferred_keys: dict[str, tuple[str, str, str]] = {}  # path -> (module, key, "program")

    for path in dict.fromkeys([*report_on, *context]):
        module = module_name_for(path)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            if path in reported:
                result.errors[path] = f"cannot read file: {exc.strerror or exc}"
            continue
        key = cache_key(data, module)
        hit = cache.get(key, path) if cache is not None else None
        if isinstance(hit, ModuleFacts) and (path not in reported or path not in forced or True):
            result.facts[path] = hit
            result.cached += 1
            if path in reported:
                result.texts[path] = _decode_quietly(data)
            continue
        if hit is not None and path not in forced and path not in reported:
            # A cached tier for a context file: no need to decode it at all.
            result.cached += 1
            if hit == "program":
                deferred[module] = _Pending(path, module, key, "")
                deferred_keys[path] = (module, key, "program")
            else:
                result.facts[path] = ModuleFacts(module=module, path=path)
            continue
        try:
            source = decode_source(data)
        except SourceError as exc:
            if path in reported:
                result.errors[path] = f"cannot read file: {exc}"
            continue
        text = source.text
        if path in reported:
            result.texts[path] = text
        tier = "direct" if path in forced else classify(text, path)
        pending = _Pending(path, module, key, text)
        if tier in ("direct", "entry"):
            to_parse.append(pending)
        elif tier == "program":
            deferred[module] = pending
            if cache is not None:
                cache.put(key, "program")
            result.facts[path] = ModuleFacts(module=module, path=path)
        else:
            if cache is not None:
                cache.put(key, "none")
            result.facts[path] = ModuleFacts(module=module, path=path)

    _parse_into(result, to_parse, cache, jobs)

    # Follow imports from the programs to the layer-building modules they reach.
    queue = [f for f in result.facts.values() if _is_program(f)]
    seen_modules: set[str] = {f.module for f in queue}
    while queue:
        wanted: list[_Pending] = []
        for facts in queue:
            for name in facts.imported_modules:
                if name in seen_modules:
                    continue
                seen_modules.add(name)
                pending = deferred.pop(name, None)
                if pending is not None:
                    if not pending.text:  # known only from the cache: read it now
                        pending = _reload(pending)
                        if pending is None:
                            continue
                    wanted.append(pending)
        if not wanted:
            # Modules reached that were already parsed also import things: walk them too.
            queue = [
                f
                for f in result.facts.values()
                if f.module in seen_modules and f.module not in _walked(queue)
            ]
            queue = [f for f in queue if any(n not in seen_modules for n in f.imported_modules)]
            continue
        _parse_into(result, wanted, cache, jobs)
        queue = [result.facts[p.path] for p in wanted]
    return result


def _walked(queue: list[ModuleFacts]) -> set[str]:
    return {f.module for f in queue}


def _reload(pending: _Pending) -> _Pending | None:
    try:
        with open(pending.path, "rb") as handle:
            text = decode_source(handle.read()).text
    except (OSError, SourceError):
        return None
    return _Pending(pending.path, pending.module, pending.key, text)


def _decode_quietly(data: bytes) -> str:
    try:
        return decode_source(data).text
    except SourceError:
        return ""


def _parse_into(result: LoadResult, items: list[_Pending], cache: FactsCache | None, jobs: int) -> None:
    if not items:
        return
    for pending, facts in zip(items, _parse_all(items, jobs)):
        result.facts[pending.path] = facts
        result.parsed += 1
        if cache is not None:
            cache.put(pending.key, facts)


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
