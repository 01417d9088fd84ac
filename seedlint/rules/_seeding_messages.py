"""Shared wording for the seeding-analysis rules (SDL001/SDL002)."""

from __future__ import annotations

from collections.abc import Mapping

from ..analysis.facts import ApiCall, ModuleFacts
from ..analysis.seeding import MAYBE, DrawFinding, SeedEvent
from ..diagnostics import Related
from .context import display_name

GENERATOR_NAMES = {
    "random": "the `random` module's global generator",
    "numpy": "numpy's global generator",
    "torch": "torch's default generator",
}


def what_is_drawn(call: ApiCall, library: str) -> str:
    name = display_name(call.qualname)
    if call.library != library:  # a third-party API that falls back to numpy's global state
        return f"`{name}` draws from {GENERATOR_NAMES[library]} (no `random_state`)"
    return f"`{name}` draws from {GENERATOR_NAMES[library]}"


def seed_location(
    event: SeedEvent, modules_by_path: Mapping[str, ModuleFacts]
) -> tuple[str, int, int]:
    path, index = event.site
    call = modules_by_path[path].calls[index]
    return path, call.span.line, call.span.column


def describe_seeding(
    finding: DrawFinding, modules_by_path: Mapping[str, ModuleFacts]
) -> tuple[str, tuple[Related, ...]]:
    """'seeds only torch (train.py:12)' and the related locations, for SDL002's message."""
    library = finding.library
    later = [e for e in finding.seeds if library in e.libraries]
    if later and finding.state != MAYBE:
        path, line, col = seed_location(later[0], modules_by_path)
        related = (Related(path, line, col, f"{library} is seeded here, after the draw", True),)
        return ", before this program seeds it", related
    if finding.state == MAYBE:
        return ", but it is seeded on some paths only (--strict)", ()
    related_list: list[Related] = []
    seeded: list[str] = []
    for event in finding.seeds:
        path, line, col = seed_location(event, modules_by_path)
        names = " and ".join(event.libraries) if event.libraries else "torch's CUDA generators"
        if names not in seeded:
            seeded.append(names)
            message = f"`{event.qualname}` seeds {names} here"
            # The first seeding site is the one the text output cites.
            related_list.append(Related(path, line, col, message, cited=not related_list))
    return f", but this program seeds only {' and '.join(seeded)}", tuple(related_list)
