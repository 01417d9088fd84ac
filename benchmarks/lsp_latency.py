#!/usr/bin/env python3
"""Latency and memory of `seedlint lsp`, measured through a real LSP client over stdio.

    python benchmarks/lsp_latency.py                       # both workspaces, 30 edits a file
    python benchmarks/lsp_latency.py --workspace files --edits 50 --json out.json
    python benchmarks/lsp_latency.py --memory-edits 1000   # and memory growth over 1,000 edits

What is timed: from sending `textDocument/didChange` (one line changed in the middle of the
file, as typing does) to receiving the `textDocument/publishDiagnostics` for that version.
Edits are sent one at a time (the next after the previous answer), so no edit is coalesced
with another, and every edit makes a text the server has not seen (no cache answers it):
`--edit-kind comment` (default) types a new comment, `code` a new statement calling a
function (which makes the server run the seeding analysis of the project again).
Edits start once the server's index is built (its "indexing" work-done progress has ended):
before that a buffer gets only its single-file findings, and those are not what is timed.
Files: real modules of the installed torch package, the `--per-class` files closest to about
100, 1,000 and 3,000 lines.  Each file's `ast.parse` time is measured in this
process too: it is the floor of any Python checker that re-parses the buffer.

Workspaces (`--workspace`):
- ``files``: a folder holding only the chosen files (the buffer and little else to index);
- ``package``: a copy of the whole torch package as the workspace folder (2,000+ files: the
  server indexes it in the background from the facts cache, and every check runs the seeding
  analysis over the project).

Memory: the server's resident set (`/proc/PID/status` VmRSS) after its index is built and
the files opened, and after every 100 of `--memory-edits` edits (a leak shows as steady
growth).  Needs pygls (`pip install -e ".[lsp]"`), Linux for the memory numbers.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

SIZE_CLASSES = (100, 1000, 3000)


@dataclass
class FileResult:
    name: str
    lines: int
    size_class: int
    parse_ms: float
    first_ms: float
    latencies_ms: list[float] = field(default_factory=list)
    findings: int = 0
    cpu_ms_per_edit: float | None = None  # the server's CPU time (user + system), mean


def package_root(name: str) -> Path:
    module = __import__(name)
    return Path(module.__file__).resolve().parent


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def pick_files(root: Path, per_class: int) -> list[tuple[int, Path, int]]:
    """(size class, path, lines) for the files closest to each class's line count."""
    counted = []
    for path in python_files(root):
        try:
            lines = path.read_bytes().count(b"\n")
        except OSError:
            continue
        counted.append((lines, path))
    chosen = []
    for size in SIZE_CLASSES:
        nearest = sorted(counted, key=lambda item: (abs(item[0] - size), str(item[1])))
        chosen.extend((size, path, lines) for lines, path in nearest[:per_class])
    return chosen


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of the process so far (Linux; None elsewhere).  Unlike the
    wall-clock latency it hardly depends on what else the machine is running."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class Client:
    """A pygls client that records when each document's diagnostics arrive."""

    def __init__(self) -> None:
        self.client = LanguageClient("seedlint-bench", "1")
        self.published: dict[str, tuple[int | None, int, float]] = {}
        self.event = asyncio.Event()
        self.progress: dict[str, str] = {}  # token -> kind of its latest report

        @self.client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
        def create_progress(params: types.WorkDoneProgressCreateParams) -> None:
            self.progress[str(params.token)] = "created"

        @self.client.feature(types.PROGRESS)
        def progress(params: types.ProgressParams) -> None:
            value = params.value
            kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
            self.progress[str(params.token)] = str(kind)
            self.event.set()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: types.PublishDiagnosticsParams) -> None:
            self.published[params.uri] = (
                params.version,
                len(params.diagnostics),
                time.perf_counter(),
            )
            self.event.set()

    async def start(self, root: Path) -> int:
        await self.client.start_io(sys.executable, "-m", "seedlint", "lsp")
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(
                    window=types.WindowClientCapabilities(work_done_progress=True)
                ),
                workspace_folders=[types.WorkspaceFolder(root.as_uri(), root.name)],
                process_id=os.getpid(),
            )
        )
        self.client.initialized(types.InitializedParams())
        server = self.client._server
        assert server is not None
        return server.pid

    async def wait_for(self, uri: str, version: int, timeout: float = 600) -> tuple[int, float]:
        deadline = time.perf_counter() + timeout
        while True:
            got = self.published.get(uri)
            if got is not None and got[0] == version:
                return got[1], got[2]
            self.event.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics for {uri} version {version}")
            try:
                await asyncio.wait_for(self.event.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def indexed(self, fallback: float | None, timeout: float = 900) -> float:
        """Wait until every work-done progress the server started has ended (its index is
        built); returns how long that took.  A server that reports no progress within 10 s
        (an older one): wait `fallback` seconds instead."""
        started = time.perf_counter()
        deadline = started + timeout
        while not self.progress or any(k != "end" for k in self.progress.values()):
            if not self.progress and time.perf_counter() - started > 10:
                if fallback is None:
                    raise TimeoutError("the server reports no indexing progress: --index-wait")
                await asyncio.sleep(fallback)
                return time.perf_counter() - started
            self.event.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("the server's indexing did not end")
            try:
                await asyncio.wait_for(self.event.wait(), min(remaining, 1.0))
            except asyncio.TimeoutError:
                pass
        return time.perf_counter() - started

    def open(self, uri: str, text: str) -> None:
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "python", 1, text))
        )

    def change_line(self, uri: str, version: int, line: int, old: str, new: str) -> None:
        """Replace line `line` (without its line break) of the document."""
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=version, uri=uri),
                [
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            types.Position(line, 0),
                            types.Position(line, len(old.encode("utf-16-le")) // 2),
                        ),
                        text=new,
                    )
                ],
            )
        )

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), 30)
            self.client.exit(None)
        finally:
            await self.client.stop()


