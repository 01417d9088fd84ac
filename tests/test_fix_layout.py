"""The fixer parses only the top-level statements its plan needs (fixes/layout.py).

Two things must hold for that to be invisible: what `layout` summarises from `ast` for the
statements libcst does not parse is exactly what `cst_index` records for them (names
mentioned and bound, binding kinds and scopes, `global` declarations, star imports, whether
the statement runs code); and every fix made that way is byte-identical to the fix made
with the whole module parsed (the text cut where libcst puts the statement boundaries).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import libcst as cst
import pytest

import seedlint.fixes.pieces as pieces
from seedlint.analysis.facts import ModuleFacts
from seedlint.fixes import FIXABLE_CODES, FixOptions
from seedlint.fixes.cst_index import CstIndex
from seedlint.fixes.cst_structure import assigned_string
from seedlint.fixes.layout import _summarise, plan_layout
from seedlint.settings import Settings
from seedlint.source import decode_source

from .conftest import FIXTURES
from .engine_helpers import check_source, fix_source

SETTINGS = Settings(select=tuple(sorted(FIXABLE_CODES)))

# Statement shapes around which the cut and the summaries could go wrong.
TRICKY = '''\
"""Doc."""
# a comment above the imports
import random
import numpy as np
from os import *
try:
    import torch
except ImportError:  # optional
    torch = None

DEVICE = "cpu"
RAW = r"a\\"b"
TRIPLE = """one
two"""
JOINED = "a" "b"
x = 1; y = 2


@decorator(arg)
def drawn(a, b=np.zeros(2), *rest, c: int = 3, **kw):
    """Draws."""
    global x
    values = [v for v in range(a) if (w := v)]
    total = lambda p, q=(z := 4): p + q
    for i, (j, k) in enumerate(kw):
        del i
    with open("f") as (f, g):
        pass
    try:
        pass
    except ValueError as error:
        raise error
    match a:
        case {"k": 1, **rest2}:
            pass
        case Point(x=0, y=yy) | [1, *others]:
            pass
        case None | True:
            pass
        case _:
            pass
    return np.random.rand(3) if True else None
    # indented comment after the body

  # shallower comment: the next statement's
# column-0 comment: the next statement's
class Model(Base, metaclass=Meta):
    rate = random.random()

    def method(self) -> int:
        def inner():
            nonlocal_value = 1
            return nonlocal_value
        return inner()
        # owned by the class's block


if __name__ == "__main__":
    np.random.seed(0)
    print(np.random.rand(2))
elif x:
    pass
else:
    value: int = 3
    value += 1
    # footer of the else block
# end
'''

SEEDED = """\
import numpy as np
import random

np.random.seed(3)
def helper():
    return np.random.rand(2)
random.seed(1)

x = np.random.randint(0, 5)
def later():
    return random.random()
    # trailing comment of later


# two blank lines, comment, then code
y = random.choice([1, 2])
if x:
    z = np.random.normal()
    # footer
else:
    z = 0
print(helper(), later(), y, z)
"""

REMOVED_BEFORE_CODE = """\
import numpy as np

# why we seed
np.random.seed(7)
def f():
    return np.random.rand(3)
print(f())
"""

# The seed line goes (a draw comes before it): the next statement takes its blank line.
REMOVED_SEED = """\
import numpy as np
a = np.random.rand()

np.random.seed(7)
def unrelated():
    return 1
