#!/usr/bin/env python3
"""Time seedlint against ruff (NPY002 + S311) and flake8 on the code of installed packages.

    python benchmarks/run.py                  # full run: torch, sklearn, numpy, transformers
    python benchmarks/run.py --quick          # numpy only, one round, no flake8
    python benchmarks/run.py --json out.json  # also write every raw timing

Standard library only; seedlint, ruff and flake8 run as subprocess commands.  Unix only
(`os.wait4`, `/proc` for the process-tree memory samples).  See benchmarks/README.md for what
is measured and how to read the table.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import FrameType
from typing import Any

DEFAULT_PACKAGES = ("torch", "sklearn", "numpy", "transformers")
#: The issue asks for at least these; a missing one is reported, not fatal.
REQUIRED_PACKAGES = ("torch", "sklearn", "numpy")
QUICK_PACKAGES = ("numpy",)

#: Folder names that seedlint, ruff or flake8 skip by default.  They are not copied into the
#: corpus, so that every tool checks the same files.
EXCLUDED_DIRS = frozenset(
    {
        ".bzr",
        ".direnv",
        ".eggs",
        ".git",
        ".git-rewrite",
        ".hg",
        ".ipynb_checkpoints",
        ".mypy_cache",
        ".nox",
        ".pants.d",
        ".pyenv",
        ".pytest_cache",
        ".pytype",
        ".ruff_cache",
        ".seedlint_cache",
        ".svn",
        ".tox",
        ".venv",
        ".vscode",
        "CVS",
        "__pycache__",
        "__pypackages__",
        "_build",
        "buck-out",
        "build",
        "dist",
        "node_modules",
        "site-packages",
        "venv",
    }
)
EXCLUDED_DIR_SUFFIXES = (".egg-info", ".egg")

#: A file "uses random APIs" when it matches this (used to pick the single-file samples).
RANDOM_API = re.compile(
    rb"\bnp\.random\.|\bnumpy\.random\.|\btorch\.(?:rand|randn|randint|randperm|normal|bernoulli"
    rb"|multinomial|manual_seed)\b|\brandom\.(?:random|randint|randrange|choice|choices|shuffle"
    rb"|seed|uniform|sample|gauss)\("
)

#: Single-file size classes: name -> (target lines, smallest, largest).
SIZE_CLASSES: dict[str, tuple[int, int, int]] = {
    "100": (100, 60, 160),
    "1000": (1000, 700, 1400),
    "3000": (3000, 2100, 4200),
}

TARGET_COLD_VS_RUFF = 10.0
TARGET_SINGLE_FILE_S = 0.150
TARGET_SINGLE_FILE_CLASS = "3000"
TARGET_MEMORY_MB = 500.0
#: Peak memory on the whole corpus / on a subset with the same largest file and at most half
#: the files: more files must not mean more memory (the largest file sets the peak).
TARGET_MEMORY_GROWTH = 1.25
# `check --diff` (the whole --fix pipeline, writing nothing) against a cold `check` (issue 14).
TARGET_DIFF_VS_CHECK = 3.0
FIX_SIZES = (2000, 4000, 8000, 16000)  # lines: the --diff size curve (linear in file size?)
FIX_SIZES_QUICK = (250, 500, 1000, 2000)

RUFF_RULES = "NPY002,S311"
FLAKE8_RULES = "E,W,F"

#: Measurements on the whole corpus, in the order of the warm-up round (round 0).
MEASUREMENT_KEYS = (
    "seedlint_cold_j1",
    "seedlint_cold_j2",
    "seedlint_cache_empty_j2",
    "seedlint_warm_j2",
    "seedlint_warm_touched_j2",
    "ruff_cold",
    "ruff_cached",
    "flake8",
)
LATENCY_TOOLS = ("seedlint", "ruff")

FOUND_RE = re.compile(r"^Found (\d+) errors?\b", re.MULTILINE)
FINDING_LINE_RE = re.compile(r"^.+?:\d+:\d+: [A-Z]+\d+\b", re.MULTILINE)

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
PROC_AVAILABLE = Path("/proc/self/statm").exists()
#: Tree RSS during the timed runs (/proc/PID/statm costs ~15 us per process).
RSS_INTERVAL_S = 0.01
#: Tree PSS during the untimed memory round (/proc/PID/smaps_rollup costs ~4 ms per 300 MB).
PSS_INTERVAL_S = 0.02
GNU_TIME = "/usr/bin/time"


def log(message: str) -> None:
    """Progress goes to stderr, so that stdout holds only the report."""
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- running children


@dataclass
class Sample:
    """One run of one command."""

    seconds: float
    #: Peak RSS of the largest single process of the child's tree (the command, or a worker it
    #: waited for), from GNU time's %M (see peak_method); None when not measured.
    peak_rss_mb: float | None
    #: Peak of the summed RSS of the command's process tree, sampled (None: not sampled).
    tree_rss_mb: float | None
    returncode: int | None
    #: Peak of the summed PSS of the tree, sampled (memory round only).
    tree_pss_mb: float | None = None
    findings: int | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "peak_rss_mb": self.peak_rss_mb,
            "tree_rss_mb": self.tree_rss_mb,
            "tree_pss_mb": self.tree_pss_mb,
            "returncode": self.returncode,
            "findings": self.findings,
            "error": self.error,
        }


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return found


def _process_memory(pid: int, pss: bool) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes; PSS is 0 unless asked for."""
    if pss:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
            kb = [int(fields[name].split()[0]) * 1024 for name in ("Rss", "Pss")]
            return kb[0], kb[1]
        except (OSError, ValueError, KeyError, IndexError):
            pass
    try:
        with open(f"/proc/{pid}/statm") as handle:
            rss = int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0, 0
    return rss, rss if pss else 0


def tree_memory(root: int, pss: bool) -> tuple[int, int]:
    """Summed (RSS, PSS) of `root` and its descendants, from /proc."""
    rss_total = pss_total = 0
    seen: set[int] = set()
    stack = [root]
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        rss, pss_bytes = _process_memory(pid, pss)
        rss_total += rss
        pss_total += pss_bytes
        stack.extend(_children(pid))
    return rss_total, pss_total


