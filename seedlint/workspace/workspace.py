"""The one engine under every front end: a project, its settings, its caches and its buffers.

    ws = Workspace(root, settings)
    ws.set_overlay("/proj/train.py", unsaved_text)     # editor buffers, flake8's lines, stdin
    report = ws.check(["/proj/train.py"])               # diagnostics, as `seedlint check` gives
    result = ws.fix(["/proj"], FixOptions())            # planned for every file, then written

What a file's findings are never depends on which front end asked, on the working directory
or on the state of the caches:

1. discovery (`seedlint.discovery`): the files to report on, and the project's other files
   (a seeding helper or an entry point elsewhere counts);
2. `analysis.loader.load_facts`: facts for every file that can matter (prefilter tiers,
   content-hash cache, process pool; buffers stand for files on disk);
3. rules for the reported files, then suppression (`workspace.suppression`), then sorting;
4. positions in Jupyter notebooks given as cell and line in the cell (`workspace.cells`): the
   steps above see a notebook as the program its code cells make (`seedlint.notebooks`).

A Workspace that checks again (the flake8 plugin checks one file at a time, the language
server after every edit) reuses what it read of the rest of the project until `invalidate`
says files changed; after an edit to a buffer it re-reads that buffer alone and keeps the
seeding analysis when the edit changed none of its inputs (`workspace.incremental`: each
shortcut only where it gives what a fresh check gives).  A crash inside the engine for one
file (RecursionError on absurd nesting, a bug) becomes an SDL900 diagnostic for that file;
the other files are still checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from ..analysis.facts import ModuleFacts
from ..analysis.loader import (
    LoadResult,
    Scanned,
    crash_message,
    default_jobs,
    file_keys,
    ignore_sigint,
    load_facts,
    without_gc,
)
from ..analysis.modules import module_name_for
from ..cache import CACHE_DIR_NAME, FactsCache, cache_key, run_key
from ..config import Overrides, build_settings, load_config
from ..diagnostics import Diagnostic, Fix, Span
from ..discovery import Discovery, discover, find_project_root
from ..fixes import FIXABLE_CODES, FixContext, FixOptions, FixOutcome
from ..fixes.model import AppliedFix
from ..notebooks import Notebook, is_notebook
from ..rules import ProjectContext, run_rules
from ..settings import Settings
from ..source import Source, SourceError, decode_source, overlay_source, read_source
from .cells import to_cells
from .incremental import Kept, LoadInputs, LoadState, SeedingState, reload_buffers, reusable_seeding
from .program_context import ProjectImports, fix_context
from .suppression import Suppression

__all__ = ["FileFix", "FixResult", "Report", "Workspace", "file_error", "protected_findings"]

_R = TypeVar("_R")
ERROR_CODE = "SDL900"
ERROR_NAME = "syntax-error"


def file_error(path: str, message: str) -> Diagnostic:
    """The one-line SDL900 diagnostic for a file that could not be read or analysed."""
    one_line = " ".join(message.split())
    return Diagnostic(path, Span(1, 1, 1, 1), ERROR_CODE, ERROR_NAME, one_line)


@dataclass(frozen=True)
class Report:
    diagnostics: tuple[Diagnostic, ...]  # sorted by path, line, column, code
    files: tuple[str, ...]  # the files reported on (absolute, sorted)
    root: str  # the folder relative patterns were resolved against


@dataclass(frozen=True)
class FileFix:
    """One file's planned rewrite."""

    path: str
    old_text: str
    new_text: str
    source: Source | None  # how to encode it back (None: a buffer, never written)
    applied: tuple[AppliedFix, ...]


@dataclass
class FixResult:
    files: list[FileFix] = field(default_factory=list)  # only files whose text changes
    # Findings that stay, with why (no fix, refused, file changed on disk, ...).
    unfixed: list[tuple[Diagnostic, str]] = field(default_factory=list)
    # Files planned but not written, with why (read-only, changed since analysed, ...).
    skipped: list[tuple[str, str]] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def applied(self) -> list[AppliedFix]:
        return [fix for file in self.files for fix in file.applied]


