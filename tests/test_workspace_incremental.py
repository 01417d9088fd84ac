"""A Workspace that checks again after edits to buffers (the language server's case) takes
shortcuts (`workspace.incremental`): re-reading the edited buffer alone, keeping the seeding
analysis.  Whatever the edits, its findings must be those of a fresh Workspace given the same
buffers."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from seedlint.analysis.facts import ModuleFacts
from seedlint.analysis.loader import load_facts
from seedlint.analysis.seeding import analyse_project
from seedlint.analysis.serialize import facts_to_json
from seedlint.diagnostics import Span
from seedlint.workspace import Workspace, incremental
from seedlint.workspace import workspace as workspace_module

from .conftest import FIXTURES
from .test_fixtures import project_settings

PROJECT = FIXTURES / "projects" / "lsp_helper"
# A module the loader parses only when a program imports it (it only builds layers).
LAYERS = """import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        return self.drop(x)
"""

# Lines an edit may add to a buffer: each changes something different (nothing but
# positions; a draw; a seeding; an import, and so what the loader reaches; a program; a
# syntax error; a call into the other file).
ADDED = [
    "# a comment",
    "x = 1 + 2",
    "import numpy as np",
    "np.random.rand(2)",
    "import torch",
    "torch.manual_seed(0)",
    "torch.randn(2)",
    "import random",
    "random.seed()",
    "random.random()",
    "import legacy",
    "from seeding import seed_everything",
    "seed_everything(1)",
    "def helper():\n    np.random.rand()",
    "helper()",
    'if __name__ == "__main__":\n    np.random.rand()',
    "def broken(:",
    "for i in range(3):\n    seed_everything(i)",
    "from layers import Block",
    "import layers",
    "Block()(torch.ones(2))",
]


def _edit(rng: random.Random, text: str, original: str) -> str:
    lines = text.split("\n")
    action = rng.random()
    if action < 0.1:
        return original
    if action < 0.3 and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
        return "\n".join(lines)
    if action < 0.45:  # what typing a comment does: positions change, nothing else
        index = rng.randrange(len(lines))
        lines[index] = lines[index] + f"  # typed {rng.randrange(10**6)}"
        return "\n".join(lines)
    where = rng.randrange(len(lines) + 1)
    indent = ""
    if where < len(lines) and lines[where].startswith("    ") and rng.random() < 0.5:
        indent = "    "  # inside the block around it
    added = [indent + line for line in rng.choice(ADDED).split("\n")]
    return "\n".join(lines[:where] + added + lines[where:])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_edits_give_what_a_fresh_workspace_gives(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    (root / ".git").mkdir()
    (root / "layers.py").write_text(LAYERS, encoding="utf-8")
    settings = project_settings(root)
    taken = {"load": 0, "seeding": 0}

    def counting_reload(*args: object, **kwargs: object) -> object:
        result = incremental.reload_buffers(*args, **kwargs)  # type: ignore[arg-type]
        taken["load"] += result is not None
        return result

    def counting_seeding(*args: object, **kwargs: object) -> object:
        result = incremental.reusable_seeding(*args, **kwargs)  # type: ignore[arg-type]
        taken["seeding"] += result is not None
        return result

    monkeypatch.setattr(workspace_module, "reload_buffers", counting_reload)
    monkeypatch.setattr(workspace_module, "reusable_seeding", counting_seeding)
    kept = Workspace(root, settings, cache_dir=tmp_path / "cache", jobs=1)
    names = ["train.py", "seeding.py"]
    originals = {name: (root / name).read_text(encoding="utf-8") for name in names}
    texts = dict(originals)
    for name, text in texts.items():
        kept.set_overlay(root / name, text)
    rng = random.Random(seed)
    for step in range(60):
        name = rng.choice(names)
        texts[name] = _edit(rng, texts[name], originals[name])
        kept.set_overlay(root / name, texts[name])
        # The server checks the edited buffer, and now and then every open buffer.
        asked = [root / name] if rng.random() < 0.8 else [root / n for n in names]
        fresh = Workspace(root, settings, use_cache=False, jobs=1)
        for other, text in texts.items():
            fresh.set_overlay(root / other, text)
        got = kept.check(asked, use_results_cache=False).diagnostics
        expected = fresh.check(asked, use_results_cache=False).diagnostics
        assert got == expected, f"step {step}, {name}:\n{texts[name]}"
        # And the same facts for every file (which files a program reaches were parsed).
        assert kept._last is not None and fresh._last is not None
        assert _as_json(kept._last.facts) == _as_json(fresh._last.facts), f"step {step}"
    # The shortcuts were taken (else this test would prove nothing about them).
    assert taken["load"] >= 20, taken
    assert taken["seeding"] >= 2, taken


def test_a_reported_file_on_disk_is_read_again(tmp_path: Path) -> None:
    """Checked twice without a buffer: the second check sees what the disk says now."""
    root = tmp_path / "project"
    root.mkdir()
    (root / ".git").mkdir()
    script = root / "script.py"
    script.write_text("import random\n", encoding="utf-8")
    workspace = Workspace(root, use_cache=False, jobs=1)
    assert workspace.check([script]).diagnostics == ()
    script.write_text("import random\nrandom.random()\n", encoding="utf-8")
    assert [d.code for d in workspace.check([script]).diagnostics] == ["SDL001", "SDL103"]


def _as_json(facts: dict[str, ModuleFacts]) -> dict[str, object]:
    """Facts compared as the cache stores them (a cached flow node is a list, a parsed one a
    tuple)."""
    return {path: json.loads(json.dumps(facts_to_json(f))) for path, f in facts.items()}


def _shifted(facts: ModuleFacts, by: int) -> ModuleFacts:
    def move(span: Span) -> Span:
        return Span(span.line + by, span.column + 1, span.end_line + by, span.end_column + 1)

    return replace(
        facts,
        calls=[replace(call, span=move(call.span)) for call in facts.calls],
        functions={k: replace(f, line=f.line + by) for k, f in facts.functions.items()},
    )


def test_the_seeding_analysis_does_not_read_positions() -> None:
    """What `incremental.reusable_seeding` relies on: moving every call and function
    elsewhere changes nothing the seeding analysis reports."""
    projects = [p for p in (FIXTURES / "projects").iterdir() if p.is_dir() and p.name[0] != "_"]
    checked = 0
    for project in projects:
        paths = sorted(str(p) for p in project.rglob("*.py"))
        facts = load_facts(paths, force_parse=paths).facts
        moved = {path: _shifted(f, 3) for path, f in facts.items()}
        assert all(incremental.same_apart_from_positions(facts[p], moved[p]) for p in facts)
        report = analyse_project(facts)
        assert analyse_project(moved) == report, project.name
        checked += bool(report.findings)
    assert checked >= 5


def test_a_change_other_than_positions_is_seen() -> None:
    paths = sorted(str(p) for p in PROJECT.rglob("*.py"))
    facts = load_facts(paths, force_parse=paths).facts
    train = next(f for p, f in facts.items() if p.endswith("train.py"))
    assert not incremental.same_apart_from_positions(train, replace(train, imported_modules=()))
    assert not incremental.same_apart_from_positions(train, replace(train, toplevel=[]))
    first = train.calls[0]
    other = replace(first, qualname=first.qualname + "_")
    assert not incremental.same_apart_from_positions(
        train, replace(train, calls=[other, *train.calls[1:]])
    )
