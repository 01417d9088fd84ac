"""`seedlint run` and `seedlint verify` on real programs: each static finding's verify status
against the `# verify:` markers beside the code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from .conftest import REPO, require
from .runtime_helpers import expected_verify, project, run

CASES = {
    # fixture: (program arguments, extra verify options, expected exit status of verify)
    "seeded_late.py": ((), (), 1),
    "torch_seed_only.py": ((), (), 1),
    "sklearn_random_state.py": ((), (), 1),
    "crash.py": ((), (), 1),
    "os_exit.py": ((), (), 1),
    "sigterm.py": ((), (), 1),
    "entropy_seed.py": ((), (), 1),
    "getattr_draw.py": ((), (), 1),
    # The seed is read from a file: only --strict static analysis flags the draw (seeded on
    # some paths), and the run refutes it.
    "config_seed.py": (("config_seed.json",), ("--strict",), 0),
    # An optional seed missing from the file: np.random.seed(None), entropy.
    "config_seed_optional.py": (("config_empty.json",), (), 1),
    # SDL003 on explicit generators: reseeded in a helper (refuted), drawn unseeded (confirmed)
    "explicit_generators.py": ((), (), 1),
}


@pytest.fixture(autouse=True)
def _libraries() -> None:
    require("numpy")
    require("torch")


def _entries(document: dict[str, object]) -> list[tuple[str, int, str, str | None]]:
    entries = document["entries"]
    assert isinstance(entries, list)
    found = [(Path(e["path"]).name, e["line"], e["status"], e["code"]) for e in entries]
    return sorted(found, key=lambda item: (item[0], item[1], item[3] or "", item[2]))


@pytest.mark.parametrize("name", sorted(CASES))
def test_verify_statuses_match_what_the_program_does(tmp_path: Path, name: str) -> None:
    if name.startswith("sklearn"):
        require("sklearn")
    args, options, status = CASES[name]
    cwd = project(tmp_path, name)
    if args:
        (cwd / args[0]).write_text(
            (Path(__file__).parent.parent / "fixtures" / "runtime" / args[0]).read_text()
        )
    ran = run(cwd, "-m", "seedlint", "run", "--report", "r.json", "--", sys.executable, name, *args)
    assert (cwd / "r.json").exists(), ran.stderr
    done = run(
        cwd, "-m", "seedlint", "verify", name, "--report", "r.json", "--format", "json", *options
    )
    assert done.returncode == status, done.stderr
    assert _entries(json.loads(done.stdout)) == expected_verify(name)


def test_verify_run_in_one_go_text_and_sarif(tmp_path: Path) -> None:
    cwd = project(tmp_path, "torch_seed_only.py", "getattr_draw.py")
    done = run(
        cwd, "-m", "seedlint", "verify", ".", "--run", "--", sys.executable, "getattr_draw.py"
    )
    assert done.returncode == 1, done.stderr
    program_output, *lines = done.stdout.splitlines()
    assert program_output == "(4,)"
    # torch_seed_only.py did not run: its findings are not-executed
    assert [line.split(" [")[1].split("]")[0] for line in lines[:-1]] == [
        "not-executed",
        "not-executed",
        "missed-by-static",
    ]
    assert lines[2].startswith("getattr_draw.py:6:1: runtime [missed-by-static]")
    assert lines[-1] == (
        "seedlint verify: 0 confirmed, 0 refuted, 2 not-executed, 1 missed-by-static"
    )
    sarif = run(
        cwd,
        "-m",
        "seedlint",
        "verify",
        ".",
        "--report",
        "seedlint-runtime.json",
        "--format",
        "sarif",
    )
    document = json.loads(sarif.stdout)
    assert document["version"] == "2.1.0"
    jsonschema = require("jsonschema")
    schema = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)
    results = document["runs"][0]["results"]
    assert sorted(r["properties"]["verifyStatus"] for r in results) == [
        "missed-by-static",
        "not-executed",
        "not-executed",
    ]
    # The one SARIF writer (reporters/sarif.py): rules described, results point at them
    assert document["runs"][0]["automationDetails"]["id"] == "seedlint-verify/"
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    missed = next(r for r in results if r["properties"]["verifyStatus"] == "missed-by-static")
    assert (missed["ruleId"], missed["level"]) == ("runtime-unseeded-draw", "error")
    location = missed["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "getattr_draw.py", "uriBaseId": "%SRCROOT%"}


def test_run_passes_output_and_status_through(tmp_path: Path) -> None:
    cwd = project(tmp_path, "crash.py")
    plain = run(cwd, "crash.py")
    done = run(cwd, "-m", "seedlint", "run", "--report", "out/r.json", "crash.py")
    assert done.returncode == plain.returncode == 1
    assert done.stdout == plain.stdout
    assert done.stderr.startswith(plain.stderr)
    assert "random: 1 draw at 1 site, NOT deterministically seeded before its first draw" in (
        done.stderr
    )
    report = json.loads((cwd / "out" / "r.json").read_text())
    assert report["libraries"]["random"]["unseeded_draw_sites"] == ["crash.py:8"]
    quiet = run(
        cwd,
        "-m",
        "seedlint",
        "run",
        "-q",
        "--report",
        "q.json",
        "--",
        sys.executable,
        "-u",
        "crash.py",
    )
    assert quiet.stderr == plain.stderr


def test_run_twice_names_the_library_and_first_site_that_differed(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    (cwd / "half.py").write_text(
        "import random\nimport numpy as np\nimport torch\n"
        "random.seed(1)\ntorch.manual_seed(1)\n"
        "a = random.random()\n"
        "b = torch.rand(2)\n"
        "c = np.random.rand(2)\n"
        "d = np.random.rand(2)\n"
    )
    done = run(cwd, "-m", "seedlint", "run", "--twice", "--report", "t.json", "half.py")
    assert done.returncode == 1, done.stderr
    assert "the runs differed" in done.stderr
    assert "  numpy: first at half.py:8 (numpy.random.rand): different numbers" in done.stderr
    assert "random:" not in done.stderr.split("differed")[1]
    assert "torch:" not in done.stderr.split("differed")[1]
    (cwd / "half.py").write_text(
        (cwd / "half.py").read_text().replace("random.seed(1)", "random.seed(1); np.random.seed(2)")
    )
    same = run(cwd, "-m", "seedlint", "run", "--twice", "-q", "--report", "t.json", "half.py")
    assert same.returncode == 0, same.stderr


def test_run_module_mode(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    (cwd / "tool").mkdir()
    (cwd / "tool" / "__init__.py").write_text("")
    (cwd / "tool" / "main.py").write_text(
        "import random, sys\nprint(sys.argv[1:])\nrandom.random()\n"
    )
    done = run(cwd, "-m", "seedlint", "run", "--report", "m.json", "-m", "tool.main", "a", "-b")
    assert done.returncode == 0 and done.stdout == "['a', '-b']\n", done.stderr
    report = json.loads((cwd / "m.json").read_text())
    assert report["libraries"]["random"]["unseeded_draw_sites"] == [
        str(Path("tool") / "main.py") + ":3"
    ]