class Workspace:
    """See the module docstring.  Not thread-safe: a server serialises calls per workspace."""

    def __init__(
        self,
        root: str | os.PathLike[str] | None = None,
        settings: Settings | None = None,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        use_cache: bool = True,
        jobs: int | None = None,
        project_context: bool = True,
        noqa: bool = True,
    ) -> None:
        """`root`: the project folder (the rest of the project is read from it, and exclude
        and per-file-ignores patterns are relative to it); None: the nearest folder above the
        current one holding pyproject.toml or .git, else the current folder alone, without
        project context.  With `project_context`, the other Python files of the project are
        read too (only those that can matter), so that a seeding helper or an entry point
        elsewhere counts.  Facts are cached under `cache_dir` (default
        `<root>/.seedlint_cache`) unless `use_cache` is false.  Without `noqa`, `# noqa`
        comments are not applied: for a front end that applies them itself (flake8)."""
        if root is None:
            found = find_project_root()
            self.root = str(found) if found is not None else os.getcwd()
            project_context = project_context and found is not None
        else:
            self.root = os.path.abspath(root)
        self.settings = settings or Settings()
        self.jobs = jobs or default_jobs()
        self.project_context = project_context
        self.noqa = noqa
        self.cache: FactsCache | None = None
        if use_cache:
            folder = Path(cache_dir) if cache_dir is not None else Path(self.root) / CACHE_DIR_NAME
            self.cache = FactsCache(folder)
        self._overlays: dict[str, str] = {}
        self._project: Discovery | None = None  # the project's files, discovered once
        self._scans: dict[str, Scanned] = {}  # what earlier loads read, still current
        self._last: LoadResult | None = None
        self._imports: ProjectImports | None = None  # for fix contexts, per load
        self._analysed: dict[str, str] = {}  # see `analysed_keys`
        self._kept = Kept()  # recent loads and seeding analyses (`workspace.incremental`)
        self._inputs: LoadInputs | None = None  # of the last load

    @classmethod
    def from_config(
        cls,
        paths: Sequence[str | os.PathLike[str]] = (),
        *,
        config: str | os.PathLike[str] | None = None,
        overrides: Overrides | None = None,
        **options: object,
    ) -> Workspace:
        """A Workspace for `paths` configured as the command line is: the nearest
        pyproject.toml's ``[tool.seedlint]`` (or `config`), with `overrides` on top.  Raises
        `config.ConfigError` for a bad configuration."""
        file_config = load_config(paths, config)
        settings = build_settings(file_config, overrides)
        root = file_config.root or find_project_root(paths)
        if root is None:
            # No project around the paths: the current folder anchors patterns, and there is
            # no rest of the project to read.
            root, options = Path.cwd(), {**options, "project_context": False}
        return cls(root, settings, **options)  # type: ignore[arg-type]

    # --- buffers ------------------------------------------------------------------------------
    def set_overlay(self, path: str | os.PathLike[str], text: str) -> None:
        """Analyse `text` as the content of `path` (which need not exist) until cleared."""
        self._overlays[os.path.abspath(path)] = text

    def clear_overlay(self, path: str | os.PathLike[str]) -> None:
        self._overlays.pop(os.path.abspath(path), None)

    def overlay(self, path: str) -> str | None:
        return self._overlays.get(path)

    def analysed_keys(self) -> dict[str, str]:
        """Path -> content key (`cache.cache_key` of the bytes on disk, `loader.overlay_key`
        of a buffer) of each file as the last `check` or `fix` saw it (analysed, or proven
        unchanged by the results cache): a front end that answers later questions from that
        check (the flake8 plugin) compares texts against these."""
        return dict(self._analysed)

    def invalidate(self, paths: Iterable[str | os.PathLike[str]] | None = None) -> None:
        """Files changed on disk (None: anything may have): read them again next time.  A
        file created or deleted changes the project's file list, so that is listed again."""
        self._kept.clear()
        if paths is None:
            self._scans.clear()
            self._project = None
            return
        for path in paths:
            absolute = os.path.abspath(path)
            self._scans.pop(absolute, None)
            known = self._project is not None and absolute in self._project.files
            if known != os.path.exists(absolute):
                self._project = None

    # --- checking -----------------------------------------------------------------------------
    def _discover(
        self, paths: Sequence[str | os.PathLike[str]]
    ) -> tuple[list[str], list[str], Discovery]:
        """(files to report on, the project's other files, what discovery of `paths` said)."""
        buffers = [os.path.abspath(p) for p in paths if os.path.abspath(p) in self._overlays]
        on_disk = [p for p in paths if os.path.abspath(p) not in self._overlays]
        found = discover(on_disk, self.settings, root=self.root) if on_disk else Discovery(())
        report_on = sorted({*found.files, *buffers})
        context: list[str] = []
        if self.project_context:
            if self._project is None:
                if [os.path.abspath(p) for p in on_disk] == [self.root]:
                    self._project = found  # `check .` from the root: the same walk
                else:
                    self._project = discover([self.root], self.settings, root=self.root)
            reported = set(report_on)
            context = [p for p in self._project.files if p not in reported]
            context += [p for p in self._overlays if p not in reported and p not in context]
        return report_on, context, found

    def _explicit(self, paths: Sequence[str | os.PathLike[str]]) -> list[str]:
        """Files named directly (not found by walking a folder): always parsed, so that a
        syntax error there is always reported."""
        absolute = [os.path.abspath(p) for p in paths]
        return [p for p in absolute if p in self._overlays or os.path.isfile(p)]

    def check(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        describe_fixes: bool = False,
        fix_options: FixOptions | None = None,
        use_results_cache: bool = True,
    ) -> Report:
        """Diagnostics for the files and folders `paths` (buffers included), as `seedlint
        check` reports them.  With `describe_fixes`, each fixable diagnostic carries what
        `fix` would do with `fix_options` (`Diagnostic.fix`).  Raises `DiscoveryError` for a
        path that neither exists nor has a buffer."""
        report_on, context, found = self._discover(paths)
        explicit = self._explicit(paths)
        described = (
            f"{self.settings!r}\0{self.root}\0{sorted(explicit)}\0{sorted(found.errors)}"
            f"\0{describe_fixes}\0{fix_options!r}\0{self.noqa}"
        )
        python = self.settings.target_version
        use_results = self.cache is not None and use_results_cache
        # With no results stored (a first run), reading and hashing every file up front to
        # look them up would only repeat what loading does (measured: a fifth of the cost of
        # a first run on 20,000 files); the key is then made from what loading read.
        known: dict[str, str] = {}
        if self.cache is not None and use_results and self.cache.has_results():
            # An unchanged project under unchanged settings: the previous answer, from one file.
            keys = file_keys([*report_on, *context], self._overlays, python)
            previous = self.cache.get_results(run_key(described, keys, report_on))
            if previous is not None:
                self._analysed = dict(keys)
                return Report(tuple(previous), tuple(report_on), self.root)
            # Loading takes the files whose facts are cached by these keys, unread.
            known = dict(keys)
        diagnostics = self._check_loaded(
            report_on, context, explicit, found, describe_fixes, fix_options, known
        )
        diagnostics = self._to_cells(diagnostics)
        if self.cache is not None and use_results:
            # The keys of the contents analysed (a file changed since it was read gives a key
            # that no later run asks for).
            analysed = self._analysed
            unread = [path for path in [*report_on, *context] if path not in analysed]
            keys_of = {**analysed, **dict(file_keys(unread, self._overlays, python))}
            keys = [(path, keys_of[path]) for path in [*report_on, *context]]
            self.cache.put_results(run_key(described, keys, report_on), diagnostics)
        return Report(tuple(diagnostics), tuple(report_on), self.root)

    def _load(
        self,
        report_on: list[str],
        context: list[str],
        explicit: list[str],
        known_keys: Mapping[str, str] | None = None,
    ) -> LoadResult:
        python = self.settings.target_version
        inputs = (tuple(report_on), tuple(context), tuple(sorted(explicit)), python)

        def buffers_only(paths: list[str]) -> LoadResult:
            overlays = {path: self._overlays[path] for path in paths}
            return load_facts(
                paths, force_parse=paths, cache=self.cache, overlays=overlays, python=python
            )

        loaded = reload_buffers(self._kept.load(inputs), inputs, self._overlays, buffers_only)
        if loaded is None:
            loaded = load_facts(
                report_on,
                context,
                force_parse=explicit,
                cache=self.cache,
                jobs=self.jobs,
                overlays=self._overlays,
                reuse=self._scans,
                python=python,
                known_keys=known_keys,
            )
            if self.cache is not None and self.project_context and loaded.cached < len(loaded.keys):
                # The whole project was just loaded and something new was stored: entries of
                # contents no file has any more can go (`FactsCache.prune`).
                self.cache.prune(set(loaded.keys.values()))
        self._kept.keep_load(LoadState(inputs, dict(self._overlays), loaded))
        self._inputs = inputs
        # Files reported on are read again each time (they are what the user edits); the rest
        # of the project is kept until `invalidate`.
        reported = set(report_on)
        self._scans.update(
            (path, scan)
            for path, scan in loaded.scans.items()
            if path not in reported and path not in self._overlays
        )
        self._last = loaded
        self._analysed = dict(loaded.keys)
        return loaded

    def _check_loaded(
        self,
        report_on: list[str],
        context: list[str],
        explicit: list[str],
        found: Discovery,
        describe: bool,
        fix_options: FixOptions | None,
        known_keys: Mapping[str, str] | None = None,
    ) -> list[Diagnostic]:
        loaded = self._load(report_on, context, explicit, known_keys)
        self._imports = None
        checkable = [path for path in report_on if path in loaded.facts]
        strict, inputs = self.settings.strict, self._inputs
        assert inputs is not None
        kept = self._kept.seeding(inputs)
        project = ProjectContext(
            loaded.facts, self.settings, reusable_seeding(kept, loaded.facts, strict)
        )
        results = without_gc(lambda: _run_rules(loaded.facts, checkable, self.settings, project))
        report = project.seeding_if_computed
        if report is not None:
            self._kept.keep_seeding(inputs, SeedingState(loaded.facts, strict, report))
        suppression = Suppression(self.settings, self.root)
        diagnostics: list[Diagnostic] = []
        to_describe: list[tuple[list[Diagnostic], _FixJob]] = []
        for path in checkable:
            found_here = results.get(path, ())
            if found_here:
                # Only files with findings need their text again (for noqa comments).
                text = self._text(path)
                found_here = suppression.filter(path, found_here, text, noqa=self.noqa)
                job = None
                if describe and found_here and text is not None:
                    job = self._describe_job(
                        loaded.facts[path], found_here, fix_options, text, loaded
                    )
                if job is not None:
                    to_describe.append((found_here, job))
                else:
                    diagnostics.extend(found_here)
        jobs = [job for _, job in to_describe]
        for (found_here, _), fixes in zip(to_describe, self._in_pool(_describe, jobs), strict=True):
            # A planner bug (a str): no fix is announced; `fix` reports it per file.
            if not isinstance(fixes, dict):
                fixes = {}
            diagnostics.extend(
                replace(d, fix=fixes[(d.code, d.span)]) if (d.code, d.span) in fixes else d
                for d in found_here
            )
        for path, message in [*loaded.errors.items(), *found.errors]:
            diagnostics.extend(
                suppression.filter(path, [file_error(path, message)], None, noqa=self.noqa)
            )
        diagnostics.sort(key=Diagnostic.sort_key)
        return diagnostics

    def _source(self, path: str) -> Source | None:
        try:
            if path in self._overlays:
                return overlay_source(self._overlays[path], path)
            return read_source(path)
        except SourceError:
            return None

    def _describe_job(
        self,
        facts: ModuleFacts,
        diagnostics: list[Diagnostic],
        options: FixOptions | None,
        text: str,
        loaded: LoadResult,
    ) -> _FixJob | None:
        """What describing the fixes of one file needs: the very inputs `fix` plans it with
        (same findings to fix and to protect, same program context, same text), so that the
        announced fix (message, applicability) is the one `fix` makes with these options."""
        to_fix = [d for d in diagnostics if d.code in FIXABLE_CODES]
        if not to_fix:
            return None
        try:
            protected = protected_findings(facts, to_fix, self.settings)
            context = self.fix_context(facts.path, loaded)
        except Exception:  # a bug: no fix is announced (fix reports it per file)
            return None
        options = options or FixOptions()
        return _FixJob(facts.path, text, None, facts, to_fix, options, protected, context)

    def _text(self, path: str) -> str | None:
        source = self._source(path)
        return None if source is None else source.text

    def _notebook(self, path: str) -> Notebook | None:
        source = self._source(path)
        return None if source is None else source.notebook

    def notebook_position(
        self, path: str, cell: int, line: int, column: int
    ) -> tuple[int, int] | None:
        """Where a cell's (line, column) is in the notebook file's JSON text (1-based), for
        front ends whose viewers show the file itself; None when it cannot be found."""
        notebook = self._notebook(path)
        return None if notebook is None else notebook.file_position(cell, line, column)

    def _to_cells(
        self, diagnostics: list[Diagnostic], *, keep_order: bool = False
    ) -> list[Diagnostic]:
        """Positions in notebooks as (cell, line in cell), for front ends (`workspace.cells`)."""
        touched = any(
            is_notebook(d.path) or any(is_notebook(r.path) for r in d.related) for d in diagnostics
        )
        if not touched:
            return diagnostics
        return to_cells(diagnostics, self._notebook, keep_order=keep_order)

    # --- fixing -------------------------------------------------------------------------------
    def fix(
        self,
        paths: Sequence[str | os.PathLike[str]],
        options: FixOptions,
        *,
        write: bool = True,
        only: Collection[tuple[str, Span]] | None = None,
    ) -> FixResult:
        """Plan the fixes for every file under `paths`, then (with `write`) write them, each
        atomically.  Nothing is written before every file is planned, and a file that
        changed on disk since it was analysed, or cannot be written, is skipped with a
        message, never overwritten.  Buffers are planned but never written.  With `only`
        ((code, span) pairs), only those findings are fixed (an editor's quick fix for one
        finding); the other fixable findings are left alone, as suppressed ones are."""
        report_on, context, found = self._discover(paths)
        explicit = self._explicit(paths)
        diagnostics = self._check_loaded(report_on, context, explicit, found, False, None)
        loaded = self._last
        assert loaded is not None
        result = FixResult()
        by_path: dict[str, list[Diagnostic]] = {}
        for diagnostic in diagnostics:
            if diagnostic.code in FIXABLE_CODES and (
                only is None or (diagnostic.code, diagnostic.span) in only
            ):
                by_path.setdefault(diagnostic.path, []).append(diagnostic)
        # Plan every file before writing any: a failure in one is reported with its file, and
        # the others are still written whole (each atomically), never half.
        jobs = [
            job
            for path in sorted(by_path)
            if (job := self._prepare(path, by_path[path], loaded, options, result)) is not None
        ]
        for job, answer in zip(jobs, self._in_pool(_plan_job, jobs), strict=True):
            if isinstance(answer, str):
                self._failed(job.path, job.to_fix, answer, result)
                continue
            source = job.source
            if source is not None and source.notebook is not None and answer.new_text != job.text:
                try:  # the rewritten program must still map onto the notebook's cells
                    source.encode(answer.new_text)
                except SourceError as exc:
                    result.unfixed.extend((d, f"cannot fix notebook: {exc}") for d in job.to_fix)
                    continue
            result.unfixed.extend(answer.remaining)
            if answer.new_text != job.text:
                result.files.append(
                    FileFix(job.path, job.text, answer.new_text, job.source, tuple(answer.applied))
                )
        if result.unfixed:  # shown to the user: positions in notebooks as cells
            shown = self._to_cells([d for d, _ in result.unfixed], keep_order=True)
            result.unfixed = [
                (d, reason) for d, (_, reason) in zip(shown, result.unfixed, strict=True)
            ]
        if write:
            from ..fixes import write_atomically

            for planned in result.files:
                if planned.source is None:
                    continue
                reason = self._changed_since(planned.path, loaded.keys.get(planned.path, ""))
                if reason is None:
                    try:
                        write_atomically(Path(planned.path), planned.new_text, planned.source)
                    except OSError as exc:
                        reason = f"cannot write file: {exc.strerror or exc}"
                if reason is not None:
                    result.skipped.append((planned.path, reason))
                else:
                    result.written.append(planned.path)
            if result.written:
                self.invalidate(result.written)
        return result

    def _prepare(
        self,
        path: str,
        to_fix: list[Diagnostic],
        loaded: LoadResult,
        options: FixOptions,
        result: FixResult,
    ) -> _FixJob | None:
        """Everything planning one file needs (its text as analysed, the findings to fix and
        to protect, its program context), or None when it cannot be planned."""
        facts = loaded.facts[path]
        source: Source | None = None
        if path in self._overlays:
            try:
                text = overlay_source(self._overlays[path], path).text
            except SourceError as exc:
                result.unfixed.extend((d, f"cannot read file: {exc}") for d in to_fix)
                return None
        else:
            try:
                data = Path(path).read_bytes()
                source = decode_source(data, path)
            except (OSError, SourceError) as exc:
                reason = getattr(exc, "strerror", None) or str(exc)
                result.unfixed.extend((d, f"cannot read file: {reason}") for d in to_fix)
                return None
            if self._content_key(data, path) != loaded.keys.get(path):
                reason = "the file changed on disk while it was being analysed"
                result.unfixed.extend((d, reason) for d in to_fix)
                result.skipped.append((path, reason))
                return None
            text = source.text
        try:
            protected = protected_findings(facts, to_fix, self.settings)
            context = self.fix_context(path, loaded)
        except Exception as exc:  # one file's bug must not stop the others being fixed
            self._failed(path, to_fix, crash_message(exc), result)
            return None
        return _FixJob(path, text, source, facts, to_fix, options, protected, context)

    def _in_pool(self, work: Callable[[_FixJob], _R], jobs: list[_FixJob]) -> list[_R]:
        """`work` for every job: in the process pool when there is enough of it (libcst is
        most of the cost of `--fix`), biggest files first; results in the jobs' order."""
        if self.jobs <= 1 or len(jobs) < _PARALLEL_FIX_MIN_FILES:
            return [work(job) for job in jobs]
        import multiprocessing

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i].text))
        answers: dict[int, _R] = {}
        # Workers ignore Ctrl-C: the process group's SIGINT is the parent's to handle (it
        # leaves the pool, which terminates them).  A worker interrupted inside a task printed
        # its traceback, and one killed holding the result queue's lock hung the parent.
        with multiprocessing.get_context(method).Pool(self.jobs, ignore_sigint) as pool:
            items = [(work, i, jobs[i]) for i in order]
            for index, answer in pool.imap_unordered(_indexed, items):
                answers[index] = answer
        return [answers[i] for i in range(len(jobs))]

    @staticmethod
    def _failed(path: str, to_fix: list[Diagnostic], message: str, result: FixResult) -> None:
        message = message.replace("cannot analyse file", "cannot plan fixes")
        result.unfixed.extend((d, message) for d in to_fix)
        result.skipped.append((path, message))

    def fix_context(self, path: str, loaded: LoadResult) -> FixContext:
        """What the rest of the program does with the global generators the file's fixes
        would take draws off (see `program_context`)."""
        if self._imports is None:
            files = (
                list(self._project.files)
                if self.project_context and self._project is not None
                else list(loaded.facts)
            )
            files += [p for p in self._overlays if p not in files]
            self._imports = ProjectImports.scan(files, self._text)
        return fix_context(loaded.facts[path], loaded.facts, self._imports)

    def _content_key(self, data: bytes, path: str) -> str:
        return cache_key(data, module_name_for(path), self.settings.target_version)

    def _changed_since(self, path: str, key: str) -> str | None:
        """Why `path` must not be overwritten now (None: it is as it was analysed)."""
        try:
            data = Path(path).read_bytes()
            mode = os.stat(path).st_mode
        except OSError as exc:
            return f"cannot read file: {exc.strerror or exc}"
        if self._content_key(data, path) != key:
            return "the file changed on disk while it was being fixed"
        # A rename would replace a read-only file (only the folder's permission counts), and
        # root may write anything: the file's own write bits decide.
        if not mode & 0o222 or not os.access(path, os.W_OK):
            return "the file is read-only"
        return None


