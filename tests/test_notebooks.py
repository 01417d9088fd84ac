"""Jupyter notebooks: code cells as one program, IPython syntax hidden, findings by cell, and
`--fix` writing back only the sources of the cells it changes.

The fixture notebooks under ``fixtures/notebooks/`` carry ``# expect:`` markers in their
cells (see tests/test_fixtures.py); a marker's line is the line in its cell.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from seedlint.diagnostics import Diagnostic
from seedlint.discovery import discover
from seedlint.fixes import FixOptions
from seedlint.notebooks import NotebookError, parse_notebook
from seedlint.settings import Settings
from seedlint.workspace import Workspace

from .test_fixtures import compare, parse_markers

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "fixtures" / "notebooks"
CHECKED = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb") if not p.name.startswith("fix_"))


def seedlint(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seedlint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )


def code_cells(path: Path) -> list[tuple[int, str]]:
    """(1-based cell number, markdown cells counted; source) of each code cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        (number, "".join(cell["source"]))
        for number, cell in enumerate(cells, start=1)
        if cell["cell_type"] == "code"
    ]


def notebook(*sources: str, kind: str = "code") -> str:
    cells = [
        {
            "cell_type": kind,
            "metadata": {},
            "source": source,
            "outputs": [],
            "execution_count": None,
        }
        for source in sources
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.mark.parametrize("name", CHECKED)
def test_fixture_notebook_findings_match_the_markers_in_its_cells(name: str) -> None:
    path = NOTEBOOKS / name
    report = Workspace(NOTEBOOKS, Settings(), use_cache=False).check([path])
    assert all(d.path == str(path) for d in report.diagnostics)
    assert all(d.cell is not None for d in report.diagnostics), report.diagnostics
    cells = code_cells(path)
    assert cells, f"{name} has no code cells"
    for number, source in cells:
        here = [d for d in report.diagnostics if d.cell == number]
        missing, unexpected = compare(parse_markers(source, f"{name}:cell {number}"), here)
        assert not missing and not unexpected, (number, missing, unexpected)
    assert {d.cell for d in report.diagnostics} <= {number for number, _ in cells}


def test_numpy_seeded_in_cell_1_torch_drawn_in_cell_4_is_sdl002_in_every_format() -> None:
    name = "seeds_numpy_draws_torch.ipynb"
    text = seedlint(NOTEBOOKS, "check", "--no-cache", name)
    assert text.returncode == 1, text.stderr
    assert (
        f"{name}:cell 4:1:11: SDL002 `torch.randn` draws from torch's default generator, but "
        f"this program seeds only numpy ({name}:cell 1:4)"
    ) in text.stdout.splitlines()

    as_json = seedlint(NOTEBOOKS, "check", "--no-cache", "--format", "json", name)
    found = [d for d in json.loads(as_json.stdout) if d["code"] == "SDL002"]
    assert len(found) == 1
    assert (found[0]["cell"], found[0]["line"], found[0]["column"]) == (4, 1, 11)
    (seeding,) = found[0]["related"]
    assert (seeding["path"], seeding["cell"], seeding["line"]) == (name, 1, 4)

    sarif = json.loads(seedlint(NOTEBOOKS, "check", "--no-cache", "--format", "sarif", name).stdout)
    (result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "SDL002"]
    location = result["locations"][0]["physicalLocation"]
    in_cell = location["properties"]["cellRegion"]
    assert (location["properties"]["cell"], in_cell["startLine"], in_cell["startColumn"]) == (
        4,
        1,
        11,
    )
    related = result["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == name
    assert related["properties"]["cell"] == 1
    assert related["properties"]["cellRegion"]["startLine"] == 4

    # Viewers of the .ipynb file (GitHub) get the place in its JSON text.
    raw_lines = (NOTEBOOKS / name).read_text(encoding="utf-8").splitlines()
    region = location["region"]
    start, end = region["startColumn"] - 1, region["endColumn"] - 1
    assert raw_lines[region["startLine"] - 1][start:end] == "torch.randn(3)"
    seeding = related["region"]
    assert raw_lines[seeding["startLine"] - 1][seeding["startColumn"] - 1 :].startswith(
        "np.random.seed(0)"
    )
    github = seedlint(NOTEBOOKS, "check", "--no-cache", "--format", "github", name)
    assert (
        f"::error file={name},line={region['startLine']},col={region['startColumn']},"
        f"endLine={region['endLine']},endColumn={region['endColumn']},"
        "title=SDL002 (cell 4%2C line 1%2C column 11)::`torch.randn` draws"
    ) in github.stdout


def test_ipython_syntax_is_hidden_line_for_line() -> None:
    source = (
        "%matplotlib inline\n"
        "!ls -l\n"
        "files = !ls\n"
        "out, err = %sx echo hi\n"
        "np.random?\n"
        "??np.random.rand\n"
        "for i in range(2):\n"
        "    %time f(i)\n"
        "x = (10\n"
        "% 3)\n"
        "s = '''\n"
        "%not a magic\n"
        "'''\n"
        "y = 1 != 2\n"
        "%run other.py \\\n"
        "  --flag\n"
        "z = 'what?'"
    )
    parsed = parse_notebook(notebook(source))
    lines = parsed.text.splitlines()
    assert lines[0] == "# %% [seedlint cell 1]"
    body = lines[1:]
    assert len(body) == len(source.splitlines())
    hidden = [i + 1 for i, line in enumerate(body) if "seedlint: IPython syntax" in line]
    assert hidden == [1, 2, 3, 4, 5, 6, 8, 15, 16]
    assert body[7] == "    pass  # seedlint: IPython syntax"  # stays a valid block
    compile(parsed.text, "<notebook>", "exec")  # the program parses
    assert parsed.locate(2) == (1, 1) and parsed.locate(1) is None
    assert parsed.write_back(parsed.text) == parsed.raw


def test_cell_magics_hide_the_cell_unless_its_body_is_python() -> None:
    bash = "%%bash\nif true; then\n    echo random.random()\nfi\n"
    parsed = parse_notebook(notebook(bash, "%%timeit\nf()\n"))
    first, second = parsed.cells
    assert [line for _, line in first.hidden] == bash.splitlines()
    compile(parsed.text, "<notebook>", "exec")
    assert [line for _, line in second.hidden] == ["%%timeit"]
    assert "f()" in parsed.text and "echo" not in parsed.text


def test_markdown_raw_and_other_languages_are_not_code() -> None:
    assert parse_notebook(notebook("import random\nrandom.random()", kind="markdown")).cells == ()
    other = json.loads(notebook("x <- runif(3)"))
    other["metadata"] = {"kernelspec": {"language": "R", "name": "ir", "display_name": "R"}}
    assert parse_notebook(json.dumps(other)).text == ""


def test_a_rewrite_that_loses_a_cell_boundary_is_refused() -> None:
    parsed = parse_notebook(notebook("a = 1", "b = 2"))
    with pytest.raises(NotebookError):
        parsed.write_back(parsed.text.replace("# %% [seedlint cell 2]\n", ""))
    with pytest.raises(NotebookError):
        parsed.write_back("a = 1\n")


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("{not json", "not JSON"),
        ('{"cells": 3}', "no list of cells"),
        ('{"cells": [{"cell_type": "code"}]}', "cell 1 has no source"),
        ('{"cells": []} []', "extra data"),
        ('{"cells": [] "metadata": {}}', "expected ','"),
        ("[1, 2]", "no list of cells"),
        ('{"worksheets": [{"cells": []}], "nbformat": 3}', "nbformat 3"),
    ],
)
def test_a_broken_notebook_is_sdl900(tmp_path: Path, raw: str, reason: str) -> None:
    (tmp_path / "broken.ipynb").write_text(raw, encoding="utf-8")
    result = seedlint(tmp_path, "check", "--no-cache", "broken.ipynb")
    assert result.returncode == 1
    assert result.stdout.startswith("broken.ipynb:1:1: SDL900 cannot read file: ")
    assert "notebook" in result.stdout.splitlines()[0]
    assert reason in result.stdout


