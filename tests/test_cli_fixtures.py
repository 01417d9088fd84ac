"""The command line on the fixtures, as a real subprocess: JSON schema, text output, exit codes,
and the same findings as the library (so the CLI's reading and decoding of odd files, CRLF,
BOM, latin-1, empty, unparsable, matches what Python does)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.test_fixtures import SINGLE_FILE_SETTINGS, decode_source, fixture_rule_dirs

from .engine_helpers import check_source

REPO = Path(__file__).resolve().parent.parent
# The rule families the single-file fixtures are about (see tests/test_fixtures.py).
SELECT = "SDL1,SDL9"

FIELDS: dict[str, type | tuple[type, ...]] = {
    "path": str,
    "line": int,
    "column": int,
    "end_line": int,
    "end_column": int,
    "code": str,
    "name": str,
    "message": str,
    "library": (str, type(None)),
    "fix": (dict, type(None)),
    "related": list,
    "cell": (int, type(None)),  # a notebook's cell; `line` is then the line in it
}
RELATED_FIELDS: dict[str, type | tuple[type, ...]] = {
    "path": str,
    "line": int,
    "column": int,
    "message": str,
    "cited": bool,
    "cell": (int, type(None)),
}
_TEXT_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>SDL\d{3}) (?P<message>.*)$"
)


def seedlint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seedlint", *args],
        cwd=REPO,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
    )


def json_findings(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert "Traceback" not in result.stderr, result.stderr
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"stdout is not JSON ({exc}):\n{result.stdout[:2000]}") from exc
    assert isinstance(data, list), f"expected a JSON array, got {type(data).__name__}"
    return data


def check_schema(item: dict[str, Any]) -> None:
    assert set(item) == set(FIELDS), f"keys {sorted(item)} != {sorted(FIELDS)}"
    for key, kind in FIELDS.items():
        assert isinstance(item[key], kind), f"{key}={item[key]!r} is not {kind}"
    assert re.fullmatch(r"SDL[0-9]{3}", item["code"])
    assert item["line"] >= 1 and item["column"] >= 1
    assert (item["end_line"], item["end_column"]) >= (item["line"], item["column"])
    assert item["library"] in (None, "random", "numpy", "torch")
    if item["fix"] is not None:
        assert {"message", "applicability", "edits"} <= set(item["fix"])
    for related in item["related"]:
        assert set(related) == set(RELATED_FIELDS)
        for key, kind in RELATED_FIELDS.items():
            assert isinstance(related[key], kind)
    if item["code"].startswith("SDL1"):
        # Single-file rules point at one place; a fix, when offered, says whether it keeps
        # the random stream.
        assert item["related"] == [], item
        if item["fix"] is not None:
            assert item["fix"]["applicability"] in ("stream-preserving", "stream-changing")


def _citation(item: dict[str, Any]) -> str:
    """The text format shows the location a message cites after it; JSON keeps it apart."""
    cited = [r for r in item["related"] if r["cited"]]
    return f" ({cited[0]['path']}:{cited[0]['line']})" if cited else ""


def test_json_schema_and_text_output_agree() -> None:
    as_json = seedlint("check", "fixtures/sdl101", "--format", "json")
    assert as_json.returncode == 1, as_json.stderr
    findings = json_findings(as_json)
    assert findings, "fixtures/sdl101 gave no findings"
    for item in findings:
        check_schema(item)
    assert {item["code"] for item in findings} >= {"SDL101", "SDL102", "SDL103"}

    as_text = seedlint("check", "fixtures/sdl101", "--format", "text")
    assert as_text.returncode == 1, as_text.stderr
    parsed = [m.groupdict() for m in map(_TEXT_LINE.match, as_text.stdout.splitlines()) if m]
    from_text = [
        (p["path"], int(p["line"]), int(p["column"]), p["code"], p["message"]) for p in parsed
    ]
    from_json = [
        (i["path"], i["line"], i["column"], i["code"], i["message"] + _citation(i))
        for i in findings
    ]
    assert from_text == from_json


def test_clean_file_exits_0() -> None:
    clean = "fixtures/sdl101/explicit_generators_valid.py"
    result = seedlint("check", clean, "--select", SELECT, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json_findings(result) == []


def test_missing_path_exits_2() -> None:
    result = seedlint("check", "fixtures/does-not-exist", "--format", "json")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "does-not-exist" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("folder", fixture_rule_dirs(), ids=lambda p: p.name)
def test_cli_reports_what_the_library_reports(folder: Path) -> None:
    """Whatever the analysis finds (right or wrong), the CLI must find the same: it reads,
    decodes and positions every fixture file, odd bytes included, like `check_source`.

    The files are named one by one: files named on the command line are always parsed, while
    a folder walk skips files that name no random API at all (so a syntax error in such a file
    is only reported when the file is named)."""
    files = [p.relative_to(REPO).as_posix() for p in sorted(folder.rglob("*.py"))]
    result = seedlint("check", *files, "--select", SELECT, "--format", "json")
    findings = json_findings(result)
    for item in findings:
        check_schema(item)
    got = sorted(
        (
            Path(REPO, i["path"]).resolve().relative_to(REPO).as_posix(),
            i["line"],
            i["column"],
            i["code"],
        )
        for i in findings
    )
    want = []
    for path in sorted(folder.rglob("*.py")):
        text = decode_source(path.read_bytes())
        for d in check_source(text, str(path), SINGLE_FILE_SETTINGS):
            want.append((path.relative_to(REPO).as_posix(), d.line, d.column, d.code))
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    assert sorted(want) == got, f"only from the library: {missing}\nonly from the CLI: {extra}"
    assert result.returncode == (1 if want else 0), result.stderr
