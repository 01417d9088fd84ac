"""Running the runtime fixtures (fixtures/runtime/) as real programs in a temporary project."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import FIXTURES

RUNTIME_FIXTURES = FIXTURES / "runtime"
_UNSEEDED = re.compile(r"# runtime: unseeded (\w+)")
_VERIFY = re.compile(r"# verify: ([a-z-]+)(?: (SDL\d+))?")


def project(tmp_path: Path, *names: str) -> Path:
    """A project folder holding copies of the named fixtures (and an empty pyproject.toml)."""
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    (folder / "pyproject.toml").write_text("[tool.seedlint]\n")
    for name in names:
        shutil.copy(RUNTIME_FIXTURES / name, folder / name)
    return folder


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEEDLINT_")}
    env.update(extra)
    return env


def run(cwd: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment(**extra_env),
    )


def record(
    cwd: Path, script: str, *args: str, report: str = "report.json"
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    done = run(cwd, "-m", "seedlint.runtime", "--report", report, script, *args)
    return done, json.loads((cwd / report).read_text())


def expected_unseeded(name: str) -> dict[str, list[str]]:
    """library -> ["name:line", ...] from the `# runtime: unseeded LIB` markers."""
    found: dict[str, list[str]] = {"random": [], "numpy": [], "torch": []}
    text = (RUNTIME_FIXTURES / name).read_text()
    for number, line in enumerate(text.splitlines(), 1):
        for library in _UNSEEDED.findall(line):
            found[library].append(f"{name}:{number}")
    return found


def expected_verify(name: str) -> list[tuple[str, int, str, str | None]]:
    """(file, line, status, code) from the `# verify: STATUS CODE` markers, sorted."""
    found = []
    text = (RUNTIME_FIXTURES / name).read_text()
    for number, line in enumerate(text.splitlines(), 1):
        for status, code in _VERIFY.findall(line):
            found.append((name, number, status, code or None))
    return sorted(found, key=lambda item: (item[0], item[1], item[3] or "", item[2]))


def unseeded(report: dict[str, Any]) -> dict[str, list[str]]:
    return {lib: info["unseeded_draw_sites"] for lib, info in report["libraries"].items()}
