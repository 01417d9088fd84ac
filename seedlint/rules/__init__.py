"""The rule registry, and running rules over facts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..analysis.facts import ModuleFacts
from ..diagnostics import Diagnostic
from ..settings import Settings
from .base import Rule
from .context import ProjectContext
from .sdl001_unseeded_global_draw import UnseededGlobalDraw
from .sdl002_partially_seeded import PartiallySeeded
from .sdl003_non_reproducible_seed import NonReproducibleSeed
from .sdl004_reseed_in_loop import ReseedInLoop
from .sdl005_shared_seed import SharedSeed
from .sdl006_implicit_global_rng import ImplicitGlobalRng
from .sdl101_numpy_legacy_global_api import NumpyLegacyGlobalApi
from .sdl102_numpy_random_state import NumpyRandomState
from .sdl103_stdlib_global_random import StdlibGlobalRandom
from .sdl104_torch_implicit_generator import TorchImplicitGenerator
from .sdl900_syntax_error import SyntaxErrorRule

ALL_RULES: tuple[type[Rule], ...] = (
    UnseededGlobalDraw,
    PartiallySeeded,
    NonReproducibleSeed,
    ReseedInLoop,
    SharedSeed,
    ImplicitGlobalRng,
    NumpyLegacyGlobalApi,
    NumpyRandomState,
    StdlibGlobalRandom,
    TorchImplicitGenerator,
    SyntaxErrorRule,
)
_BY_CODE = {rule.code: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "ProjectContext", "Rule", "get_rule", "run_rules"]


def get_rule(code: str) -> type[Rule] | None:
    return _BY_CODE.get(code.upper())


def run_rules(
    modules: Mapping[str, ModuleFacts],
    report_on: Iterable[str],
    settings: Settings,
    project: ProjectContext | None = None,
) -> dict[str, list[Diagnostic]]:
    """Diagnostics of every enabled rule for each path in `report_on`, sorted by position.
    `project`: the context of `modules` under `settings` (a caller that keeps its seeding
    analysis passes it); by default a new one."""
    rules = [rule() for rule in ALL_RULES if settings.is_enabled(rule.code)]
    if project is None:
        project = ProjectContext(modules, settings)
    results: dict[str, list[Diagnostic]] = {}
    for path in report_on:
        module = modules[path]
        found: list[Diagnostic] = []
        if module.syntax_error is not None:
            rules_here = [r for r in rules if r.code == "SDL900"]
        else:
            rules_here = rules
        for rule in rules_here:
            found.extend(rule.check(module, project))
        found.sort(key=Diagnostic.sort_key)
        results[path] = found
    return results