def test_fix_writes_back_only_the_changed_sources(tmp_path: Path) -> None:
    target = tmp_path / "fix_numpy.ipynb"
    shutil.copyfile(NOTEBOOKS / "fix_numpy.in.ipynb", target)
    result = seedlint(tmp_path, "check", "--fix", "--no-cache", target.name)
    assert "Applied 3 fixes in 1 file." in result.stdout, result.stdout + result.stderr
    fixed = target.read_bytes()
    assert fixed == (NOTEBOOKS / "fix_numpy.out.ipynb").read_bytes()

    before = json.loads((NOTEBOOKS / "fix_numpy.in.ipynb").read_text(encoding="utf-8"))
    after = json.loads(fixed)
    changed = [
        i
        for i, (a, b) in enumerate(zip(before["cells"], after["cells"], strict=True))
        if a["source"] != b["source"]
    ]
    assert changed == [1, 2, 4]
    for index in changed:
        after["cells"][index]["source"] = before["cells"][index]["source"]
    assert after == before  # outputs, metadata, ids, execution counts: all untouched
    # Layout too: every line outside the rewritten source lines is byte-identical.
    old_lines = (NOTEBOOKS / "fix_numpy.in.ipynb").read_text(encoding="utf-8").splitlines(True)
    new_lines = fixed.decode("utf-8").splitlines(True)
    assert len(old_lines) == len(new_lines)
    differing = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert len(differing) == 3 and all("np.random" in a and "rng" in b for a, b in differing)
    nbformat.validate(nbformat.reads(fixed.decode("utf-8"), as_version=4))

    again = seedlint(tmp_path, "check", "--no-cache", target.name)
    assert again.returncode == 0, again.stdout


