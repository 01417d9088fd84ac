"""Command-line paths -> files (seedlint.discovery), and what the CLI makes of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from seedlint.discovery import Discovery, DiscoveryError, discover, find_project_root
from seedlint.integrations.cli import main
from seedlint.settings import Settings
from seedlint.workspace import Workspace


def touch(root: Path, *names: str, text: str = "x = 1\n") -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def found(root: Path, *paths: str | Path, settings: Settings | None = None) -> list[str]:
    result = discover([root / p for p in paths] or [root], settings, root=root)
    return [Path(f).relative_to(root).as_posix() for f in result.files]


def test_walks_folders_for_python_files_sorted(tmp_path: Path) -> None:
    touch(tmp_path, "b.py", "a.py", "pkg/z.py", "pkg/__init__.py", "pkg/sub/m.py")
    touch(tmp_path, "notes.txt", "stub.pyi", "script", "pkg/data.json")
    assert found(tmp_path) == ["a.py", "b.py", "pkg/__init__.py", "pkg/sub/m.py", "pkg/z.py"]


@pytest.mark.parametrize(
    "folder",
    [
        ".git",
        ".hg",
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
        "demo.egg-info",
        "src/build",
    ],
)
def test_usual_folders_are_skipped(tmp_path: Path, folder: str) -> None:
    touch(tmp_path, "keep.py", f"{folder}/skipped.py")
    assert found(tmp_path) == ["keep.py"]


def test_a_file_merely_named_like_a_skipped_folder_is_kept(tmp_path: Path) -> None:
    touch(tmp_path, "build.py", "dist.py")
    assert found(tmp_path) == ["build.py", "dist.py"]


def test_gitignore(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("# generated\ngenerated/\n*_pb2.py\n/top_only.py\n")
    touch(
        tmp_path,
        "a.py",
        "generated/g.py",
        "pkg/generated/g.py",
        "pkg/api_pb2.py",
        "top_only.py",
        "pkg/top_only.py",
    )
    assert found(tmp_path) == ["a.py", "pkg/top_only.py"]


def test_nested_gitignore_is_relative_to_its_folder(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.tmp.py\n")
    touch(tmp_path, "pkg/.gitignore", text="/local.py\n!keep.tmp.py\n")
    touch(tmp_path, "local.py", "pkg/local.py", "pkg/sub/local.py", "x.tmp.py", "pkg/keep.tmp.py")
    assert found(tmp_path) == ["local.py", "pkg/keep.tmp.py", "pkg/sub/local.py"]


def test_gitignore_above_the_given_folder_applies(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("src/gen/\n")
    touch(tmp_path, "src/a.py", "src/gen/g.py")
    result = discover([tmp_path / "src"], root=tmp_path)
    assert [Path(f).name for f in result.files] == ["a.py"]


def test_gitignore_above_a_repository_root_does_not_apply(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    touch(tmp_path, "repo/a.py")
    assert [Path(f).name for f in discover([tmp_path / "repo"], root=tmp_path).files] == ["a.py"]


def test_gitignore_above_the_given_folder_without_git_up_to_the_root(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("gen/\n")
    touch(tmp_path, "src/a.py", "src/gen/g.py")
    assert [Path(f).name for f in discover([tmp_path / "src"], root=tmp_path).files] == ["a.py"]
    # Outside the project root (and without a repository) it does not apply.
    outside = discover([tmp_path / "src"], root=tmp_path / "src").files
    assert [Path(f).name for f in outside] == ["a.py", "g.py"]


def test_ignored_folder_is_not_entered_even_with_a_negation_inside(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("out/\n")
    touch(tmp_path, "out/.gitignore", text="!*.py\n")
    touch(tmp_path, "out/x.py")
    assert found(tmp_path) == []


def test_explicit_files_are_always_checked(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("ignored.py\n")
    touch(tmp_path, "ignored.py", "build/b.py", "script", "gen/g.py")
    settings = Settings(extend_exclude=("gen",))
    assert found(tmp_path, "ignored.py", "build/b.py", "script", "gen/g.py", settings=settings) == [
        "build/b.py",
        "gen/g.py",
        "ignored.py",
        "script",
    ]


def test_an_explicit_excluded_folder_is_walked(tmp_path: Path) -> None:
    touch(tmp_path, "build/a.py", "build/__pycache__/c.py", "build/sub/b.py")
    assert found(tmp_path, "build") == ["build/a.py", "build/sub/b.py"]


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "build/b.py", "migrations/m.py", "pkg/migrations/m.py", "docs/conf.py")
    assert found(tmp_path, settings=Settings(extend_exclude=("migrations",))) == [
        "a.py",
        "docs/conf.py",
    ]
    assert found(tmp_path, settings=Settings(exclude=("docs/conf.py",))) == [
        "a.py",
        "build/b.py",
        "migrations/m.py",
        "pkg/migrations/m.py",
    ]


def test_anchored_exclude_is_relative_to_the_root(tmp_path: Path) -> None:
    touch(tmp_path, "src/gen/a.py", "lib/src/gen/b.py")
    assert found(tmp_path, settings=Settings(extend_exclude=("src/gen",))) == ["lib/src/gen/b.py"]


def test_duplicates_are_removed(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    assert found(tmp_path, "a.py", ".", "a.py") == ["a.py"]


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(DiscoveryError, match="missing.py"):
        discover([tmp_path / "missing.py"])


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    touch(tmp_path, "real/a.py")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    assert found(tmp_path) == ["real/a.py"]


def test_broken_symlink_found_while_walking_is_kept_for_reporting(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    (tmp_path / "gone.py").symlink_to(tmp_path / "nowhere.py")
    assert found(tmp_path) == ["a.py", "gone.py"]


def test_a_folder_named_like_a_python_file_is_walked(tmp_path: Path) -> None:
    touch(tmp_path, "odd.py/inner.py")
    assert found(tmp_path) == ["odd.py/inner.py"]


def test_unlistable_folder_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path, "a.py", "locked/b.py")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = Workspace(tmp_path).check([tmp_path])
    assert [(Path(d.path).name, d.code, d.message) for d in report.diagnostics] == [
        ("locked", "SDL900", "cannot read directory: permission denied")
    ]


def test_find_project_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    touch(tmp_path, "src/pkg/a.py", "tests/t.py")
    assert find_project_root([tmp_path / "src/pkg/a.py"]) == tmp_path
    assert find_project_root([tmp_path / "src", tmp_path / "tests/t.py"]) == tmp_path
    (tmp_path / "src" / ".git").mkdir()
    assert find_project_root([tmp_path / "src/pkg"]) == tmp_path / "src"


def test_discovery_result_type(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    result = discover([tmp_path], root=tmp_path)
    assert result == Discovery(files=(str(tmp_path / "a.py"),), errors=())


# --- through the command line ----------------------------------------------------------------


def test_cli_missing_path_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "missing.py"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "seedlint: error: no such file or directory: missing.py\n"


def test_cli_skips_ignored_but_checks_explicit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    program = "import random\nx = random.random()\n"
    (tmp_path / ".gitignore").write_text("gen/\n")
    touch(tmp_path, "gen/g.py", ".venv/v.py", text=program)
    monkeypatch.chdir(tmp_path)
    assert main(["--select", "SDL103", "."]) == 0
    assert capsys.readouterr().out == "All checks passed!\n"
    assert main(["--select", "SDL103", "gen/g.py"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"gen{os.sep}g.py:2:5: SDL103 ")


def test_cli_no_files_warns_and_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([]) == 0
    out, err = capsys.readouterr()
    assert out == "All checks passed!\n"
    assert "no Python files" in err