def edited(original: str, lines: list[str], line: int, i: int, kind: str) -> str:
    """Edit `i` of line `line`: a new comment each time (``comment``: the findings and what
    the seeding analysis reads stay the same, only positions move), or a one-line function
    named for the edit, drawing from `random` one to three times in turn (``code``: a new
    finding, and facts that change from one edit to the next, so the seeding analysis of the
    project runs again), indented as the code after it."""
    if kind == "comment":
        return original + f"  # edit {i}"
    following = next((text for text in lines[line + 1 :] if text.strip()), "")
    indent = following[: len(following) - len(following.lstrip())]
    draws = ", ".join(["random.random()"] * (i % 3 + 1))
    # A new function name each edit: no text repeats, so no edit is answered from the
    # content-hash cache.
    return f"{indent}def bench_edit_{i}(): import random; return {draws}"


def edit_line(lines: list[str]) -> int:
    """A line in the middle to edit: the first blank or comment-only line from the middle on
    (appending a comment there changes no finding)."""
    middle = len(lines) // 2
    for index in [*range(middle, len(lines)), *range(middle)]:
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            return index
    return len(lines) - 1


async def measure(
    root: Path,
    files: list[tuple[int, Path, int]],
    edits: int,
    memory_edits: int,
    index_wait: float | None = None,
    kind: str = "comment",
) -> dict[str, Any]:
    client = Client()
    started = time.perf_counter()
    pid = await client.start(root)
    index_s = await client.indexed(index_wait)
    print(f"  index built in {index_s:.1f} s", file=sys.stderr)
    results: list[FileResult] = []
    opened: dict[str, tuple[list[str], int]] = {}
    versions: dict[str, int] = {}
    for size, path, lines in files:
        text = path.read_text(encoding="utf-8")
        parses = []
        for _ in range(5):
            t0 = time.perf_counter()
            ast.parse(text)
            parses.append((time.perf_counter() - t0) * 1000)
        parse_ms = statistics.median(parses)
        uri = path.as_uri()
        t0 = time.perf_counter()
        client.open(uri, text)
        findings, arrived = await client.wait_for(uri, 1)
        result = FileResult(
            str(path.relative_to(root)), lines, size, parse_ms, (arrived - t0) * 1000, [], findings
        )
        text_lines = text.splitlines()
        line = edit_line(text_lines)
        versions[uri] = 1
        opened[uri] = (text_lines, line)
        cpu_before = cpu_seconds(pid)
        original = text_lines[line]
        for i in range(edits):
            old = text_lines[line]
            new = edited(original, text_lines, line, i, kind)
            versions[uri] += 1
            t0 = time.perf_counter()
            client.change_line(uri, versions[uri], line, old, new)
            _, arrived = await client.wait_for(uri, versions[uri])
            result.latencies_ms.append((arrived - t0) * 1000)
            text_lines[line] = new
        cpu_after = cpu_seconds(pid)
        if cpu_before is not None and cpu_after is not None and edits:
            result.cpu_ms_per_edit = (cpu_after - cpu_before) * 1000 / edits
        results.append(result)
        print(
            f"  {result.name}: {lines} lines, median {statistics.median(result.latencies_ms):.1f}"
            f" ms, p95 {percentile(result.latencies_ms, 0.95):.1f} ms (parse {parse_ms:.1f} ms)",
            file=sys.stderr,
        )
    memory: dict[str, Any] = {"after_open_mb": rss_mb(pid), "samples_mb": []}
    if memory_edits:
        uri = next((p.as_uri() for size, p, _ in files if size == 1000), files[0][1].as_uri())
        text_lines, line = opened[uri]
        original = text_lines[line].split("  # edit")[0]
        for i in range(memory_edits):
            old = text_lines[line]
            new = original + f"  # m{i}"
            versions[uri] += 1
            client.change_line(uri, versions[uri], line, old, new)
            await client.wait_for(uri, versions[uri])
            text_lines[line] = new
            if (i + 1) % 100 == 0:
                memory["samples_mb"].append((i + 1, rss_mb(pid)))
    await client.stop()
    return {
        "files": [r.__dict__ for r in results],
        "memory": memory,
        "index_s": index_s,
        "wall_s": time.perf_counter() - started,
    }


