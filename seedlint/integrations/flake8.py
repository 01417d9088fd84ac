"""The flake8 plugin: ``flake8 --select SDL`` (registered under ``flake8.extension``, prefix SDL).

A thin adapter over `seedlint.workspace.Workspace`, so that a file's findings are exactly what
``seedlint check`` reports for it, cross-file seeding facts included:

* one Workspace per project root and per process, configured from pyproject.toml the way the
  command line is.  A project is analysed once per flake8 run, as ``seedlint check ROOT``
  analyses it (through the shared facts cache), and each file whose text is what was analysed
  gets its findings from that; a file's seeding findings depend on every program of the
  project, so analysing the project again for each file would cost a project analysis per
  file.  The projects of the paths on flake8's command line are analysed in flake8's main
  process before flake8 forks its ``-j N`` workers, which inherit the result; other projects
  are set up lazily in the worker that meets them;
* the file is analysed from the `lines` flake8 hands over (an overlay over the file on disk),
  never read again from disk: editors pipe unsaved buffers through
  ``flake8 --stdin-display-name PATH -``;
* files that name no random API at all (`analysis.prefilter`) cost one substring scan of the
  lines and build nothing: flake8 runs every plugin on every file, whatever ``--select`` says.

Suppression belongs to flake8 under flake8.  Its ``--select/--extend-select/--ignore``,
``--per-file-ignores``, ``# noqa`` (with its own rules for multi-line statements) and
``--disable-noqa`` decide what is shown, so the plugin yields every finding: the
``select``/``ignore``/``extend-select``/``per-file-ignores`` of ``[tool.seedlint]`` and
seedlint's own ``# noqa`` handling are not applied (applying them too would hide findings
that flake8's configuration asks for, with no way to get them back from flake8).
``# seedlint: skip-file``, which flake8 does not know, still skips the file; ``exclude``
still shapes which other files count as the project; ``strict`` and ``target-version`` come
from ``[tool.seedlint]`` unless ``--seedlint-strict`` / ``--seedlint-target-version`` (or
``seedlint-strict`` / ``seedlint-target-version`` in flake8's configuration) say otherwise.

Columns: seedlint's are 1-based, flake8 adds one to what a plugin yields, so the plugin
yields column - 1 and flake8 prints the same line:column as ``seedlint check``.

This module imports only the prefilter at import time: flake8 imports every plugin on every
run, and the engine (and libcst) are loaded only when a file needs them.
"""

from __future__ import annotations

import argparse
import ast
import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..analysis.prefilter import classify

if TYPE_CHECKING:
    from ..config import Overrides
    from ..diagnostics import Diagnostic
    from ..workspace import Workspace

__all__ = ["SeedlintChecker"]

Result = tuple[int, int, str, type[Any]]


class SeedlintChecker:
    """flake8's tree-plugin protocol: constructed per file, `run` yields the findings."""

    name = "seedlint"
    version = __version__

    # From flake8's options (`parse_options`); None: as [tool.seedlint] says.
    strict: bool | None = None
    target_version: tuple[int, int] | None = None
    # One buffer on standard input (an editor): analysed with the rest of the project, never
    # through a whole-project analysis first (that would analyse the project twice).
    from_stdin: bool = False

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str) -> None:
        # `tree` is what makes flake8 treat this as an AST plugin (run once per file, and not
        # on files flake8 cannot parse: those get flake8's E999).  The engine parses the text
        # itself (`ast` facts are cached by content), so the tree is not used.
        del tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            "--seedlint-strict",
            action="store_true",
            default=None,
            parse_from_config=True,
            help="seedlint: also report draws seeded on some paths but not all "
            "(default: `strict` of [tool.seedlint] in pyproject.toml, else off)",
        )
        manager.add_option(
            "--seedlint-target-version",
            metavar="VERSION",
            default=None,
            parse_from_config=True,
            help="seedlint: the Python version the code runs on, py310 ... py314 "
            "(default: `target-version` of [tool.seedlint], else the running Python)",
        )

    @classmethod
    def parse_options(
        cls, manager: Any, options: argparse.Namespace, args: Sequence[str] = ()
    ) -> None:
        from ..config import ConfigError, parse_target_version

        cls.strict = options.seedlint_strict
        value = options.seedlint_target_version
        try:
            cls.target_version = (
                None
                if value is None
                else parse_target_version(value, path=None, key="--seedlint-target-version")
            )
        except ConfigError as exc:
            manager.parser.error(str(exc))  # exits with flake8's usage message, status 2
        _reset()  # options changed (tests call flake8 in-process more than once)
        filenames = list(getattr(options, "filenames", None) or args or ["."])
        cls.from_stdin = "-" in filenames
        if not cls.from_stdin:
            # flake8 -j N forks its workers after this: analyse the projects of the paths
            # given here now, once (with seedlint's own processes), instead of once in every
            # worker.  (Not for a buffer on stdin: that is analysed with the buffer.)
            for name in filenames:
                path = os.path.abspath(name)
                try:
                    folder = path if os.path.isdir(path) else os.path.dirname(path)
                    _project_for_folder(folder).analyse()
                except Exception:  # reported where it matters, for the file, by `run`
                    pass

    def run(self) -> Iterator[Result]:
        text = "".join(self.lines)
        if classify(text, self.filename) == "none":
            return  # nothing seedlint looks for: no engine, no project, no parse
        yield from (
            (line, column - 1, message, type(self))
            for line, column, message in findings(self.filename, text)
        )


