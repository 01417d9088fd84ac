"""One engine, many front ends: every fixture project gives the same findings through every
entry point, and `seedlint check`'s text output on it is pinned.

Entry points compared (each project is copied to its own folder, which is its project root):
the CLI (JSON) from the project folder and from another working directory, with a cold and a
warm cache, with `-j1` and `-j2`; `Workspace` in-process, without overlays and with every file
given as an overlay while the file on disk says something else; each file through stdin
(`seedlint check - --stdin-filename PATH`); the language server (`seedlint lsp`, a real client
opening every file: related locations compared without the CLI's `cited` flag, which LSP has
no field for).  flake8 is compared with `seedlint check` on the same projects in
tests/test_flake8_plugin.py.

The snapshots (fixtures/projects/_snapshots/NAME.txt) are the exact text output of
`seedlint check .` run inside the project: message wording is part of the interface.  After a
deliberate change, regenerate them with ``SEEDLINT_UPDATE_SNAPSHOTS=1 python -m pytest
tests/test_workspace_equivalence.py`` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from seedlint.diagnostics import Diagnostic
from seedlint.integrations.cli import main
from seedlint.workspace import Workspace

from .lsp_findings import lsp_findings
from .test_fixtures import PROJECTS, project_fixtures, project_settings

REPO = Path(__file__).resolve().parent.parent
SNAPSHOTS = PROJECTS / "_snapshots"
UPDATE = os.environ.get("SEEDLINT_UPDATE_SNAPSHOTS") == "1"

# A finding as a front end can be compared: paths relative to the project root.
Finding = tuple[Any, ...]


def seedlint(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "seedlint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        env=env,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    return result


def run_main(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    cwd: Path,
    stdin: str | None = None,
) -> str:
    """The command line in this process (the same `main` the console script runs): the
    subprocess start-up would cost more than the check."""
    with monkeypatch.context() as patch:
        patch.chdir(cwd)
        if stdin is not None:
            patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
        status = main(list(args))
    captured = capsys.readouterr()
    assert status in (0, 1), captured.err
    return captured.out


def copy_project(project: Path, into: Path) -> Path:
    """The project in a folder of its own that is its root (a `.git` marker unless it has its
    own pyproject.toml), so that nothing around it in this repository is read."""
    target = into / project.name
    shutil.copytree(project, target)
    if not (target / "pyproject.toml").exists():
        (target / ".git").mkdir()
    return target


def _relative(path: str, root: Path, cwd: Path) -> str:
    return Path(os.path.normpath(cwd / path)).relative_to(root).as_posix()


def from_json(stdout: str, root: Path, cwd: Path) -> list[Finding]:
    findings = []
    for item in json.loads(stdout):
        related = tuple(
            (_relative(r["path"], root, cwd), r["line"], r["column"], r["message"], r["cited"])
            for r in item["related"]
        )
        findings.append(
            (
                _relative(item["path"], root, cwd),
                item["line"],
                item["column"],
                item["end_line"],
                item["end_column"],
                item["code"],
                item["message"],
                related,
            )
        )
    return sorted(findings)


def from_diagnostics(diagnostics: tuple[Diagnostic, ...], root: Path) -> list[Finding]:
    def rel(path: str) -> str:
        return Path(path).relative_to(root).as_posix()

    return sorted(
        (
            rel(d.path),
            d.span.line,
            d.span.column,
            d.span.end_line,
            d.span.end_column,
            d.code,
            d.message,
            tuple((rel(r.path), r.line, r.column, r.message, r.cited) for r in d.related),
        )
        for d in diagnostics
    )


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if ".git" not in p.parts)


PROJECT_IDS = {"ids": lambda p: p.name}


@pytest.mark.parametrize("project", project_fixtures(), **PROJECT_IDS)
def test_text_output_is_pinned(project: Path, tmp_path: Path) -> None:
    root = copy_project(project, tmp_path)
    output = seedlint("check", "--no-cache", ".", cwd=root).stdout
    snapshot = SNAPSHOTS / f"{project.name}.txt"
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(output, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot {snapshot.name}: run with SEEDLINT_UPDATE_SNAPSHOTS=1"
    assert output == snapshot.read_text(encoding="utf-8"), (
        f"`seedlint check .` in {project.name} differs from {snapshot.relative_to(REPO)}"
        " (regenerate with SEEDLINT_UPDATE_SNAPSHOTS=1 after a deliberate change)"
    )


def test_every_snapshot_belongs_to_a_project() -> None:
    names = {p.name for p in project_fixtures()}
    stale = sorted(s.stem for s in SNAPSHOTS.glob("*.txt") if s.stem not in names)
    assert not stale, f"snapshots without a fixture project: {stale}"


@pytest.mark.parametrize("project", project_fixtures(), **PROJECT_IDS)
def test_every_entry_point_gives_the_same_findings(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = copy_project(project, tmp_path / "work")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = tmp_path / "cache"

    def cli(*args: str, cwd: Path = root) -> list[Finding]:
        target = "." if cwd == root else str(root)
        output = run_main(monkeypatch, capsys, "check", "--format", "json", *args, target, cwd=cwd)
        return from_json(output, root, cwd)

    reference = cli("--no-cache", "-j1")
    assert reference, f"{project.name}: no findings at all, nothing to compare"
    runs: dict[str, list[Finding]] = {
        "-j2": cli("--no-cache", "-j2"),
        "cache cold": cli("--cache-dir", str(cache)),
        "cache warm": cli("--cache-dir", str(cache)),
        "another cwd, cache warm": cli("--cache-dir", str(cache), cwd=elsewhere),
        "another cwd, no cache": cli("--no-cache", cwd=elsewhere),
    }

    settings = project_settings(root)
    runs["Workspace"] = from_diagnostics(
        Workspace(root, settings, use_cache=False).check([root]).diagnostics, root
    )
    # Every file as a buffer while the disk says something else: the buffers alone decide.
    workspace = Workspace(root, settings, use_cache=False)
    for path in python_files(root):
        workspace.set_overlay(path, path.read_text(encoding="utf-8"))
        path.write_text("import random\nrandom.seed()\nrandom.random()\n", encoding="utf-8")
    runs["Workspace with overlays"] = from_diagnostics(workspace.check([root]).diagnostics, root)
    for path in python_files(root):
        overlay = workspace.overlay(str(path))
        assert overlay is not None
        path.write_text(overlay, encoding="utf-8")

    # Each file on stdin, as an editor or pre-commit hands it over: the rest from disk.
    stdin: list[Finding] = []
    for path in python_files(root):
        relative = path.relative_to(root).as_posix()
        output = run_main(
            monkeypatch, capsys,
            "check", "--no-cache", "--format", "json", "--stdin-filename", relative, "-",
            cwd=root, stdin=path.read_text(encoding="utf-8"),
        )  # fmt: skip
        stdin += from_json(output, root, root)
    runs["stdin, file by file"] = sorted(stdin)

    # The language server, every file open: positions back in code points, 1-based.
    without_cited = sorted((*f[:7], tuple(r[:4] for r in f[7])) for f in reference)
    expected = {name: reference for name in runs}
    runs["language server"] = lsp_findings(root, python_files(root))
    expected["language server"] = without_cited

    differing = {name: found for name, found in runs.items() if found != expected[name]}
    assert not differing, "\n".join(
        f"{name}:\n  only here: {sorted(set(found) - set(expected[name]))}\n"
        f"  missing: {sorted(set(expected[name]) - set(found))}"
        for name, found in differing.items()
    )