def copy_corpus(
    kind: str, package: Path, files: list[tuple[int, Path, int]], into: Path
) -> tuple[Path, list[tuple[int, Path, int]]]:
    root = into / f"ws-{kind}"
    if kind == "package":
        shutil.copytree(
            package,
            root / package.name,
            ignore=lambda folder, names: [
                n
                for n in names
                if n == "__pycache__"
                or (os.path.isfile(os.path.join(folder, n)) and not n.endswith(".py"))
            ],
        )
        mapped = [(s, root / package.name / p.relative_to(package), n) for s, p, n in files]
    else:
        mapped = []
        for size, path, lines in files:
            target = root / path.relative_to(package).as_posix().replace("/", "__")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            mapped.append((size, target, lines))
    (root / "pyproject.toml").write_text("[project]\nname = 'bench'\n", encoding="utf-8")
    return root, mapped


def report(kind: str, measured: dict[str, Any]) -> None:
    print(f"\n## workspace: {kind}\n")
    print(
        "| file | lines | ast.parse | open -> diagnostics | didChange -> publish median | p95"
        " | server CPU per edit |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in measured["files"]:
        lat = r["latencies_ms"]
        cpu = "-" if r["cpu_ms_per_edit"] is None else f"{r['cpu_ms_per_edit']:.1f} ms"
        print(
            f"| {r['name']} | {r['lines']} | {r['parse_ms']:.1f} ms | {r['first_ms']:.0f} ms |"
            f" {statistics.median(lat):.1f} ms | {percentile(lat, 0.95):.1f} ms |"
            f" {cpu} |"
        )
    for size in SIZE_CLASSES:
        lat = [x for r in measured["files"] if r["size_class"] == size for x in r["latencies_ms"]]
        if lat:
            print(
                f"| **~{size} lines, all edits** | | | | {statistics.median(lat):.1f} ms |"
                f" {percentile(lat, 0.95):.1f} ms | |"
            )
    print(f"\nindex built in {measured['index_s']:.1f} s (the timed edits start after it)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    memory = measured["memory"]
    print(f"\nserver RSS after indexing and opening: {memory['after_open_mb']} MB")
    if memory["samples_mb"]:
        samples = ", ".join(f"{n}: {mb:.1f}" for n, mb in memory["samples_mb"] if mb)
        print(f"RSS (MB) after N edits: {samples}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", default="torch", help="installed package to take files from")
    parser.add_argument("--workspace", choices=("files", "package", "both"), default="both")
    parser.add_argument("--per-class", type=int, default=2, help="files per size class")
    parser.add_argument("--edits", type=int, default=30, help="timed edits per file")
    parser.add_argument("--memory-edits", type=int, default=0, help="edits for the memory check")
    parser.add_argument("--json", metavar="OUT", help="write the raw numbers here")
    parser.add_argument(
        "--edit-kind",
        choices=("comment", "code"),
        default="comment",
        help="what each edit types: a comment, or a statement calling a function",
    )
    parser.add_argument(
        "--index-wait",
        type=float,
        metavar="S",
        help="for a server that reports no indexing progress: seconds to wait for its index",
    )
    args = parser.parse_args(argv)
    package = package_root(args.package)
    files = pick_files(package, args.per_class)
    kinds = ["files", "package"] if args.workspace == "both" else [args.workspace]
    everything: dict[str, Any] = {"settings": vars(args), "python": sys.version}
    with tempfile.TemporaryDirectory(prefix="seedlint-lsp-bench-") as tmp:
        for kind in kinds:
            print(f"workspace {kind}:", file=sys.stderr)
            root, mapped = copy_corpus(kind, package, files, Path(tmp))
            measured = asyncio.run(
                measure(
                    root, mapped, args.edits, args.memory_edits, args.index_wait, args.edit_kind
                )
            )
            everything[kind] = measured
            report(kind, measured)
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
