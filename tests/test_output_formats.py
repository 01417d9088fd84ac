"""Output for CI: SARIF 2.1.0 (validated against the official schema), GitHub Actions
workflow commands, JSON Lines, all from the real command line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from seedlint.diagnostics import Diagnostic, Edit, Fix, Related, Span
from seedlint.reporters import write_report
from seedlint.reporters.github import escape_data, escape_property, render_github
from seedlint.reporters.sarif import RuleDoc, render_sarif
from seedlint.rules import ALL_RULES

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
HELPER_PARTIAL = REPO / "fixtures" / "projects" / "helper_partial"
NOTEBOOKS = REPO / "fixtures" / "notebooks"


def seedlint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seedlint", "check", "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )


def validate(log: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(
        SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_the_schema_rejects_what_is_not_sarif() -> None:
    """The validation below can fail: a region with column 0 is not SARIF."""
    log = json.loads(render_sarif([]))
    validate(log)
    bad = Diagnostic("a.py", Span(1, 0, 1, 2), "SDL101", "numpy-legacy-global-api", "m")
    with pytest.raises(AssertionError, match="startColumn"):
        validate(json.loads(render_sarif([bad])))


def test_sarif_of_a_project_validates_and_says_everything() -> None:
    result = seedlint(HELPER_PARTIAL, "--format", "sarif", ".")
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    validate(log)
    (run,) = log["runs"]
    assert log["version"] == "2.1.0"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == HELPER_PARTIAL.as_uri() + "/"
    assert run["columnKind"] == "unicodeCodePoints"

    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(rule.code for rule in ALL_RULES)
    for descriptor in rules:
        rule = next(r for r in ALL_RULES if r.code == descriptor["id"])
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"].startswith(
            " ".join(rule.doc().split("## What it does", 1)[1].split("##", 1)[0].split())
        )
        assert descriptor["help"]["markdown"] == rule.doc()
        page = descriptor["helpUri"].split("/blob/main/", 1)[1]
        assert page == f"docs/rules/{rule.code}.md" and (REPO / page).is_file()

    results = run["results"]
    text = seedlint(HELPER_PARTIAL, ".").stdout.splitlines()[:-1]
    assert len(results) == len(text)
    for result_, line in zip(results, text, strict=True):
        location = result_["locations"][0]["physicalLocation"]
        region = location["region"]
        path, row, column, rest = line.split(":", 3)
        assert location["artifactLocation"] == {"uri": path, "uriBaseId": "%SRCROOT%"}
        assert (region["startLine"], region["startColumn"]) == (int(row), int(column))
        assert rest.split()[0] == result_["ruleId"]
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"]
        assert region["endLine"] >= region["startLine"]

    sdl002 = [r for r in results if r["ruleId"] == "SDL002"]
    assert sdl002
    for finding in sdl002:
        (seeding, *_) = finding["relatedLocations"]
        assert seeding["id"] == 1
        assert seeding["physicalLocation"]["artifactLocation"]["uri"] == "common.py"
        assert seeding["physicalLocation"]["region"]["startLine"] == 8
        assert finding["message"]["text"].endswith("([common.py:8](1))")


def test_sarif_fixes_and_paths_outside_the_folder(tmp_path: Path) -> None:
    inside = str(tmp_path / "sub dir" / "a.py")
    outside = str(tmp_path.parent / "elsewhere.py")
    edits = (Edit(Span(3, 1, 3, 18), "rng = np.random.default_rng(0)"), Edit(Span(5, 5, 5, 5), "x"))
    diagnostics = [
        Diagnostic(
            inside,
            Span(3, 1, 3, 18),
            "SDL101",
            "numpy-legacy-global-api",
            "`np.random.seed` [sic] seeds",
            fix=Fix("Replace with a Generator", "stream-changing", edits),
            related=(Related(outside, 2, 1, "seeded here", cited=True),),
        ),
        Diagnostic(inside, Span(9, 1, 9, 2), "SDL103", "stdlib-global-random", "100% global"),
    ]
    docs = [RuleDoc(r.code, r.name, r.summary, r.doc()) for r in ALL_RULES]
    log = json.loads(render_sarif(diagnostics, docs, cwd=str(tmp_path)))
    validate(log)
    first, second = log["runs"][0]["results"]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "sub%20dir/a.py",
        "uriBaseId": "%SRCROOT%",
    }
    related = first["relatedLocations"][0]["physicalLocation"]["artifactLocation"]
    assert related == {"uri": Path(outside).as_uri()}
    assert first["message"]["text"] == (
        f"`np.random.seed` \\[sic\\] seeds ([{outside.replace('[', '')}:2](1))"
    )
    (fix,) = first["fixes"]
    assert fix["description"]["text"] == "Replace with a Generator"
    replacements = fix["artifactChanges"][0]["replacements"]
    assert replacements[0]["deletedRegion"] == {
        "startLine": 3,
        "startColumn": 1,
        "endLine": 3,
        "endColumn": 18,
    }
    assert replacements[1]["insertedContent"] == {"text": "x"}
    assert first["properties"]["fix"]["applicability"] == "stream-changing"
    assert second["message"]["text"] == "100% global" and "fixes" not in second


def test_sarif_of_notebooks_validates() -> None:
    log = json.loads(seedlint(NOTEBOOKS, "--format", "sarif", ".").stdout)
    validate(log)
    locations = [r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"]]
    assert {location["properties"]["cell"] for location in locations} >= {1, 3, 4}
    assert all("region" in location for location in locations)


@pytest.mark.parametrize(
    "raw, data, prop",
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("x:y,z", "x:y,z", "x%3Ay%2Cz"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_workflow_commands_from_the_cli() -> None:
    result = seedlint(HELPER_PARTIAL, "--format", "github", ".")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    text = seedlint(HELPER_PARTIAL, ".").stdout.splitlines()[:-1]
    assert len(lines) == len(text)
    assert lines[2] == (
        "::error file=train.py,line=7,col=15,endLine=7,endColumn=32,title=SDL002::"
        "`torch.randn` draws from torch's default generator, but this program seeds only "
        "random and numpy (common.py:8)"
    )
    assert all(line.startswith("::error file=") for line in lines)


def test_github_escapes_paths_and_names_notebook_cells(tmp_path: Path) -> None:
    path = str(tmp_path / "odd,name:1.py")
    multi = Diagnostic(path, Span(1, 1, 1, 2), "SDL103", "n", "50%\nof it")
    cell = Diagnostic(str(tmp_path / "nb.ipynb"), Span(2, 5, 2, 9), "SDL101", "n", "m", cell=3)
    assert render_github([multi, cell], cwd=str(tmp_path)).splitlines() == [
        "::error file=nb.ipynb,title=SDL101 (cell 3%2C line 2%2C column 5)::m",
        "::error file=odd%2Cname%3A1.py,line=1,col=1,endLine=1,endColumn=2,title=SDL103::"
        "50%25 of it",
    ]
    # Where the notebook's file is known, the annotation goes on the code in its JSON text.
    located = render_github(
        [cell], cwd=str(tmp_path), locate=lambda p, c, line, col: (line * 10, col + 4)
    )
    assert located == (
        "::error file=nb.ipynb,line=20,col=9,endLine=20,endColumn=13,"
        "title=SDL101 (cell 3%2C line 2%2C column 5)::m\n"
    )


def test_json_lines_is_one_finding_a_line_like_json() -> None:
    lines = seedlint(HELPER_PARTIAL, "--format", "json-lines", ".").stdout.splitlines()
    whole = json.loads(seedlint(HELPER_PARTIAL, "--format", "json", ".").stdout)
    assert [json.loads(line) for line in lines] == whole and len(lines) == 5


def test_json_lines_flushes_each_finding(tmp_path: Path) -> None:
    class Recording(io.StringIO):
        flushed: list[str] = []

        def flush(self) -> None:
            self.flushed.append(self.getvalue())

    stream = Recording()
    found = [
        Diagnostic(os.path.join(str(tmp_path), f"{n}.py"), Span(1, 1, 1, 2), "SDL103", "n", "m")
        for n in "ab"
    ]
    write_report(found, stream, format="json-lines", cwd=str(tmp_path))
    assert [value.count("\n") for value in stream.flushed] == [1, 2]
