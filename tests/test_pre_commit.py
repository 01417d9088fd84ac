"""The pre-commit hooks against the real pre-commit: `pre-commit try-repo` in throw-away git
repositories, with the hooks installed by pre-commit itself (its own virtualenv, seedlint
installed into it by pip from this repository's working tree, as a user's pre-commit would).

Each `try-repo` builds that environment afresh (about 10-30 s here), so the test makes three
calls, one per scenario:

* a seeding helper in a committed file that is not staged (and holds an unstaged edit that
  pre-commit stashes away): only the staged file is passed, and its findings still cite the
  helper, as a full `seedlint check` reports them;
* a partially seeded project with `--all-files`: the same lines as `seedlint check`;
* fixable files with `seedlint-fix --all-files`: rewritten as `seedlint check --fix` rewrites
  them in one process, and clean afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
_FINDING = re.compile(r"^\S+:\d+:\d+: SDL\d{3} .*$", re.MULTILINE)


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(tmp / "pre-commit-home"),
        PRE_COMMIT_COLOR="never",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(tmp),  # no user git configuration (hooks, templates, signing)
    )
    env.pop("SEEDLINT_DEBUG", None)
    env.pop("VIRTUAL_ENV", None)
    return env


def run(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, encoding="utf-8", timeout=timeout
    )


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    result = run(["git", *args], cwd, env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def seedlint(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "seedlint", "check", "--no-cache", *args], cwd, env)


def findings(output: str) -> list[str]:
    return sorted(_FINDING.findall(output))


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit")


@pytest.fixture(scope="module")
def env(tmp: Path) -> dict[str, str]:
    return _env(tmp)


@pytest.fixture(scope="module")
def hook_repo(tmp: Path, env: dict[str, str]) -> Path:
    """This repository's working tree (tracked and untracked files that git does not ignore)
    committed in a repository of its own: what `try-repo` installs is what is being tested,
    whether or not it is committed here."""
    listed = run(["git", "ls-files", "-co", "--exclude-standard", "-z"], REPO, env)
    assert listed.returncode == 0, listed.stderr
    hook = tmp / "hook-repo"
    for name in filter(None, listed.stdout.split("\0")):
        source = REPO / name
        if source.is_file():
            (hook / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, hook / name)
    assert (hook / ".pre-commit-hooks.yaml").is_file()
    git(hook, env, "init", "-q")
    git(hook, env, "add", "-A")
    git(hook, env, "commit", "-q", "-m", "seedlint under test")
    return hook


def new_repo(folder: Path, env: dict[str, str], files: dict[str, str]) -> Path:
    folder.mkdir()
    git(folder, env, "init", "-q")
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    git(folder, env, "add", "-A")
    git(folder, env, "commit", "-q", "-m", "initial")
    return folder


def try_repo(
    hook_repo: Path, cwd: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    result = run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), *args], cwd, env)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def test_manifest() -> None:
    """Both hooks run serially: pre-commit would otherwise split the files into batches in
    parallel processes, each reading the whole project again, and fix batches would plan
    against files another batch is rewriting."""
    import yaml  # pre-commit's own dependency

    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"seedlint", "seedlint-fix"}
    for hook in hooks.values():
        assert hook["types_or"] == ["python", "pyi", "jupyter"]
        assert hook["require_serial"] is True
        assert hook["language"] == "python"
    assert hooks["seedlint"]["entry"] == "seedlint check"
    assert hooks["seedlint-fix"]["entry"] == "seedlint check --fix"


HELPER = """\
import random

import numpy as np


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
"""

TRAIN = """\
import numpy as np
import torch

from utils import set_seed

if __name__ == "__main__":
    set_seed(0)
    x = np.random.rand(3)
    w = torch.randn(2)
"""


@pytest.mark.slow
def test_staged_file_read_with_its_unstaged_helper(
    hook_repo: Path, tmp: Path, env: dict[str, str]
) -> None:
    repo = new_repo(tmp / "helper", env, {"utils.py": HELPER, "train.py": TRAIN})
    (repo / "train.py").write_text(TRAIN + "    print(x, w)\n", encoding="utf-8")
    expected_all = findings(seedlint(repo, env, "-q").stdout)
    expected = [line for line in expected_all if line.startswith("train.py:")]
    assert any("SDL002" in line and "(utils.py:" in line for line in expected), expected_all
    git(repo, env, "add", "train.py")
    # An unstaged edit of the helper that would seed torch too: pre-commit checks what is
    # being committed, so it stashes this away while the hook runs.
    unstaged = HELPER + "    __import__('torch').manual_seed(seed)\n"
    (repo / "utils.py").write_text(unstaged, encoding="utf-8")

    result = try_repo(hook_repo, repo, env, "seedlint")  # staged files only: train.py
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "seedlint" in out and "Failed" in out
    assert findings(out) == expected
    assert (repo / "utils.py").read_text(encoding="utf-8") == unstaged  # restored


PARTIAL = """\
import random

import numpy as np
import torch


def main():
    random.seed(1)
    a = random.random()
    b = np.random.rand(2)
    return a, b, torch.rand(1)


if __name__ == "__main__":
    main()
"""


@pytest.mark.slow
def test_partially_seeded_project(hook_repo: Path, tmp: Path, env: dict[str, str]) -> None:
    repo = new_repo(tmp / "partial", env, {"job.py": PARTIAL, "clean.py": "print('hi')\n"})
    expected = findings(seedlint(repo, env).stdout)
    assert sum("SDL002" in line and "(job.py:8)" in line for line in expected) == 2
    result = try_repo(hook_repo, repo, env, "seedlint", "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert findings(result.stdout) == expected


@pytest.mark.slow
def test_fix_hook_rewrites_every_file(hook_repo: Path, tmp: Path, env: dict[str, str]) -> None:
    # Several fixable files (pre-commit would batch them), one seeded by a helper of another
    # library (its seed must stay), and a file with nothing to fix.
    names = ["numpy_seed_first", "stdlib_with_seed", "torch_manual_seed", "foreign_seed_helper"]
    files = {f"{n}.py": (FIXTURES / "fix" / f"{n}.in.py").read_text() for n in names}
    files["untouched.py"] = "import os\n\nprint(os.sep)\n"
    repo = new_repo(tmp / "fixable", env, files)
    # What one `seedlint check --fix` over the whole project writes.
    reference = tmp / "fixable-reference"
    shutil.copytree(repo, reference)
    seedlint(reference, env, "--fix", ".")

    result = try_repo(hook_repo, repo, env, "seedlint-fix", "--all-files")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "files were modified by this hook" in out
    for name in [*files]:
        got = (repo / name).read_text(encoding="utf-8")
        assert got == (reference / name).read_text(encoding="utf-8"), name
    for name in names:
        assert (repo / f"{name}.py").read_text() == (
            FIXTURES / "fix" / f"{name}.out.py"
        ).read_text()
    assert (repo / "untouched.py").read_text() == files["untouched.py"]
    # Nothing is left for the check hook's command.
    after = seedlint(repo, env, *files)
    assert after.returncode in (0, 1)
    assert findings(after.stdout) == findings(seedlint(reference, env, *files).stdout)
