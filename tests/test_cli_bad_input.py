"""Bad input never crashes the command line: one line per bad file, a clear exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import seedlint.analysis.loader
import seedlint.workspace.workspace
from seedlint.analysis.facts import ModuleFacts
from seedlint.integrations.cli import main
from tests.conftest import REPO

PROGRAM = "import random\nx = random.random()\n"


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEEDLINT_DEBUG", raising=False)
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def lines_for(out: list[str], name: str) -> list[str]:
    return [line for line in out if line.startswith(name + ":")]


# --- unreadable and undecodable files --------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "cannot read file: binary file (NUL byte on line 1)"),
        (b"x = 1\ny = '\xff\xfe'\n", "cannot read file: invalid utf-8 byte"),
        (b"# coding: no-such-codec\nx = 1\n", "cannot read file: invalid encoding declaration"),
    ],
)
def test_undecodable_file_is_one_line(
    cwd: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str
) -> None:
    (cwd / "bad.py").write_bytes(content)
    (cwd / "good.py").write_text(PROGRAM)
    status, out, err = run(["--select", "SDL103,SDL900", "."], capsys)
    assert status == 1
    bad = lines_for(out, "bad.py")
    assert len(bad) == 1
    assert bad[0].startswith(f"bad.py:1:1: SDL900 {reason}")
    assert lines_for(out, "good.py") == [lines_for(out, "good.py")[0]]
    assert "SDL103" in lines_for(out, "good.py")[0]
    assert out[-1] == "Found 2 errors."
    assert err == ""


def test_broken_symlink(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (cwd / "gone.py").symlink_to(cwd / "missing-target.py")
    status, out, err = run(["."], capsys)
    assert status == 1
    assert out == ["gone.py:1:1: SDL900 cannot read file: broken symbolic link", "Found 1 error."]
    # Named explicitly: the same message, not a usage error.
    status, out, _ = run(["gone.py"], capsys)
    assert status == 1 and out[0].endswith("broken symbolic link")


def test_link_named_like_a_python_file_to_a_folder(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (cwd / "real").mkdir()
    (cwd / "x.py").symlink_to(cwd / "real", target_is_directory=True)
    status, out, _ = run(["."], capsys)
    assert status == 1
    assert out == ["x.py:1:1: SDL900 cannot read file: is a directory", "Found 1 error."]


def test_unreadable_file(
    cwd: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, for whom chmod 000 changes nothing: fail the read itself.
    (cwd / "secret.py").write_text(PROGRAM)
    (cwd / "open.py").write_text("x = 1\n")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    status, out, err = run(["."], capsys)
    assert status == 1
    assert out == ["secret.py:1:1: SDL900 cannot read file: permission denied", "Found 1 error."]


def test_ignoring_sdl900_for_a_file_through_per_file_ignores(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (cwd / "pyproject.toml").write_text(
        '[tool.seedlint.per-file-ignores]\n"vendor/*" = ["SDL900"]\n'
    )
    (cwd / "vendor").mkdir()
    (cwd / "vendor" / "blob.py").write_bytes(b"\x00")
    assert run(["."], capsys)[0] == 0


# --- large and deeply nested files -----------------------------------------------------------


def test_five_megabyte_file(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    filler = 'blob_{} = "' + "x" * 1000 + '"\n'
    parts = ["import random\n"]
    size = 0
    index = 0
    while size < 5 * 1024 * 1024:
        parts.append(filler.format(index))
        size += len(parts[-1])
        index += 1
    parts.append("a = random.random()  # noqa: SDL103\n")
    parts.append("b = random.random()\n")
    (cwd / "big.py").write_text("".join(parts))
    assert (cwd / "big.py").stat().st_size > 5 * 1024 * 1024
    status, out, err = run(["--select", "SDL103", "big.py"], capsys)
    assert status == 1
    assert out == [
        f"big.py:{index + 3}:5: SDL103 {out[0].split(' SDL103 ', 1)[1]}",
        "Found 1 error.",
    ]
    assert err == ""


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("parens.py", "import random\nx = " + "(" * 200 + "random.random()" + ")" * 200 + "\n"),
        ("parens199.py", "import random\nx = " + "(" * 198 + "random.random()" + ")" * 198 + "\n"),
        ("attrs.py", "import random\nx = random" + ".attr" * 5000 + "\n"),
        ("calls.py", "import random\nx = random.choice" + "(f" * 3000 + ")" * 3000 + "\n"),
        ("sums.py", "import random\nx = random.random()" + " + 1" * 20000 + "\n"),
        ("unary.py", "import random\nx = " + "-" * 20000 + "random.random()\n"),
        ("lists.py", "import random\nx = " + "[" * 3000 + "]" * 3000 + "\n"),
    ],
)
def test_deep_nesting_does_not_crash(
    cwd: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    (cwd / name).write_text(text)
    status, out, err = run([name], capsys)
    assert status in (0, 1)
    assert "Traceback" not in err and "internal error" not in err
    for line in lines_for(out, name):
        if " SDL900 " in line:
            assert lines_for(out, name) == [line]  # one line for the file, nothing else


def test_engine_crash_is_isolated_to_its_file(
    cwd: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (cwd / "a.py").write_text(PROGRAM)
    (cwd / "boom.py").write_text(PROGRAM)
    real = seedlint.analysis.loader.extract_facts

    def analyze(
        text: str, path: str, module: str | None = None, python: object = None
    ) -> ModuleFacts:
        if path.endswith("boom.py"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, path, module, python)  # type: ignore[arg-type]

    monkeypatch.setattr(seedlint.analysis.loader, "extract_facts", analyze)
    status, out, err = run(["--select", "SDL103", "."], capsys)
    assert status == 1
    assert lines_for(out, "boom.py") == [
        "boom.py:1:1: SDL900 cannot analyse file: too deeply nested (RecursionError)"
    ]
    assert len(lines_for(out, "a.py")) == 1
    assert err == ""


def test_rule_crash_is_isolated_to_its_file(
    cwd: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (cwd / "a.py").write_text(PROGRAM)
    (cwd / "boom.py").write_text(PROGRAM)
    real = seedlint.workspace.workspace.run_rules

    def run_rules(facts, report_on, settings, project=None):  # type: ignore[no-untyped-def]
        report_on = list(report_on)
        if any(p.endswith("boom.py") for p in report_on):
            raise ValueError("rule bug\nwith two lines")
        return real(facts, report_on, settings, project)

    monkeypatch.setattr(seedlint.workspace.workspace, "run_rules", run_rules)
    status, out, _ = run(["--select", "SDL103", "."], capsys)
    assert status == 1
    assert lines_for(out, "boom.py") == [
        "boom.py:1:1: SDL900 cannot analyse file: internal error "
        "(ValueError: rule bug with two lines); please report it"
    ]
    assert len(lines_for(out, "a.py")) == 1


# --- internal errors and usage errors --------------------------------------------------------


def test_internal_error_is_one_line_exit_2(
    cwd: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(seedlint.workspace.Workspace, "check", explode)
    status, out, err = run(["."], capsys)
    assert status == 2
    assert out == []
    assert len(err.splitlines()) == 1
    assert err.startswith("seedlint: internal error: KeyError: 'boom'")
    assert "SEEDLINT_DEBUG=1" in err
    monkeypatch.setenv("SEEDLINT_DEBUG", "1")
    with pytest.raises(KeyError):
        main(["."])


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--no-such-option"],
        ["check", "--format", "xml"],
        ["rule"],
        ["rule", "SDL999"],
        ["rule", "nonsense"],
    ],
)
def test_usage_errors_exit_2(
    cwd: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    status, out, err = run(args, capsys)
    assert status == 2
    assert out == []
    assert "error" in err and "Traceback" not in err


def test_rule_and_rules(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["rule", "sdl900"], capsys)
    assert status == 0 and out[0] == "# syntax-error (SDL900)"
    status, out, _ = run(["rules"], capsys)
    assert status == 0
    assert any(line.split()[:2] == ["SDL900", "syntax-error"] for line in out)
    assert [line.split()[0] for line in out] == sorted(line.split()[0] for line in out)


def test_shorthand_routes_to_check(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (cwd / "m.py").write_text(PROGRAM)
    assert (
        run(["--select", "SDL103", "m.py"], capsys)[:2]
        == run(["check", "--select", "SDL103", "m.py"], capsys)[:2]
    )
    status, out, _ = run(["m.py", "--select=SDL103"], capsys)
    assert status == 1 and out[-1] == "Found 1 error."


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--version"], capsys)
    assert status == 0 and out == ["seedlint 0.1.0"]
    status, out, _ = run(["--help"], capsys)
    assert status == 0 and "check" in "\n".join(out)
    status, out, _ = run(["check", "--help"], capsys)
    assert status == 0 and "--extend-select" in "\n".join(out)


def test_explicit_file_without_py_suffix(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (cwd / "tool").write_text("#!/usr/bin/env python\n" + PROGRAM)
    status, out, _ = run(["--select", "SDL103", "tool"], capsys)
    assert status == 1 and out[0].startswith("tool:3:5: SDL103")


# --- as a real process -----------------------------------------------------------------------


def _subprocess(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("SEEDLINT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "seedlint", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_subprocess_bad_files(tmp_path: Path) -> None:
    (tmp_path / "bin.py").write_bytes(b"\x00\x00")
    (tmp_path / "link.py").symlink_to(tmp_path / "nowhere")
    (tmp_path / "syntax.py").write_text("import random\ndef f(:\n")
    (tmp_path / "ok.py").write_text("x = 1\n")
    result = _subprocess(["check", "--format", "json", "."], tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert {(d["path"], d["code"]) for d in data} == {
        ("bin.py", "SDL900"),
        ("link.py", "SDL900"),
        ("syntax.py", "SDL900"),
    }
    missing = _subprocess(["missing.py"], tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip() == "seedlint: error: no such file or directory: missing.py"


def test_version_imports_nothing_heavy(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    code = (
        "import sys\n"
        "from seedlint.integrations.cli import main\n"
        "assert main(['--version']) == 0\n"
        "heavy = [m for m in ('libcst', 'seedlint.workspace', 'seedlint.analysis', 'pathspec',"
        " 'tomllib') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout
