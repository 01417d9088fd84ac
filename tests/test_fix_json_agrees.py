"""One planner answer everywhere: on every fixture, the JSON `fix` metadata that `check`
attaches (`describe_fixes=True`) names exactly the findings `--fix` fixes with the same
options, each with the applicability `--fix` gives it.

Every fixture is copied to a folder of its own (the fix fixtures one file each, the project
fixtures whole) and run through one Workspace, as the CLI does: `check(describe_fixes=True)`
and then `fix(write=False)`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from seedlint.fixes import FIXABLE_CODES, FixOptions
from seedlint.settings import Settings
from seedlint.workspace import Workspace

from .conftest import FIXTURES
from .test_fix_fixtures import parse_options, read

FIX_CASES = sorted(p.name[: -len(".in.py")] for p in (FIXTURES / "fix").glob("*.in.py"))
RULE_DIRS = sorted(p.name for p in FIXTURES.iterdir() if p.name.startswith("sdl1"))
PROJECTS = sorted(p.name for p in (FIXTURES / "projects").iterdir() if p.is_dir())
# The fixture's own options plus the ones that change the plan most.
OPTION_SETS = (
    FixOptions(),
    FixOptions(safe_only=True),
    FixOptions(numpy_target="randomstate", seed=7),
    FixOptions(fix_style="parameter", seed=3),
)


def _compare(root: Path, options: FixOptions) -> None:
    workspace = Workspace(root, Settings(), use_cache=False, jobs=1)
    report = workspace.check([root], describe_fixes=True, fix_options=options)
    announced = sorted(
        (d.path, d.code, d.line, d.fix.applicability)
        for d in report.diagnostics
        if d.fix is not None
    )
    fixable = {(d.path, d.code, d.line) for d in report.diagnostics if d.code in FIXABLE_CODES}
    result = Workspace(root, Settings(), use_cache=False, jobs=1).fix([root], options, write=False)
    applied = sorted(
        (file.path, fix.code, fix.line, fix.applicability)
        for file in result.files
        for fix in file.applied
    )
    assert announced == applied, options
    # Every fixable finding is either fixed (announced) or listed with a reason.
    unfixed = {(d.path, d.code, d.line) for d, _ in result.unfixed}
    assert fixable == unfixed | {(p, c, n) for p, c, n, _ in applied}


@pytest.mark.parametrize("case", FIX_CASES)
def test_fix_fixture_json_equals_applied(case: str, tmp_path: Path) -> None:
    source = FIXTURES / "fix" / f"{case}.in.py"
    own = parse_options(read(source))
    (tmp_path / f"{case}.py").write_bytes(source.read_bytes())
    for options in (own, *OPTION_SETS):
        _compare(tmp_path, options)


@pytest.mark.parametrize("folder", [*RULE_DIRS, *(f"projects/{p}" for p in PROJECTS)])
def test_fixture_folder_json_equals_applied(folder: str, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / folder, root)
    for options in OPTION_SETS:
        _compare(root, options)
