"""Findings as the language server publishes them, for comparing with the other front ends:
a real client (pygls) over stdio opens every given file of a project and collects the
diagnostics published for it, once the server's index is built."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from .conftest import require

TIMEOUT = 120.0


def _code_points(line: str, units: int) -> int:
    """The column (0-based, in code points) `units` UTF-16 code units into `line`."""
    counted = 0
    for index, char in enumerate(line):
        if counted >= units:
            return index
        counted += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def lsp_findings(root: Path, files: list[Path]) -> list[tuple[Any, ...]]:
    """(path relative to root, line, column, end line, end column, code, message, related
    as (path, line, column, message)), 1-based positions in code points as the CLI gives."""
    require("pygls")
    return asyncio.run(_collect(root, files))


async def _collect(root: Path, files: list[Path]) -> list[tuple[Any, ...]]:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("seedlint-equivalence", "1")
    published: dict[str, list[types.Diagnostic]] = {}
    progress: dict[str, str] = {}
    changed = asyncio.Event()

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def create(params: types.WorkDoneProgressCreateParams) -> None:
        progress[str(params.token)] = "created"

    @client.feature(types.PROGRESS)
    def report(params: types.ProgressParams) -> None:
        value = params.value
        kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
        progress[str(params.token)] = str(kind)
        changed.set()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        published[params.uri] = list(params.diagnostics)
        changed.set()

    async def until(done: Any, what: str) -> None:
        deadline = asyncio.get_running_loop().time() + TIMEOUT
        while not done():
            changed.clear()
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"language server: timed out waiting for {what}")
            try:
                await asyncio.wait_for(changed.wait(), min(remaining, 0.5))
            except asyncio.TimeoutError:
                pass

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    await client.start_io(sys.executable, "-m", "seedlint", "lsp", env=env, cwd=str(root))
    try:
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(
                    window=types.WindowClientCapabilities(work_done_progress=True),
                    text_document=types.TextDocumentClientCapabilities(
                        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                            related_information=True
                        )
                    ),
                ),
                workspace_folders=[types.WorkspaceFolder(root.as_uri(), root.name)],
                process_id=os.getpid(),
            )
        )
        client.initialized(types.InitializedParams())
        # Once the index is built every check is the whole project's (before, a buffer gets
        # its single-file findings first).
        await until(lambda: progress and all(k == "end" for k in progress.values()), "indexing")
        uris = {path.resolve().as_uri(): path for path in files}
        for target, path in uris.items():
            text = path.read_text(encoding="utf-8")
            client.text_document_did_open(
                types.DidOpenTextDocumentParams(types.TextDocumentItem(target, "python", 1, text))
            )
        await until(lambda: uris.keys() <= published.keys(), "diagnostics of every file")
        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
    finally:
        await client.stop()

    lines: dict[str, list[str]] = {}

    def place(uri: str, position: types.Position) -> tuple[str, int, int]:
        path = Path(uri.removeprefix("file://"))
        if uri not in lines:
            lines[uri] = _lines(path)
        text = lines[uri]
        line = text[position.line] if position.line < len(text) else ""
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        return relative, position.line + 1, _code_points(line, position.character) + 1

    found = []
    for target, diagnostics in published.items():
        if target not in uris:
            continue
        for d in diagnostics:
            path, line, column = place(target, d.range.start)
            _, end_line, end_column = place(target, d.range.end)
            related = tuple(
                (*place(r.location.uri, r.location.range.start), r.message)
                for r in d.related_information or []
            )
            found.append((path, line, column, end_line, end_column, d.code, d.message, related))
    return sorted(found)
