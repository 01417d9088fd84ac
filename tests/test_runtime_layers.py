"""The runtime companion stands apart: only seedlint/runtime/ may import numpy or torch (the
static analyzer runs in bare pre-commit environments), and the runtime package itself
imports nothing of seedlint but knowledge/ and diagnostics (verify is handed the static
findings by the CLI adapter, which gets them from the Workspace)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "seedlint"
RUNTIME = PACKAGE / "runtime"
HEAVY = {"numpy", "torch", "sklearn", "scipy", "pandas"}


def _imports(path: Path) -> list[tuple[str, int]]:
    """(absolute module name, level) of every import in the file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def _resolve(path: Path, module: str, level: int) -> str:
    if level == 0:
        return module
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    base = parts[: len(parts) - level]
    return ".".join([*base, module] if module else base)


def test_only_runtime_imports_numpy_or_torch() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if RUNTIME in path.parents:
            continue
        for module, level in _imports(path):
            if level == 0 and module.split(".")[0] in HEAVY:
                offenders.append(f"{path.relative_to(REPO)} imports {module}")
    assert offenders == []


def test_runtime_imports_only_knowledge_and_diagnostics() -> None:
    allowed = ("seedlint.runtime", "seedlint.knowledge", "seedlint.diagnostics")
    offenders = []
    for path in sorted(RUNTIME.rglob("*.py")):
        for module, level in _imports(path):
            name = _resolve(path, module, level)
            if name.startswith("seedlint") and not name.startswith(allowed):
                offenders.append(f"{path.relative_to(REPO)} imports {name}")
    assert offenders == []


def test_nothing_but_the_cli_adapter_imports_runtime() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if RUNTIME in path.parents or path.name == "runtime_command.py":
            continue
        for module, level in _imports(path):
            if _resolve(path, module, level).startswith("seedlint.runtime"):
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_importing_the_runtime_and_its_plugin_loads_neither_numpy_nor_torch() -> None:
    code = (
        "import sys, seedlint.runtime, seedlint.runtime.pytest_plugin, seedlint.runtime.runner;"
        "print(sorted(m for m in ('numpy', 'torch') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout == "[]\n", done.stderr
