"""Findings must not depend on the cache or on the number of processes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import seedlint.analysis.loader as loader
from seedlint.cache import CACHE_DIR_NAME
from seedlint.settings import Settings
from seedlint.workspace import Workspace

from .cache_helpers import entries, replace_entries
from .conftest import FIXTURES


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of every fixture, as one project (with a pyproject.toml at its root)."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES, root / "fixtures", ignore=shutil.ignore_patterns("fix"))
    (root / "pyproject.toml").write_text("[project]\nname = 'example'\n")
    return root


def run(root: Path, **options: object) -> list[dict[str, object]]:
    workspace = Workspace(root, Settings(), **options)  # type: ignore[arg-type]
    report = workspace.check([root])
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


def test_a_recheck_takes_unchanged_files_from_the_cache_without_reading_them(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After one file changed, the keys read to look the previous results up serve the
    loader: only the changed file is read again (by `_read`), with the same findings."""
    monkeypatch.setattr(loader, "_PARALLEL_MIN_FILES", 2)
    reference = run(project, use_cache=False, jobs=1)
    assert run(project, jobs=2) == reference  # fills the cache and the results
    changed = project / "fixtures" / "projects" / "seed_in_main" / "unseeded_script.py"
    changed.write_text(changed.read_text() + "\n# touched\n")
    read: list[str] = []
    original = loader._read

    def counting_read(path: str, overlay: str | None, python: loader.Python) -> object:
        read.append(path)
        return original(path, overlay, python)

    monkeypatch.setattr(loader, "_read", counting_read)
    # One process: a read in a pool worker would not reach this list (whether the changed
    # file goes to a worker depends on timing).
    assert run(project, jobs=1) == reference
    assert read == [str(changed)]


def test_corrupt_or_foreign_cache_entries_are_ignored(project: Path) -> None:
    reference = run(project, use_cache=False, jobs=1)
    run(project, jobs=1)
    cache_dir = project / CACHE_DIR_NAME
    stored = entries(cache_dir)
    assert stored
    # Garbage, valid JSON of the wrong shape, and a fake entry of another format.
    garbage = ["{not json", json.dumps([1, 2, 3]), json.dumps({"format": -1})]
    replace_entries(cache_dir, {key: garbage[i % 3] for i, key in enumerate(stored)})
    for results in (cache_dir / "results").glob("*.json"):
        results.write_text("{broken")
    assert run(project, jobs=1) == reference


def test_unwritable_cache_folder_does_not_fail_the_run(project: Path) -> None:
    blocker = project / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    reference = run(project, use_cache=False, jobs=1)
    assert run(project, jobs=1, cache_dir=blocker / "cache") == reference


def test_guided_chunks_share_out_every_file_once_biggest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = []
    for index, size in enumerate([50_000, 400, 9_000, 120, 30_000, 7, 2_500, 800] * 8):
        path = tmp_path / f"m{index}.py"
        path.write_text("x" * size)
        items.append((str(path), False, False))
    for index in range(100):  # empty __init__.py files and the like
        path = tmp_path / f"empty{index}.py"
        path.touch()
        items.append((str(path), False, False))

    def sizes(chunks: list[list[loader.Item]]) -> list[int]:
        return [sum(Path(p).stat().st_size for p, _, _ in chunk) for chunk in chunks]

    chunks = loader._guided_chunks(items, jobs=2)
    assert sorted(item for chunk in chunks for item in chunk) == sorted(items)
    assert Path(chunks[0][0][0]).stat().st_size == 50_000
    # No chunk but the last is below the floor: tiny files travel together.
    assert all(size >= loader._MIN_CHUNK_BYTES for size in sizes(chunks)[:-1])
    assert len(chunks) < 12

    monkeypatch.setattr(loader, "_MIN_CHUNK_BYTES", 1)
    chunks = loader._guided_chunks(items, jobs=2)
    assert sorted(item for chunk in chunks for item in chunk) == sorted(items)
    measured = sizes(chunks)
    assert measured[0] == max(measured) and measured[-1] < measured[0] / 20  # fine at the end


