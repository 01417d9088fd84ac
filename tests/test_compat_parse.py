"""Any Python 3.10-3.14 syntax is analysed, whatever Python runs seedlint (`compat_parse`).

The fixtures with expected findings are `fixtures/sdl900/pep*_valid.py` (checked by
test_fixtures.py on the interpreter CI has); these tests check the mechanism itself: exact
positions, the fast path untouched, no native crash, `--fix` output valid and stable."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from seedlint.analysis import compat_parse
from seedlint.analysis.extract import extract_facts
from seedlint.fixes import FixOptions
from seedlint.settings import Settings
from seedlint.workspace import Workspace

from .conftest import FIXTURES

NEWER = sorted((FIXTURES / "sdl900").glob("pep*_valid.py"))
MISUSED = [FIXTURES / "sdl900" / "newer_syntax_misused.py"]


def _names_at(tree: ast.AST) -> list[tuple[int, int, str]]:
    return [(n.lineno, n.col_offset, n.id) for n in ast.walk(tree) if isinstance(n, ast.Name)]


@pytest.mark.parametrize("path", NEWER, ids=lambda p: p.name)
def test_every_name_of_the_rewritten_tree_is_where_it_is_in_the_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tree = compat_parse.parse(text, str(path))
    lines = [line.encode("utf-8") for line in text.splitlines()]
    names = _names_at(tree)
    assert len(names) > 5
    for line, column, name in names:
        found = lines[line - 1][column : column + len(name.encode("utf-8"))]
        assert found.decode("utf-8") == name, (line, column, name)


def test_names_outside_rewritten_constructs_are_all_kept() -> None:
    """The rewrite loses only what it must: every name `ast` sees in an equivalent file
    (newer constructs replaced by hand with what 3.10 accepts) is in the rewritten tree."""
    newer = 'def f[T](x: T) -> T:\n    return g(f"{h(x)!r:>{w}}", k["a"])\ntype A = list[B]\n'
    older = "def f(x: T) -> T:\n    return g(f'{h(x)!r:>{w}}', k['a'])\nA = list[B]\n"
    ours = sorted((line, name) for line, _, name in _names_at(compat_parse.parse(newer)))
    plain = sorted((line, name) for line, _, name in _names_at(ast.parse(older)))
    assert ours == plain


@pytest.mark.parametrize(
    "text",
    [
        "class Empty[]:\n    pass\n",
        "try:\n    pass\nexcept A, B as e:\n    pass\n",
        "x = f'{}'\n",
        "def f(:\n    pass\n",
        "type X[T] = \n",
    ],
)
def test_what_no_python_accepts_raises_the_running_pythons_error(text: str) -> None:
    with pytest.raises(SyntaxError) as raised:
        ast.parse(text)
    with pytest.raises(SyntaxError) as ours:
        compat_parse.parse(text)
    assert (ours.value.msg, ours.value.lineno) == (raised.value.msg, raised.value.lineno)
    facts = extract_facts(text, "m.py")
    assert facts.syntax_error is not None and facts.syntax_error[1] == raised.value.lineno


def test_files_ast_accepts_never_import_libcst() -> None:
    """The slow path is only for files the running `ast` rejects."""
    code = (
        "import sys\n"
        "from seedlint.analysis.extract import extract_facts\n"
        "facts = extract_facts('import numpy as np\\nx = f\"{np.random.rand()}\"\\n', 'm.py')\n"
        "assert facts.calls and 'libcst' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        # Valid for `ast` (and for --fix): libcst's parser recursed past the main thread's
        # stack on this and crashed the process (a segmentation fault).
        (
            "import numpy as np\nnp.random.seed(0)\nx = np.random.rand()\ny = "
            + " and ".join(["a"] * 12_000)
            + "\n",
            False,  # a chain too long to hand libcst (see compat_parse)
        ),
        # Rejected by `ast` (deep brackets), so it would reach libcst on the slow path.
        ("type X = int\nx = " + "(" * 5000 + ")" * 5000 + "\n", False),
    ],
    ids=["long-boolean-chain", "deep-brackets"],
)
def test_deep_input_never_crashes_libcst(text: str, safe: bool, tmp_path: Path) -> None:
    (tmp_path / "deep.py").write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "seedlint", "check", "--fix", "--no-cache", "deep.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert compat_parse.libcst_safe(text) is safe


@pytest.mark.parametrize("path", NEWER, ids=lambda p: p.name)
def test_fix_of_newer_syntax_is_valid_for_libcst_and_python_and_stable(
    path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    workspace = Workspace(tmp_path, Settings(), use_cache=False, jobs=1)
    options = FixOptions(seed=3)
    first = workspace.fix([copy], options)
    assert first.written == [str(copy)], first.unfixed
    fixed = copy.read_text(encoding="utf-8")
    assert compat_parse.accepts(fixed, str(copy))
    assert compat_parse.parse_module(fixed) is not None
    assert not [d for d in workspace.check([copy]).diagnostics if d.code == "SDL900"]
    second = workspace.fix([copy], options)
    assert second.files == [] and copy.read_text(encoding="utf-8") == fixed
