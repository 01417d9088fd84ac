"""The server's view of the project(s): one `Workspace` per workspace folder.

Everything here runs on the server's one engine thread (a `Workspace` is not thread-safe);
nothing here knows about LSP messages.  Open buffers are the Workspace's overlays, so that
every other file's analysis sees the unsaved text (a seeding helper being edited counts for
the files that call it); files changed on disk are `invalidate`d.  The Workspace is the one
engine the command line uses too: a file's findings here are those `seedlint check` gives.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from ...analysis.loader import default_jobs
from ...config import ConfigError, FileConfig, build_settings, load_config
from ...diagnostics import Diagnostic, Span
from ...discovery import DiscoveryError
from ...fixes import FixOptions
from ...rules import ALL_RULES
from ...workspace import FileFix, Workspace
from .options import ClientOptions

__all__ = ["Folder", "Session"]

CONFIG_FILE = "pyproject.toml"
_MANY_FILES = 16
PROJECT_WIDE = frozenset(rule.code for rule in ALL_RULES if rule.project_wide)


@dataclass
class Folder:
    """One workspace folder (or, for a file outside every folder, that file's own folder,
    with no project context: nothing around it is read)."""

    path: str
    workspace: Workspace
    config_problem: str | None = None
    open_paths: set[str] = field(default_factory=set)
    # Whether the project has been read (by `warm` or a check): until then a buffer gets a
    # quick check of its own rules first (`quick_check`).
    warm: bool = False
    quick: Workspace | None = None  # used only by the quick-check thread


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class Session:
    def __init__(self, options: ClientOptions | None = None) -> None:
        self.options = options or ClientOptions()
        self.folders: dict[str, Folder] = {}
        self._loose: dict[str, Folder] = {}
        self._texts: dict[str, str] = {}  # open buffers, by absolute path

    # --- folders ---------------------------------------------------------------------------
    def _make(self, path: str, *, project: bool) -> Folder:
        problem = None
        try:
            file_config = load_config([path]) if project else FileConfig()
        except ConfigError as exc:
            problem, file_config = str(exc), FileConfig()
        settings = build_settings(file_config, self.options.overrides)
        # The folder is the project root even when the configuration comes from above it: the
        # server reads only files inside its workspace folders.
        workspace = Workspace(path, settings, use_cache=project, project_context=project)
        # Without a project there is nothing to index.
        return Folder(path, workspace, problem, warm=not project)

    def add_folder(self, path: str) -> Folder:
        path = os.path.abspath(path)
        if path not in self.folders:
            self.folders[path] = self._make(path, project=True)
            for open_path, text in self._texts.items():
                if self.folder_for(open_path).path == path:
                    self._attach(open_path, text)
        return self.folders[path]

    def remove_folder(self, path: str) -> None:
        folder = self.folders.pop(os.path.abspath(path), None)
        if folder is not None:
            for open_path in list(folder.open_paths):
                self._attach(open_path, self._texts[open_path])

    def folder_for(self, path: str) -> Folder:
        """The innermost workspace folder holding `path`, else a folder of its own."""
        best = max(
            (f for f in self.folders.values() if _inside(path, f.path)),
            key=lambda f: len(f.path),
            default=None,
        )
        if best is not None:
            return best
        parent = os.path.dirname(path)
        if parent not in self._loose:
            self._loose[parent] = self._make(parent, project=False)
        return self._loose[parent]

    def peek(self, path: str) -> Folder | None:
        """The workspace folder holding `path`, if any (creates nothing: safe off the engine
        thread)."""
        return max(
            (f for f in list(self.folders.values()) if _inside(path, f.path)),
            key=lambda f: len(f.path),
            default=None,
        )

    def all_folders(self) -> list[Folder]:
        return [*self.folders.values(), *self._loose.values()]

    def reconfigure(self, options: ClientOptions | None = None) -> None:
        """New client options (or a changed pyproject.toml): every Workspace afresh."""
        if options is not None:
            self.options = options
        for path in list(self.folders):
            self.folders[path] = self._make(path, project=True)
        self._loose.clear()
        for open_path, text in self._texts.items():
            self._attach(open_path, text)

    # --- buffers ---------------------------------------------------------------------------
    def _attach(self, path: str, text: str) -> Folder:
        folder = self.folder_for(path)
        for other in self.all_folders():
            if other is not folder and path in other.open_paths:
                other.open_paths.discard(path)
                other.workspace.clear_overlay(path)
        folder.open_paths.add(path)
        folder.workspace.set_overlay(path, text)
        return folder

    def update(self, path: str, text: str) -> Folder:
        self._texts[path] = text
        return self._attach(path, text)

    def close(self, path: str) -> Folder:
        self._texts.pop(path, None)
        folder = self.folder_for(path)
        folder.open_paths.discard(path)
        folder.workspace.clear_overlay(path)
        return folder

    def text(self, path: str) -> str | None:
        return self._texts.get(path)

    def files_changed(self, paths: Iterable[str]) -> set[str]:
        """Files changed, created or deleted on disk: read again next time.  A changed
        pyproject.toml reconfigures.  Returns the folders affected."""
        affected: set[str] = set()
        python: list[str] = []
        for path in map(os.path.abspath, paths):
            if os.path.basename(path) == CONFIG_FILE:
                self.reconfigure()
                return {f.path for f in self.all_folders()}
            python.append(path)
        for folder in self.all_folders():
            inside = [p for p in python if _inside(p, folder.path)]
            if inside:
                folder.workspace.invalidate(inside)
                affected.add(folder.path)
                if len(inside) >= _MANY_FILES:  # a branch switched: read them in parallel
                    folder.workspace.jobs = default_jobs()
        return affected

    # --- checking and fixing ---------------------------------------------------------------
    def check(self, folder: Folder, paths: list[str]) -> dict[str, list[Diagnostic]]:
        """Diagnostics of the given open buffers of `folder`, by path."""
        found: dict[str, list[Diagnostic]] = {path: [] for path in paths}
        if not paths:
            return found
        try:
            # The results cache hashes every project file per call: not worth it per keystroke.
            report = folder.workspace.check(paths, use_results_cache=False)
        except DiscoveryError:
            return found
        self._indexed(folder)
        for diagnostic in report.diagnostics:
            found.setdefault(diagnostic.path, []).append(diagnostic)
        return found

    def warm(self, folder: Folder) -> None:
        """Read the project (facts of every file that can matter, from the shared cache where
        it has them), so that the first check of a file does not have to."""
        folder.workspace.check([], use_results_cache=False)
        self._indexed(folder)

    @staticmethod
    def _indexed(folder: Folder) -> None:
        """The project has been read: from now on a check reads little (the buffer, and the
        modules programs reach, from the cache), too little to be worth starting a process
        pool for on a keystroke."""
        folder.warm = True
        folder.workspace.jobs = 1

    @staticmethod
    def quick_check(folder: Folder, path: str, text: str) -> list[Diagnostic]:
        """(the quick-check thread) The buffer's findings from the rules that need no other
        file, the project unread: what can be shown while the index is still being built.
        The project-wide rules (SDL001, SDL002) are left out rather than guessed."""
        if folder.quick is None:
            folder.quick = Workspace(
                folder.path, folder.workspace.settings, use_cache=False, project_context=False
            )
        folder.quick.set_overlay(path, text)
        try:
            report = folder.quick.check([path], use_results_cache=False)
        except DiscoveryError:
            return []
        finally:
            folder.quick.clear_overlay(path)
        return [d for d in report.diagnostics if d.code not in PROJECT_WIDE]

    def fix(
        self,
        path: str,
        options: FixOptions,
        only: Iterable[tuple[str, Span]] | None = None,
    ) -> FileFix | None:
        """The open buffer `path` rewritten by the fixer (`only` those findings, else all its
        fixable ones); None when nothing changes.  Never writes anything."""
        folder = self.folder_for(path)
        wanted = None if only is None else set(only)
        result = folder.workspace.fix([path], options, write=False, only=wanted)
        return next((f for f in result.files if f.path == path), None)
