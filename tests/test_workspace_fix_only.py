"""`Workspace.fix(..., only=...)`: fix the chosen findings (an editor's quick fix for one
finding), leaving the file's other fixable findings as they are."""

from __future__ import annotations

from pathlib import Path

from seedlint.fixes import FixOptions
from seedlint.workspace import Workspace

TEXT = (
    "import random\n"
    "\n"
    "import numpy as np\n"
    "\n"
    "a = random.random()\n"
    "b = np.random.rand(3)\n"
    "c = random.randint(1, 6)\n"
)


def test_only_the_chosen_finding_is_fixed(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(TEXT, encoding="utf-8")
    workspace = Workspace(tmp_path, use_cache=False)
    findings = [d for d in workspace.check([path]).diagnostics if d.code in ("SDL101", "SDL103")]
    assert [(d.code, d.line) for d in findings] == [("SDL103", 5), ("SDL101", 6), ("SDL103", 7)]
    numpy_draw = findings[1]
    result = workspace.fix(
        [path], FixOptions(), write=False, only={(numpy_draw.code, numpy_draw.span)}
    )
    assert [(f.code, f.line) for f in result.applied] == [("SDL101", 6)]
    new = result.files[0].new_text
    compile(new, "m.py", "exec")
    assert "a = random.random()" in new and "c = random.randint(1, 6)" in new
    assert "np.random.rand(" not in new
    assert path.read_text(encoding="utf-8") == TEXT  # write=False


def test_without_only_everything_fixable_is_fixed(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(TEXT, encoding="utf-8")
    result = Workspace(tmp_path, use_cache=False).fix([path], FixOptions(), write=False)
    assert sorted((f.code, f.line) for f in result.applied) == [
        ("SDL101", 6),
        ("SDL103", 5),
        ("SDL103", 7),
    ]
