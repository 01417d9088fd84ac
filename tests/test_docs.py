"""docs/rules/ is generated from the rules' docstrings and must be up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from seedlint.rules import ALL_RULES

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "generate_docs.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_rule_docs_are_up_to_date() -> None:
    result = run("--check")
    assert result.returncode == 0, (
        "docs/rules/ is stale; run `python scripts/generate_docs.py`\n" + result.stderr
    )


def test_generate_then_check_in_a_fresh_folder(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    assert run("--check", "--dir", str(folder)).returncode == 1  # nothing there yet

    unrelated = folder / "notes.md"
    folder.mkdir()
    unrelated.write_text("hand-written\n")
    assert run("--dir", str(folder)).returncode == 0
    assert run("--check", "--dir", str(folder)).returncode == 0
    assert unrelated.read_text() == "hand-written\n"  # nothing else is touched

    pages = {p.name for p in folder.glob("SDL*.md")}
    assert pages == {f"{rule.code}.md" for rule in ALL_RULES}
    index = (folder / "README.md").read_text()
    for rule in ALL_RULES:
        assert f"[{rule.code}]({rule.code}.md) | {rule.name} |" in index
        assert (folder / f"{rule.code}.md").read_text() == rule.doc()

    # A hand edit makes the check fail and names the file; regenerating restores it.
    page = folder / f"{ALL_RULES[0].code}.md"
    page.write_text(page.read_text() + "edited\n")
    result = run("--check", "--dir", str(folder))
    assert result.returncode == 1 and page.name in result.stderr
    assert run("--dir", str(folder)).returncode == 0
    assert run("--check", "--dir", str(folder)).returncode == 0

    # A page of a rule that does not exist is stale too, and is never removed.
    orphan = folder / "SDL999.md"
    orphan.write_text("# gone\n")
    result = run("--check", "--dir", str(folder))
    assert result.returncode == 1 and "SDL999.md" in result.stderr
    assert run("--dir", str(folder)).returncode == 0
    assert orphan.exists()
