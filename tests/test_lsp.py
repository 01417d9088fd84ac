"""`seedlint lsp` end to end: a real LSP client (pytest-lsp) talking to the server over stdio.

Each test starts the server (`python -m seedlint lsp`) on a copy of
``fixtures/projects/lsp_helper`` (train.py's program calls `seed_everything` from
seeding.py, which seeds random and numpy but not torch: SDL002 on its torch draw).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from seedlint.urls import rule_docs_url

from .conftest import FIXTURES

try:
    import pytest_lsp
    from lsprotocol import types
    from pytest_lsp import ClientServerConfig, LanguageClient
except ImportError:  # CI installs them (the `test` extra); skipping needs an explicit yes
    if os.environ.get("SEEDLINT_ALLOW_SKIP") == "1":
        pytest.skip("pytest-lsp is not installed (SEEDLINT_ALLOW_SKIP=1)", allow_module_level=True)
    raise


PROJECT = FIXTURES / "projects" / "lsp_helper"
SERVER = [sys.executable, "-m", "seedlint", "lsp"]
TIMEOUT = 30.0


def uri(path: Path) -> str:
    return path.resolve().as_uri()


def apply_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions, the default) to `text`, last first."""
    lines = text.splitlines(keepends=True) or [""]

    def offset(position: types.Position) -> int:
        before = sum(len(line) for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return before + index
            units += 2 if ord(char) > 0xFFFF else 1
        return before + len(line.rstrip("\r\n"))

    spans = sorted(
        ((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_of(edit: types.WorkspaceEdit, target: str) -> list[types.TextEdit]:
    if edit.changes:
        return list(edit.changes.get(target, []))
    found: list[types.TextEdit] = []
    for change in edit.document_changes or []:
        assert isinstance(change, types.TextDocumentEdit)
        if change.text_document.uri == target:
            found.extend(e for e in change.edits if isinstance(e, types.TextEdit))
    return found


async def wait_until(
    client: LanguageClient,
    target: str,
    predicate: Callable[[list[types.Diagnostic]], bool],
    what: str,
) -> list[types.Diagnostic]:
    """The diagnostics published for `target` once `predicate` holds (fails after TIMEOUT)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while loop.time() < deadline:
        if target in client.diagnostics:
            current = list(client.diagnostics[target])
            if predicate(current):
                return current
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}: {client.diagnostics.get(target)}")


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


class Editor:
    """The client, the project copy, and what an editor does with them."""

    def __init__(self, client: LanguageClient, root: Path) -> None:
        self.client = client
        self.root = root
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.applied: list[types.WorkspaceEdit] = []

    def open(self, name: str, text: str | None = None) -> str:
        path = self.root / name
        target = uri(path)
        if text is None:
            text = path.read_text(encoding="utf-8")
        self.versions[target] = 1
        self.texts[target] = text
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(target, "python", 1, text))
        )
        return target

    def change(self, target: str, text: str) -> None:
        self.versions[target] += 1
        self.texts[target] = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=target, version=self.versions[target]),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def edit(self, target: str, edits: Sequence[types.TextEdit]) -> str:
        """Apply edits as the editor would (incremental changes), returning the new text."""
        new = apply_edits(self.texts[target], edits)
        self.versions[target] += 1
        self.texts[target] = new
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=target, version=self.versions[target]),
                [
                    types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                    for e in sorted(
                        edits, key=lambda e: (e.range.start.line, e.range.start.character)
                    )[::-1]
                ],
            )
        )
        return new

    async def actions(
        self, target: str, line: int, only: list[str] | None = None
    ) -> list[types.CodeAction]:
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(target),
                types.Range(types.Position(line, 0), types.Position(line, 0)),
                types.CodeActionContext(diagnostics=[], only=only),
            )
        )
        return [a for a in result or [] if isinstance(a, types.CodeAction)]


def capabilities(*, pull: bool = False, encodings: list[str] | None = None) -> Any:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings)
        if encodings
        else None,
        workspace=types.WorkspaceClientCapabilities(
            apply_edit=True,
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=False
            ),
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True),
        ),
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                related_information=True
            ),
            code_action=types.CodeActionClientCapabilities(),
            diagnostic=types.DiagnosticClientCapabilities() if pull else None,
        ),
    )


async def start(
    client: LanguageClient,
    root: Path,
    *,
    options: dict[str, Any] | None = None,
    pull: bool = False,
    encodings: list[str] | None = None,
) -> tuple[Editor, types.InitializeResult]:
    editor = Editor(client, root)

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        editor.applied.append(params.edit)
        return types.ApplyWorkspaceEditResult(applied=True)

    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(pull=pull, encodings=encodings),
            workspace_folders=[types.WorkspaceFolder(uri(root), root.name)],
            initialization_options=options,
        )
    )
    return editor, result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(PROJECT, root)
    (root / "pyproject.toml").write_text("[project]\nname = 'proj'\n", encoding="utf-8")
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> Any:
    yield
    await lsp_client.shutdown_session()


# --- diagnostics -------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_diagnostics_on_open_and_after_an_edit(client: LanguageClient, project: Path) -> None:
    editor, result = await start(client, project)
    assert result.capabilities.position_encoding in (None, "utf-16")
    train = editor.open("train.py")
    found = await wait_until(client, train, lambda d: len(d) == 2, "SDL002 and SDL104")
    assert codes(found) == ["SDL002", "SDL104"]
    sdl002 = next(d for d in found if d.code == "SDL002")
    assert sdl002.source == "seedlint"
    assert sdl002.severity == types.DiagnosticSeverity.Warning
    assert sdl002.range == types.Range(types.Position(6, 12), types.Position(6, 26))
    assert "seeds only random and numpy" in sdl002.message
    assert sdl002.code_description is not None
    # The web page SARIF links too (`seedlint.urls`), never a path on this machine.
    assert sdl002.code_description.href == rule_docs_url("SDL002")
    assert sdl002.code_description.href.startswith("https://")
    related = sdl002.related_information or []
    assert [(r.location.uri, r.location.range.start.line) for r in related][:1] == [
        (uri(project / "seeding.py"), 7)
    ]
    # An edit: the torch draw goes, and so do its findings.
    editor.change(train, editor.texts[train].replace("torch.randn(3)", "torch.zeros(3)"))
    assert await wait_until(client, train, lambda d: not d, "no findings") == []


@pytest.mark.asyncio
async def test_positions_in_utf16_and_in_utf8(client: LanguageClient, project: Path) -> None:
    editor, result = await start(client, project, encodings=["utf-8", "utf-16"])
    assert result.capabilities.position_encoding == "utf-8"
    legacy = editor.open("legacy.py")
    found = await wait_until(client, legacy, lambda d: len(d) == 3, "three SDL101")
    # `label = "🎲"; pick = np.random.randint(...)`: code point 20, UTF-8 byte 23.
    assert sorted(d.range.start.character for d in found if d.range.start.line == 4) == [23]


@pytest.mark.asyncio
async def test_utf16_is_the_default(client: LanguageClient, project: Path) -> None:
    editor, _ = await start(client, project)
    legacy = editor.open("legacy.py")
    found = await wait_until(client, legacy, lambda d: len(d) == 3, "three SDL101")
    # The die is one code point but two UTF-16 code units.
    assert sorted(d.range.start.character for d in found if d.range.start.line == 4) == [21]


@pytest.mark.asyncio
async def test_a_file_that_does_not_parse_gets_sdl900(
    client: LanguageClient, project: Path
) -> None:
    editor, _ = await start(client, project)
    broken = editor.open("broken.py", "import random\nx = random.random(\n")
    found = await wait_until(client, broken, lambda d: bool(d), "SDL900")
    assert codes(found) == ["SDL900"]
    assert found[0].severity == types.DiagnosticSeverity.Error
    # The rest keeps working.
    train = editor.open("train.py")
    assert codes(await wait_until(client, train, lambda d: len(d) == 2, "train")) == [
        "SDL002",
        "SDL104",
    ]


@pytest.mark.asyncio
async def test_a_project_indexed_by_worker_processes(client: LanguageClient, project: Path) -> None:
    """Enough files for the loader's process pool, started from the server's threads."""
    for i in range(40):
        (project / f"module_{i}.py").write_text(
            f"import random\n\n\ndef helper_{i}():\n    return random.random()\n",
            encoding="utf-8",
        )
    editor, _ = await start(client, project)
    train = editor.open("train.py")
    assert codes(await wait_until(client, train, lambda d: len(d) == 2, "train")) == [
        "SDL002",
        "SDL104",
    ]


@pytest.mark.asyncio
async def test_indexing_is_reported_as_work_done_progress(
    client: LanguageClient, project: Path
) -> None:
    """Editors show it; once it has ended, a file's first diagnostics are the whole
    project's (before, a buffer gets its single-file findings first)."""
    caps = capabilities()
    caps.window = types.WindowClientCapabilities(work_done_progress=True)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=caps, workspace_folders=[types.WorkspaceFolder(uri(project), "proj")]
        )
    )

    def ended() -> bool:
        reports = list(client.progress_reports.values())
        return bool(reports) and all(
            r and isinstance(r[-1], types.WorkDoneProgressEnd) for r in reports
        )

    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while not ended():
        assert loop.time() < deadline, f"indexing did not end: {client.progress_reports}"
        await asyncio.sleep(0.02)
    ((_, reports),) = client.progress_reports.items()
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert reports[0].title == "seedlint: indexing proj"
    editor = Editor(client, project)
    train = editor.open("train.py")
    first = await wait_until(client, train, lambda d: True, "the first diagnostics of train.py")
    assert codes(first) == ["SDL002", "SDL104"]


@pytest.mark.asyncio
async def test_a_notebook_opened_as_a_file(client: LanguageClient, project: Path) -> None:
    """The Workspace places findings in notebooks by cell; the editor shows the .ipynb file,
    so ranges are in the file's JSON text, at the code they are about."""
    source = FIXTURES / "notebooks" / "seeds_numpy_draws_torch.ipynb"
    shutil.copyfile(source, project / "analysis.ipynb")
    editor, _ = await start(client, project)
    target = editor.open("analysis.ipynb")
    found = await wait_until(client, target, lambda d: len(d) == 4, "the notebook's findings")
    lines = editor.texts[target].splitlines()
    starts = sorted(
        (str(d.code), lines[d.range.start.line][d.range.start.character :].split("(")[0])
        for d in found
    )
    assert starts == [
        ("SDL002", "torch.randn"),
        ("SDL101", "np.random.rand"),
        ("SDL101", "np.random.seed"),
        ("SDL104", "torch.randn"),
    ]


# --- cross-file --------------------------------------------------------------------------------


def has_sdl002(diagnostics: list[types.Diagnostic]) -> bool:
    return "SDL002" in codes(diagnostics)


@pytest.mark.asyncio
async def test_editing_the_helper_buffer_updates_the_other_open_file(
    client: LanguageClient, project: Path
) -> None:
    editor, _ = await start(client, project)
    train = editor.open("train.py")
    await wait_until(client, train, has_sdl002, "SDL002 in train.py")
    seeding = editor.open("seeding.py")
    await wait_until(client, seeding, lambda d: len(d) == 2, "seeding.py findings")
    original = editor.texts[seeding]
    with_torch = original.replace("import random\n", "import random\n\nimport torch\n").replace(
        "    np.random.seed(seed)", "    np.random.seed(seed)\n    torch.manual_seed(seed)"
    )
    editor.change(seeding, with_torch)  # unsaved: only the buffer seeds torch
    after = await wait_until(client, train, lambda d: not has_sdl002(d), "SDL002 gone")
    assert codes(after) == ["SDL104"]
    editor.change(seeding, original)
    await wait_until(client, train, has_sdl002, "SDL002 back")


@pytest.mark.asyncio
async def test_a_file_changed_on_disk_is_picked_up(client: LanguageClient, project: Path) -> None:
    editor, _ = await start(client, project)
    train = editor.open("train.py")
    await wait_until(client, train, has_sdl002, "SDL002 in train.py")
    helper = project / "seeding.py"
    helper.write_text(
        "import torch\n\n\ndef seed_everything(seed):\n    torch.manual_seed(seed)\n",
        encoding="utf-8",
    )
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(uri(helper), types.FileChangeType.Changed)]
        )
    )
    after = await wait_until(client, train, lambda d: not has_sdl002(d), "SDL002 gone")
    assert codes(after) == ["SDL104"]


