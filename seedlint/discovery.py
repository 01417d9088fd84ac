"""Command-line paths -> the Python files to check.

* Folders are walked for ``*.py`` files and Jupyter notebooks (``*.ipynb``), in a
  deterministic (sorted) order.
* Skipped while walking: what ``.gitignore`` files ignore (gitignore semantics via `pathspec`;
  each file applies to its own folder and below, deeper files win, an ignored folder is not
  entered), the usual tool and environment folders (`DEFAULT_EXCLUDE`, replaced by the
  ``exclude`` setting like ruff's), and the ``extend-exclude`` globs.  Exclude patterns are
  gitignore-style globs relative to the project root: ``name`` matches at any depth,
  ``dir/sub`` is anchored to the root.
* What is named on the command line is always checked: a file even when it is excluded,
  ignored or not a ``.py`` file; a folder even when it is itself excluded (its contents are
  still filtered).
* Symbolic links to folders are not followed while walking (no cycles, no duplicates); a link
  named ``*.py`` is a file to check, so a broken one is reported when it is read.
* A path on the command line that does not exist raises `DiscoveryError`; a folder that cannot
  be listed while walking is recorded in `Discovery.errors` and the walk goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pathspec import GitIgnoreSpec
from pathspec.pattern import Pattern

from .settings import Settings
from .source import describe_os_error

__all__ = [
    "DEFAULT_EXCLUDE",
    "Discovery",
    "DiscoveryError",
    "discover",
    "find_project_root",
    "relative_posix",
]

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "build",
    "dist",
    "__pycache__",
    "node_modules",
    "site-packages",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".seedlint_cache",
    ".eggs",
    "*.egg-info",
    ".ipynb_checkpoints",  # Jupyter's autosaved copies of notebooks
)

# What a folder walk checks: Python files and Jupyter notebooks (`seedlint.notebooks`).
CHECKED_SUFFIXES = (".py", ".ipynb")

_ROOT_MARKERS = ("pyproject.toml", ".git", ".hg")


class DiscoveryError(Exception):
    """A path given on the command line does not exist."""


@dataclass(frozen=True)
class Discovery:
    files: tuple[str, ...]  # absolute paths, sorted, no duplicates
    # (absolute path, one-line message) for what could not be listed while walking.
    errors: tuple[tuple[str, str], ...] = ()


def relative_posix(path: str, base: str) -> str | None:
    """`path` relative to the folder `base` with "/" separators, or None when it is not
    inside `base` (both absolute)."""
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return None
    return "" if rel == os.curdir else rel.replace(os.sep, "/")


def find_project_root(paths: Sequence[str | os.PathLike[str]] = ()) -> Path | None:
    """The nearest folder holding pyproject.toml, .git or .hg, upwards from the common folder
    of `paths` (the current directory when there are none); None when there is none."""
    folders = []
    for path in paths or (os.getcwd(),):
        absolute = os.path.abspath(path)
        folders.append(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))
    try:
        common = Path(os.path.commonpath(folders))
    except ValueError:  # different drives
        common = Path(folders[0])
    for folder in (common, *common.parents):
        if any((folder / marker).exists() for marker in _ROOT_MARKERS):
            return folder
    return None


def _patterns(lines: Iterable[str]) -> list[Pattern]:
    return [p for p in GitIgnoreSpec.from_lines(list(lines)).patterns if p.include is not None]


def _matches(pattern: Pattern, rel: str) -> bool:
    return pattern.match_file(rel) is not None


def _read_gitignore(folder: str) -> list[Pattern]:
    try:
        with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as f:
            return _patterns(f.read().splitlines())
    except OSError:  # unreadable .gitignore: as if there were none (git does the same)
        return []
    except ValueError:  # a line pathspec cannot compile; git would skip it too
        return []


def _dir_key(rel: str) -> str:
    return rel + "/" if rel else ""


def _ancestor_keys(rel: str) -> list[str]:
    """ "a/b/c" -> ["a/", "a/b/", "a/b/c/"]: the folder itself and its parents."""
    parts = rel.split("/") if rel else []
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _not_matching_top(patterns: list[Pattern], top_rel: str | None) -> list[Pattern]:
    """Drop the patterns that match the explicitly given folder (or a folder above it): the
    folder is checked anyway, and such a pattern would otherwise match all it contains."""
    if not top_rel:
        return patterns
    keys = _ancestor_keys(top_rel)
    return [p for p in patterns if not any(_matches(p, key) for key in keys)]


@dataclass
class _IgnoreFile:
    base: str  # absolute folder the patterns are relative to
    patterns: list[Pattern]


def _git_ignored(stack: list[_IgnoreFile], path: str, is_dir: bool) -> bool:
    """gitignore semantics: the last matching pattern of the deepest file that has one decides
    (a `!negation` re-includes)."""
    for ignore in reversed(stack):
        rel = relative_posix(path, ignore.base)
        if not rel:
            continue
        key = rel + "/" if is_dir else rel
        for pattern in reversed(ignore.patterns):
            if _matches(pattern, key):
                return bool(pattern.include)
    return False


class _Walker:
    def __init__(self, settings: Settings, root: str) -> None:
        self.root = root
        self.exclude_lines = tuple(settings.exclude or DEFAULT_EXCLUDE) + tuple(
            settings.extend_exclude
        )
        self.files: set[str] = set()
        self.errors: list[tuple[str, str]] = []

    def _outer_ignores(self, top: str) -> list[_IgnoreFile]:
        """The .gitignore files of the folders above `top`, up to the repository root (the
        nearest folder with .git) or else the project root, outermost first."""
        if os.path.exists(os.path.join(top, ".git")):
            return []  # `top` is a repository root: nothing above it applies
        chain: list[str] = []
        folder = os.path.dirname(top)
        repo_found = False
        while True:
            chain.append(folder)
            if os.path.exists(os.path.join(folder, ".git")):
                repo_found = True
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        if not repo_found:
            chain = [f for f in chain if relative_posix(f, self.root) is not None]
        stack = []
        for folder in reversed(chain):
            patterns = _read_gitignore(folder)
            if patterns:
                top_rel = relative_posix(top, folder)
                stack.append(_IgnoreFile(folder, _not_matching_top(patterns, top_rel)))
        return stack

    def walk(self, top: str) -> None:
        base = self.root if relative_posix(top, self.root) is not None else top
        top_rel = relative_posix(top, base)
        exclude = _not_matching_top(_patterns(self.exclude_lines), top_rel)
        outer = self._outer_ignores(top)
        pending: list[tuple[str, list[_IgnoreFile]]] = [(top, outer)]
        while pending:
            folder, inherited = pending.pop()
            try:
                with os.scandir(folder) as scan:
                    entries = sorted(scan, key=lambda e: e.name)
            except OSError as exc:
                self.errors.append(
                    (folder, f"cannot read directory: {describe_os_error(folder, exc)}")
                )
                continue
            stack = inherited
            if any(e.name == ".gitignore" for e in entries):
                own = _read_gitignore(folder)
                if own:
                    stack = [*inherited, _IgnoreFile(folder, own)]
            subfolders = []
            for entry in entries:
                path = os.path.join(folder, entry.name)
                try:
                    is_link = entry.is_symlink()
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError as exc:
                    self.errors.append((path, f"cannot read file: {describe_os_error(path, exc)}"))
                    continue
                if not is_dir and not entry.name.endswith(CHECKED_SUFFIXES):
                    continue
                if is_link and not entry.name.endswith(CHECKED_SUFFIXES):
                    continue
                rel = relative_posix(path, base) or entry.name
                key = rel + "/" if is_dir else rel
                if any(_matches(p, key) for p in exclude):
                    continue
                if _git_ignored(stack, path, is_dir):
                    continue
                if is_dir:
                    subfolders.append(path)
                else:
                    self.files.add(path)
            # Reverse so that popping visits folders in sorted order (the result is sorted
            # anyway; this keeps the walk itself predictable).
            pending.extend((sub, stack) for sub in reversed(subfolders))


def discover(
    paths: Sequence[str | os.PathLike[str]],
    settings: Settings | None = None,
    *,
    root: str | os.PathLike[str] | None = None,
) -> Discovery:
    """The files to check for the command-line `paths` (see the module docstring).  `root` is
    the folder exclude patterns are relative to (default: `find_project_root(paths)`, else
    the current directory)."""
    settings = settings or Settings()
    if root is None:
        root = find_project_root(paths) or os.getcwd()
    walker = _Walker(settings, os.path.abspath(root))
    missing = [str(p) for p in paths if not os.path.lexists(os.path.abspath(p))]
    if missing:
        raise DiscoveryError("no such file or directory: " + ", ".join(missing))
    for path in paths:
        absolute = os.path.abspath(path)
        if os.path.isdir(absolute):
            walker.walk(absolute)
        else:
            walker.files.add(absolute)
    return Discovery(files=tuple(sorted(walker.files)), errors=tuple(sorted(walker.errors)))
