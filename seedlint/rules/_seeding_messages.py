"""Shared wording for the seeding-analysis rules (SDL001/SDL002)."""

from __future__ import annotations

from collections.abc import Mapping

from ..analysis.facts import ApiCall, ModuleFacts
from ..analysis.seeding import MAYBE, DrawFinding, SeedEvent
from ..diagnostics import Related
from ..knowledge import torch_call
from .context import display_name

GENERATOR_NAMES = {
    "random": "the `random` module's global generator",
    "numpy": "numpy's global generator",
    "torch": "torch's default generator",
}


_ENTROPY_WORDS = {
    "clock": "from the clock",
    "draw": "from a number drawn from an unseeded generator",
    "entropy": "from operating-system entropy",
    "option": "when a seed option is given (its default is None)",
}


def what_is_drawn(call: ApiCall, library: str) -> str:
    name = display_name(call.qualname)
    generator = GENERATOR_NAMES[library]
    if call.origin is not None:  # where a deferred object is used, not where it was built
        api = torch_call(call.qualname)
        if api is not None and api.draws_on == "forward":
            return f"this forward pass of a `{name}` (training mode) draws from {generator}"
        if api is not None:
            return f"iterating a `{name}` draws from {generator}"
        return f"using a `{name}` without `random_state` here (fit, split) draws from {generator}"
    if call.library != library:  # a third-party API that falls back to numpy's global state
        return f"`{name}` draws from {generator} (no `random_state`)"
    return f"`{name}` draws from {generator}"


def built_at(module: ModuleFacts, call: ApiCall) -> tuple[Related, ...]:
    """Where a deferred object was built, when the finding is where it is used."""
    if call.origin is None:
        return ()
    built = module.calls[call.origin]
    if built.span.line == call.span.line:
        return ()
    name = display_name(built.qualname)
    return (Related(module.path, built.span.line, built.span.column, f"`{name}` built here"),)


def deterministic_seeds(finding: DrawFinding) -> tuple[SeedEvent, ...]:
    return tuple(e for e in finding.seeds if e.deterministic)


def entropy_seeding(
    finding: DrawFinding, modules_by_path: Mapping[str, ModuleFacts]
) -> tuple[str, tuple[Related, ...]] | None:
    """', which this program seeds only from the clock' when it seeds the library from
    entropy, with that seeding as the cited location."""
    # A DataLoader worker reseeds the library from torch's generator: torch's seeding counts.
    library = "torch" if finding.worker else finding.library
    events = [e for e in finding.seeds if not e.deterministic and library in e.libraries]
    if not events:
        return None
    event = events[0]
    path, line, col = seed_location(event, modules_by_path)
    words = _ENTROPY_WORDS.get(event.how, _ENTROPY_WORDS["entropy"])
    related = (Related(path, line, col, f"`{event.qualname}` seeds it {words} here", True),)
    if finding.worker:
        return (
            " in a DataLoader worker process, which reseeds it from a base seed drawn from "
            f"torch's default generator; program {finding.program.name} seeds torch only {words}"
        ), related
    return f", which program {finding.program.name} seeds only {words}", related


def _worker_seeding(
    finding: DrawFinding, modules_by_path: Mapping[str, ModuleFacts]
) -> tuple[str, tuple[Related, ...]]:
    """A DataLoader worker reseeds every library from a base seed drawn from torch's
    default generator: what the program did to torch is what matters, not to the library."""
    text = (
        " in a DataLoader worker process, which reseeds it from a base seed drawn from "
        "torch's default generator"
    )
    entropy = entropy_seeding(finding, modules_by_path)
    if entropy is not None:
        return entropy
    torch_seeds = [e for e in finding.seeds if "torch" in e.libraries]
    if torch_seeds:
        # Seeded deterministically, but only after the loader was iterated.
        path, line, col = seed_location(torch_seeds[0], modules_by_path)
        related = (Related(path, line, col, "torch is seeded here, after the draw", True),)
        return f"{text}, before this program seeds torch", related
    return f"{text}, and this program never seeds torch", ()


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
    if finding.worker and finding.state != MAYBE:
        return _worker_seeding(finding, modules_by_path)
    entropy = entropy_seeding(finding, modules_by_path)
    if entropy is not None and finding.state != MAYBE:
        return entropy
    later = [e for e in deterministic_seeds(finding) if library in e.libraries]
    if later and finding.state != MAYBE:
        path, line, col = seed_location(later[0], modules_by_path)
        related = (Related(path, line, col, f"{library} is seeded here, after the draw", True),)
        return ", before this program seeds it", related
    if finding.state == MAYBE:
        return ", but it is seeded on some paths only (--strict)", ()
    related_list: list[Related] = []
    seeded: list[str] = []
    for event in deterministic_seeds(finding):
        path, line, col = seed_location(event, modules_by_path)
        names = " and ".join(event.libraries) if event.libraries else "torch's CUDA generators"
        if names not in seeded:
            seeded.append(names)
            message = f"`{event.qualname}` seeds {names} here"
            # The first seeding site is the one the text output cites.
            related_list.append(Related(path, line, col, message, cited=not related_list))
    return f", but this program seeds only {' and '.join(seeded)}", tuple(related_list)