# --- code actions ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_quick_fix_removes_the_finding_and_the_code_compiles(
    client: LanguageClient, project: Path
) -> None:
    editor, _ = await start(client, project)
    legacy = editor.open("legacy.py")
    await wait_until(client, legacy, lambda d: len(d) == 3, "three SDL101")
    actions = await editor.actions(legacy, 3, only=[types.CodeActionKind.QuickFix])
    fixes = [a for a in actions if a.title.startswith("Fix SDL101")]
    assert len(fixes) == 1, [a.title for a in actions]
    fix = fixes[0]
    assert fix.title.endswith("(stream-changing: other random numbers)"), fix.title
    assert fix.diagnostics and fix.diagnostics[0].code == "SDL101"
    assert fix.edit is not None
    new = editor.edit(legacy, edits_of(fix.edit, legacy))
    compile(new, "legacy.py", "exec")
    assert "np.random.rand(" not in new
    remaining = await wait_until(
        client, legacy, lambda d: all(x.range.start.line != 3 for x in d), "line 4 fixed"
    )
    assert remaining, "the findings not fixed stay"


@pytest.mark.asyncio
async def test_disable_for_this_line_adds_and_merges_noqa(
    client: LanguageClient, project: Path
) -> None:
    editor, _ = await start(client, project)
    text = "import random\nimport numpy as np\n\nx = random.random()  # noqa: SDL101\n"
    target = editor.open("noqa_case.py", text)
    found = await wait_until(client, target, lambda d: len(d) == 2, "SDL001 and SDL103")
    assert codes(found) == ["SDL001", "SDL103"]
    actions = await editor.actions(target, 3)
    disable = [a for a in actions if a.title == "Disable SDL103 for this line"]
    assert len(disable) == 1 and disable[0].edit is not None
    new = editor.edit(target, edits_of(disable[0].edit, target))
    assert new.splitlines()[3] == "x = random.random()  # noqa: SDL101, SDL103"
    await wait_until(client, target, lambda d: codes(d) == ["SDL001"], "SDL103 suppressed")
    actions = await editor.actions(target, 3)
    disable = [a for a in actions if a.title == "Disable SDL001 for this line"]
    assert len(disable) == 1 and disable[0].edit is not None
    new = editor.edit(target, edits_of(disable[0].edit, target))
    assert new.splitlines()[3] == "x = random.random()  # noqa: SDL101, SDL103, SDL001"
    await wait_until(client, target, lambda d: not d, "all suppressed")
    # A line without a comment gets one.
    editor.change(target, new + "y = random.random()\n")
    await wait_until(client, target, lambda d: len(d) == 2, "line 5")
    actions = await editor.actions(target, 4)
    disable = [a for a in actions if a.title == "Disable SDL103 for this line"]
    new = editor.edit(target, edits_of(disable[0].edit, target))
    assert new.splitlines()[4] == "y = random.random()  # noqa: SDL103"