# Below this many files to plan, a pool costs more than it saves.
_PARALLEL_FIX_MIN_FILES = 4


@dataclass(frozen=True)
class _FixJob:
    path: str
    text: str
    source: Source | None
    facts: ModuleFacts
    to_fix: list[Diagnostic]
    options: FixOptions
    protected: list[Diagnostic]
    context: FixContext


def _plan_job(job: _FixJob) -> FixOutcome | str:
    """One file's plan, or the crash message (a bug in one file must not stop the others)."""
    from ..fixes import fix_source  # libcst: only when fixes are planned

    try:
        return fix_source(job.text, job.facts, job.to_fix, job.options, job.protected, job.context)
    except Exception as exc:
        return crash_message(exc)


def _describe(job: _FixJob) -> dict[tuple[str, Span], Fix] | str:
    """What `_plan_job` would do for each finding (message, applicability), or the crash."""
    from ..fixes import describe_fixes  # libcst: only when fixes are described

    try:
        return describe_fixes(
            job.facts,
            job.to_fix,
            job.options,
            text=job.text,
            protected=job.protected,
            context=job.context,
        )
    except Exception as exc:
        return crash_message(exc)


def _indexed(item: tuple[Callable[[_FixJob], _R], int, _FixJob]) -> tuple[int, _R]:
    work, index, job = item
    return index, work(job)


