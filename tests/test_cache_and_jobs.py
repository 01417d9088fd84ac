"""Findings must not depend on the cache or on the number of processes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import seedlint.analysis.loader as loader
from seedlint.cache import CACHE_DIR_NAME
from seedlint.driver import lint_paths
from seedlint.settings import Settings

from .conftest import FIXTURES


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of every fixture, as one project (with a pyproject.toml at its root)."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES, root / "fixtures", ignore=shutil.ignore_patterns("fix"))
    (root / "pyproject.toml").write_text("[project]\nname = 'example'\n")
    return root


def run(root: Path, **options: object) -> list[dict[str, object]]:
    report = lint_paths([root], Settings(), root=root, **options)  # type: ignore[arg-type]
    return [d.to_json() for d in report.diagnostics]


def test_same_findings_with_and_without_cache_and_any_number_of_processes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Make the process pool kick in even for the small fixture set.
    monkeypatch.setattr(loader, "_PARALLEL_MIN_FILES", 2)
    reference = run(project, use_cache=False, jobs=1)
    assert len(reference) > 100  # the fixtures really have findings
    assert run(project, use_cache=False, jobs=2) == reference
    cache_dir = project / CACHE_DIR_NAME
    assert run(project, jobs=2) == reference  # cold: fills the cache
    assert (cache_dir / ".gitignore").read_text().strip().endswith("*")
    assert run(project, jobs=1) == reference  # warm: results from the cache
    # Warm facts, fresh results: one file changed, every other module comes from the cache.
    changed = project / "fixtures" / "projects" / "seed_in_main" / "unseeded_script.py"
    changed.write_text(changed.read_text() + "\n# touched\n")
    assert run(project, jobs=2) == reference


def test_corrupt_or_foreign_cache_entries_are_ignored(project: Path) -> None:
    reference = run(project, use_cache=False, jobs=1)
    run(project, jobs=1)
    cache_dir = project / CACHE_DIR_NAME
    entries = sorted((cache_dir / "facts").rglob("*.json"))
    assert entries
    for i, entry in enumerate(entries):
        # Garbage, valid JSON of the wrong shape, and a fake entry of another format.
        garbage = ["{not json", json.dumps([1, 2, 3]), json.dumps({"format": -1})][i % 3]
        entry.write_text(garbage)
    for results in (cache_dir / "results").glob("*.json"):
        results.write_text("{broken")
    assert run(project, jobs=1) == reference


def test_unwritable_cache_folder_does_not_fail_the_run(project: Path) -> None:
    blocker = project / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    reference = run(project, use_cache=False, jobs=1)
    assert run(project, jobs=1, cache_dir=blocker / "cache") == reference