@pytest.mark.asyncio
async def test_fix_all_code_action_and_command(client: LanguageClient, project: Path) -> None:
    editor, _ = await start(client, project, options={"safeOnly": False})
    legacy = editor.open("legacy.py")
    await wait_until(client, legacy, lambda d: len(d) == 3, "three SDL101")
    actions = await editor.actions(legacy, 0, only=["source.fixAll"])
    assert [a.kind for a in actions] == ["source.fixAll.seedlint"]
    assert actions[0].edit is not None
    new = apply_edits(editor.texts[legacy], edits_of(actions[0].edit, legacy))
    compile(new, "legacy.py", "exec")
    assert "np.random.seed" not in new and "default_rng(7)" in new
    # The command does the same through workspace/applyEdit.
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams("seedlint.applyAutofix", [legacy])
    )
    assert len(editor.applied) == 1
    assert apply_edits(editor.texts[legacy], edits_of(editor.applied[0], legacy)) == new
    editor.edit(legacy, edits_of(editor.applied[0], legacy))
    await wait_until(client, legacy, lambda d: not d, "everything fixed")


@pytest.mark.asyncio
async def test_fix_all_is_safe_only_by_default(client: LanguageClient, project: Path) -> None:
    editor, _ = await start(client, project)
    legacy = editor.open("legacy.py")
    await wait_until(client, legacy, lambda d: len(d) == 3, "three SDL101")
    actions = await editor.actions(legacy, 0, only=["source.fixAll.seedlint"])
    # Every fix here changes numpy's stream (default_rng): nothing safe to apply.
    assert actions == []


