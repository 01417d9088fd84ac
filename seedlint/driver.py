"""Paths in, sorted diagnostics out: discovery, loading, rules, suppression.

1. `discover` (seedlint.discovery): the files to *report on*, and the project's other files
   (context: a helper or an entry point elsewhere counts);
2. `analysis.loader.load_facts`: facts for every file that can matter (prefilter tiers,
   content-hash cache, process pool); a file that cannot be read or decoded becomes one
   SDL900 diagnostic ("cannot read file: ...");
3. rules for the reported files only (`engine.check_modules`), then per-file-ignores,
   ``# noqa`` and ``# seedlint: skip-file``, then sorting.

A crash inside the engine for one file (RecursionError on absurd nesting, a bug) becomes an
SDL900 diagnostic for that file; the other files are still checked.  Callers that hold text
rather than files (an editor buffer) use `engine.check_source`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pathspec import GitIgnoreSpec

from . import engine
from .analysis.facts import ModuleFacts
from .analysis.loader import crash_message
from .diagnostics import Diagnostic, Span
from .discovery import discover, find_project_root, relative_posix
from .noqa import Directives, parse_directives
from .settings import Settings
from .source import SourceError, read_source

__all__ = ["Report", "file_error", "lint_paths"]

ERROR_CODE = "SDL900"
ERROR_NAME = "syntax-error"


@dataclass(frozen=True)
class Report:
    diagnostics: tuple[Diagnostic, ...]  # sorted by path, line, column, code
    files: tuple[str, ...]  # the files reported on (absolute, sorted)
    root: str  # the folder relative patterns were resolved against


def file_error(path: str, message: str) -> Diagnostic:
    """The one-line SDL900 diagnostic for a file that could not be read or analysed."""
    one_line = " ".join(message.split())
    return Diagnostic(path, Span(1, 1, 1, 1), ERROR_CODE, ERROR_NAME, one_line)


class _PerFileIgnores:
    def __init__(self, settings: Settings, root: str) -> None:
        self.root = root
        self.rules = [
            (GitIgnoreSpec.from_lines([pattern]), codes)
            for pattern, codes in settings.per_file_ignores
        ]
        self._by_path: dict[str, tuple[str, ...]] = {}

    def codes_for(self, path: str) -> tuple[str, ...]:
        """The codes (prefixes) not to report for `path`."""
        if not self.rules:
            return ()
        cached = self._by_path.get(path)
        if cached is None:
            # Outside the root only name-only patterns ("__init__.py") can sensibly apply.
            rel = relative_posix(path, self.root) or os.path.basename(path)
            cached = tuple(
                code for spec, codes in self.rules if spec.match_file(rel) for code in codes
            )
            self._by_path[path] = cached
        return cached


def _suppressed(diagnostic: Diagnostic, ignored: tuple[str, ...], noqa: Directives) -> bool:
    if ignored and diagnostic.code.startswith(ignored):
        return True
    return noqa.suppresses(diagnostic)


def _check(
    facts: Mapping[str, ModuleFacts], report_on: Sequence[str], settings: Settings
) -> dict[str, list[Diagnostic]]:
    """`engine.check_modules`, isolating a crash to the file(s) it happens in."""
    try:
        return engine.check_modules(facts, report_on, settings)
    except Exception as exc:
        if len(report_on) == 1:
            return {report_on[0]: [file_error(report_on[0], crash_message(exc))]}
    results: dict[str, list[Diagnostic]] = {}
    for path in report_on:  # one at a time, to find which file(s) it was
        try:
            results.update(engine.check_modules(facts, [path], settings))
        except Exception as exc:
            results[path] = [file_error(path, crash_message(exc))]
    return results


def lint_paths(
    paths: Sequence[str | os.PathLike[str]],
    settings: Settings | None = None,
    *,
    root: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    project_context: bool = True,
    describe_fixes: bool = False,
) -> Report:
    """Check the files and folders `paths` as the command line does.

    `root` is the folder exclude and per-file-ignores patterns are relative to (default: the
    nearest folder with pyproject.toml or .git, else the current directory).  With
    `project_context`, the other Python files of the project under `root` are read too (only
    those that can matter, see `analysis.loader`), so that a seeding helper or an entry point
    elsewhere counts; only the files under `paths` are reported on.  With `describe_fixes`,
    each fixable diagnostic carries what `--fix` would do (`Diagnostic.fix`, for JSON output).
    Facts are cached under `cache_dir` (default `<root>/.seedlint_cache`) unless `use_cache`
    is false.  Raises
    `DiscoveryError` for a path that does not exist."""
    from .analysis.loader import _without_gc, default_jobs, file_keys, load_facts
    from .cache import CACHE_DIR_NAME, FactsCache, run_key

    settings = settings or Settings()
    project_root = find_project_root(paths)
    root_path = Path(root) if root is not None else (project_root or Path.cwd())
    root_folder = os.path.abspath(root_path)
    found = discover(paths, settings, root=root_folder)
    report_on = list(found.files)
    context: list[str] = []
    if project_context and project_root is not None:
        reported = set(report_on)
        everything = discover([project_root], settings, root=root_folder)
        context = [path for path in everything.files if path not in reported]
    explicit = [os.path.abspath(p) for p in paths if os.path.isfile(p)]
    cache = None
    if use_cache:
        folder = Path(cache_dir) if cache_dir is not None else Path(root_folder) / CACHE_DIR_NAME
        cache = FactsCache(folder)
    results_key = None
    if cache is not None:
        # An unchanged project under unchanged settings: the previous answer, from one file.
        described = (
            f"{settings!r}\0{root_folder}\0{sorted(explicit)}\0{sorted(found.errors)}"
            f"\0{describe_fixes}"
        )
        results_key = run_key(described, file_keys([*report_on, *context]), report_on)
        previous = cache.get_results(results_key)
        if previous is not None:
            return Report(diagnostics=tuple(previous), files=found.files, root=root_folder)
    loaded = load_facts(
        report_on, context, force_parse=explicit, cache=cache, jobs=jobs or default_jobs()
    )
    checkable = [path for path in report_on if path in loaded.facts]
    diagnostics: list[Diagnostic] = []
    results = _without_gc(lambda: _check(loaded.facts, checkable, settings)) if checkable else {}
    per_file = _PerFileIgnores(settings, root_folder)
    for path in checkable:
        found_here = results.get(path, ())
        if not found_here:
            continue
        # Only files with findings need their text again (for noqa comments).
        try:
            text = read_source(path).text
        except SourceError:
            text = ""
        directives = parse_directives(text)
        if directives.skip_file:
            continue
        ignored = per_file.codes_for(path)
        diagnostics.extend(d for d in found_here if not _suppressed(d, ignored, directives))
    for path, message in [*loaded.errors.items(), *found.errors]:
        error = file_error(path, message)
        if not _suppressed(error, per_file.codes_for(path), Directives()):
            diagnostics.append(error)
    if describe_fixes:
        diagnostics = _with_fix_metadata(diagnostics, loaded.facts)
    diagnostics.sort(key=Diagnostic.sort_key)
    if cache is not None and results_key is not None:
        cache.put_results(results_key, diagnostics)
    return Report(diagnostics=tuple(diagnostics), files=found.files, root=root_folder)


def _with_fix_metadata(
    diagnostics: list[Diagnostic], facts: Mapping[str, ModuleFacts]
) -> list[Diagnostic]:
    """Attach `--fix`'s plan (message and applicability) to the diagnostics it can fix."""
    from dataclasses import replace

    from .fixes import FIXABLE_CODES, describe_fix

    out = []
    for diagnostic in diagnostics:
        module = facts.get(diagnostic.path)
        if diagnostic.code in FIXABLE_CODES and module is not None:
            fix = describe_fix(diagnostic, module)
            if fix is not None:
                diagnostic = replace(diagnostic, fix=fix)
        out.append(diagnostic)
    return out