def test_fix_keeps_a_foreign_layout(tmp_path: Path) -> None:
    """Indent 2, keys not sorted, sources as one string, CRLF line ends, no final newline."""
    document: dict[str, Any] = {
        "nbformat_minor": 5,
        "nbformat": 4,
        "metadata": {"language_info": {"name": "python"}, "custom": {"z": 1, "a": [1, 2]}},
        "cells": [
            {
                "source": "import numpy as np\nnp.random.seed(3)\n",
                "cell_type": "code",
                "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}],
                "metadata": {"collapsed": True},
                "execution_count": 7,
                "id": "b2",
            },
            {"cell_type": "markdown", "source": ["résumé\n", "done"], "metadata": {}, "id": "m"},
            {
                "id": "c3",
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": ["values = np.random.rand(2)"],
            },
        ],
    }
    raw = json.dumps(document, indent=2, ensure_ascii=False).replace("\n", "\r\n")
    path = tmp_path / "layout.ipynb"
    path.write_bytes(raw.encode("utf-8"))
    workspace = Workspace(tmp_path, Settings(), use_cache=False)
    result = workspace.fix([path], FixOptions())
    assert result.written == [str(path)], (result.unfixed, result.skipped)
    new_raw = path.read_bytes().decode("utf-8")
    after = json.loads(new_raw)
    assert after["cells"][0]["source"] == "import numpy as np\nrng = np.random.default_rng(3)\n"
    assert after["cells"][2]["source"] == ["values = rng.random(2)"]
    expected = json.loads(raw)
    expected["cells"][0]["source"] = after["cells"][0]["source"]
    expected["cells"][2]["source"] = after["cells"][2]["source"]
    assert new_raw == json.dumps(expected, indent=2, ensure_ascii=False).replace("\n", "\r\n")


def test_folders_include_notebooks_but_not_checkpoints(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("")
    (tmp_path / "nb.ipynb").write_text(notebook("x = 1"))
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "nb-checkpoint.ipynb").write_text(notebook("x = 1"))
    (tmp_path / "notes.txt").write_text("")
    found = discover([tmp_path], root=tmp_path).files
    assert found == (str(tmp_path / "a.py"), str(tmp_path / "nb.ipynb"))


