"""Safe to run on untrusted code: the checker never imports or executes what it checks, and
its cache is data (JSON in SQLite), never unpickled.  (Cache file permissions:
test_determinism_and_cache.py.)"""

from __future__ import annotations

import ast
import os
import pickle
import subprocess
import sys
from pathlib import Path

from .cache_helpers import database, entries, replace_entries
from .conftest import REPO

HOSTILE = """\
import os
import numpy as np
open({marker!r}, "w").write("module executed")
os.system("touch " + {marker!r} + ".system")
np.random.seed(0)
x = np.random.rand()

if __name__ == "__main__":
    open({marker!r} + ".main", "w").write("main executed")
"""


class _Bomb:
    """Unpickling this creates the marker file."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_checked_code_is_never_imported_or_executed(tmp_path: Path) -> None:
    marker = str(tmp_path / "executed")
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[tool.seedlint]\n", encoding="utf-8")
    for name in ("pkg/__init__.py", "pkg/hostile.py", "conftest.py", "setup.py", "train.py"):
        (project / name).write_text(HOSTILE.format(marker=marker), encoding="utf-8")
    for args in (["check"], ["check", "--diff"], ["check", "--fix", "--seed", "1"]):
        subprocess.run(
            [sys.executable, "-m", "seedlint", *args, "."],
            cwd=project,
            capture_output=True,
            timeout=300,
            check=False,
        )
    assert not list(tmp_path.glob("executed*"))
    assert "np.random.default_rng" in (project / "train.py").read_text(encoding="utf-8")


def test_cache_entries_are_never_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "unpickled"
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.seedlint]\n", encoding="utf-8")
    (project / "a.py").write_text("import random\nx = random.random()\n", encoding="utf-8")
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "seedlint", "check", "--cache-dir", str(cache), "."]
    first = subprocess.run(command, cwd=project, capture_output=True, timeout=300)
    bomb = pickle.dumps(_Bomb(str(marker)))
    stored = entries(cache)
    assert stored
    # A pickle where each entry is, and where each whole-run result is, as an attacker would
    # plant them; then a pickle where the whole database is.
    replace_entries(cache, {key: bomb for key in stored})
    results = list((cache / "results").glob("*.json"))
    assert results
    for result in results:
        result.write_bytes(bomb)
    second = subprocess.run(command, cwd=project, capture_output=True, timeout=300)
    database(cache).write_bytes(bomb)
    third = subprocess.run(command, cwd=project, capture_output=True, timeout=300)
    assert not marker.exists()
    assert second.stdout == first.stdout and second.returncode == first.returncode
    assert third.stdout == first.stdout and third.returncode == first.returncode


def test_no_module_of_seedlint_can_unpickle_or_execute_code() -> None:
    """The static analyzer (everything but the runtime companion): no pickle/marshal/shelve
    import, and no exec/eval/compile of source text outside the syntax
    checks (`compile` only validates the fixer's output and the compat rewrite)."""
    forbidden_modules = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "runpy"}
    offenders = []
    for path in sorted((REPO / "seedlint").rglob("*.py")):
        if "runtime" in path.relative_to(REPO / "seedlint").parts:
            continue  # the runtime companion (`seedlint run`) runs the user's program by design
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names.append(node.module)
                if any(n.split(".")[0] in forbidden_modules for n in names):
                    offenders.append(f"{path.name}:{node.lineno}: imports {names}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in ("exec", "eval", "__import__"):
                    offenders.append(f"{path.name}:{node.lineno}: calls {node.func.id}")
                if node.func.id == "compile" and path.name not in ("fixer.py", "compat_parse.py"):
                    offenders.append(f"{path.name}:{node.lineno}: calls compile")
    assert not offenders, offenders
