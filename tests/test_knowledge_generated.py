"""The generated tables are up to date with the installed numpy, torch and Python."""

from __future__ import annotations

import importlib.util
import io
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import REPO, require

SCRIPT = REPO / "scripts" / "generate_knowledge.py"
HEADER = "# GENERATED VIA scripts/generate_knowledge.py -- do not edit by hand\n"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_knowledge", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    require("numpy")
    require("torch")
    return _load()


def test_check_reports_up_to_date(script: ModuleType) -> None:
    out = io.StringIO()
    rc = script.check(list(script.TARGETS), out=out)
    assert rc == 0, out.getvalue()
    assert out.getvalue().count("up to date") + out.getvalue().count("skipped") == 3
    assert script.main(["--check"]) == 0


def test_generated_files_carry_the_header(script: ModuleType) -> None:
    for name in script.TARGETS:
        text = (script.KNOWLEDGE / name).read_text(encoding="utf-8")
        assert text.startswith(HEADER), name


def test_check_detects_stale_files(
    script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in script.TARGETS:
        shutil.copy(script.KNOWLEDGE / name, tmp_path / name)
    monkeypatch.setattr(script, "KNOWLEDGE", tmp_path)
    numpy_file = tmp_path / "_generated_numpy.py"
    numpy_file.write_text(numpy_file.read_text().replace('"tomaxint",\n', ""))
    out = io.StringIO()
    assert script.check(["_generated_numpy.py"], out=out) == 1
    assert "STALE: _generated_numpy.py" in out.getvalue()
    assert "tomaxint" in out.getvalue()  # the diff shows what changed
    # writing brings it back
    assert script.write(["_generated_numpy.py"], out=io.StringIO()) == 0
    assert script.check(["_generated_numpy.py"], out=io.StringIO()) == 0


def test_stdlib_generated_on_another_python_is_not_stale(
    script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(script, "KNOWLEDGE", tmp_path)
    other = (sys.version_info[0], sys.version_info[1] + 1)
    text = script.generate_stdlib().replace(
        f"PYTHON_VERSION: tuple[int, int] = ({sys.version_info[0]}, {sys.version_info[1]})",
        f"PYTHON_VERSION: tuple[int, int] = ({other[0]}, {other[1]})",
    )
    (tmp_path / "_generated_stdlib.py").write_text(text + "# differs\n")
    out = io.StringIO()
    assert script.check(["_generated_stdlib.py"], out=out) == 0
    assert "skipped" in out.getvalue()