def test_files_that_programs_reach_are_prefetched_while_the_scan_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A program-tier module reached from a program is parsed by the pool during the first
    scan; the findings are those of a single process."""
    monkeypatch.setattr(loader, "_PARALLEL_MIN_FILES", 2)
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "layers.py").write_text(
        "import torch\n\n\ndef build():\n    return torch.nn.Linear(2, 2)\n"
    )
    for index in range(40):  # enough other files for the pool to have work to overlap
        (root / "pkg" / f"other{index}.py").write_text("import torch.nn as nn\nx = 1\n")
    (root / "train.py").write_text(
        "from pkg.layers import build\n\nif __name__ == '__main__':\n    build()\n"
    )
    prefetched: list[str] = []
    original = loader._Workers.prefetch

    def record(self: loader._Workers, items: list[loader.Item]) -> None:
        prefetched.extend(path for path, _, _ in items)
        original(self, items)

    monkeypatch.setattr(loader._Workers, "prefetch", record)
    reference = run(root, use_cache=False, jobs=1)
    assert [d["code"] for d in reference] == ["SDL001"]  # the layer's draw, reached unseeded
    assert run(root, use_cache=False, jobs=2) == reference
    assert str(root / "pkg" / "layers.py") in prefetched


def test_a_layer_module_parsed_when_reached_is_not_a_program_once_no_longer_reached(
    tmp_path: Path,
) -> None:
    """Facts cached for a program-tier module that a program reached must not make it count
    as parsed (and so as a program of its own) in a later run that no longer reaches it."""
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "layer_mod.py").write_text("import torch.nn as nn\n\nmodel = nn.Linear(2, 2)\n")
    train = root / "train.py"
    train.write_text(
        "import torch\n\nif __name__ == '__main__':\n"
        "    from pkg import layer_mod\n    torch.manual_seed(0)\n"
    )
    reached = run(root)  # fills the cache, with the layer module parsed
    assert [(Path(str(d["path"])).name, d["code"]) for d in reached] == [("layer_mod.py", "SDL001")]
    train.write_text("import torch\n\nif __name__ == '__main__':\n    torch.manual_seed(0)\n")
    assert run(root, use_cache=False) == []
    assert run(root) == []  # warm: the same answer


def test_editor_buffers_are_cached_in_memory_only(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every keystroke is a new buffer version: none reaches the database (which would grow
    without bound), yet a version seen before is not parsed again by the same process."""
    script = project / "fixtures" / "projects" / "seed_in_main" / "unseeded_script.py"
    original = script.read_text()
    workspace = Workspace(project, Settings(), jobs=1)
    workspace.check([project])
    stored = set(entries(project / CACHE_DIR_NAME))

    parsed: list[str] = []
    extract = loader.extract_facts

    def counting(text: str, path: str, *args: object) -> object:
        parsed.append(path)
        return extract(text, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "extract_facts", counting)
    versions = [original + f"\nx = {n}\n" for n in range(100)]
    findings = []
    for text in versions:
        workspace.set_overlay(script, text)
        findings.append([d.to_json() for d in workspace.check([script]).diagnostics])
    assert parsed.count(str(script)) == len(versions)
    assert set(entries(project / CACHE_DIR_NAME)) == stored

    parsed.clear()
    workspace.invalidate()  # forget what was scanned: only the cache can answer now
    workspace.set_overlay(script, versions[-1])
    assert [d.to_json() for d in workspace.check([script]).diagnostics] == findings[-1]
    assert str(script) not in parsed


def test_the_database_keeps_no_more_than_the_live_entries_plus_a_slack(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each saved version of a file is a new entry: without pruning the database grows for
    ever.  Entries of contents no file has any more go once they outnumber the slack."""
    monkeypatch.setattr("seedlint.cache._PRUNE_SLACK", 5)
    reference = run(project, jobs=1)
    cache_dir = project / CACHE_DIR_NAME
    live = len(entries(cache_dir))
    script = project / "fixtures" / "projects" / "seed_in_main" / "unseeded_script.py"
    original = script.read_text()
    sizes = []
    for n in range(12):
        script.write_text(original + f"\nx = {n}\n")
        run(project, jobs=1, use_cache=True)
        sizes.append(len(entries(cache_dir)))
    assert max(sizes) <= live + 5 + 1
    assert sizes[3] > live  # it did grow before pruning
    assert sizes[-1] < max(sizes)  # and then shrank
    script.write_text(original)
    assert run(project, jobs=1) == reference  # pruning never changes findings
