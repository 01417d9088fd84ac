"""`seedlint lsp`: the language server (pygls), a thin adapter over `Session`/`Workspace`.

Threads: pygls reads messages on an asyncio loop; every `Workspace` call runs on one engine
thread (`self.engine`), one call at a time, so the loop keeps reading while a check runs.

Diagnostics, per open document: an edit marks the document dirty and starts a check unless
one is already running; edits that arrive while it runs are coalesced into one more check of
the newest text (that is the debounce: bursts cost one check, a lone edit is checked at once;
``debounceMs`` adds a delay on top).  Once a document's own diagnostics are out, the other open
documents of its folder are checked again and republished where their findings changed: a
seeding helper edited in one buffer changes SDL001/SDL002 in the files whose programs call it.
Clients that pull diagnostics (``textDocument/diagnostic``) are answered from the same state
and asked to pull again (``workspace/diagnostic/refresh``) when another file's findings change.

Robustness: an exception in a handler becomes an error response (requests) or a log message
(notifications, background checks); the server keeps running.  A file that does not parse
gets SDL900 from the Workspace.  Only files inside workspace folders are read, and only the
facts cache (``.seedlint_cache`` in each folder) is written.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import os
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from ... import __version__
from ...diagnostics import Diagnostic, Related, Span
from .actions import FIX_ALL_KIND, fix_title, kind_wanted, noqa_edit, text_edits
from .convert import LineIndex, to_lsp_diagnostic
from .options import ClientOptions, parse_client_options
from .session import Folder, Session

__all__ = ["FIX_ALL_COMMAND", "SeedlintServer", "create_server", "serve"]

FIX_ALL_COMMAND = "seedlint.applyAutofix"
# Other open files are checked again once the typing pauses this long.
QUIET_S = 0.2
_T = TypeVar("_T")
log = logging.getLogger("seedlint.lsp")


@dataclass
class Document:
    """What the server keeps per open document."""

    uri: str
    path: str
    dirty: bool = False
    task: asyncio.Task[None] | None = None
    version: int | None = None  # the version `findings` belong to
    findings: list[Diagnostic] | None = None
    published: list[types.Diagnostic] = field(default_factory=list)
    result_id: int = 0


class SeedlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "seedlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.engine = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seedlint-engine")
        self.quick = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seedlint-quick")
        self.session = Session()
        self.documents: dict[str, Document] = {}
        self.pull = False  # the client pulls diagnostics
        self._others: dict[str, asyncio.Task[None]] = {}  # folder -> recheck of its other files
        self._others_dirty: set[str] = set()
        self._last_edit = 0.0  # loop time of the latest edit
        self._warming: dict[int, asyncio.Future[None]] = {}  # id(Folder) -> indexing
        self._tokens = itertools.count(1)  # work-done progress tokens

    # --- plumbing ----------------------------------------------------------------------------
    async def on_engine(self, call: Callable[[], _T]) -> _T:
        return await asyncio.get_running_loop().run_in_executor(self.engine, call)

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        try:
            self.window_log_message(types.LogMessageParams(kind, message))
        except Exception:  # no client (yet), or it went away
            log.info(message)

    def report_crash(self, where: str, exc: BaseException) -> None:
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.log(f"seedlint: error in {where}: {detail}", types.MessageType.Error)

    def background(self, coroutine: Any, where: str) -> asyncio.Task[None]:
        async def guarded() -> None:
            try:
                await coroutine
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a background check must never take the server down
                self.report_crash(where, exc)

        return asyncio.ensure_future(guarded())

    def snapshot(self, uri: str) -> tuple[str, int | None]:
        document = self.workspace.get_text_document(uri)
        return document.source, document.version

    # --- conversion --------------------------------------------------------------------------
    def _line_text(self, path: str, cache: dict[str, LineIndex | None]) -> LineIndex | None:
        if path not in cache:
            text = self.session.text(path)
            if text is None:
                try:
                    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
                        text = handle.read()
                except OSError:
                    text = None
            cache[path] = None if text is None else LineIndex(text, self.encoding)
        return cache[path]

    def to_lsp(
        self, findings: list[Diagnostic], text: str, folder: Folder | None = None
    ) -> list[types.Diagnostic]:
        """(engine thread with `folder`) LSP diagnostics of one document's findings."""
        index = LineIndex(text, self.encoding)
        others: dict[str, LineIndex | None] = {}

        def in_file(path: str, cell: int | None, line: int, column: int) -> tuple[int, int]:
            # The Workspace gives notebook positions as (cell, line in cell): an editor shows
            # the .ipynb file itself.
            if cell is None or folder is None:
                return line, column
            return folder.workspace.notebook_position(path, cell, line, column) or (1, 1)

        def related(item: Related) -> types.Location | None:
            target = index if item.path == findings[0].path else self._line_text(item.path, others)
            if target is None:
                return None
            position = target.position(*in_file(item.path, item.cell, item.line, item.column))
            return types.Location(from_fs_path(item.path) or "", types.Range(position, position))

        placed = []
        for d in findings:
            if d.cell is not None:
                span = d.span
                start = in_file(d.path, d.cell, span.line, span.column)
                end = in_file(d.path, d.cell, span.end_line, span.end_column)
                d = replace(d, span=Span(*start, *end), cell=None)
            placed.append(d)
        return [to_lsp_diagnostic(d, index, related) for d in placed]

    # --- diagnostics -------------------------------------------------------------------------
    def schedule(self, uri: str) -> None:
        document = self.documents.get(uri)
        if document is None:
            return
        document.dirty = True
        self._last_edit = asyncio.get_running_loop().time()
        if document.task is None or document.task.done():
            document.task = self.background(self._check_loop(document), f"checking {uri}")

    async def _check_loop(self, document: Document) -> None:
        delay = self.session.options.debounce_s
        if delay:
            await asyncio.sleep(delay)
        while document.dirty and self.documents.get(document.uri) is document:
            document.dirty = False
            text, version = self.snapshot(document.uri)
            path = document.path
            indexing = self.session.peek(path)
            if indexing is not None and not indexing.warm:
                # The index is still being built (on the engine thread): show what needs no
                # other file at once, the rest when the index is there.
                quick = await asyncio.get_running_loop().run_in_executor(
                    self.quick, functools.partial(self.session.quick_check, indexing, path, text)
                )
                if not document.dirty and self.documents.get(document.uri) is document:
                    self._store(document, version, quick, self.to_lsp(quick, text))
                warming = self.ensure_warm(indexing)
                while not warming.done() and not document.dirty:
                    await asyncio.sleep(0.05)
                if document.dirty:
                    continue  # a newer text: its quick check first

            findings, converted, folder = await self.on_engine(
                functools.partial(self._check_one, path, text)
            )
            if document.dirty or self.documents.get(document.uri) is not document:
                continue  # stale: the newer text is checked next
            self._store(document, version, findings, converted)
            self.recheck_others(folder.path)

    def ensure_warm(self, folder: Folder) -> asyncio.Future[None]:
        """The (background) task that indexes `folder`, started if there is none."""
        task = self._warming.get(id(folder))
        if task is None or (task.done() and not folder.warm):
            task = self.background(self._indexing(folder), "indexing")
            self._warming[id(folder)] = task
        return task

    async def _indexing(self, folder: Folder) -> None:
        """Index `folder` on the engine thread, shown as work-done progress where the client
        supports it (editors show "seedlint: indexing"; a benchmark waits for its end)."""
        work = asyncio.ensure_future(self.on_engine(functools.partial(self.session.warm, folder)))
        window = self.client_capabilities.window
        token = None
        if window is not None and window.work_done_progress:
            token = f"seedlint-indexing-{id(folder)}-{next(self._tokens)}"
            try:
                await asyncio.wait_for(self.work_done_progress.create_async(token), 5)
                title = f"seedlint: indexing {os.path.basename(folder.path) or folder.path}"
                self.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=title))
            except Exception:  # the client refused or did not answer: no progress shown
                token = None
        try:
            await work
        finally:
            if token is not None:
                self.work_done_progress.end(token, types.WorkDoneProgressEnd())

    def _check_one(
        self, path: str, text: str
    ) -> tuple[list[Diagnostic], list[types.Diagnostic], Folder]:
        """(engine thread) One buffer's findings, and as LSP diagnostics."""
        folder = self.session.update(path, text)
        findings = self.session.check(folder, [path])[path]
        return findings, self.to_lsp(findings, text, folder), folder

    def _store(
        self,
        document: Document,
        version: int | None,
        findings: list[Diagnostic],
        converted: list[types.Diagnostic],
    ) -> None:
        changed = findings != document.findings
        document.version, document.findings = version, findings
        if changed:
            document.published = converted
            document.result_id += 1
        if not self.pull:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(document.uri, converted, version)
            )

    def recheck_others(self, folder_path: str) -> None:
        """Check the other open documents of a folder again (coalesced), republishing the
        ones whose findings changed."""
        self._others_dirty.add(folder_path)
        task = self._others.get(folder_path)
        if task is None or task.done():
            self._others[folder_path] = self.background(
                self._others_loop(folder_path), f"rechecking {folder_path}"
            )

    async def _quiet(self) -> None:
        """Wait until no edit came for `QUIET_S` and none is waiting: the document being
        typed in goes first, the other files catch up when the typing pauses.  No polling:
        a loop thread that wakes up during a check takes the GIL from the engine thread, and
        on a busy machine every such hand-over waits for a time slice."""
        loop = asyncio.get_running_loop()
        while True:
            wait = self._last_edit + QUIET_S - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            running = [
                d.task for d in self.documents.values() if d.task is not None and not d.task.done()
            ]
            if not running:
                return
            await asyncio.wait(running)

    async def _others_loop(self, folder_path: str) -> None:
        while folder_path in self._others_dirty:
            await self._quiet()
            self._others_dirty.discard(folder_path)
            targets = [
                d
                for d in self.documents.values()
                if not d.dirty and self.session.folder_for(d.path).path == folder_path
            ]
            if not targets:
                return
            texts = {d.uri: self.snapshot(d.uri) for d in targets}

            folder = self.session.folder_for(targets[0].path)
            paths = [d.path for d in targets]
            results = await self.on_engine(functools.partial(self.session.check, folder, paths))
            refreshed = False
            for document in targets:
                text, version = texts[document.uri]
                if document.dirty or self.documents.get(document.uri) is not document:
                    continue
                if self.snapshot(document.uri)[1] != version:
                    continue
                findings = results.get(document.path, [])
                if findings == document.findings:
                    continue
                convert = functools.partial(self.to_lsp, findings, text, folder)
                converted = await self.on_engine(convert)
                self._store(document, version, findings, converted)
                refreshed = True
            if refreshed and self.pull:
                self.workspace_diagnostic_refresh(None)

    async def current(self, uri: str) -> Document | None:
        """The document with findings for its current text (checking it if needed)."""
        document = self.documents.get(uri)
        if document is None:
            return None
        for _ in range(100):
            if document.task is not None and not document.task.done():
                await asyncio.shield(document.task)
            if document.version == self.snapshot(uri)[1] and document.findings is not None:
                return document
            self.schedule(uri)
        return document

    def recheck_all(self, folder_paths: set[str] | None = None) -> None:
        for path in {self.session.folder_for(d.path).path for d in self.documents.values()}:
            if folder_paths is None or path in folder_paths:
                self.recheck_others(path)

    # --- code actions ------------------------------------------------------------------------
    def _edit(
        self, uri: str, version: int | None, edits: list[types.TextEdit]
    ) -> types.WorkspaceEdit:
        workspace = self.client_capabilities.workspace
        edit_caps = workspace.workspace_edit if workspace else None
        if edit_caps is not None and edit_caps.document_changes:
            return types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        types.OptionalVersionedTextDocumentIdentifier(uri, version), list(edits)
                    )
                ]
            )
        return types.WorkspaceEdit(changes={uri: list(edits)})

    def fix_all_edit(self, uri: str) -> types.WorkspaceEdit | None:
        """(engine thread) Every fix the settings allow for one open document."""
        document = self.documents.get(uri)
        if document is None:
            return None
        text, version = self.snapshot(uri)
        self.session.update(document.path, text)
        options = self.session.options
        fix_options = options.fix
        if options.safe_only and not fix_options.safe_only:
            fix_options = replace(fix_options, safe_only=True)
        fixed = self.session.fix(document.path, fix_options)
        if fixed is None:
            return None
        return self._edit(uri, version, text_edits(fixed, self.encoding))

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        """(engine thread) The actions for a range of an open document."""
        uri = params.text_document.uri
        document = self.documents.get(uri)
        if document is None or document.findings is None:
            return []
        text, version = self.snapshot(uri)
        if version != document.version:
            return []  # findings of an older text: the client asks again after the next check
        only = list(params.context.only) if params.context.only is not None else None
        index = LineIndex(text, self.encoding)
        wanted = params.range
        by_key = {
            (d.code, d.range.start.line, d.range.start.character): d for d in document.published
        }
        actions: list[types.CodeAction] = []
        self.session.update(document.path, text)
        for finding in document.findings:
            found_range = index.range(finding.span)
            if found_range.end.line < wanted.start.line or found_range.start.line > wanted.end.line:
                continue
            shown = by_key.get((finding.code, found_range.start.line, found_range.start.character))
            attached = [shown] if shown is not None else None
            if finding.code != "SDL900" and kind_wanted(types.CodeActionKind.QuickFix, only):
                fixed = self.session.fix(
                    document.path, self.session.options.fix, only=[(finding.code, finding.span)]
                )
                if fixed is not None and fixed.applied:
                    actions.append(
                        types.CodeAction(
                            title=fix_title(finding, fixed),
                            kind=types.CodeActionKind.QuickFix,
                            diagnostics=attached,
                            is_preferred=True,
                            edit=self._edit(uri, version, text_edits(fixed, self.encoding)),
                        )
                    )
                noqa = noqa_edit(index, finding)
                if noqa is not None:
                    actions.append(
                        types.CodeAction(
                            title=f"Disable {finding.code} for this line",
                            kind=types.CodeActionKind.QuickFix,
                            diagnostics=attached,
                            edit=self._edit(uri, version, [noqa]),
                        )
                    )
        if kind_wanted(FIX_ALL_KIND, only) and any(f.code != "SDL900" for f in document.findings):
            edit = self.fix_all_edit(uri)
            if edit is not None:
                safe = " (stream-preserving fixes only)" if self.session.options.safe_only else ""
                actions.append(
                    types.CodeAction(
                        title=f"Fix all seedlint findings{safe}",
                        kind=FIX_ALL_KIND,
                        edit=edit,
                    )
                )
        return actions

    # --- settings and folders ----------------------------------------------------------------
    def apply_options(self, raw: object) -> ClientOptions:
        options, problems = parse_client_options(raw)
        for problem in problems:
            self.window_show_message(
                types.ShowMessageParams(types.MessageType.Warning, f"seedlint settings: {problem}")
            )
        return options

    def show_config_problems(self) -> None:
        for folder in self.session.all_folders():
            if folder.config_problem is not None:
                self.window_show_message(
                    types.ShowMessageParams(
                        types.MessageType.Warning,
                        f"seedlint: {folder.config_problem} (using the default settings)",
                    )
                )


