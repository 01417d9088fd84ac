"""The defects that made two engines disagree, each pinned (issue: one engine under every
front end).  Each of these failed on the code before the Workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from seedlint.config import Overrides
from seedlint.diagnostics import Diagnostic
from seedlint.settings import Settings
from seedlint.workspace import Workspace

from .test_fixtures import PROJECTS
from .test_workspace_equivalence import run_main

HELPER_PARTIAL = PROJECTS / "helper_partial"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """helper_partial in a folder of its own that is its project root."""
    root = tmp_path / "proj"
    shutil.copytree(HELPER_PARTIAL, root)
    (root / ".git").mkdir()
    return root


def _codes(diagnostics: tuple[Diagnostic, ...], path: Path) -> list[str]:
    return [d.code for d in diagnostics if d.path == str(path)]


def test_one_file_alone_still_sees_the_seeding_helper(project: Path) -> None:
    """Checking train.py alone (as flake8, pre-commit and editors do) gives SDL002 "seeds only
    random and numpy", not SDL001 "never seeds": the helper in common.py counts."""
    train = project / "train.py"
    for workspace in (
        Workspace(project, use_cache=False),
        Workspace.from_config([train], use_cache=False),
    ):
        codes = _codes(workspace.check([train]).diagnostics, train)
        assert "SDL002" in codes and "SDL001" not in codes, codes
        # The same through a buffer that differs from the disk only in a comment.
        workspace.set_overlay(train, train.read_text() + "# unsaved edit\n")
        codes = _codes(workspace.check([train]).diagnostics, train)
        assert "SDL002" in codes and "SDL001" not in codes, codes


def test_stdin_buffer_is_a_file_of_its_project(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    train = project / "train.py"
    output = run_main(
        monkeypatch, capsys, "check", "--no-cache", "--stdin-filename", "train.py", "-",
        cwd=project, stdin=train.read_text(),
    )  # fmt: skip
    assert "SDL002" in output and "(common.py:8)" in output and "SDL001" not in output
    # The buffer overrides the file on disk: a buffer that seeds torch too has no SDL002.
    seeded = train.read_text().replace("import torch\n", "import torch\ntorch.manual_seed(0)\n")
    assert seeded != train.read_text()
    output = run_main(
        monkeypatch, capsys, "check", "--no-cache", "--stdin-filename", "train.py", "-",
        cwd=project, stdin=seeded,
    )  # fmt: skip
    assert "SDL002" not in output, output


def test_cached_results_render_paths_for_the_current_directory(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A warm cache written from inside the project, then read from its parent, says
    `(proj/common.py:8)`, as a run without cache from the parent does."""
    cache = str(tmp_path / "cache")
    inside = run_main(monkeypatch, capsys, "check", "--cache-dir", cache, str(project), cwd=project)
    assert "(common.py:8)" in inside
    parent_warm = run_main(
        monkeypatch, capsys, "check", "--cache-dir", cache, str(project), cwd=tmp_path
    )
    parent_cold = run_main(monkeypatch, capsys, "check", "--no-cache", str(project), cwd=tmp_path)
    assert "(proj/common.py:8)" in parent_warm
    assert parent_warm == parent_cold


BINOMIAL = "import random\nx = random.binomialvariate(5)\n"


@pytest.mark.parametrize(
    ("version", "found"), [((3, 10), False), ((3, 11), False), ((3, 12), True), ((3, 13), True)]
)
def test_target_version_decides_which_stdlib_functions_exist(
    version: tuple[int, int], found: bool, tmp_path: Path
) -> None:
    """`random.binomialvariate` is 3.12+: what is found depends on the target version, not on
    the Python that runs seedlint."""
    (tmp_path / ".git").mkdir()
    script = tmp_path / "draw.py"
    script.write_text(BINOMIAL)
    workspace = Workspace.from_config(
        [script], overrides=Overrides(target_version=version), use_cache=False
    )
    codes = _codes(workspace.check([script]).diagnostics, script)
    assert ("SDL103" in codes) == found, codes


def test_target_version_from_the_configuration_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.seedlint]\ntarget-version = "py313"\n')
    (tmp_path / "draw.py").write_text(BINOMIAL)
    cache = str(tmp_path / "cache")
    output = run_main(monkeypatch, capsys, "check", "--cache-dir", cache, "draw.py", cwd=tmp_path)
    assert "draw.py:2:5: SDL103 `random.binomialvariate`" in output
    # The same facts cache, another target: the cache key holds the target version.
    output = run_main(
        monkeypatch, capsys, "check", "--cache-dir", cache, "--target-version", "py311",
        "draw.py", cwd=tmp_path,
    )  # fmt: skip
    assert "SDL103" not in output, output


def test_default_target_knows_every_supported_version(tmp_path: Path) -> None:
    """No target version: the code may run on any supported Python, so a function that some
    of them have is known."""
    script = tmp_path / "draw.py"
    script.write_text(BINOMIAL)
    workspace = Workspace(tmp_path, Settings(), use_cache=False, project_context=False)
    assert "SDL103" in _codes(workspace.check([script]).diagnostics, script)


@pytest.mark.parametrize("through_helper", [False, True])
def test_which_of_two_same_named_modules_is_imported_never_depends_on_what_was_asked(
    tmp_path: Path, through_helper: bool
) -> None:
    """`utils` exists in two folders and neither is beside the importer: the one chosen must
    not depend on the order in which a front end listed the files (nor must which of them is
    parsed, when they name no random API and seed through a helper)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    for folder, seeds in (("x", True), ("y", False)):
        (tmp_path / folder).mkdir()
        if through_helper:  # no random API named: "program" tier, parsed only when reached
            body = "import seeding\n\n\ndef set_seed():\n    "
            body += "seeding.seed_all()\n" if seeds else "pass\n"
        else:
            body = "import random\n\n\ndef set_seed():\n    "
            body += "random.seed(0)\n" if seeds else "pass\n"
        (tmp_path / folder / "utils.py").write_text(body)
    (tmp_path / "x" / "seeding.py").write_text(
        "import random\n\n\ndef seed_all():\n    random.seed(0)\n"
    )
    (tmp_path / "z").mkdir()
    train = tmp_path / "z" / "train.py"
    train.write_text(
        "import random\n\nfrom utils import set_seed\n\n"
        "if __name__ == '__main__':\n    set_seed()\n    print(random.random())\n"
    )
    answers = set()
    for first in ("x", "y"):
        for asked in ([tmp_path / first / "utils.py", train], [train], [tmp_path]):
            report = Workspace(tmp_path, Settings(), use_cache=False).check(asked)
            answers.add(tuple(d for d in report.diagnostics if d.path == str(train)))
    assert len(answers) == 1, answers