def protected_findings(
    facts: ModuleFacts, to_fix: Sequence[Diagnostic], settings: Settings
) -> list[Diagnostic]:
    """The module's fixable findings that are not to be fixed (deselected or suppressed): the
    fixer must leave their lines alone."""
    every_fixable = Settings(
        select=tuple(sorted(FIXABLE_CODES)),
        strict=settings.strict,
        target_version=settings.target_version,
    )
    raw = _run_rules({facts.path: facts}, [facts.path], every_fixable).get(facts.path, [])
    wanted = {(d.code, d.span) for d in to_fix}
    return [d for d in raw if (d.code, d.span) not in wanted]


def _run_rules(
    facts: Mapping[str, ModuleFacts],
    report_on: Sequence[str],
    settings: Settings,
    project: ProjectContext | None = None,
) -> dict[str, list[Diagnostic]]:
    """`rules.run_rules`, isolating a crash to the file(s) it happens in."""
    try:
        return run_rules(facts, report_on, settings, project)
    except Exception as exc:
        if len(report_on) == 1:
            return {report_on[0]: [file_error(report_on[0], crash_message(exc))]}
    results: dict[str, list[Diagnostic]] = {}
    for path in report_on:  # one at a time, to find which file(s) it was
        try:
            results.update(run_rules(facts, [path], settings, project))
        except Exception as exc:
            results[path] = [file_error(path, crash_message(exc))]
    return results
