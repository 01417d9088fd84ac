"""Differential suite: small multi-file programs (fixtures/programs/, see its README) run
before and after `--fix`.

* `--fix --safe-only`, with either numpy target: the program prints exactly what it printed
  before (that is what "stream-preserving" promises, over the whole program);
* plain `--fix`: the program raises nothing it did not raise before, every file compiles, a
  second `--fix` changes nothing, lines printed with `INVARIANT` are unchanged (e.g. two
  streams that differed still differ), and a program whose two runs printed the same still
  does (its seed still decides everything).

Each program runs in a child forked from one interpreter that imported numpy, torch,
scikit-learn and networkx once, from a copy of its folder (its own cwd and sys.path).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from seedlint.fixes import FixOptions
from seedlint.settings import Settings
from seedlint.workspace import Workspace

from .conftest import FIXTURES, require

PROGRAMS_DIR = FIXTURES / "programs"
PROGRAMS = sorted(p.name for p in PROGRAMS_DIR.iterdir() if p.is_dir())
VARIANTS = ("before", "before2", "safe-generator", "safe-randomstate", "fix", "fix2")

_RUNNER = """
import os, runpy, sys, traceback, warnings
warnings.simplefilter("ignore")
import numpy, torch, sklearn.model_selection, networkx
for line in sys.stdin.read().splitlines():
    folder, how = line.split("\\t")
    with open(os.path.join(folder, ".out"), "wb") as out:
        pid = os.fork()
        if pid == 0:
            os.dup2(out.fileno(), 1)
            os.dup2(out.fileno(), 2)
            os.chdir(folder)
            sys.path.insert(0, folder)
            code = 0
            try:
                if how.startswith("-m "):
                    runpy.run_module(how[3:], run_name="__main__", alter_sys=True)
                else:
                    sys.argv = [os.path.join(folder, how)]
                    runpy.run_path(os.path.join(folder, how), run_name="__main__")
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
    print(folder, os.waitstatus_to_exitcode(status))
"""


def _options(folder: Path, **changes: object) -> FixOptions:
    extra = folder / "options.txt"
    words = shlex.split(extra.read_text()) if extra.exists() else []
    seed = None
    style = "module"
    for i, word in enumerate(words):
        if word == "--seed":
            seed = int(words[i + 1])
        elif word.startswith("--fix-style="):
            style = word.split("=", 1)[1]
    options = {"seed": seed, "fix_style": style, **changes}
    return FixOptions(**options)  # type: ignore[arg-type]


def _fix(folder: Path, options: FixOptions) -> list[str]:
    workspace = Workspace(folder, Settings(), use_cache=False, jobs=1)
    result = workspace.fix([folder], options)
    assert not result.skipped, result.skipped
    return [a.applicability for a in result.applied]


def _compiles(folder: Path) -> None:
    for path in folder.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[int, str]]:
    for module in ("numpy", "torch", "sklearn", "networkx"):
        require(module)
    base = tmp_path_factory.mktemp("programs")
    jobs: list[tuple[Path, str]] = []
    for name in PROGRAMS:
        source = PROGRAMS_DIR / name
        how = "main.py"
        if (source / "run.txt").exists():
            how = (source / "run.txt").read_text().strip()
        for variant in VARIANTS:
            folder = base / name / variant
            shutil.copytree(source, folder)
            (folder / ".git").mkdir()  # the project root: nothing above it is read
            if variant.startswith("safe"):
                target = variant.split("-", 1)[1]
                kinds = _fix(folder, _options(source, safe_only=True, numpy_target=target))
                assert set(kinds) <= {"stream-preserving"}, (name, variant, kinds)
            elif variant == "fix":
                _fix(folder, _options(source))
                _compiles(folder)
                # A second --fix changes nothing.
                again = Workspace(folder, Settings(), use_cache=False, jobs=1).fix(
                    [folder], _options(source), write=False
                )
                assert not again.files, (name, [f.path for f in again.files])
            elif variant == "fix2":
                _fix(folder, _options(source))
            jobs.append((folder, how))
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER],
        input="".join(f"{folder}\t{how}\n" for folder, how in jobs),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    codes = dict(line.rsplit(" ", 1) for line in done.stdout.splitlines())
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for folder, _ in jobs:
        output = (folder / ".out").read_text(encoding="utf-8")
        found[(folder.parent.name, folder.name)] = (int(codes[str(folder)]), output)
    return found


@pytest.mark.parametrize("name", PROGRAMS)
def test_safe_only_keeps_the_numbers(
    runs: dict[tuple[str, str], tuple[int, str]], name: str
) -> None:
    code, before = runs[(name, "before")]
    assert code == 0, before
    assert before.strip()
    for target in ("generator", "randomstate"):
        assert runs[(name, f"safe-{target}")] == (0, before), target


@pytest.mark.parametrize("name", PROGRAMS)
def test_fix_keeps_the_program_working(
    runs: dict[tuple[str, str], tuple[int, str]], name: str
) -> None:
    _, before = runs[(name, "before")]
    code, after = runs[(name, "fix")]
    assert code == 0, after
    invariant = [line for line in before.splitlines() if line.startswith("INVARIANT")]
    assert [line for line in after.splitlines() if line.startswith("INVARIANT")] == invariant
    if runs[(name, "before2")][1] == before:
        # Reproducible before: still reproducible (the program's seed still decides).
        assert runs[(name, "fix2")][1] == after


def test_every_program_is_fixed_somewhere() -> None:
    """Each program has findings that --fix handles (fixes or refuses with a reason): the
    suite exercises the fixer, not programs it has nothing to say about."""
    for name in PROGRAMS:
        folder = PROGRAMS_DIR / name
        result = Workspace(folder, Settings(), use_cache=False, jobs=1).fix(
            [folder], _options(folder), write=False
        )
        assert result.files or result.unfixed, name