def test_a_notebook_calls_the_projects_seeding_helper(tmp_path: Path) -> None:
    """The notebook's facts go through the same loader and cache as the .py files: a helper
    in the project that seeds numpy and torch counts; one that seeds numpy only does not."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "helpers.py").write_text(
        "import numpy as np\nimport torch\n\n\n"
        "def seed_all(seed):\n    np.random.seed(seed)\n    torch.manual_seed(seed)\n\n\n"
        "def seed_numpy(seed):\n    np.random.seed(seed)\n"
    )
    nb = tmp_path / "train.ipynb"
    nb.write_text(
        notebook("from helpers import seed_all\nseed_all(0)", "import torch", "w = torch.randn(2)")
    )
    for _ in range(2):  # cold, then from the facts cache
        report = Workspace(tmp_path, Settings(select=("SDL0",))).check([nb])
        assert report.diagnostics == ()
    nb.write_text(nb.read_text().replace("seed_all", "seed_numpy"))
    report = Workspace(tmp_path, Settings(select=("SDL0",))).check([nb])
    assert [(d.code, d.cell, d.line, d.column) for d in report.diagnostics] == [("SDL002", 3, 1, 5)]
    assert report.diagnostics[0].related[0].path == str(tmp_path / "helpers.py")


def test_noqa_in_a_cell_and_stdin(tmp_path: Path) -> None:
    text = notebook("import random\nrandom.random()  # noqa: SDL103", "random.random()")
    (tmp_path / "nb.ipynb").write_text(text)
    result = seedlint(tmp_path, "check", "--no-cache", "--select", "SDL103", "nb.ipynb")
    assert result.stdout.splitlines()[0].startswith("nb.ipynb:cell 2:1:1: SDL103")
    assert len(result.stdout.splitlines()) == 2
    piped = seedlint(
        tmp_path,
        "check",
        "--no-cache",
        "--select",
        "SDL103",
        "--stdin-filename",
        "nb.ipynb",
        "-",
        stdin=text.replace('random.random()"', 'random.randint(1, 2)"'),
    )
    assert piped.stdout.splitlines()[0].startswith("nb.ipynb:cell 2:1:1: SDL103 `random.randint`")


def test_diagnostics_are_cell_relative_only_at_the_edge(tmp_path: Path) -> None:
    """Workspace.check hands out cells; fix planning (same Workspace) still works on the
    program and the notebook is fixed."""
    nb = tmp_path / "n.ipynb"
    nb.write_text(notebook("import numpy as np", "np.random.seed(1)\nx = np.random.rand()"))
    workspace = Workspace(tmp_path, Settings(), use_cache=False)
    found: tuple[Diagnostic, ...] = workspace.check([nb]).diagnostics
    assert [(d.cell, d.line) for d in found] == [(2, 1), (2, 2)]
    result = workspace.fix([nb], FixOptions())
    assert result.written == [str(nb)]
    cells = json.loads(nb.read_text())["cells"]
    assert cells[1]["source"] == "rng = np.random.default_rng(1)\nx = rng.random()"
    assert os.path.exists(nb)


def test_diff_is_shown_cell_by_cell(tmp_path: Path) -> None:
    target = tmp_path / "nb.ipynb"
    shutil.copyfile(NOTEBOOKS / "fix_numpy.in.ipynb", target)
    before = target.read_bytes()
    result = seedlint(tmp_path, "check", "--diff", "--no-cache", target.name)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    headers = [line for line in lines if line.startswith(("--- ", "+++ "))]
    assert headers == [
        f"{sign} {side}/nb.ipynb:cell {cell}"
        for cell in (2, 3, 5)
        for sign, side in (("---", "a"), ("+++", "b"))
    ]
    assert "-np.random.seed(42)" in lines and "+rng = np.random.default_rng(42)" in lines
    assert " %load_ext autoreload" in lines  # the cell as written, IPython syntax included
    assert target.read_bytes() == before


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param({"separators": (",", ":")}, id="compact"),
        pytest.param({"indent": 4}, id="indent-4"),
        pytest.param({"indent": "\t", "ensure_ascii": True}, id="tab-ascii"),
    ],
)
@pytest.mark.parametrize(
    "source, new",
    [
        pytest.param([], "x = 1", id="empty-list"),
        pytest.param(["np.random.seed(1)"], "a = 1\nb = 2", id="one-item"),
        pytest.param(["a\n", "b\r\n", "c"], "a\nb\r\nc\nd", id="crlf-inside"),
        pytest.param("é = 1\n", "é = 2\n", id="string"),
    ],
)
def test_write_back_replaces_only_the_source_in_any_layout(
    layout: dict[str, Any], source: Any, new: str
) -> None:
    document = {
        "metadata": {"z": 1, "a": "ü"},
        "cells": [
            {"cell_type": "markdown", "source": ["keep"], "metadata": {}},
            {"outputs": [1.5, None], "source": source, "cell_type": "code", "metadata": {}},
        ],
        "nbformat": 4,
    }
    raw = json.dumps(document, **layout) + "\n"
    parsed = parse_notebook(raw)
    (cell,) = parsed.cells
    assert cell.number == 2
    text = parsed.text.replace("".join(source), new) if source else parsed.text + new + "\n"
    written = parse_notebook(parsed.write_back(text))
    after = json.loads(written.raw)
    # The value keeps its kind: a list of lines (nbformat's way) or one string.
    assert isinstance(after["cells"][1]["source"], type(source))
    assert "".join(after["cells"][1]["source"]) == new
    after["cells"][1]["source"] = source
    assert json.dumps(after, **layout) + "\n" == raw  # the rest, byte for byte


def test_same_findings_through_every_entry_point(tmp_path: Path) -> None:
    """CLI from the folder and from elsewhere, cold and warm cache, the Workspace with every
    notebook as a buffer while the disk says something else, and stdin: the same findings."""
    project = tmp_path / "project"
    shutil.copytree(NOTEBOOKS, project)
    (project / ".git").mkdir()

    def rows(entries: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return sorted(
            (
                Path(e["path"]).name,
                e["cell"],
                e["line"],
                e["column"],
                e["code"],
                e["message"],
                tuple((Path(r["path"]).name, r["cell"], r["line"]) for r in e["related"]),
            )
            for e in entries
        )

    cold = rows(json.loads(seedlint(project, "check", "--format", "json", ".").stdout))
    assert {row[0] for row in cold} == {p.name for p in project.glob("*.ipynb")} - {
        "fix_numpy.out.ipynb"
    }
    warm = rows(json.loads(seedlint(project, "check", "--format", "json", ".").stdout))
    outside = seedlint(tmp_path, "check", "--format", "json", "--no-cache", "project")
    assert cold == warm == rows(json.loads(outside.stdout))

    workspace = Workspace(project, Settings(), use_cache=False)
    for path in sorted(project.glob("*.ipynb")):
        workspace.set_overlay(path, path.read_text(encoding="utf-8"))
        path.write_text(notebook("pass"), encoding="utf-8")  # the buffer is the truth
    assert rows([d.to_json() for d in workspace.check([project]).diagnostics]) == cold

    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        piped = seedlint(
            project,
            "check",
            "--format",
            "json",
            "--no-cache",
            "--stdin-filename",
            path.name,
            "-",
            stdin=path.read_text(encoding="utf-8"),
        )
        assert rows(json.loads(piped.stdout)) == [row for row in cold if row[0] == path.name]


@pytest.mark.parametrize("as_string", [False, True], ids=["list-of-lines", "one-string"])
def test_file_positions_point_into_the_json_text(as_string: bool) -> None:
    source = 'import numpy as np\ns = "é\\t"; x = np.random.rand(2)\n'
    document = json.loads(notebook(source))
    if not as_string:
        document["cells"][0]["source"] = source.splitlines(True)
    for ensure_ascii in (True, False):
        raw = json.dumps(document, indent=1, ensure_ascii=ensure_ascii)
        parsed = parse_notebook(raw)
        column = source.splitlines()[1].index("np.random") + 1
        position = parsed.file_position(1, 2, column)
        assert position is not None
        line, col = position
        assert raw.splitlines()[line - 1][col - 1 :].startswith("np.random.rand(2)")
    assert parse_notebook(raw).file_position(2, 1, 1) is None
    assert parse_notebook(raw).file_position(1, 9, 1) is None