class TreeSampler:
    """Samples the summed RSS (and PSS) of a process tree in a background thread."""

    def __init__(self, pid: int, pss: bool) -> None:
        self.pid = pid
        self.pss = pss
        self.interval = PSS_INTERVAL_S if pss else RSS_INTERVAL_S
        self.peak_rss = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            rss, pss = tree_memory(self.pid, self.pss)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            if self._stop.wait(self.interval):
                return

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def probe_gnu_time() -> str | None:
    """GNU time, if it is there and `-f %M -o FILE` works.

    Why not os.wait4's ru_maxrss: Linux records the high-water RSS of the memory image a
    process replaces at exec, and a child is forked (or vforked) from this script, so the
    ru_maxrss of every child is at least this script's own peak RSS (~100 MB after reading
    the corpus).  GNU time is a small C program: the floor it adds is its own ~2 MB.
    """
    if not os.access(GNU_TIME, os.X_OK):
        return None
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder, "rss")
        argv = [GNU_TIME, "-f", "%M", "-o", str(out), sys.executable, "-c", "pass"]
        try:
            subprocess.run(argv, capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        value = _last_int(out)
    return GNU_TIME if value is not None and value > 1000 else None


def _last_int(path: Path) -> int | None:
    """The number on the last line of GNU time's -o file (earlier lines may say "Command
    exited with non-zero status N")."""
    try:
        lines = path.read_text(errors="replace").split()
        return int(lines[-1])
    except (OSError, ValueError, IndexError):
        return None


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _tail(path: Path, limit: int = 400) -> str:
    try:
        text = path.read_text(errors="replace").strip()
    except OSError:
        return ""
    return " ".join(text[-limit:].split())


def count_findings(text: str) -> int:
    """Findings in a text report: the `Found N errors.` line (seedlint, ruff) or one per line
    of the form `path:line:col: CODE ...` (flake8)."""
    found = FOUND_RE.findall(text)
    if found:
        return int(found[-1])
    return len(FINDING_LINE_RE.findall(text))


def run_child(
    argv: Sequence[str],
    *,
    cwd: Path,
    timeout: float,
    stdout_path: Path,
    ok_codes: Iterable[int],
    gnu_time: str | None = None,
    tree: str | None = None,
) -> Sample:
    """Run one command, timed with perf_counter from before its start to os.wait4's return.

    gnu_time: wrap the command in GNU time to measure its peak RSS (adds ~1 ms).
    tree: "rss" or "pss" to sample the memory of its process tree; None not to.
    The command runs in its own session; on timeout its whole process group is killed, and
    leftovers in the group (orphaned workers) are killed once it exits.
    """
    stderr_path = stdout_path.with_suffix(".err")
    rss_path = stdout_path.with_suffix(".rss")
    rss_path.unlink(missing_ok=True)
    command = list(argv)
    if gnu_time is not None:
        command = [gnu_time, "-f", "%M", "-o", str(rss_path), *command]
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                command,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        except OSError as exc:
            return Sample(0.0, None, None, None, error=f"could not start: {exc}")
        timed_out = threading.Event()

        def on_timeout() -> None:
            timed_out.set()
            _kill_group(proc.pid)

        timer = threading.Timer(timeout, on_timeout)
        timer.daemon = True
        timer.start()
        sampler = TreeSampler(proc.pid, tree == "pss") if tree and PROC_AVAILABLE else None
        if sampler is not None:
            sampler.start()
        try:
            _, status, _ = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
        except BaseException:
            _kill_group(proc.pid)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(proc.pid, 0)
            proc.returncode = -signal.SIGKILL
            raise
        finally:
            timer.cancel()
            if sampler is not None:
                sampler.stop()
        # We reaped the child ourselves; tell Popen so that it never waits for it again.
        proc.returncode = os.waitstatus_to_exitcode(status)
        _kill_group(proc.pid)
    peak_kb = _last_int(rss_path) if gnu_time is not None else None
    sample = Sample(
        round(seconds, 6),
        round(peak_kb / 1024, 1) if peak_kb is not None else None,
        round(sampler.peak_rss / 2**20, 1) if sampler is not None else None,
        proc.returncode,
        tree_pss_mb=round(sampler.peak_pss / 2**20, 1) if sampler and sampler.pss else None,
    )
    if timed_out.is_set():
        sample.error = f"timed out after {timeout:g} s"
    elif proc.returncode not in set(ok_codes):
        sample.error = f"exit status {proc.returncode}: {_tail(stderr_path)}"
    else:
        sample.findings = count_findings(stdout_path.read_text(errors="replace"))
    return sample


# --------------------------------------------------------------------------- statistics


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def p95(values: Sequence[float]) -> float | None:
    """95th percentile, nearest-rank method (with 20 samples: the 19th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def _max(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


# --------------------------------------------------------------------------- tools


@dataclass
class Tool:
    name: str
    path: str | None
    version: str | None = None

    @property
    def installed(self) -> bool:
        return self.path is not None

    def to_json(self) -> dict[str, Any]:
        status = "ok" if self.installed else "not installed"
        return {"path": self.path, "version": self.version, "status": status}


def resolve_tool(name: str, override: str | None) -> Tool:
    """`override` (a path or command name) when given; else the executable next to this
    Python (the virtualenv's), else the one on PATH."""
    if override is not None:
        return Tool(name, shutil.which(override))
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return Tool(name, str(local))
    return Tool(name, shutil.which(name))


def tool_version(tool: Tool) -> None:
    if tool.path is None:
        return
    try:
        done = subprocess.run(
            [tool.path, "--version"], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        tool.version = f"unknown ({exc})"
        return
    text = " ".join((done.stdout or done.stderr).split())
    tool.version = text or f"unknown (exit status {done.returncode})"


@dataclass
class Snapshot:
    """A byte-compiled copy of the seedlint package taken at the start, timed instead of the
    working tree.

    With an editable install, `seedlint` runs the working tree's code, which other people may
    edit while a benchmark runs for twenty minutes; rounds would then mix versions (a warm run
    misses its cache when the settings' repr changes, for instance)."""

    source: Path
    wrapper: Path
    fingerprint: str
    git: str | None


def source_fingerprint(folder: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def git_state(folder: Path) -> str | None:
    """`<commit> (+N uncommitted changes)` of the repository holding `folder`, if any."""
    try:
        head = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        dirty = subprocess.run(
            ["git", "-C", str(folder), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if head.returncode != 0:
        return None
    changes = len(dirty.stdout.splitlines())
    return f"git {head.stdout.strip()}" + (f" + {changes} uncommitted changes" if changes else "")


def snapshot_seedlint(work: Path) -> Snapshot | None:
    """Copy the seedlint package importable here and write an executable that runs the copy
    the way the `seedlint` console script runs the original."""
    source = package_dir("seedlint")
    if source is None or not source.is_dir():
        return None
    entry = "seedlint.integrations.cli:main"
    with contextlib.suppress(Exception):
        found = importlib.metadata.entry_points(group="console_scripts", name="seedlint")
        entry = next(iter(found)).value
    module, _, function = entry.partition(":")
    fingerprint = source_fingerprint(source)
    folder = work / "snapshot"
    shutil.copytree(source, folder / "seedlint", ignore=shutil.ignore_patterns("__pycache__"))
    # Byte-compile it, as installing a package does.  A working tree often has no __pycache__
    # (PYTHONDONTWRITEBYTECODE is common in dev containers), and compiling seedlint's modules
    # on every run costs tens of milliseconds, a large part of a single-file run.
    compileall.compile_dir(folder / "seedlint", quiet=1)
    wrapper = folder / "bin" / "seedlint"
    wrapper.parent.mkdir()
    wrapper.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"sys.path.insert(0, {str(folder)!r})\n"
        f"from {module} import {function}\n"
        "if __name__ == '__main__':\n"
        f"    sys.exit({function}())\n"
    )
    wrapper.chmod(0o755)
    return Snapshot(source, wrapper, fingerprint, git_state(source))


# --------------------------------------------------------------------------- corpus


@dataclass
class CorpusFile:
    path: Path
    lines: int
    uses_random: bool


@dataclass
class Corpus:
    root: Path
    files: list[CorpusFile]
    packages: dict[str, dict[str, Any]]
    built: bool
    skipped_dirs: int = 0

    @property
    def line_count(self) -> int:
        return sum(item.lines for item in self.files)


def count_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def _excluded_dir(name: str) -> bool:
    return name in EXCLUDED_DIRS or name.endswith(EXCLUDED_DIR_SUFFIXES)


def package_dir(name: str) -> Path | None:
    """Where package `name` is installed, without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    if spec.origin and spec.origin.endswith(".py"):
        return Path(spec.origin)
    return None


def build_corpus(root: Path, packages: Sequence[str]) -> tuple[dict[str, dict[str, Any]], int]:
    """Copy the .py files of `packages` into root/<package>/..., skipping the folders every
    tool excludes by default (and so also __pycache__); nothing else is copied, in particular
    no .gitignore or configuration file."""
    info: dict[str, dict[str, Any]] = {}
    skipped_dirs = 0
    for name in packages:
        source = package_dir(name)
        if source is None:
            note = " (required by the benchmark)" if name in REQUIRED_PACKAGES else ""
            log(f"package {name}: not installed{note}")
            info[name] = {"source": None, "status": "not installed"}
            continue
        files = 0
        if source.is_file():
            (root / name).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, root / name / source.name)
            files = 1
        else:
            for folder, dirnames, filenames in os.walk(source):
                kept = [d for d in dirnames if not _excluded_dir(d)]
                skipped_dirs += len(dirnames) - len(kept)
                dirnames[:] = sorted(kept)
                relative = Path(folder).relative_to(source)
                for filename in sorted(filenames):
                    path = Path(folder, filename)
                    if not filename.endswith(".py") or not path.is_file() or path.is_symlink():
                        continue
                    target = root / name / relative / filename
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
                    files += 1
        info[name] = {"source": str(source), "status": "ok", "files": files}
    return info, skipped_dirs


def scan_corpus(root: Path) -> list[CorpusFile]:
    files: list[CorpusFile] = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _excluded_dir(d))
        for filename in sorted(filenames):
            if not filename.endswith(".py"):
                continue
            path = Path(folder, filename)
            try:
                data = path.read_bytes()
            except OSError:
                continue
            files.append(CorpusFile(path, count_lines(data), RANDOM_API.search(data) is not None))
    return files


def config_files_above(root: Path) -> list[str]:
    """Configuration files in the folders above the corpus that a tool could read."""
    names = ("pyproject.toml", "ruff.toml", ".ruff.toml", "setup.cfg", "tox.ini", ".flake8")
    found: list[str] = []
    for folder in root.resolve().parents:
        found.extend(str(folder / n) for n in (*names, ".gitignore") if (folder / n).is_file())
    return found


def prepare_corpus(args: argparse.Namespace, work: Path) -> Corpus:
    if args.corpus is not None:
        root = Path(args.corpus).resolve()
        if root.is_dir() and any(root.rglob("*.py")):
            log(f"corpus: reusing {root} (--packages does not apply)")
            files = scan_corpus(root)
            packages: dict[str, dict[str, Any]] = {
                entry.name: {"source": None, "status": "reused"}
                for entry in sorted(root.iterdir())
                if entry.is_dir()
            }
            return Corpus(root, files, packages, built=False)
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = work / "corpus"
        root.mkdir()
    log(f"corpus: copying {', '.join(args.packages)} into {root}")
    built, skipped = build_corpus(root, args.packages)
    files = scan_corpus(root)
    for name, entry in built.items():
        if entry["status"] == "ok":
            own = [item for item in files if item.path.is_relative_to(root / name)]
            entry["lines"] = sum(item.lines for item in own)
    return Corpus(root, files, built, built=True, skipped_dirs=skipped)


# --------------------------------------------------------------------------- measurements


@dataclass
class Measurement:
    key: str
    label: str
    tool: Tool
    argv: list[str]
    ok_codes: tuple[int, ...]
    rounds: int
    warmup_round: bool = True
    skip_reason: str | None = None
    prepare: Callable[[], None] | None = None
    warmup: Sample | None = None
    samples: list[Sample] = field(default_factory=list)
    #: The untimed run of the memory round (tree PSS sampled), after the timed rounds.
    memory: Sample | None = None

    @property
    def active(self) -> bool:
        return self.tool.installed and self.skip_reason is None

    @property
    def status(self) -> str:
        if not self.tool.installed:
            return "not installed"
        if self.skip_reason is not None:
            return "skipped"
        if not self.samples:
            return "not run"
        runs = [*self.samples, self.warmup, self.memory]
        return "error" if any(sample and sample.error for sample in runs) else "ok"

    def good(self) -> list[Sample]:
        return [sample for sample in self.samples if sample.error is None]

    def median_s(self) -> float | None:
        return median([sample.seconds for sample in self.good()])

    def peak_rss_mb(self) -> float | None:
        """Largest process, over the timed rounds and the memory round."""
        runs = [*self.good(), self.memory]
        return _max(sample.peak_rss_mb for sample in runs if sample and not sample.error)

    def tree_rss_mb(self) -> float | None:
        return _max(sample.tree_rss_mb for sample in self.good())

    def tree_pss_mb(self) -> float | None:
        memory = self.memory
        return memory.tree_pss_mb if memory is not None and not memory.error else None

    def findings(self) -> int | None:
        good = self.good()
        return good[-1].findings if good else None

    def to_json(self) -> dict[str, Any]:
        seconds = [sample.seconds for sample in self.good()]
        return {
            "label": self.label,
            "tool": self.tool.name,
            "argv": self.argv,
            "status": self.status,
            "skip_reason": self.skip_reason,
            "rounds_planned": self.rounds if self.active else 0,
            "warmup": self.warmup.to_json() if self.warmup is not None else None,
            "samples": [sample.to_json() for sample in self.samples],
            "memory_run": self.memory.to_json() if self.memory is not None else None,
            "median_s": median(seconds),
            "min_s": min(seconds) if seconds else None,
            "max_s": max(seconds) if seconds else None,
            "peak_rss_mb": self.peak_rss_mb(),
            "tree_rss_mb": self.tree_rss_mb(),
            "tree_pss_mb": self.tree_pss_mb(),
            "findings": self.findings(),
        }


class Toucher:
    """Changes the content of one corpus file before each run (and restores it at the end)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_bytes()
        self.count = 0

    def touch(self) -> None:
        self.count += 1
        suffix = f"\n_seedlint_bench_touch = {self.count}\n".encode()
        self.path.write_bytes(self.original + suffix)

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def choose_touched_file(corpus: Corpus, single_files: list[LatencyFile]) -> Path:
    """The file changed before each "warm, 1 file changed" run: a typical module that uses
    random APIs (the ~1,000-line single-file sample when there is one)."""
    for size_class in ("1000", "3000", "100"):
        for item in single_files:
            if item.size_class == size_class:
                return corpus.root / item.source
    return corpus.files[len(corpus.files) // 2].path


def reset_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)


def define_measurements(
    args: argparse.Namespace, tools: dict[str, Tool], corpus: Path, work: Path, toucher: Toucher
) -> list[Measurement]:
    seedlint, ruff, flake8 = tools["seedlint"], tools["ruff"], tools["flake8"]
    sl = seedlint.path or "seedlint"
    rf = ruff.path or "ruff"
    fl = flake8.path or "flake8"
    c = str(corpus)
    empty = work / "seedlint-cache-empty"
    filled = work / "seedlint-cache-filled"
    ruff_cache = work / "ruff-cache"
    filled.mkdir()
    ruff_cache.mkdir()
    n = args.rounds
    seedlint_ok = (0, 1)
    measurements = [
        Measurement(
            "seedlint_cold_j1",
            "seedlint cold -j1 (--no-cache)",
            seedlint,
            [sl, "check", c, "--no-cache", "-j1"],
            seedlint_ok,
            n,
        ),
        Measurement(
            "seedlint_cold_j2",
            "seedlint cold -j2 (--no-cache)",
            seedlint,
            [sl, "check", c, "--no-cache", "-j2"],
            seedlint_ok,
            n,
        ),
        Measurement(
            "seedlint_cache_empty_j2",
            "seedlint -j2, empty cache (writes it)",
            seedlint,
            [sl, "check", c, "-j2", "--cache-dir", str(empty)],
            seedlint_ok,
            n,
            prepare=lambda: reset_dir(empty),
        ),
        Measurement(
            "seedlint_warm_j2",
            "seedlint warm -j2 (cache filled)",
            seedlint,
            [sl, "check", c, "-j2", "--cache-dir", str(filled)],
            seedlint_ok,
            n,
        ),
        Measurement(
            "seedlint_warm_touched_j2",
            "seedlint warm -j2, 1 file changed",
            seedlint,
            [sl, "check", c, "-j2", "--cache-dir", str(filled)],
            seedlint_ok,
            n,
            prepare=toucher.touch,
        ),
        Measurement(
            "ruff_cold",
            f"ruff {RUFF_RULES} --no-cache",
            ruff,
            [rf, "check", "--select", RUFF_RULES, "--no-cache", c, "--exit-zero"],
            (0,),
            n,
        ),
        Measurement(
            "ruff_cached",
            f"ruff {RUFF_RULES} cache filled",
            ruff,
            [rf, "check", "--select", RUFF_RULES, "--cache-dir", str(ruff_cache), c, "--exit-zero"],
            (0,),
            n,
        ),
        Measurement(
            "flake8",
            f"flake8 {FLAKE8_RULES} -j2",
            flake8,
            [fl, f"--select={FLAKE8_RULES}", "-j2", c, "--exit-zero"],
            (0,),
            args.slow_rounds,
            # flake8 is slow; the other tools' round 0 already warmed the OS file cache.
            warmup_round=False,
            skip_reason=None if args.with_flake8 else "skipped (--quick or --no-flake8)",
        ),
    ]
    assert [m.key for m in measurements] == list(MEASUREMENT_KEYS)
    return measurements


def run_measurement(
    measurement: Measurement,
    label: str,
    work: Path,
    args: argparse.Namespace,
    tree: str = "rss",
) -> Sample:
    if measurement.prepare is not None:
        measurement.prepare()
    sample = run_child(
        measurement.argv,
        cwd=work,
        timeout=args.timeout,
        stdout_path=work / "out" / f"{measurement.key}.out",
        ok_codes=measurement.ok_codes,
        gnu_time=args.gnu_time,
        tree=tree,
    )
    status = f"ERROR {sample.error}" if sample.error else f"{sample.seconds:.3f} s"
    log(f"  {label:>8}  {measurement.label:<40} {status}")
    return sample


def run_rounds(measurements: list[Measurement], args: argparse.Namespace, work: Path) -> None:
    active = [m for m in measurements if m.active]
    log("round 0 (warm-up: fills the caches and the OS file cache; reported separately)")
    for measurement in active:
        if measurement.warmup_round:
            measurement.warmup = run_measurement(measurement, "round 0", work, args)
    for number in range(1, max([m.rounds for m in active], default=0) + 1):
        log(f"round {number}")
        # Rotate the order every round so that no command always runs right after another.
        shift = (number - 1) % len(active)
        for measurement in active[shift:] + active[:shift]:
            if number <= measurement.rounds:
                sample = run_measurement(measurement, f"round {number}", work, args)
                measurement.samples.append(sample)
    if PROC_AVAILABLE:
        # Reading PSS is too slow to do during a timed run: one more, untimed, run each.
        log("memory round (untimed: samples the PSS of each process tree)")
        for measurement in active:
            if measurement.warmup_round:
                measurement.memory = run_measurement(measurement, "memory", work, args, "pss")


def scaling_subset(corpus: Corpus) -> Path | None:
    """The smallest folder that holds the corpus' largest file and at most half its files:
    checking it and the whole corpus tells the number of files apart from file size."""
    if not corpus.files:
        return None
    largest = max(corpus.files, key=lambda item: item.lines).path
    counts: dict[Path, int] = {}
    for item in corpus.files:
        for parent in item.path.parents:
            counts[parent] = counts.get(parent, 0) + 1
            if parent == corpus.root:
                break
    for folder in largest.parents:
        if folder == corpus.root:
            return None
        if counts.get(folder, 0) * 2 <= len(corpus.files) and counts.get(
            folder.parent, 0
        ) * 2 > len(corpus.files):
            return folder
    return None


def run_scaling(
    tools: dict[str, Tool],
    corpus: Corpus,
    by_key: dict[str, Measurement],
    args: argparse.Namespace,
    work: Path,
) -> dict[str, Any] | None:
    """Memory against the number of files: one untimed cold run on `scaling_subset`, compared
    with the whole corpus' memory round."""
    subset = scaling_subset(corpus)
    whole = by_key["seedlint_cold_j2"].memory
    if subset is None or whole is None or whole.error:
        return None
    files = sum(1 for item in corpus.files if subset in item.path.parents)
    log(f"memory against the number of files: {subset.relative_to(corpus.root)} ({files} files)")
    sl = tools["seedlint"].path or "seedlint"
    sample = run_child(
        [sl, "check", str(subset), "--no-cache", "-j2"],
        cwd=work,
        timeout=args.timeout,
        stdout_path=work / "out" / "scaling.out",
        ok_codes=(0, 1),
        gnu_time=args.gnu_time,
        tree="pss" if PROC_AVAILABLE else None,
    )
    if sample.error:
        return {"error": sample.error}
    return {
        "subset": str(subset.relative_to(corpus.root)),
        "subset_files": files,
        "corpus_files": len(corpus.files),
        "subset_peak_rss_mb": sample.peak_rss_mb,
        "corpus_peak_rss_mb": whole.peak_rss_mb,
        "subset_tree_pss_mb": sample.tree_pss_mb,
        "corpus_tree_pss_mb": whole.tree_pss_mb,
        "peak_growth": ratio(whole.peak_rss_mb, sample.peak_rss_mb),
        "tree_pss_growth": ratio(whole.tree_pss_mb, sample.tree_pss_mb),
    }


# --------------------------------------------------------------------------- single files


@dataclass
class LatencyFile:
    size_class: str
    source: str
    lines: int
    path: Path


def pick_latency_files(corpus: Corpus, per_class: int, work: Path) -> list[LatencyFile]:
    """Files closest to each class's size that use random APIs, each copied alone into its own
    folder so that no project context is read."""
    picked: list[LatencyFile] = []
    for size_class, (target, smallest, largest) in SIZE_CLASSES.items():
        candidates = sorted(
            (
                (abs(math.log(item.lines / target)), str(item.path), item)
                for item in corpus.files
                if item.uses_random and smallest <= item.lines <= largest
            ),
            key=lambda entry: (entry[0], entry[1]),
        )
        for index, (_, _, item) in enumerate(candidates[:per_class]):
            folder = work / "single" / size_class / f"{index:02d}"
            folder.mkdir(parents=True)
            path = folder / item.path.name
            shutil.copyfile(item.path, path)
            source = str(item.path.relative_to(corpus.root))
            picked.append(LatencyFile(size_class, source, item.lines, path))
    return picked


def latency_argv(tool: Tool, path: Path) -> list[str]:
    if tool.name == "seedlint":
        return [tool.path or "seedlint", "check", str(path), "--no-cache"]
    return [tool.path or "ruff", "check", "--select", RUFF_RULES, "--no-cache", str(path)]


@dataclass
class LatencyRuns:
    #: samples[tool][size class]: one per file and repetition, timed (no GNU time wrapper).
    samples: dict[str, dict[str, list[Sample]]]
    #: memory[tool][size class]: one untimed run under GNU time on the class's largest file.
    memory: dict[str, dict[str, Sample]]


def run_latency(
    files: list[LatencyFile], tools: dict[str, Tool], args: argparse.Namespace, work: Path
) -> LatencyRuns:
    """Single-file runs; seedlint and ruff alternate."""
    runs = LatencyRuns(
        {name: {size_class: [] for size_class in SIZE_CLASSES} for name in LATENCY_TOOLS},
        {name: {} for name in LATENCY_TOOLS},
    )
    samples = runs.samples
    present = [tools[name] for name in LATENCY_TOOLS if tools[name].installed]
    if not files or not present:
        return runs

    def once(tool: Tool, item: LatencyFile, gnu_time: str | None = None) -> Sample:
        return run_child(
            latency_argv(tool, item.path),
            cwd=item.path.parent,
            timeout=args.file_timeout,
            stdout_path=work / "out" / f"single-{tool.name}.out",
            ok_codes=(0, 1),
            gnu_time=gnu_time,
        )

    log(f"single files: {len(files)} files x {args.latency_reps} repetitions (+1 warm-up run)")
    for tool in present:
        once(tool, files[0])  # warm-up: OS file cache, .pyc files; discarded
    for repetition in range(args.latency_reps):
        for item in files:
            order = present if repetition % 2 == 0 else present[::-1]
            for tool in order:
                sample = once(tool, item)
                if sample.error:
                    log(f"  {tool.name} {item.source}: ERROR {sample.error}")
                samples[tool.name][item.size_class].append(sample)
    if args.gnu_time is not None:
        for size_class in SIZE_CLASSES:
            members = [item for item in files if item.size_class == size_class]
            if members:
                largest = max(members, key=lambda item: item.lines)
                for tool in present:
                    runs.memory[tool.name][size_class] = once(tool, largest, args.gnu_time)
    return runs


def latency_summary(
    files: list[LatencyFile], latency_runs: LatencyRuns, tools: dict[str, Tool]
) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for name in LATENCY_TOOLS:
        per_class: dict[str, Any] = {}
        for size_class in SIZE_CLASSES:
            runs = latency_runs.samples[name][size_class]
            seconds = [sample.seconds for sample in runs if sample.error is None]
            memory = latency_runs.memory[name].get(size_class)
            per_class[size_class] = {
                "files": sum(1 for item in files if item.size_class == size_class),
                "runs": len(runs),
                "errors": sum(1 for sample in runs if sample.error is not None),
                "median_s": median(seconds),
                "p95_s": p95(seconds),
                "max_s": max(seconds) if seconds else None,
                "peak_rss_mb": memory.peak_rss_mb if memory and not memory.error else None,
                "samples": [sample.to_json() for sample in runs],
                "memory_run": memory.to_json() if memory is not None else None,
            }
        status = "ok" if tools[name].installed else "not installed"
        summary[name] = {"status": status, "classes": per_class}
    return summary


# --------------------------------------------------------------------------- report


def fmt_s(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f} ms"


def fmt_mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def fmt_count(value: int | None) -> str:
    return "-" if value is None else str(value)


def target(name: str, value: float | None, limit: float, unit: str, strict: bool) -> dict[str, Any]:
    if value is None:
        status = "N/A"
    elif value < limit or (not strict and value == limit):
        status = "PASS"
    else:
        status = "FAIL"
    return {"name": name, "value": value, "limit": limit, "unit": unit, "status": status}


def compute_results(
    by_key: dict[str, Measurement], latency: dict[str, Any], scaling: dict[str, Any] | None = None
) -> tuple[dict[str, float | None], list[dict[str, Any]]]:
    def med(key: str) -> float | None:
        return by_key[key].median_s()

    def single(tool: str) -> float | None:
        value = latency[tool]["classes"][TARGET_SINGLE_FILE_CLASS]["median_s"]
        return value if isinstance(value, float) else None

    ratios = {
        "seedlint_cold_vs_ruff_cold": ratio(med("seedlint_cold_j2"), med("ruff_cold")),
        "seedlint_cold_vs_flake8": ratio(med("seedlint_cold_j2"), med("flake8")),
        "seedlint_warm_vs_ruff_cold": ratio(med("seedlint_warm_j2"), med("ruff_cold")),
        # informational
        "seedlint_cold_j1_vs_ruff_cold": ratio(med("seedlint_cold_j1"), med("ruff_cold")),
        "seedlint_cache_empty_vs_ruff_cold": ratio(
            med("seedlint_cache_empty_j2"), med("ruff_cold")
        ),
        "seedlint_cache_empty_vs_flake8": ratio(med("seedlint_cache_empty_j2"), med("flake8")),
        "seedlint_warm_touched_vs_ruff_cold": ratio(
            med("seedlint_warm_touched_j2"), med("ruff_cold")
        ),
        "seedlint_warm_vs_ruff_cached": ratio(med("seedlint_warm_j2"), med("ruff_cached")),
        "seedlint_3000_line_file_vs_ruff": ratio(single("seedlint"), single("ruff")),
    }
    seedlint_runs = [m for m in by_key.values() if m.tool.name == "seedlint"]
    targets = [
        target(
            "cold run faster than flake8 (seedlint cold -j2 / flake8)",
            ratios["seedlint_cold_vs_flake8"],
            1.0,
            "x",
            strict=True,
        ),
        target(
            "cold run within 10x of ruff NPY002+S311 (seedlint cold -j2 / ruff cold)",
            ratios["seedlint_cold_vs_ruff_cold"],
            TARGET_COLD_VS_RUFF,
            "x",
            strict=False,
        ),
        target(
            "warm run no slower than ruff cold (seedlint warm -j2 / ruff cold)",
            ratios["seedlint_warm_vs_ruff_cold"],
            1.0,
            "x",
            strict=False,
        ),
        target(
            "single ~3,000-line file under 150 ms (median)",
            single("seedlint"),
            TARGET_SINGLE_FILE_S,
            "s",
            strict=True,
        ),
        target(
            "peak memory under 500 MB (largest process, GNU time %M)",
            _max(m.peak_rss_mb() for m in seedlint_runs),
            TARGET_MEMORY_MB,
            "MB",
            strict=True,
        ),
        target(
            "peak memory under 500 MB (process tree PSS, sampled)",
            _max(m.tree_pss_mb() for m in seedlint_runs),
            TARGET_MEMORY_MB,
            "MB",
            strict=True,
        ),
        target(
            "memory does not grow with the files (largest process, whole corpus / subset)",
            scaling.get("peak_growth") if scaling else None,
            TARGET_MEMORY_GROWTH,
            "x",
            strict=False,
        ),
    ]
    return ratios, targets


RATIO_LABELS = {
    "seedlint_cold_vs_ruff_cold": "seedlint cold / ruff cold",
    "seedlint_cold_vs_flake8": "seedlint cold / flake8",
    "seedlint_warm_vs_ruff_cold": "seedlint warm / ruff cold",
    "seedlint_cold_j1_vs_ruff_cold": "(info) seedlint cold -j1 / ruff cold",
    "seedlint_cache_empty_vs_ruff_cold": "(info) seedlint empty cache / ruff cold",
    "seedlint_cache_empty_vs_flake8": "(info) seedlint empty cache / flake8",
    "seedlint_warm_touched_vs_ruff_cold": "(info) seedlint warm, 1 changed / ruff cold",
    "seedlint_warm_vs_ruff_cached": "(info) seedlint warm / ruff cached",
    "seedlint_3000_line_file_vs_ruff": "(info) seedlint / ruff, ~3,000-line file",
}


def memory_method(gnu_time: str | None) -> str:
    peak = (
        f"peak MB = largest single process of the tree ({gnu_time} -f %M)"
        if gnu_time
        else "peak MB not measured (GNU time not found)"
    )
    if not PROC_AVAILABLE:
        return f"{peak}; tree RSS/PSS not measured (no /proc)"
    return (
        f"{peak}; tree RSS = summed RSS of the tree, sampled every {RSS_INTERVAL_S:g} s in the "
        f"timed rounds; tree PSS = summed PSS, sampled every {PSS_INTERVAL_S:g} s in one "
        "untimed run"
    )


def print_report(report: dict[str, Any], by_key: dict[str, Measurement]) -> None:
    corpus = report["corpus"]
    out: list[str] = []
    out.append("seedlint benchmark")
    out.append(f"command: {report['command']}")
    out.append(
        f"machine: nproc {report['nproc']} (usable {report['cpus_usable']}), "
        f"{report['platform']}, Python {report['python']}"
    )
    out.append("load average at start: " + " ".join(f"{v:.2f}" for v in report["loadavg_start"]))
    for name, info in report["tools"].items():
        out.append(f"{name}: {info['version'] if info['path'] else 'not installed'}")
        if name == "seedlint" and report["seedlint_snapshot"] is not None:
            snap = report["seedlint_snapshot"]
            where = f"{snap['source']}, {snap['git']}" if snap["git"] else snap["source"]
            out.append(f"          timed: a byte-compiled copy of {where}, taken at the start")
            if snap["source_changed_during_run"]:
                out.append(
                    "          NOTE: that source changed during the run; the copy taken at the "
                    "start was timed throughout"
                )
    packages = ", ".join(
        f"{name} ({entry.get('files', '?')} files)"
        if entry["status"] == "ok"
        else f"{name}: {entry['status']}"
        for name, entry in corpus["packages"].items()
    )
    out.append(f"corpus: {corpus['files']} files, {corpus['lines']:,} lines in {corpus['path']}")
    out.append(f"        {packages}")
    if corpus["ruff_files"] is not None and corpus["ruff_files"] != corpus["files"]:
        out.append(f"        WARNING: ruff --show-files lists {corpus['ruff_files']} files")
    for path in corpus["config_files_above"]:
        out.append(f"        WARNING: {path} is above the corpus and may be read by a tool")
    out.append("")
    header = (
        f"{'measurement (whole corpus)':<40}{'rounds':>7}{'median s':>10}{'min s':>9}"
        f"{'max s':>9}{'round0 s':>10}{'peak MB':>9}{'tree RSS':>10}{'tree PSS':>10}"
        f"{'findings':>10}"
    )
    out.append(header)
    out.append("-" * len(header))
    for key in MEASUREMENT_KEYS:
        m = by_key[key]
        entry = report["measurements"][key]
        if not m.active:
            reason = "not installed" if not m.tool.installed else str(m.skip_reason)
            out.append(f"{m.label:<40}{'':>7}  {reason}")
            continue
        warm = m.warmup.seconds if m.warmup is not None and not m.warmup.error else None
        out.append(
            f"{m.label:<40}{len(m.good()):>7}{fmt_s(entry['median_s']):>10}"
            f"{fmt_s(entry['min_s']):>9}{fmt_s(entry['max_s']):>9}{fmt_s(warm):>10}"
            f"{fmt_mb(entry['peak_rss_mb']):>9}{fmt_mb(entry['tree_rss_mb']):>10}"
            f"{fmt_mb(entry['tree_pss_mb']):>10}{fmt_count(entry['findings']):>10}"
        )
        errors = [sample.error for sample in m.samples if sample.error]
        if m.warmup is not None and m.warmup.error:
            errors.insert(0, f"round 0: {m.warmup.error}")
        if m.memory is not None and m.memory.error:
            errors.append(f"memory round: {m.memory.error}")
        for error in errors[:2]:
            out.append(f"    ERROR: {error[:200]}")
    out.append("")
    out.append(f"memory: {report['memory_method']}")
    scaling = report.get("memory_scaling")
    if scaling and "error" not in scaling:
        out.append(
            f"memory against files: {scaling['subset']} ({scaling['subset_files']} files) "
            f"{fmt_mb(scaling['subset_peak_rss_mb'])} MB largest process, "
            f"{fmt_mb(scaling['subset_tree_pss_mb'])} MB tree PSS; whole corpus "
            f"({scaling['corpus_files']} files) {fmt_mb(scaling['corpus_peak_rss_mb'])} MB, "
            f"{fmt_mb(scaling['corpus_tree_pss_mb'])} MB"
        )
    elif scaling:
        out.append(f"memory against files: ERROR {scaling['error'][:200]}")
    out.append(f"touched file: {corpus['touched_file']}")
    out.append("")
    latency = report["latency"]
    header = (
        f"{'single file, CLI --no-cache':<30}{'files':>6}{'runs':>6}"
        f"{'seedlint median':>17}{'p95':>9}{'peak MB':>9}{'ruff median':>13}{'p95':>9}"
    )
    out.append(header)
    out.append("-" * len(header))
    for size_class, (_, smallest, largest) in SIZE_CLASSES.items():
        s = latency["seedlint"]["classes"][size_class]
        r = latency["ruff"]["classes"][size_class]
        name = f"~{int(size_class):,} lines ({smallest}-{largest})"
        out.append(
            f"{name:<30}{s['files']:>6}{s['runs']:>6}{fmt_ms(s['median_s']):>17}"
            f"{fmt_ms(s['p95_s']):>9}{fmt_mb(s['peak_rss_mb']):>9}{fmt_ms(r['median_s']):>13}"
            f"{fmt_ms(r['p95_s']):>9}"
        )
    for name in LATENCY_TOOLS:
        if latency[name]["status"] != "ok":
            out.append(f"    {name}: {latency[name]['status']}")
    out.append("")
    findings = report["findings"]
    out.append(
        f"findings: seedlint {fmt_count(findings['seedlint_json'])} (--format json; text output: "
        f"cold {fmt_count(findings['seedlint_text_cold'])}, warm "
        f"{fmt_count(findings['seedlint_text_warm'])}), ruff {RUFF_RULES} "
        f"{fmt_count(findings['ruff'])}, flake8 {FLAKE8_RULES} {fmt_count(findings['flake8'])}"
    )
    if findings["seedlint_by_code"]:
        out.append(
            "          seedlint by rule: "
            + ", ".join(f"{code} {count}" for code, count in findings["seedlint_by_code"].items())
        )
    for warning in findings["warnings"]:
        out.append(f"    WARNING: {warning}")
    out.append("")
    out.append("ratios of medians")
    for key, label in RATIO_LABELS.items():
        out.append(f"  {label:<46}{fmt_ratio(report['ratios'][key]):>10}")
    out.append("")
    if report.get("fix"):
        import fix  # benchmarks/fix.py, beside this script

        out.extend(fix.report_lines(report["fix"]))
        out.append("")
    out.append("targets")
    for item in report["targets"]:
        if item["value"] is None:
            value = "no data"
        elif item["unit"] == "x":
            value = f"{item['value']:.2f}x (limit {item['limit']:g}x)"
        elif item["unit"] == "s":
            value = f"{item['value'] * 1000:.0f} ms (limit {item['limit'] * 1000:.0f} ms)"
        else:
            value = f"{item['value']:.0f} MB (limit {item['limit']:.0f} MB)"
        out.append(f"  {item['status']:<5} {item['name']:<74} {value}")
    out.append("")
    out.append("load average at end: " + " ".join(f"{v:.2f}" for v in report["loadavg_end"]))
    out.append(f"to reproduce: {report['command']}")
    print("\n".join(out), flush=True)


def seedlint_json_findings(
    tool: Tool, corpus: Path, cache: Path, work: Path, timeout: float
) -> tuple[int | None, dict[str, int], str | None]:
    """Findings from `--format json`, run once on the filled cache (fast)."""
    out = work / "out" / "seedlint-json.out"
    argv = [tool.path or "seedlint", "check", str(corpus), "-j2", "--cache-dir", str(cache)]
    argv += ["--format", "json"]
    sample = run_child(argv, cwd=work, timeout=timeout, stdout_path=out, ok_codes=(0, 1))
    if sample.error is not None:
        return None, {}, sample.error
    try:
        data = json.loads(out.read_text())
    except (OSError, ValueError) as exc:
        return None, {}, f"--format json output is not JSON: {exc}"
    if not isinstance(data, list):
        return None, {}, "--format json output is not a list"
    codes = Counter(str(item.get("code")) for item in data if isinstance(item, dict))
    return len(data), dict(sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))), None


def ruff_file_count(tool: Tool, corpus: Path, work: Path) -> int | None:
    if tool.path is None:
        return None
    try:
        done = subprocess.run(
            [tool.path, "check", "--show-files", "--no-cache", str(corpus)],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return sum(1 for line in done.stdout.splitlines() if line.strip().endswith(".py"))


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time seedlint against ruff (NPY002+S311) and flake8 on installed packages.",
    )
    parser.add_argument("--rounds", type=int, help="timed rounds per command (default 5; quick 1)")
    parser.add_argument(
        "--slow-rounds", type=int, help="timed rounds for flake8, which is slow (default 1)"
    )
    parser.add_argument(
        "--packages",
        help=f"comma-separated packages to copy (default {','.join(DEFAULT_PACKAGES)}; quick "
        f"{','.join(QUICK_PACKAGES)})",
    )
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        help="use the .py files of DIR as the corpus; when DIR is missing or has no .py file, "
        "build the corpus there and keep it",
    )
    parser.add_argument("--json", metavar="OUT", help="write every raw timing to OUT")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small and fast: numpy only, 1 round, 3 files per single-file class, no flake8",
    )
    parser.add_argument(
        "--with-flake8", action="store_true", help="run flake8 in --quick mode as well"
    )
    parser.add_argument(
        "--no-flake8",
        action="store_true",
        help="skip flake8 in a full run (about 5 minutes on the corpus; its rows say skipped)",
    )
    parser.add_argument(
        "--latency-files", type=int, help="files per single-file size class (default 20; quick 3)"
    )
    parser.add_argument(
        "--latency-reps", type=int, help="runs per single file and tool (default 3; quick 1)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600.0,
        help="seconds before a whole-corpus run is killed (default 3600)",
    )
    parser.add_argument(
        "--file-timeout",
        type=float,
        default=60.0,
        help="seconds before a single-file run is killed (default 60)",
    )
    parser.add_argument(
        "--seedlint",
        metavar="CMD",
        help="seedlint executable to time (default: a copy, taken at the start, of the seedlint "
        "package this Python imports)",
    )
    parser.add_argument(
        "--no-snapshot",
        action="store_true",
        help="time the `seedlint` executable itself, not a copy of its package",
    )
    parser.add_argument("--ruff", metavar="CMD", help="ruff executable to time")
    parser.add_argument("--flake8", metavar="CMD", help="flake8 executable to time")
    parser.add_argument(
        "--fix-rounds",
        type=int,
        default=1,
        help="rounds of the `check --diff` rows and the fix size curve (default 1)",
    )
    parser.add_argument(
        "--no-fix", action="store_true", help="skip the `check --diff` rows and size curve"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (printed on stderr)"
    )
    parser.add_argument(
        "--fail-on-target", action="store_true", help="exit with status 1 when a target FAILs"
    )
    args = parser.parse_args(argv)
    quick = bool(args.quick)
    args.rounds = args.rounds if args.rounds is not None else (1 if quick else 5)
    args.slow_rounds = args.slow_rounds if args.slow_rounds is not None else 1
    default_packages = QUICK_PACKAGES if quick else DEFAULT_PACKAGES
    args.packages = (
        [name.strip() for name in args.packages.split(",") if name.strip()]
        if args.packages
        else list(default_packages)
    )
    args.latency_files = (
        args.latency_files if args.latency_files is not None else (3 if quick else 20)
    )
    args.latency_reps = args.latency_reps if args.latency_reps is not None else (1 if quick else 3)
    args.with_flake8 = (bool(args.with_flake8) or not quick) and not args.no_flake8
    for name in ("rounds", "slow_rounds", "latency_reps", "fix_rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.latency_files < 0:
        parser.error("--latency-files must not be negative")
    return args


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    command = shlex.join(["python", *(sys.argv if argv is None else ["benchmarks/run.py", *argv])])
    loadavg_start = list(os.getloadavg())
    tools = {
        "seedlint": resolve_tool("seedlint", args.seedlint),
        "ruff": resolve_tool("ruff", args.ruff),
        "flake8": resolve_tool("flake8", args.flake8),
    }
    work = Path(tempfile.mkdtemp(prefix="seedlint-bench-"))
    (work / "out").mkdir()
    toucher: Toucher | None = None
    try:
        snapshot = None
        if args.seedlint is None and not args.no_snapshot:
            snapshot = snapshot_seedlint(work)
            if snapshot is not None:
                tools["seedlint"] = Tool("seedlint", str(snapshot.wrapper))
        for tool in tools.values():
            tool_version(tool)
            if not tool.installed:
                log(f"{tool.name}: not installed")
        if not tools["seedlint"].installed:
            print("seedlint: not installed; nothing to benchmark", file=sys.stderr)
            return 2
        args.gnu_time = probe_gnu_time()
        if args.gnu_time is None:
            log(f"{GNU_TIME} (GNU time) not found: the peak RSS per process is not measured")
        corpus = prepare_corpus(args, work)
        if not corpus.files:
            print(f"no .py file in the corpus {corpus.root}", file=sys.stderr)
            return 2
        log(f"corpus: {len(corpus.files)} files, {corpus.line_count:,} lines")
        single_files = pick_latency_files(corpus, args.latency_files, work)
        touched = choose_touched_file(corpus, single_files)
        toucher = Toucher(touched)
        measurements = define_measurements(args, tools, corpus.root, work, toucher)
        by_key = {m.key: m for m in measurements}
        run_rounds(measurements, args, work)
        toucher.restore()
        latency = latency_summary(single_files, run_latency(single_files, tools, args, work), tools)
        json_count, by_code, json_error = seedlint_json_findings(
            tools["seedlint"], corpus.root, work / "seedlint-cache-filled", work, args.timeout
        )
        findings: dict[str, Any] = {
            "seedlint_json": json_count,
            "seedlint_by_code": by_code,
            "seedlint_text_cold": by_key["seedlint_cold_j2"].findings(),
            "seedlint_text_warm": by_key["seedlint_warm_j2"].findings(),
            "ruff": by_key["ruff_cold"].findings(),
            "flake8": by_key["flake8"].findings(),
            "warnings": [],
        }
        if json_error is not None:
            findings["warnings"].append(f"seedlint --format json: {json_error}")
        seedlint_counts = {
            key: by_key[key].findings()
            for key in MEASUREMENT_KEYS
            if key.startswith("seedlint") and by_key[key].findings() is not None
        }
        if json_count is not None:
            seedlint_counts["json"] = json_count
        if len(set(seedlint_counts.values())) > 1:
            findings["warnings"].append(
                f"seedlint finding counts differ between runs: {seedlint_counts}"
            )
        scaling = run_scaling(tools, corpus, by_key, args, work)
        ratios, targets = compute_results(by_key, latency, scaling)
        fix_rows: dict[str, Any] | None = None
        if not args.no_fix:
            import fix  # benchmarks/fix.py, beside this script

            sizes = FIX_SIZES_QUICK if args.quick else FIX_SIZES
            log(f"fix: check --diff against a cold check, size curve at {sizes}")
            sl = tools["seedlint"].path or "seedlint"
            fix_rows = fix.measure([sl], corpus.root, args.fix_rounds, sizes)
        targets.append(
            target(
                "--diff within 3x of a cold check (check --diff -j2 / check -j2, --no-cache)",
                fix_rows["ratio"] if fix_rows else None,
                TARGET_DIFF_VS_CHECK,
                "x",
                strict=False,
            )
        )
        snapshot_info: dict[str, Any] | None = None
        if snapshot is not None:
            changed = source_fingerprint(snapshot.source) != snapshot.fingerprint
            snapshot_info = {
                "source": str(snapshot.source),
                "git": snapshot.git,
                "source_changed_during_run": changed,
            }
        report: dict[str, Any] = {
            "schema": 1,
            "command": command,
            "argv": list(sys.argv if argv is None else argv),
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "nproc": os.cpu_count(),
            "cpus_usable": len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count(),
            "loadavg_start": loadavg_start,
            "loadavg_end": list(os.getloadavg()),
            "memory_method": memory_method(args.gnu_time),
            "gnu_time": args.gnu_time,
            "proc_available": PROC_AVAILABLE,
            "settings": {
                "rounds": args.rounds,
                "slow_rounds": args.slow_rounds,
                "latency_files": args.latency_files,
                "latency_reps": args.latency_reps,
                "quick": args.quick,
                "with_flake8": args.with_flake8,
                "timeout": args.timeout,
                "file_timeout": args.file_timeout,
            },
            "tools": {name: tool.to_json() for name, tool in tools.items()},
            "seedlint_snapshot": snapshot_info,
            "corpus": {
                "path": str(corpus.root),
                "built": corpus.built,
                "packages": corpus.packages,
                "files": len(corpus.files),
                "lines": corpus.line_count,
                "skipped_dirs": corpus.skipped_dirs,
                "ruff_files": ruff_file_count(tools["ruff"], corpus.root, work),
                "config_files_above": config_files_above(corpus.root),
                "touched_file": str(touched.relative_to(corpus.root)),
            },
            "measurements": {m.key: m.to_json() for m in measurements},
            "single_files": [
                {"class": item.size_class, "source": item.source, "lines": item.lines}
                for item in single_files
            ],
            "latency": latency,
            "memory_scaling": scaling,
            "findings": findings,
            "ratios": ratios,
            "targets": targets,
            "fix": fix_rows,
        }
        print_report(report, by_key)
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
            log(f"raw timings written to {args.json}")
        failed = any(item["status"] == "FAIL" for item in targets)
        return 1 if failed and args.fail_on_target else 0
    finally:
        if toucher is not None:
            toucher.restore()
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
