"""Shared wording for the seeding-analysis rules (SDL001/SDL002)."""

from __future__ import annotations

import os
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


def _shown(path: str) -> str:
    """A path as a message shows it: relative to the current folder when under it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


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
        related = (Related(path, line, col, f"{library} is seeded here, after the draw"),)
        return f", before this program seeds it ({_shown(path)}:{line})", related
    if finding.state == MAYBE:
        return ", but it is seeded on some paths only (--strict)", ()
    related_list: list[Related] = []
    seeded: list[str] = []
    for event in finding.seeds:
        path, line, col = seed_location(event, modules_by_path)
        names = " and ".join(event.libraries) if event.libraries else "torch's CUDA generators"
        if names not in seeded:
            seeded.append(names)
            related_list.append(Related(path, line, col, f"`{event.qualname}` seeds {names} here"))
    first = related_list[0]
    return (
        f", but this program seeds only {' and '.join(seeded)} ({_shown(first.path)}:{first.line})",
        tuple(related_list),
    )