def _path(uri: str) -> str | None:
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return os.path.abspath(path) if path else None


def create_server() -> SeedlintServer:
    server = SeedlintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: SeedlintServer, params: types.InitializeParams) -> None:
        ls.session.options = ls.apply_options(params.initialization_options)
        folders = [f.uri for f in params.workspace_folders or []]
        if not folders and params.root_uri:
            folders = [params.root_uri]
        for uri in folders:
            path = _path(uri)
            if path is not None:
                ls.session.add_folder(path)
        # Pull diagnostics only where the client can also be told to pull again when another
        # file's findings change (workspace/diagnostic/refresh); otherwise push, and do not
        # offer pull at all (a client doing both would show every finding twice).
        text_caps = params.capabilities.text_document
        workspace_caps = params.capabilities.workspace
        refresh = workspace_caps.diagnostics if workspace_caps else None
        ls.pull = bool(
            text_caps and text_caps.diagnostic is not None and refresh and refresh.refresh_support
        )
        if not ls.pull:
            ls.protocol.fm.features.pop(types.TEXT_DOCUMENT_DIAGNOSTIC, None)
            ls.protocol.fm.feature_options.pop(types.TEXT_DOCUMENT_DIAGNOSTIC, None)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: SeedlintServer, params: types.InitializedParams) -> None:
        ls.show_config_problems()
        workspace = ls.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched is not None and watched.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[
                    types.FileSystemWatcher(glob_pattern="**/*.py"),
                    types.FileSystemWatcher(glob_pattern="**/pyproject.toml"),
                ]
            )
            registration = types.Registration(
                "seedlint-watched-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options
            )
            ls.client_register_capability(types.RegistrationParams([registration]))
        # The initial index, in the background (the engine thread; a check asked for first is
        # queued behind it, and needs the same index anyway).
        for folder in list(ls.session.folders.values()):
            ls.ensure_warm(folder)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SeedlintServer, params: types.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = _path(uri)
        if path is None:
            return
        ls.documents[uri] = Document(uri, path)
        ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SeedlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: SeedlintServer, params: types.DidSaveTextDocumentParams) -> None:
        document = ls.documents.get(params.text_document.uri)
        if document is not None:
            ls.session.files_changed([document.path])
            ls.schedule(document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: SeedlintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        document = ls.documents.pop(uri, None)
        if document is None:
            return
        if document.task is not None:
            document.task.cancel()
        folder = await ls.on_engine(lambda: ls.session.close(document.path))
        if not ls.pull:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
        ls.recheck_others(folder.path)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier="seedlint", inter_file_dependencies=True, workspace_diagnostics=False
        ),
    )
    async def diagnostic(
        ls: SeedlintServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        uri = params.text_document.uri
        document = ls.documents.get(uri)
        if document is None:
            path = _path(uri)
            if path is None or not os.path.isfile(path):
                return types.RelatedFullDocumentDiagnosticReport(items=[])
            ls.documents[uri] = document = Document(uri, path)
            ls.schedule(uri)
        document = await ls.current(uri)
        if document is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = str(document.result_id)
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(
            items=document.published, result_id=result_id
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],
            resolve_provider=False,
        ),
    )
    async def code_action(
        ls: SeedlintServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        await ls.current(params.text_document.uri)
        return await ls.on_engine(lambda: ls.code_actions(params))

    @server.command(FIX_ALL_COMMAND)
    async def fix_all(ls: SeedlintServer, *args: Any) -> None:
        uri = _uri_argument(args)
        if uri is None or uri not in ls.documents:
            raise ValueError(f"{FIX_ALL_COMMAND} needs the URI of an open document")
        await ls.current(uri)
        edit = await ls.on_engine(lambda: ls.fix_all_edit(uri))
        if edit is not None:
            await ls.workspace_apply_edit_async(
                types.ApplyWorkspaceEditParams(edit, label="seedlint: fix all")
            )

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: SeedlintServer, params: types.DidChangeConfigurationParams
    ) -> None:
        raw = params.settings
        workspace = ls.client_capabilities.workspace
        if not raw and workspace is not None and workspace.configuration:
            answers = await ls.workspace_configuration_async(
                types.ConfigurationParams([types.ConfigurationItem(section="seedlint")])
            )
            raw = answers[0] if answers else None
        options = ls.apply_options(raw)
        await ls.on_engine(lambda: ls.session.reconfigure(options))
        ls.show_config_problems()
        ls.recheck_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(
        ls: SeedlintServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        paths = [p for p in (_path(change.uri) for change in params.changes) if p is not None]
        affected = await ls.on_engine(lambda: ls.session.files_changed(paths))
        ls.recheck_all(affected)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_folders(
        ls: SeedlintServer, params: types.DidChangeWorkspaceFoldersParams
    ) -> None:
        def run() -> None:
            for removed in params.event.removed:
                path = _path(removed.uri)
                if path is not None:
                    ls.session.remove_folder(path)
            for added in params.event.added:
                path = _path(added.uri)
                if path is not None:
                    ls.session.add_folder(path)

        await ls.on_engine(run)
        ls.recheck_all()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: SeedlintServer, params: None) -> None:
        ls.engine.shutdown(wait=False, cancel_futures=True)
        ls.quick.shutdown(wait=False, cancel_futures=True)

    return server


def _uri_argument(args: tuple[Any, ...]) -> str | None:
    """The document URI from executeCommand arguments: ``[uri]`` or ``[{"uri": uri}]``."""
    values: list[Any] = list(args)
    while len(values) == 1 and isinstance(values[0], (list, tuple)):
        values = list(values[0])
    for value in values:
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and isinstance(value.get("uri"), str):
            return str(value["uri"])
        uri = getattr(value, "uri", None)
        if isinstance(uri, str):
            return uri
    return None


def serve() -> None:
    """Run the server on standard input and output until the client says exit."""
    logging.basicConfig(level=logging.WARNING)
    create_server().start_io()
