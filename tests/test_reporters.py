"""Text and JSON output (seedlint.reporters)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from seedlint.diagnostics import Diagnostic, Edit, Fix, Related, Span
from seedlint.integrations.cli import main
from seedlint.reporters import display_path, statistics, write_report
from seedlint.reporters.json import render_json
from seedlint.reporters.text import format_diagnostic, render_text, summary


def make(
    path: str, line: int, column: int, code: str = "SDL101", name: str = "numpy-legacy-global-api"
) -> Diagnostic:
    return Diagnostic(path, Span(line, column, line, column + 4), code, name, f"message {code}")


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    return os.getcwd()


def test_display_path(cwd: str) -> None:
    inside = os.path.join(cwd, "pkg", "a.py")
    assert display_path(inside) == os.path.join("pkg", "a.py")
    outside = os.path.abspath(os.path.join(cwd, os.pardir, "elsewhere.py"))
    assert display_path(outside) == outside
    assert display_path("already/relative.py") == "already/relative.py"


def test_text_lines_are_one_based_and_relative(cwd: str) -> None:
    d = make(os.path.join(cwd, "a.py"), 3, 5)
    assert format_diagnostic(d) == "a.py:3:5: SDL101 message SDL101"


def test_summary_wording() -> None:
    assert summary(0) == "All checks passed!"
    assert summary(1) == "Found 1 error."
    assert summary(3) == "Found 3 errors."


def test_text_report_sorted_with_summary(cwd: str) -> None:
    diagnostics = [
        make(os.path.join(cwd, "b.py"), 1, 1),
        make(os.path.join(cwd, "a.py"), 10, 1),
        make(os.path.join(cwd, "a.py"), 2, 7, "SDL103", "stdlib-global-random"),
    ]
    assert render_text(diagnostics) == (
        "a.py:2:7: SDL103 message SDL103\n"
        "a.py:10:1: SDL101 message SDL101\n"
        "b.py:1:1: SDL101 message SDL101\n"
        "Found 3 errors.\n"
    )


def test_quiet_prints_only_diagnostics(cwd: str) -> None:
    assert render_text([make(os.path.join(cwd, "a.py"), 1, 1)], quiet=True) == (
        "a.py:1:1: SDL101 message SDL101\n"
    )
    assert render_text([], quiet=True) == ""
    assert render_text([]) == "All checks passed!\n"


def test_statistics() -> None:
    diagnostics = [
        make("a.py", 1, 1, "SDL103", "stdlib-global-random"),
        make("a.py", 2, 1),
        make("b.py", 1, 1, "SDL103", "stdlib-global-random"),
        make("c.py", 1, 1, "SDL900", "syntax-error"),
    ]
    assert statistics(diagnostics) == [
        ("SDL103", "stdlib-global-random", 2),
        ("SDL101", "numpy-legacy-global-api", 1),
        ("SDL900", "syntax-error", 1),
    ]
    assert render_text(diagnostics, show_statistics=True) == (
        "2  SDL103  stdlib-global-random\n"
        "1  SDL101  numpy-legacy-global-api\n"
        "1  SDL900  syntax-error\n"
        "Found 4 errors.\n"
    )


def test_json_report_has_every_field_sorted_and_relative(cwd: str) -> None:
    fix = Fix("Use a Generator", "stream-changing", (Edit(Span(1, 1, 1, 5), "rng"),))
    related = (Related(os.path.join(cwd, "main.py"), 4, 1, "seeded here"),)
    diagnostics = [
        Diagnostic(os.path.join(cwd, "b.py"), Span(1, 1, 1, 2), "SDL900", "syntax-error", "m"),
        Diagnostic(
            os.path.join(cwd, "a.py"),
            Span(2, 3, 2, 9),
            "SDL101",
            "numpy-legacy-global-api",
            "msg",
            library="numpy",
            fix=fix,
            related=related,
        ),
    ]
    data = json.loads(render_json(diagnostics))
    assert [d["path"] for d in data] == ["a.py", "b.py"]
    assert data[0] == {
        "path": "a.py",
        "line": 2,
        "column": 3,
        "end_line": 2,
        "end_column": 9,
        "code": "SDL101",
        "name": "numpy-legacy-global-api",
        "message": "msg",
        "library": "numpy",
        "fix": {
            "message": "Use a Generator",
            "applicability": "stream-changing",
            "edits": [
                {
                    "line": 1,
                    "column": 1,
                    "end_line": 1,
                    "end_column": 5,
                    "content": "rng",
                    "cell": None,
                }
            ],
        },
        "related": [
            {
                "path": "main.py",
                "line": 4,
                "column": 1,
                "message": "seeded here",
                "cited": False,
                "cell": None,
            }
        ],
        "cell": None,
    }
    assert data[1]["fix"] is None and data[1]["library"] is None and data[1]["related"] == []


def test_json_empty_and_statistics() -> None:
    assert json.loads(render_json([])) == []
    stats = json.loads(render_json([make("a.py", 1, 1)], show_statistics=True))
    assert stats == [{"code": "SDL101", "name": "numpy-legacy-global-api", "count": 1}]


def test_write_report_dispatch() -> None:
    stream = io.StringIO()
    write_report([make("a.py", 1, 1)], stream, format="json")
    assert json.loads(stream.getvalue())[0]["code"] == "SDL101"
    with pytest.raises(ValueError, match="unknown output format"):
        write_report([], io.StringIO(), format="xml")


# --- through the command line ----------------------------------------------------------------


def test_cli_json_output_is_only_json(cwd: str, capsys: pytest.CaptureFixture[str]) -> None:
    Path("ok.py").write_text("import random\nx = random.random()\n")
    Path("binary.py").write_bytes(b"\x00\x01")
    Path("broken.py").write_text("import random\ndef f(:\n")
    assert main(["check", "--format", "json", "."]) == 1
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert [d["path"] for d in data] == sorted(d["path"] for d in data)
    by_file = {d["path"]: d for d in data if d["code"] == "SDL900"}
    assert set(by_file) == {"binary.py", "broken.py"}
    assert by_file["binary.py"]["message"].startswith("cannot read file: binary file")
    assert any(d["path"] == "ok.py" and d["code"] == "SDL103" for d in data)
    assert err == ""


def test_cli_json_clean_is_an_empty_array(cwd: str, capsys: pytest.CaptureFixture[str]) -> None:
    Path("ok.py").write_text("x = 1\n")
    assert main(["--output-format", "json", "ok.py"]) == 0
    assert capsys.readouterr().out == "[]\n"


def test_cli_statistics_and_quiet(cwd: str, capsys: pytest.CaptureFixture[str]) -> None:
    Path("m.py").write_text("import random\nrandom.random()\nrandom.randint(1, 2)\n")
    assert main(["--select", "SDL103", "--statistics", "m.py"]) == 1
    assert capsys.readouterr().out == "2  SDL103  stdlib-global-random\nFound 2 errors.\n"
    assert main(["--select", "SDL103", "-q", "m.py"]) == 1
    out = capsys.readouterr().out
    assert (
        out.splitlines() == [line for line in out.splitlines() if line.startswith("m.py:")]
        and len(out.splitlines()) == 2
    )
