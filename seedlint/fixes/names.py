"""Fresh names, spellings of library objects, imports added and imports that became unused."""

from __future__ import annotations

import re
from collections.abc import Collection

import libcst as cst

from .cst_index import CstIndex
from .edits import EditSet

__all__ = ["Imports", "fresh_name", "plan_import_removals"]


def fresh_name(base: str, taken: Collection[str]) -> str:
    """`base`, else `base_`, else `base2`, `base3`, ...: the first not in `taken`."""
    if base not in taken:
        return base
    if base + "_" not in taken:
        return base + "_"
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


# How to import each library when the module has no usable name for it: (local name, import
# statement, how the local name spells the library's top-level package).
_NEW_IMPORTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "numpy": (("np", "import numpy as np", "np"), ("numpy", "import numpy", "numpy")),
    "random": (("random", "import random", "random"), ("Random", "from random import Random", "")),
    "torch": (("torch", "import torch", "torch"),),
}


class Imports:
    """Spells `numpy.random.default_rng` & co. through the module's own imports, adding one
    import per library when it has none that can be used there."""

    def __init__(self, index: CstIndex, edits: EditSet, taken: set[str]) -> None:
        self.index = index
        self.edits = edits
        self.taken = taken  # shared with the generator-name allocation
        self._added: dict[str, tuple[str, str]] = {}  # library -> (local name, spelling)

    def spell(self, dotted: str, limit: cst.CSTNode | None) -> str:
        """An expression for `dotted` valid at the end of statement `limit` (None: inside a
        function body, which runs after the whole module was imported)."""
        index = self.index
        found = index.alias_for(dotted, limit)
        if found is None:
            found = self._new_import(dotted)
        self.edits.added[re.split(r"\W", found, maxsplit=1)[0]] += 1
        return found

    def spell_near(
        self, dotted: str, limit: cst.CSTNode | None, seed_func: cst.BaseExpression
    ) -> str:
        """Like `spell`, for a generator that takes a seeding call's place: when no
        module-level import spells `dotted`, the seeding call's own spelling of the module
        (`torch` of a function's local `import torch`) does, there."""
        if (
            self.index.alias_for(dotted, limit) is None
            and isinstance(seed_func, cst.Attribute)
            and not self.index.module.code_for_node(seed_func.value).endswith("mtrand")
        ):
            module = self.index.module.code_for_node(seed_func.value)
            found = f"{module}.{dotted.rsplit('.', 1)[1]}"
            self.edits.added[re.split(r"\W", found, maxsplit=1)[0]] += 1
            return found
        return self.spell(dotted, limit)

    def _new_import(self, dotted: str) -> str:
        library, _, rest = dotted.partition(".")
        if library not in self._added:
            choice: tuple[str, str, str] | None = None
            for local, statement, spelling in _NEW_IMPORTS[library]:
                if local not in self.taken:
                    choice = (local, statement, spelling)
                    break
            if choice is None:
                local = fresh_name(_NEW_IMPORTS[library][0][0], self.taken)
                choice = (local, f"import {library} as {local}", local)
            local, statement, spelling = choice
            self.taken.add(local)
            first = self.index.library_imports(library)[0].line
            node = cst.parse_statement(statement, config=self.index.module.config_for_parsing)
            self.edits.keep.append(first)
            # Before anything else inserted after that import (the generator may follow).
            self.edits.after.setdefault(id(first), []).insert(0, node)
            self._added[library] = (local, spelling)
        local, spelling = self._added[library]
        if not spelling:  # `from random import Random`
            return local
        return f"{spelling}.{rest}" if rest else spelling


def plan_import_removals(
    index: CstIndex, edits: EditSet, path: str, keep: Collection[str] = (), star: bool = False
) -> None:
    """Drop names of top-level imports that the rewrites left unused, when that is provable:
    the name was used before, nothing mentions it now (no other binding, no string spelling it,
    as in `__all__`), the line has no comment and no `# noqa`, and it is not a package
    `__init__` (whose imports are its interface)."""
    if path.replace("\\", "/").endswith("__init__.py") or star:
        return  # a package's imports, or a star-imported module's names, are its interface
    for record in index.imports:
        if not isinstance(record.container, cst.Module):
            continue
        line = record.line
        if index.touches_protected(line) or "#" in index.module.code_for_node(line):
            continue
        drops: set[str] = set()
        for name, _ in record.bound:
            if name == "*" or edits.removed[name] == 0 or name in keep:
                continue
            if index.mentions[name] - edits.removed[name] + edits.added[name] > 0:
                continue
            if sum(1 for bound, _ in index.bindings if bound == name) != 1:
                continue
            if re.search(rf"""['"]{re.escape(name)}['"]""", index.text):
                continue
            drops.add(name)
        if drops:
            edits.keep.append(line)
            edits.import_drops[id(line)] = frozenset(drops)
