"""The flake8 plugin against the real flake8 (a subprocess), compared with `seedlint check`.

Every fixture is copied into a throw-away project (a folder with a `pyproject.toml`, so that
the project root is known and nothing of this repository is read); flake8 runs from files
(with `-j2`, so the plugin runs in flake8's worker processes) and from standard input with
`--stdin-display-name`, and its `path:line:col: CODE message` lines must be exactly those
of `seedlint check` for the same files.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_fixtures import project_fixtures

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
PROJECTS = project_fixtures()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SEEDLINT_DEBUG", None)
    return env


def flake8(
    cwd: Path, *args: str, stdin: str | None = None, check_status: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        env=_env(),
    )
    if check_status:
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr, result.stderr
    return result


def seedlint(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "seedlint", "check", "--no-cache", "-q", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        env=_env(),
    )
    assert result.returncode in (0, 1), result.stderr
    return result


def lines_of(output: str) -> list[str]:
    """Finding lines, paths as `seedlint check` shows them (flake8 shows `./a.py` for files
    found by walking `.`), in a stable order."""
    return sorted(line.removeprefix("./") for line in output.splitlines() if line.strip())


def make_project(folder: Path, source: Path | None = None, pyproject: str = "") -> Path:
    """A project root: `source`'s files (if any) and a pyproject.toml."""
    if source is not None:
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns("__pycache__"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(pyproject or "[project]\nname = 'x'\n")
    return folder


@pytest.fixture(scope="module")
def all_fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture file (single files and projects) as one project."""
    root = tmp_path_factory.mktemp("flake8") / "fixtures"
    return make_project(root, FIXTURES)


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each fixture project as a project of its own, side by side in one folder."""
    parent = tmp_path_factory.mktemp("flake8-projects")
    for project in PROJECTS:
        make_project(parent / project.name, project)
    return parent


def _split_syntax_errors(lines: list[str], code: str) -> tuple[list[str], set[tuple[str, str]]]:
    """(the other lines, {(path, line)} of the `code` lines)."""
    rest = [line for line in lines if f" {code} " not in line]
    errors = {tuple(line.split(":")[:2]) for line in lines if f" {code} " in line}
    return rest, errors  # type: ignore[return-value]


def test_files_match_seedlint_check(all_fixtures: Path) -> None:
    # flake8 checks .py files only; seedlint also checks notebooks.
    expected = [
        line
        for line in lines_of(seedlint(all_fixtures, ".").stdout)
        if not line.split(":", 1)[0].endswith(".ipynb")
    ]
    got = lines_of(flake8(all_fixtures, "--select", "SDL,E999", "-j2", ".").stdout)
    assert len(expected) > 400  # the fixtures hold hundreds of findings
    # flake8 never runs AST plugins on a file it cannot parse: it reports E999 itself, on
    # the line seedlint's SDL900 names.
    expected, unparsable = _split_syntax_errors(expected, "SDL900")
    got, e999 = _split_syntax_errors(got, "E999")
    assert len(unparsable) == 5 and unparsable <= e999
    # Syntax newer than the Python running flake8 (fixtures/sdl900/pep*_valid.py): flake8
    # parses with that Python's `ast` and stops at E999; seedlint analyses them.
    newer = {path for path, _ in e999 - unparsable}
    for path in newer:
        try:
            ast.parse((all_fixtures / path).read_bytes())
        except SyntaxError:
            continue
        raise AssertionError(f"flake8 reported E999 for {path}, which this Python parses")
    expected = [line for line in expected if line.split(":", 1)[0] not in newer]
    assert got == expected


def test_each_project_root_matches_seedlint_check(projects: Path) -> None:
    """One flake8 run over several projects: each file is checked with its own project's
    context (a Workspace per root), as `seedlint check` run inside that project."""
    expected = []
    for project in PROJECTS:
        # Run from the folder above: paths (and cited paths) relative to it, as flake8's.
        expected += lines_of(seedlint(projects, project.name).stdout)
    got = lines_of(flake8(projects, "--select", "SDL", ".").stdout)
    assert any("SDL002" in line and "(" in line for line in expected)  # cross-file citations
    assert sorted(got) == sorted(expected)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_stdin_buffer_overrides_the_file_on_disk(project: Path, tmp_path: Path) -> None:
    """Through `flake8 --stdin-display-name PATH -` the buffer is the file: here the file on
    disk is stale (it holds nothing), and the findings are those of the real text."""
    root = make_project(tmp_path / project.name, project)
    files = sorted(root.rglob("*.py"))
    expected_all = lines_of(seedlint(root, ".").stdout)
    # The file of the project with the most findings of its own.
    target = max(
        files,
        key=lambda f: sum(
            line.startswith(f"{f.relative_to(root).as_posix()}:") for line in expected_all
        ),
    )
    name = target.relative_to(root).as_posix()
    expected = [line for line in expected_all if line.startswith(f"{name}:")]
    text = target.read_text(encoding="utf-8")
    target.write_text("x = 1\n", encoding="utf-8")
    got = flake8(root, "--select", "SDL", "--stdin-display-name", name, "-", stdin=text).stdout
    assert lines_of(got) == expected


def test_unsaved_edit_changes_the_cross_file_finding(projects: Path) -> None:
    root = projects / "helper_partial"
    text = (root / "train.py").read_text(encoding="utf-8")
    edited = text.replace("set_seed(1)", "pass")
    args = ("--stdin-display-name", "train.py", "-")
    saved = flake8(root, "--select", "SDL", *args, stdin=text).stdout
    unsaved = flake8(root, "--select", "SDL", *args, stdin=edited).stdout
    assert "SDL002" in saved and "(common.py:8)" in saved and "SDL001" not in saved
    assert "SDL001" in unsaved and "SDL002" not in unsaved
    assert lines_of(unsaved) == lines_of(
        seedlint(root, "--stdin-filename", "train.py", "-", stdin=edited).stdout
    )


# --- flake8 decides what is shown ------------------------------------------------------------

SOURCE = """\
import random

import numpy as np

a = np.random.rand(3)
b = random.random()  # noqa: SDL103
c = np.random.rand(3)  # noqa
d = np.random.randint(  # noqa: SDL101
    0, 10
)
e = random.choice([1, 2])  # noqa: E501
"""


def _codes(output: str) -> list[str]:
    """`line:col: CODE` of each finding."""
    return [line.split(" ")[0].split(":", 1)[1] + line.split(" ")[1] for line in lines_of(output)]


@pytest.fixture
def noqa_project(tmp_path: Path) -> Path:
    # [tool.seedlint] hides SDL101 from `seedlint check`; under flake8, flake8's options decide.
    root = make_project(
        tmp_path / "p",
        pyproject='[tool.seedlint]\nignore = ["SDL101"]\n'
        'per-file-ignores = {"mod.py" = ["SDL103"]}\n',
    )
    (root / "mod.py").write_text(SOURCE, encoding="utf-8")
    return root


def test_flake8_noqa_select_ignore(noqa_project: Path) -> None:
    root = noqa_project
    # (Module-level draws are SDL001 too; SDL1 keeps this about one rule per line.)
    everything = ["5:5:SDL101", "6:5:SDL103", "7:5:SDL101", "8:5:SDL101", "11:5:SDL103"]
    # --disable-noqa: every finding, whatever [tool.seedlint] or the comments say.
    shown = _codes(flake8(root, "--select", "SDL1", "--disable-noqa", "mod.py").stdout)
    assert shown == sorted(everything)
    # flake8's noqa: blanket, by code, and on the first line of a multi-line call.
    shown = _codes(flake8(root, "--select", "SDL1", "mod.py").stdout)
    assert shown == sorted(["5:5:SDL101", "11:5:SDL103"])
    # Plain flake8 (default selection) shows SDL findings next to pyflakes' and pycodestyle's.
    plain = flake8(root, "--disable-noqa", "mod.py").stdout
    assert "SDL001" in plain and "SDL101" in plain and "SDL103" in plain
    # --ignore / --extend-ignore / --select prefixes / --extend-select.
    shown = _codes(flake8(root, "--extend-ignore", "SDL101,SDL0", "mod.py").stdout)
    assert shown == ["11:5:SDL103"]
    shown = _codes(flake8(root, "--select", "SDL", "--ignore", "SDL103,SDL0", "mod.py").stdout)
    assert shown == ["5:5:SDL101"]
    shown = _codes(flake8(root, "--select", "E", "--extend-select", "SDL103", "mod.py").stdout)
    assert shown == ["11:5:SDL103"]
    # --per-file-ignores.
    args = ("--select", "SDL1", "--per-file-ignores", "mod.py:SDL101", "mod.py")
    assert _codes(flake8(root, *args).stdout) == ["11:5:SDL103"]
    # The same through flake8's configuration file.
    (root / ".flake8").write_text("[flake8]\nselect = SDL1\nper-file-ignores = mod.py:SDL103\n")
    assert _codes(flake8(root, "mod.py").stdout) == ["5:5:SDL101"]
    # `seedlint check` applies [tool.seedlint]'s ignore and per-file-ignores instead.
    shown = _codes(seedlint(root, "mod.py").stdout)
    assert shown == ["11:5:SDL001", "5:5:SDL001", "6:5:SDL001", "8:5:SDL001"]


def test_seedlint_skip_file_still_applies(noqa_project: Path) -> None:
    root = noqa_project
    (root / "mod.py").write_text("# seedlint: skip-file\n" + SOURCE, encoding="utf-8")
    assert flake8(root, "--select", "SDL", "--disable-noqa", "mod.py").stdout == ""


# --- seedlint's options through flake8 -------------------------------------------------------


def test_strict_option(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", FIXTURES / "projects" / "conditional_seed")
    default = lines_of(flake8(root, "--select", "SDL", "cli.py").stdout)
    strict = lines_of(flake8(root, "--select", "SDL", "--seedlint-strict", "cli.py").stdout)
    assert len(strict) > len(default)
    assert strict == lines_of(seedlint(root, "--strict", "cli.py").stdout)
    assert default == lines_of(seedlint(root, "cli.py").stdout)
    # In flake8's configuration.
    (root / "setup.cfg").write_text("[flake8]\nseedlint-strict = true\n")
    assert lines_of(flake8(root, "--select", "SDL", "cli.py").stdout) == strict
    # [tool.seedlint] strict applies unless flake8's configuration says otherwise.
    (root / "setup.cfg").unlink()
    (root / "pyproject.toml").write_text("[tool.seedlint]\nstrict = true\n")
    assert lines_of(flake8(root, "--select", "SDL", "cli.py").stdout) == strict
    (root / "setup.cfg").write_text("[flake8]\nseedlint-strict = false\n")
    assert lines_of(flake8(root, "--select", "SDL", "cli.py").stdout) == default


def test_target_version_option(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    # random.binomialvariate exists from Python 3.12 on: before that it is no random API.
    (root / "m.py").write_text("import random\n\nx = random.binomialvariate(5)\n")
    old = flake8(root, "--select", "SDL", "--seedlint-target-version", "py311", "m.py").stdout
    new = flake8(root, "--select", "SDL", "--seedlint-target-version", "py312", "m.py").stdout
    assert "SDL103" not in old and "3:5: SDL103" in new
    for version in ("py311", "py312"):
        got = flake8(root, "--select", "SDL", "--seedlint-target-version", version, "m.py")
        want = seedlint(root, "--target-version", version, "m.py")
        assert lines_of(got.stdout) == lines_of(want.stdout)
    (root / ".flake8").write_text("[flake8]\nseedlint-target-version = py312\n")
    assert flake8(root, "--select", "SDL", "m.py").stdout == new
    bad = flake8(root, "--seedlint-target-version", "3.12", "m.py", check_status=False)
    assert bad.returncode == 2
    assert "--seedlint-target-version" in bad.stderr and "py312" in bad.stderr


# --- cost of files without random APIs ------------------------------------------------------


def test_files_without_random_apis_build_nothing(tmp_path: Path) -> None:
    """In-process: the plugin class on a file that names no random API answers from the
    prefilter alone (no Workspace, so no project is read)."""
    import ast

    from seedlint.integrations import flake8 as plugin

    plugin._reset()
    lines = ["import os\n", "\n", "print(os.getcwd())\n"]
    checker = plugin.SeedlintChecker(ast.parse("".join(lines)), lines, str(tmp_path / "a.py"))
    assert list(checker.run()) == []
    assert not plugin._projects
    lines = ["import numpy as np\n", "x = np.random.rand(3)\n"]
    checker = plugin.SeedlintChecker(ast.parse("".join(lines)), lines, str(tmp_path / "b.py"))
    found = list(checker.run())
    assert [(line, col, msg.split()[0]) for line, col, msg, _ in found] == [
        (2, 4, "SDL001"),
        (2, 4, "SDL101"),
    ]
    assert plugin._projects
    plugin._reset()


def test_buffer_unlike_the_analysed_file_is_checked_on_its_own(tmp_path: Path) -> None:
    """In-process, files mode: a project is analysed once; a file whose text is what was
    analysed takes its findings from that, and a different text (here: a buffer that drops the
    seeding call) is checked over the rest of the project, never answered from the stale
    analysis."""
    import ast

    from seedlint.integrations import flake8 as plugin

    root = make_project(tmp_path / "p", FIXTURES / "projects" / "helper_partial")
    train = str(root / "train.py")
    plugin._reset()
    plugin.SeedlintChecker.from_stdin = False
    try:

        def codes(text: str) -> list[str]:
            lines = text.splitlines(keepends=True)
            checker = plugin.SeedlintChecker(ast.parse(text), lines, train)
            return sorted(message.split()[0] for _, _, message, _ in checker.run())

        saved = (root / "train.py").read_text(encoding="utf-8")
        assert codes(saved) == ["SDL002", "SDL002", "SDL104"]
        (project,) = plugin._projects.values()
        assert project._findings is not None and train in project._keys  # analysed once
        assert codes(saved.replace("set_seed(1)", "pass")) == ["SDL001", "SDL001", "SDL104"]
        assert codes(saved) == ["SDL002", "SDL002", "SDL104"]
    finally:
        plugin._reset()