b = np.random.rand()
"""

# The import of `rand` goes: the next statement keeps its own comment.
DROPPED_IMPORT = """\
import numpy as np
from numpy.random import rand
# seeded
np.random.seed(2)
b = rand(3)
"""


def _fixture_files() -> list[Path]:
    found = sorted(FIXTURES.glob("fix/*.in.py"))
    found += sorted(FIXTURES.glob("sdl10*/*.py"))
    found += sorted(FIXTURES.glob("programs/**/*.py"))
    return found


def _cases() -> list[tuple[str, str]]:
    cases = [
        ("TRICKY", TRICKY),
        ("SEEDED", SEEDED),
        ("REMOVED_BEFORE_CODE", REMOVED_BEFORE_CODE),
        ("REMOVED_SEED", REMOVED_SEED),
        ("DROPPED_IMPORT", DROPPED_IMPORT),
    ]
    for path in _fixture_files():
        cases.append((str(path.relative_to(FIXTURES)), decode_source(path.read_bytes()).text))
    return cases


CASES = _cases()


def _recorded(index: CstIndex, module: cst.Module) -> dict[int, dict[str, object]]:
    """What cst_index recorded, per top-level statement."""
    state = index._state
    tops = {id(stmt): number for number, stmt in enumerate(module.body)}

    def top(node: cst.CSTNode) -> int:
        chain = [*index.ancestors(node), node]
        return tops[id(chain[1])]

    out: dict[int, dict[str, object]] = {
        n: {"mentions": set(), "bindings": Counter()} for n in range(len(module.body))
    }
    for name, nodes in state.mention_nodes.items():
        for node, _ in nodes:
            out[top(node)]["mentions"].add(name)  # type: ignore[attr-defined]
    for name, where in state.bindings:
        assert isinstance(where, cst.CSTNode)
        if isinstance(where, cst.Global):
            kind = "global"
        elif isinstance(where, cst.Nonlocal):
            kind = "nonlocal"
        elif isinstance(where, (cst.Import, cst.ImportFrom)):
            kind = "import"
        else:
            kind = "other"
        literal = assigned_string(index, where)
        key = (name, kind, index._local_binding(where), index.owner_function(where) is None)
        out[top(where)]["bindings"][(*key, literal)] += 1  # type: ignore[index]
    return out


@pytest.mark.parametrize(("name", "text"), CASES, ids=[c[0] for c in CASES])
def test_opaque_summary_is_what_cst_index_records(name: str, text: str) -> None:
    try:
        ast.parse(text)
    except SyntaxError:
        pytest.skip("not for this interpreter's ast")
    facts = ModuleFacts(module="m", path="m.py")
    found = plan_layout(text, facts, [])
    if found is None:
        assert "\r" in text or "\f" in text or not text.endswith("\n") or "match" in text
        return
    layout, _ = found
    module = cst.parse_module(text)
    assert len(layout.tops) == len(module.body)
    # Re-cut with the nodes kept (plan_layout drops those it parses).
    tree = ast.parse(text)
    lines = text.split("\n")
    index = CstIndex(text, facts, [], module)
    recorded = _recorded(index, module)
    scope_zero: Counter[str] = Counter()
    declared: set[str] = set()
    star = False
    groups: list[list[ast.stmt]] = []
    for stmt in tree.body:
        first = (
            stmt.decorator_list[0].lineno if getattr(stmt, "decorator_list", None) else stmt.lineno
        )  # type: ignore[attr-defined]
        if groups and first == groups[-1][-1].end_lineno:
            groups[-1].append(stmt)
        else:
            groups.append([stmt])
    for number, (top, group) in enumerate(zip(layout.tops, groups, strict=True)):
        top.nodes = group
        summary = _summarise(top, lines)
        assert summary.mentions == recorded[number]["mentions"], (number, top.first_line)
        mine = Counter((n, b.kind, b.local, b.module_owner, b.literal) for n, b in summary.bindings)
        assert mine == recorded[number]["bindings"], (number, top.first_line)
        assert summary.may_run_code == index.may_run_code(module.body[number]), number
        # The cut: each statement's text is what libcst generates for it.
        code = module.code_for_node(module.body[number])
        piece = text[top.start : top.end]
        if 0 < number < len(layout.tops) - 1:
            assert piece == code, (number, top.first_line)
            assert bool(module.body[number].leading_lines) == top.has_leading
        scope_zero.update(summary.module_scope)
        declared |= summary.declared
        star = star or summary.star_import
    state = index._state
    assert scope_zero == Counter(
        {n: c for (n, scope), c in state.binding_scopes.items() if scope == 0}
    )
    assert declared == state.declared
    assert star == state.star_import


def _fix(text: str, options: FixOptions) -> tuple[str, list[object], list[object]]:
    diagnostics = check_source(text, "m.py", SETTINGS)
    outcome = fix_source(text, "m.py", diagnostics, options)
    return outcome.new_text, list(outcome.applied), list(outcome.remaining)


OPTION_SETS = [FixOptions(), FixOptions(safe_only=True), FixOptions(numpy_target="randomstate")]


@pytest.mark.parametrize(("name", "text"), CASES, ids=[c[0] for c in CASES])
def test_fixing_some_statements_equals_fixing_the_whole_module(
    name: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = []
    real = pieces.plan_layout

    def spy(*args: object, **kwargs: object) -> object:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        used.append(found is not None)
        return found

    for options in OPTION_SETS:
        monkeypatch.setattr(pieces, "plan_layout", lambda *a, **k: None)
        whole = _fix(text, options)
        monkeypatch.setattr(pieces, "plan_layout", spy)
        for run in (64, 1):  # statements parsed together: runs, and each on its own
            monkeypatch.setattr(pieces, "_RUN", run)
            assert _fix(text, options) == whole, (options, run)
    if name in ("SEEDED", "REMOVED_BEFORE_CODE", "REMOVED_SEED", "DROPPED_IMPORT"):
        assert any(used), "the statement-wise path was not taken"


def test_the_synthetic_cases_change_and_keep_their_comments() -> None:
    new, applied, _ = _fix(REMOVED_SEED, FixOptions())
    assert applied and "np.random.seed" not in new
    # (`unrelated` is kept as text, not parsed: the blank line is spliced in before it)
    assert "a = rng.random()\n\ndef unrelated():\n" in new
    new, applied, _ = _fix(DROPPED_IMPORT, FixOptions())
    assert applied and "from numpy.random import rand" not in new
    assert "import numpy as np\n# seeded\n" in new
    new, applied, _ = _fix(REMOVED_BEFORE_CODE, FixOptions())
    assert applied and "np.random.seed" not in new
    assert "# why we seed\n" in new  # the removed line's comment goes to the next statement
    new, applied, _ = _fix(SEEDED, FixOptions())
    assert applied
    assert "    # trailing comment of later\n" in new and "    # footer\n" in new
