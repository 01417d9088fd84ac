"""The layering, as an import scan: each layer imports only the layers below it.

    knowledge  <-  analysis  <-  rules  <-  fixes  <-  workspace  <-  integrations, reporters

Front ends stay thin because they cannot reach around the Workspace, and the checker stays
importable in a bare pre-commit environment because nothing but the runtime companion imports
numpy or torch at module level.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from seedlint.fixes import FIXABLE_CODES, FixOptions
from seedlint.rules import ALL_RULES

from .engine_helpers import check_source, fix_source

PACKAGE = Path(__file__).resolve().parent.parent / "seedlint"

# Layer (a subpackage or module of seedlint) -> layers it must not import.
FORBIDDEN: dict[str, set[str]] = {
    "knowledge": {"*"},
    "analysis": {"rules", "fixes", "workspace", "integrations", "reporters", "runtime"},
    "rules": {"fixes", "workspace", "integrations", "reporters", "runtime"},
    "fixes": {"workspace", "integrations", "reporters", "engine", "runtime"},
    "workspace": {"integrations", "reporters", "runtime"},
    # The runtime companion stands apart: knowledge tables and the Diagnostic type only (verify
    # is handed the static findings by its CLI adapter).  It alone may import numpy/torch.
    "runtime": {
        "analysis",
        "rules",
        "fixes",
        "workspace",
        "integrations",
        "reporters",
        "cache",
        "config",
        "discovery",
        "noqa",
        "settings",
        "source",
    },
}
HEAVY = {"numpy", "torch", "sklearn", "scipy", "pandas"}


def _layer(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imported(path: Path) -> list[tuple[str, bool]]:
    """(seedlint-relative or absolute module, at module level?) for every import of `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["seedlint", *path.relative_to(PACKAGE).with_suffix("").parts[:-1]]
    top_level = {id(node) for node in tree.body}
    for node in tree.body:  # `if TYPE_CHECKING:` blocks are not run
        if isinstance(node, ast.If):
            top_level.update(id(n) for n in node.body)
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
                names = [module] if node.module else [f"{module}.{a.name}" for a in node.names]
            else:
                names = [node.module or ""]
        found.extend((name, id(node) in top_level) for name in names)
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_layers_import_only_what_is_below_them(path: Path) -> None:
    layer = _layer(path)
    forbidden = FORBIDDEN.get(layer, set())
    wrong = []
    for module, _ in _imported(path):
        parts = module.split(".")
        if parts[0] != "seedlint" or len(parts) < 2:
            continue
        target = parts[1]
        if target == layer:
            continue
        if "*" in forbidden or target in forbidden:
            wrong.append(module)
    assert not wrong, f"{layer} must not import {wrong}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_the_runtime_companion_imports_numpy_or_torch(path: Path) -> None:
    if _layer(path) == "runtime":
        return
    heavy = [m for m, top in _imported(path) if top and m.split(".")[0] in HEAVY]
    assert not heavy, f"module-level imports of {heavy}: the checker must run without them"


def test_the_scan_sees_imports() -> None:
    """The scanner itself: relative imports resolve, and a violation would be seen."""
    found = _imported(PACKAGE / "workspace" / "workspace.py")
    assert ("seedlint.fixes", True) in found
    assert ("seedlint.analysis.loader", True) in found


def test_there_is_one_engine() -> None:
    assert not (PACKAGE / "engine.py").exists() and not (PACKAGE / "driver.py").exists()


MUTATORS = {"append", "add", "update", "clear", "pop", "popitem", "setdefault", "extend"}
MUTATORS |= {"insert", "remove", "discard", "__setitem__"}


def _module_state(path: Path) -> list[str]:
    """Module-level state a function could change between calls: `global` statements, cache
    decorators, and module-level containers that are stored into or mutated."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    containers = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and isinstance(node.value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name) and target.id != "__all__"
    }
    found = []
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Global):
            found.append(f"{where} global {', '.join(node.names)}")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [
                f"{where} @{ast.unparse(d)}"
                for d in node.decorator_list
                if "cache" in ast.unparse(d)
            ]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
            if isinstance(node.value, ast.Name) and node.value.id in containers:
                found.append(f"{where} stores into {node.value.id}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id in containers:
                if node.func.attr in MUTATORS:
                    found.append(f"{where} {owner.id}.{node.func.attr}()")
    return found


def test_fixes_keep_no_module_state() -> None:
    """The planner is called from a long-running, threaded server: nothing in seedlint/fixes/
    may remember anything between calls."""
    offenders = [o for p in sorted((PACKAGE / "fixes").glob("*.py")) for o in _module_state(p)]
    assert not offenders, f"module-level state in fixes/: {offenders}"


def test_the_state_scan_sees_state(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import functools\n_seen = {}\n__all__ = []\n"
        "@functools.lru_cache\ndef f(x):\n    _seen[x] = 1\n"
        "def g():\n    global _last\n    _seen.clear()\n"
    )
    assert len(_module_state(sample)) == 4


# --- each rule says whether it can be fixed -------------------------------------------------


def test_fixable_rules_are_the_planners_codes() -> None:
    declared = {rule.code for rule in ALL_RULES if rule.fixable}
    assert declared == FIXABLE_CODES


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_fixability_agrees_with_the_planner(rule: type) -> None:
    """A fixable rule's own examples get a fix from the planner; an unfixable rule's findings
    never do."""
    fixed_any = False
    for example in rule.invalid:
        found = [d for d in check_source(example) if d.code == rule.code]
        # A seed to use where the example has none (torch examples seed nothing).
        outcome = fix_source(example, "<example>", found, FixOptions(seed=1234))
        fixed_any |= bool([a for a in outcome.applied if a.code == rule.code])
        if not rule.fixable:
            assert outcome.new_text == example, f"{rule.code} is not fixable, yet was fixed"
    assert fixed_any == rule.fixable, f"{rule.code}: fixable={rule.fixable}, planner: {fixed_any}"