# --- settings, pull diagnostics, robustness -----------------------------------------------------


@pytest.mark.asyncio
async def test_settings_from_pyproject_initialization_and_configuration_change(
    client: LanguageClient, project: Path
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.seedlint]\nignore = ["SDL104"]\n', encoding="utf-8"
    )
    editor, _ = await start(client, project, options={"seedlint": {"ignore": ["SDL002"]}})
    train = editor.open("train.py")
    legacy = editor.open("legacy.py")
    await wait_until(client, legacy, lambda d: len(d) == 3, "legacy")
    await wait_until(client, train, lambda d: not d, "SDL104 (pyproject) and SDL002 ignored")
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams({"seedlint": {"select": ["SDL002"]}})
    )
    await wait_until(client, train, lambda d: codes(d) == ["SDL002"], "select SDL002 only")
    await wait_until(client, legacy, lambda d: not d, "SDL101 no longer selected")


@pytest.mark.asyncio
async def test_pull_diagnostics(client: LanguageClient, project: Path) -> None:
    editor, result = await start(client, project, pull=True)
    assert result.capabilities.diagnostic_provider is not None
    train = editor.open("train.py")
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(train))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert codes(list(report.items)) == ["SDL002", "SDL104"]
    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            types.TextDocumentIdentifier(train), previous_result_id=report.result_id
        )
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    assert train not in client.diagnostics  # nothing pushed to a client that pulls


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("editor_spec", "character"),
    [("neovim@v0.11.0", 23), ("visual-studio-code@v1.65.2", 21), ("emacs@v29.1", 20)],
)
async def test_with_the_capabilities_real_editors_send(
    client: LanguageClient, project: Path, editor_spec: str, character: int
) -> None:
    """Capabilities captured from real editors (shipped with pytest-lsp): each gets pushed
    diagnostics (neovim 0.11 pulls, but cannot be asked to pull again when another file
    changes, so it is not offered pull) in the encoding it prefers (utf-8, utf-16, utf-32)."""
    from pytest_lsp import client_capabilities

    registered: list[str] = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registered.extend(r.method for r in params.registrations)

    capabilities = client_capabilities(editor_spec)
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            workspace_folders=[types.WorkspaceFolder(uri(project), project.name)],
        )
    )
    assert result.capabilities.diagnostic_provider is None
    editor = Editor(client, project)
    legacy = editor.open("legacy.py")
    found = await wait_until(client, legacy, lambda d: len(d) == 3, "three SDL101")
    assert [d.range.start.character for d in found if d.range.start.line == 4] == [character]
    # Editors that can watch files for the server are asked to.
    watched = capabilities.workspace and capabilities.workspace.did_change_watched_files
    if watched and watched.dynamic_registration:
        assert registered == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    else:
        assert registered == []