# --- the per-process engine -------------------------------------------------------------------


class _Project:
    """One project root's Workspace in this process, and what `seedlint check ROOT` reports
    for the whole project (computed once, on first need).

    flake8 checks a project file by file, and a file's seeding findings depend on every
    program of the project: analysing the project again for each file would cost a whole
    project analysis per file.  So the project is analysed once, and a file whose text is
    exactly what was analysed (same content key: the buffer is the file on disk, as when
    flake8 reads files) gets that analysis's findings; any other buffer (an editor's unsaved
    text) is analysed on its own, over the rest of the project, as ``seedlint check
    --stdin-filename PATH -`` does."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._findings: dict[str, list[Diagnostic]] | None = None
        self._keys: dict[str, str] = {}

    def _use_processes(self) -> None:
        # Set at each use: a Workspace built in flake8's main process may be used in a worker
        # forked from it later.
        self.workspace.jobs = _jobs()

    def analyse(self) -> None:
        if self._findings is not None or not self.workspace.project_context:
            return
        self._use_processes()
        report = self.workspace.check([self.workspace.root])
        self._keys = self.workspace.analysed_keys()
        self._findings = {path: [] for path in report.files}
        for diagnostic in report.diagnostics:
            self._findings.setdefault(diagnostic.path, []).append(diagnostic)

    def check(self, path: str, text: str) -> list[Diagnostic]:
        if self.workspace.project_context and not SeedlintChecker.from_stdin:
            from ..analysis.modules import module_name_for
            from ..cache import cache_key

            self.analyse()
            if path in self._keys:
                data = text.encode("utf-8", "surrogatepass")
                python = self.workspace.settings.target_version
                if cache_key(data, module_name_for(path), python) == self._keys[path]:
                    assert self._findings is not None
                    return self._findings.get(path, [])
        workspace = self.workspace
        self._use_processes()
        workspace.set_overlay(path, text)
        try:
            # The results cache's key hashes every file of the project: worth it for the one
            # buffer of a stdin run (an unchanged buffer in an unchanged project is answered
            # from one cache file), not on every file of a run over many.
            report = workspace.check([path], use_results_cache=SeedlintChecker.from_stdin)
        finally:
            workspace.clear_overlay(path)
        return [d for d in report.diagnostics if d.path == path]


# This process's projects: by root and configuration file, and which one serves each folder
# (finding the configuration reads pyproject.toml files, once per folder).  A worker that
# flake8 forks (-j N) inherits what the parent had built (see `SeedlintChecker.parse_options`)
# and creates the others itself, lazily.
_projects: dict[tuple[str, str], _Project] = {}
_by_folder: dict[str, _Project] = {}


def _reset() -> None:
    _projects.clear()
    _by_folder.clear()


def _overrides() -> Overrides:
    from ..config import Overrides

    return Overrides(strict=SeedlintChecker.strict, target_version=SeedlintChecker.target_version)


def project_for(path: str) -> _Project:
    """The project the file `path` belongs to (its Workspace created on first use)."""
    return _project_for_folder(os.path.dirname(path))


def _project_for_folder(folder: str) -> _Project:
    found = _by_folder.get(folder)
    if found is not None:
        return found
    from ..config import build_settings, load_config
    from ..discovery import find_project_root
    from ..workspace import Workspace

    config = load_config([folder])
    root = config.root or find_project_root([folder])
    key = (str(root) if root is not None else os.getcwd(), str(config.path or ""))
    project = _projects.get(key)
    if project is None:
        settings = build_settings(config, _overrides())
        # flake8 selects and suppresses (see the module docstring): every rule, no ignores.
        settings = replace(
            settings,
            select=("SDL",),
            ignore=(),
            extend_select=(),
            per_file_ignores=(),
        )
        workspace = Workspace(
            key[0],
            settings,
            project_context=root is not None,
            noqa=False,
            jobs=_jobs(),
        )
        project = _projects[key] = _Project(workspace)
    _by_folder[folder] = project
    return project


def _jobs() -> int:
    """Processes the Workspace may parse the project with: one inside flake8's worker
    processes (daemonic: they may not start their own), else the default."""
    import multiprocessing

    from ..analysis.loader import default_jobs

    return 1 if multiprocessing.current_process().daemon else default_jobs()


def findings(filename: str, text: str) -> list[tuple[int, int, str]]:
    """(line, 1-based column, "CODE message") for the file `filename` whose text is `text`,
    as `seedlint check` reports them (every rule, no `# noqa` applied)."""
    from ..reporters.text import message_with_citation

    path = os.path.abspath(filename)
    return [
        (d.line, d.column, f"{d.code} {message_with_citation(d)}")
        for d in project_for(path).check(path, text)
    ]
