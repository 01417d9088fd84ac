"""Whole-program stream accounting for `--fix`: what the rest of the project does with the
global generators a module's fix would take its draws off.

A fix keeps the numbers only when every later draw from that global generator, in every
program that reaches the module, moves to the new generator.  Draws in *other* modules never
move to it (their own fixes give them generators of their own), so a library's global
generator counts as shared when, in some program that can reach the module, another module
draws from it or seeds it, or a third-party package that falls back to it is used.

The programs that can reach module M are approximated from the project's import graph,
conservatively: every module that imports M (directly or through others), M itself, every
module those import in turn, and the `conftest.py` files when a test imports any of them.
The import graph comes from a scan of every project file's text (files the prefilter never
parses can still import a module that draws), the draws from the facts the Workspace loaded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ..analysis.draws import global_draw_library
from ..analysis.facts import ModuleFacts
from ..analysis.modules import is_library_module, module_name_for, resolve_relative
from ..analysis.prefilter import is_test_file
from ..fixes import FixContext
from ..fixes.model import UNTRACKED_TORCH
from ..knowledge import seeding_call
from ..knowledge.thirdparty import GLOBAL_GENERATOR_PACKAGES

__all__ = ["ProjectImports", "fix_context"]

_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<source>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n#;]*)"
    r"|import[ \t]+(?P<modules>[^\n#;]+))",
    re.M,
)
_LIBRARIES = ("random", "numpy", "torch")
_DISPLAY = {"random": "`random`'s", "numpy": "numpy's", "torch": "torch's"}


@dataclass
class ProjectImports:
    """Who imports whom in the project (module names), which names each module imports from
    which other, and which modules are star-imported."""

    path_of: dict[str, str] = field(default_factory=dict)  # module -> path
    imports: dict[str, set[str]] = field(default_factory=dict)  # module -> project modules
    importers: dict[str, set[str]] = field(default_factory=dict)
    names_from: dict[str, set[str]] = field(default_factory=dict)  # module -> names taken
    star_imported: set[str] = field(default_factory=set)
    third_party: dict[str, set[str]] = field(default_factory=dict)  # module -> top packages
    # Modules using torch's default generator in ways the facts do not record.
    untracked_torch: set[str] = field(default_factory=set)
    # Per load, filled lazily: module -> libraries whose global generator it uses, and
    # whether it builds a DataLoader (every file's context asks about the same modules).
    uses: dict[str, tuple[frozenset[str], bool]] = field(default_factory=dict)
    # Modules that are test files, and conftest.py modules (filled on the first `reaching`).
    tests: set[str] | None = None
    conftests: set[str] = field(default_factory=set)

    @classmethod
    def scan(cls, paths: Iterable[str], read: Callable[[str], str | None]) -> ProjectImports:
        found = cls()
        modules: dict[str, str] = {}
        for path in paths:
            modules[module_name_for(path)] = path
        found.path_of = modules
        for module, path in modules.items():
            text = read(path)
            if text is None or "import" not in text:
                continue
            if UNTRACKED_TORCH.search(text):
                found.untracked_torch.add(module)
            is_package = os.path.basename(path) == "__init__.py"
            targets: set[str] = set()
            packages: set[str] = set()
            for match in _IMPORT.finditer(text):
                if match.group("modules") is not None:
                    for part in match.group("modules").split(","):
                        name = part.split(" as ")[0].strip()
                        if name:
                            targets.update(_prefixes(name))
                            packages.add(name.split(".", 1)[0])
                    continue
                source = match.group("source")
                level = len(source) - len(source.lstrip("."))
                base = source.lstrip(".")
                absolute = (
                    resolve_relative(module, is_package, level, base or None) if level else base
                )
                if not absolute:
                    continue
                packages.add(absolute.split(".", 1)[0])
                targets.update(_prefixes(absolute))
                names = match.group("names").strip().strip("()")
                for part in names.split(","):
                    name = part.split(" as ")[0].strip()
                    if not name:
                        continue
                    if name == "*":
                        found.star_imported.add(absolute)
                        continue
                    targets.add(f"{absolute}.{name}")  # `from pkg import mod`
                    found.names_from.setdefault(absolute, set()).add(name)
            project = {t for t in targets if t in modules and t != module}
            found.imports[module] = project
            for target in project:
                found.importers.setdefault(target, set()).add(module)
            found.third_party[module] = {
                p for p in packages if p not in modules and not is_library_module(p)
            }
        return found

    def reaching(self, module: str) -> set[str]:
        """Modules whose code may run in a program that runs `module` (see the module
        docstring)."""
        roots = _closure({module}, self.importers)
        reached = _closure(roots, self.imports)
        if self.tests is None:  # once per load, not per module asked about
            self.tests = {m for m, p in self.path_of.items() if is_test_file(p)}
            self.conftests = {
                m for m, p in self.path_of.items() if os.path.basename(p) == "conftest.py"
            }
        if not reached.isdisjoint(self.tests):
            reached |= self.conftests
        return reached


def _prefixes(dotted: str) -> list[str]:
    parts = dotted.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _closure(start: set[str], edges: Mapping[str, set[str]]) -> set[str]:
    seen = set(start)
    stack = list(start)
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _uses_global(facts: ModuleFacts, library: str) -> bool:
    """The module draws from or seeds `library`'s global generator (directly, through a
    third-party call that falls back to it, or through a seeding helper)."""
    for call in facts.calls:
        if call.role in ("construct", "instance"):
            continue
        if global_draw_library(call) == library:
            return True
        if call.library == library and call.role in (
            "seed",
            "state-read",
            "state-write",
            "entropy",
            "draw",
        ):
            if library != "torch" or not call.qualname.startswith("torch.cuda."):
                return True
        helper = seeding_call(call.qualname) if call.library != library else None
        if helper is not None and library in helper.seeds:
            return True
    return False


def _starts_workers(facts: ModuleFacts) -> bool:
    """The module builds a DataLoader: its worker processes (num_workers > 0, possibly set
    elsewhere) seed random, numpy and torch from torch's default generator (or the loader's
    generator), and run project code that may draw from them."""
    return any(call.qualname.startswith("torch.utils.data.DataLoader") for call in facts.calls)


def fix_context(
    facts: ModuleFacts, all_facts: Mapping[str, ModuleFacts], project: ProjectImports
) -> FixContext:
    """The FixContext of one module (see the module docstring)."""
    module = facts.module
    if not project.uses:
        for each in all_facts.values():
            used = frozenset(lib for lib in _LIBRARIES if _uses_global(each, lib))
            project.uses[each.module] = (used, _starts_workers(each))
    reached = project.reaching(module)
    ordered = sorted(reached)  # once, not once per library and question
    others = [m for m in ordered if m != module]
    shared: list[tuple[str, str]] = []
    for library in _LIBRARIES:
        reason = ""
        for other in others:
            if library in project.uses.get(other, (frozenset(), False))[0]:
                reason = (
                    f"because module `{other}`, in a program that runs this one, also uses "
                    f"{_DISPLAY[library]} global generator"
                )
                break
        if not reason:
            for other in ordered:
                users = sorted(
                    p
                    for p in project.third_party.get(other, ())
                    if library in GLOBAL_GENERATOR_PACKAGES.get(p, ())
                )
                if users:
                    reason = (
                        f"because `{users[0]}` (imported by `{other}`) draws from "
                        f"{_DISPLAY[library]} global generator"
                    )
                    break
        if not reason and library == "torch":
            users = sorted(project.untracked_torch & (reached - {module}))
            if users:
                reason = (
                    f"because module `{users[0]}`, in a program that runs this one, uses "
                    "torch's default generator (Tensor.multinomial/bernoulli, initial_seed)"
                )
        if not reason:
            for other in ordered:
                if project.uses.get(other, (frozenset(), False))[1]:
                    reason = (
                        f"because DataLoader worker processes (module `{other}`) seed "
                        f"{_DISPLAY[library]} global generator for the dataset code they run"
                    )
                    break
        if reason:
            shared.append((library, reason))
    return FixContext(
        module=module,
        shared=tuple(shared),
        imported_names=frozenset(project.names_from.get(module, ())),
        star_imported=module in project.star_imported,
    )