@pytest.mark.asyncio
async def test_an_exception_in_a_request_does_not_kill_the_server(
    client: LanguageClient, project: Path
) -> None:
    editor, _ = await start(client, project)
    with pytest.raises(Exception, match="needs the URI of an open document"):
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams("seedlint.applyAutofix", [])
        )
    train = editor.open("train.py")
    await wait_until(client, train, lambda d: len(d) == 2, "still checking")


# --- without pygls -----------------------------------------------------------------------------


def test_lsp_without_pygls_says_how_to_install_it(tmp_path: Path) -> None:
    """pygls made unimportable (a None entry in sys.modules stops its import)."""
    script = textwrap.dedent(
        """
        import sys
        sys.modules["pygls"] = None
        from seedlint.integrations.cli import main
        sys.exit(main(["lsp"]))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 2
    assert "pip install 'seedlint[lsp]'" in result.stderr
    assert "Traceback" not in result.stderr


# --- the quick check while the index is built ----------------------------------------------


def test_quick_check_is_the_full_check_without_the_project_wide_rules(project: Path) -> None:
    """What the server shows before the index is built: every finding of the full check
    except SDL001/SDL002 (which need the other files), none invented."""
    from seedlint.integrations.lsp.session import PROJECT_WIDE, Session

    assert PROJECT_WIDE == {"SDL001", "SDL002"}
    session = Session()
    folder = session.add_folder(str(project))
    for name in ("train.py", "seeding.py", "legacy.py"):
        path = str(project / name)
        text = (project / name).read_text(encoding="utf-8")
        quick = session.quick_check(folder, path, text)
        session.update(path, text)
        full = session.check(folder, [path])[path]
        assert quick == [d for d in full if d.code not in PROJECT_WIDE], name
    assert folder.warm
