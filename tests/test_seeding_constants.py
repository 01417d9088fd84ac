"""Branches decided by constant arguments: the cap on summaries kept apart by constants.

A helper called with many distinct constants would otherwise get one summary per constant
(the seeding analysis must stay about linear in the project's size): beyond
`MAX_CONSTANT_ENVS` distinct constants the branch on them is undecided, which --strict
reports as "seeded on some paths only".
"""

from __future__ import annotations

from seedlint.analysis.extract import extract_facts
from seedlint.analysis.seeding import MAX_CONSTANT_ENVS, MAYBE, analyse_project

HELPER = """\
import random


def maybe_seed(level):
    if level:
        random.seed(level)
"""

PROGRAM = """\
import random

from helper import maybe_seed

if __name__ == "__main__":
    maybe_seed({level})
    print(random.random())
"""


def test_constants_beyond_the_cap_leave_the_branch_undecided() -> None:
    count = MAX_CONSTANT_ENVS + 3
    modules = {"helper.py": extract_facts(HELPER, "helper.py", "helper")}
    for level in range(1, count + 1):
        path = f"p{level:02d}.py"
        modules[path] = extract_facts(PROGRAM.format(level=level), path, f"p{level:02d}")
    report = analyse_project(modules, strict=True)
    flagged = sorted(path for path, findings in report.findings.items() if findings)
    # Programs run in path order: the first MAX_CONSTANT_ENVS constants are decided
    # (seeded), the rest are not.
    assert flagged == [f"p{level:02d}.py" for level in range(MAX_CONSTANT_ENVS + 1, count + 1)]
    assert all(f.state == MAYBE for path in flagged for f in report.findings[path])


def test_zero_and_none_are_falsy_constants() -> None:
    modules = {"helper.py": extract_facts(HELPER, "helper.py", "helper")}
    for name, argument in (("zero", "0"), ("none", "None"), ("empty", "''"), ("one", "1")):
        text = PROGRAM.format(level=argument)
        modules[f"{name}.py"] = extract_facts(text, f"{name}.py", name)
    report = analyse_project(modules)
    flagged = sorted(path for path, findings in report.findings.items() if findings)
    assert flagged == ["empty.py", "none.py", "zero.py"]
