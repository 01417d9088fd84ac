"""Which files the loader parses: entry points that name no API ("lone" tier) only when they
import a project module or a program reaches them, with the same findings as parsing all."""

from __future__ import annotations

from pathlib import Path

import pytest

import seedlint.analysis.loader as loader
from seedlint.analysis import prefilter
from seedlint.analysis.loader import load_facts
from seedlint.settings import Settings
from seedlint.workspace import Workspace

FILES = {
    "helpers.py": "import random\n\n\ndef act(step):\n    return random.random() + step\n",
    # Reaches `helpers` without naming any API: parsed, and a program.
    "loop_script.py": "import helpers\n\nfor step in range(3):\n    helpers.act(step)\n",
    "run_main.py": "import helpers\n\nif __name__ == '__main__':\n    helpers.act(1)\n",
    # Imports only libraries: nothing it runs can draw; not parsed.
    "test_alone.py": "import os\n\n\ndef test_cwd():\n    assert os.getcwd()\n",
    "demo.py": "import numpy as np\n\nif __name__ == '__main__':\n    print(np.zeros(2))\n",
}


def _project(tmp_path: Path) -> list[str]:
    (tmp_path / "pyproject.toml").write_text("[tool.seedlint]\n", encoding="utf-8")
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [str(tmp_path / name) for name in sorted(FILES)]


def test_lone_entry_points_are_parsed_only_when_they_import_a_project_module(
    tmp_path: Path,
) -> None:
    paths = _project(tmp_path)
    loaded = load_facts(paths, jobs=1)
    parsed = {Path(p).name for p, f in loaded.facts.items() if f.functions or f.calls or f.toplevel}
    assert parsed == {"helpers.py", "loop_script.py", "run_main.py"}
    assert loaded.parsed == 3


def test_lone_entry_points_keep_their_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same findings as when every entry point is parsed (the tier did not exist)."""
    _project(tmp_path)

    def check() -> list[tuple[str, int, str, str]]:
        report = Workspace(tmp_path, Settings(), use_cache=False, jobs=1).check([tmp_path])
        return [(Path(d.path).name, d.span.line, d.code, d.message) for d in report.diagnostics]

    found = check()
    assert ("helpers.py", 5, "SDL001") in [f[:3] for f in found], found
    every_entry = prefilter.classify
    monkeypatch.setattr(
        loader,
        "classify",
        lambda text, path: (
            "entry" if every_entry(text, path) == "lone" else every_entry(text, path)
        ),
    )
    assert check() == found


def test_modules_imported_only_for_type_checking_are_not_parsed(tmp_path: Path) -> None:
    """A lazy package (transformers' `__init__` imports every model package under `if
    TYPE_CHECKING:`) does not make a program reach them: those imports never run."""
    (tmp_path / "pkg").mkdir()
    layers = "from torch import nn\n\n\ndef build():\n    return nn.Linear(2, 2)\n"
    sources = {
        "pkg/__init__.py": (
            "from typing import TYPE_CHECKING\nfrom .runtime import *\n\n"
            "if TYPE_CHECKING:\n    from .typed import *\n"
        ),
        "pkg/runtime.py": layers,
        "pkg/typed.py": layers,
        "main.py": "import pkg\n\nif __name__ == '__main__':\n    pkg.build()\n",
    }
    for name, text in sources.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    loaded = load_facts([str(tmp_path / name) for name in sorted(sources)], jobs=1)
    parsed = {
        Path(p).relative_to(tmp_path).as_posix()
        for p, f in loaded.facts.items()
        if f.functions or f.toplevel
    }
    assert parsed == {"main.py", "pkg/__init__.py", "pkg/runtime.py"}


def test_project_qualified_draws_keep_their_findings_when_a_program_runs_them(
    tmp_path: Path,
) -> None:
    """A module whose only random-looking call is a project helper (`init.normal_(w)`) is
    parsed when a program reaches it, and the draw in the helper is still found; unreached,
    it is not parsed."""
    (tmp_path / "pkg").mkdir()
    sources = {
        "pkg/__init__.py": "",
        "pkg/init.py": "import torch\n\n\ndef normal_(w):\n    return torch.randn(3)\n",
        "pkg/model.py": "from . import init\n\n\ndef build(w):\n    init.normal_(w)\n",
        "pkg/other.py": "from . import init\n\n\ndef other(w):\n    init.normal_(w)\n",
        "main.py": "from pkg import model\n\nif __name__ == '__main__':\n    model.build(1)\n",
    }
    for name, text in sources.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.seedlint]\n", encoding="utf-8")
    loaded = load_facts([str(tmp_path / name) for name in sorted(sources)], jobs=1)
    parsed = {
        Path(p).relative_to(tmp_path).as_posix() for p, f in loaded.facts.items() if f.functions
    }
    assert parsed == {"pkg/init.py", "pkg/model.py"}
    report = Workspace(tmp_path, Settings(), use_cache=False, jobs=1).check([tmp_path])
    found = {(Path(d.path).name, d.span.line, d.code) for d in report.diagnostics}
    assert ("init.py", 5, "SDL001") in found, found
