"""`seedlint verify`: the static findings joined with what a real run did.

Each SDL001 / SDL002 / SDL006 finding (a draw from an unseeded global generator) is
- `confirmed`: the run drew there from a generator not deterministically seeded at that moment;
- `refuted`: the run drew there, always from a deterministically seeded generator;
- `not-executed`: the run never drew there.
An SDL003 finding (a seed from entropy or the clock, an explicit generator created without
one, a torch.Generator never seeded) is confirmed or refuted by what the run recorded at its
line: seeding events (confirmed when one was not deterministic), explicit generators created
there (confirmed when one came from entropy and was not seeded again deterministically, or,
for torch, was drawn from while never seeded).
`missed-by-static`: every draw the run made at a line of the checked files from a generator
not deterministically seeded, and every seeding call or explicit generator there that took its
seed from entropy or the clock, that no finding points at.

This module is handed the diagnostics (the CLI gets them from the Workspace): it never runs
the static analysis itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import Any

from ..diagnostics import Diagnostic

__all__ = [
    "OBSERVATIONS",
    "VERIFIED_CODES",
    "failed",
    "format_json",
    "format_text",
    "verify",
]

VERIFIED_CODES = ("SDL001", "SDL002", "SDL003", "SDL006")
STATUSES = ("confirmed", "refuted", "not-executed", "missed-by-static")
_DRAW_CODES = frozenset({"SDL001", "SDL002", "SDL006"})

# What `missed-by-static` entries are (name -> (summary, documentation)), for the formats
# that describe their rules (SARIF): the static rules' own documentation covers the rest.
OBSERVATIONS = {
    "runtime-unseeded-draw": (
        "A draw from a global generator not deterministically seeded, with no static finding",
        "## What it does\nReports a line of the checked files that drew, in the recorded run, "
        "from a global generator that was never seeded or seeded from entropy or the clock, "
        "where no static finding points.\n\n## Why is this bad?\nThe static analysis "
        "missed it (a draw through `getattr`, a seed it took for fixed): the numbers change "
        "from run to run.",
    ),
    "runtime-nonreproducible-seed": (
        "A seed from entropy or the clock, or a torch.Generator never seeded, with no static "
        "finding",
        "## What it does\nReports a line of the checked files that, in the recorded run, "
        "seeded a global generator or made an explicit generator from entropy or the clock "
        "(or drew from a `torch.Generator()` never seeded), where no SDL003 finding points."
        "\n\n## Why is this bad?\nThe static analysis took the seed for fixed (a seed read "
        "from a configuration that did not have one): the run was not reproducible.",
    ),
}


def _real(path: str, cwd: str) -> str:
    return os.path.realpath(os.path.join(cwd, path))


def verify(
    diagnostics: Iterable[Diagnostic], files: Iterable[str], report: dict[str, Any]
) -> list[dict[str, Any]]:
    """One entry per verified finding, then one per missed draw site."""
    cwd = report["cwd"]
    sites: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    events: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for library, info in report["libraries"].items():
        for site in info["draw_sites"]:
            if site["user_code"]:
                sites.setdefault(_real(site["path"], cwd), []).append((library, site))
        for event in info["seeding_events"]:
            if event["user_code"] and event["path"]:
                events.setdefault(_real(event["path"], cwd), []).append((library, event))
    made: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for library, info in report["libraries"].items():
        for construction in info.get("explicit_generators", ()):
            made.setdefault(_real(construction["path"], cwd), []).append((library, construction))
    entries: list[dict[str, Any]] = []
    explained: set[tuple[str, int, str]] = set()
    seeds_explained: set[tuple[str, int, str]] = set()
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        if d.code not in VERIFIED_CODES:
            continue
        path = _real(d.path, os.getcwd())
        lines = range(d.span.line, d.span.end_line + 1)

        def matches(
            library: str,
            record: dict[str, Any],
            lines: range = lines,
            wanted: str | None = d.library,
        ) -> bool:
            return record["line"] in lines and (wanted is None or wanted == library)

        status = "not-executed"
        evidence: list[dict[str, Any]] = []
        if d.code in _DRAW_CODES:
            here = [(lib, s) for lib, s in sites.get(path, ()) if matches(lib, s)]
            for lib, s in here:
                explained.add((path, s["line"], lib))
            if here:
                unseeded = any(s["unseeded_count"] for _, s in here)
                status = "confirmed" if unseeded else "refuted"
                evidence = [_site_evidence(lib, s) for lib, s in here]
        else:
            seeded = [(lib, e) for lib, e in events.get(path, ()) if matches(lib, e)]
            created = [(lib, c) for lib, c in made.get(path, ()) if matches(lib, c)]
            for lib, record in seeded + created:
                seeds_explained.add((path, record["line"], lib))
            if seeded or created:
                bad = any(not e["deterministic"] for _, e in seeded) or any(
                    _not_reproducible(c) for _, c in created
                )
                status = "confirmed" if bad else "refuted"
                evidence = [_event_evidence(lib, e) for lib, e in seeded]
                evidence += [_construction_evidence(lib, c) for lib, c in created]
        entries.append(
            {
                "status": status,
                "code": d.code,
                "name": d.name,
                "path": _shown(path),
                "line": d.span.line,
                "column": d.span.column,
                "library": d.library,
                "message": d.message,
                "runtime": evidence,
            }
        )
    checked = {os.path.realpath(f) for f in files}
    missed: list[dict[str, Any]] = []
    for library, info in report["libraries"].items():
        for site in info["draw_sites"]:
            path = _real(site["path"], cwd)
            key = (path, site["line"], library)
            if not site["user_code"] or not site["unseeded_count"] or key in explained:
                continue
            if path not in checked:
                continue
            explained.add(key)
            how = _HOW.get(site["status_at_first_draw"], "not deterministically seeded")
            missed.append(
                _missed(
                    "runtime-unseeded-draw",
                    path,
                    site["line"],
                    library,
                    f"{', '.join(sorted(site['apis']))} drew {site['unseeded_count']} "
                    f"{_times(site['unseeded_count'])} from {library}'s global generator "
                    f"({site['generator']}) while it was {how}, and no static finding points "
                    "here",
                    _site_evidence(library, site),
                )
            )
    missed.extend(_missed_seeds(events, made, checked, seeds_explained))
    entries.extend(sorted(missed, key=lambda e: (e["path"], e["line"])))
    return entries


_HOW = {"never": "never seeded", "entropy": "seeded from entropy or the clock"}


def _times(n: int) -> str:
    return "time" if n == 1 else "times"


def _not_reproducible(construction: dict[str, Any]) -> bool:
    """An explicit generator line whose run made a generator that is not reproducible."""
    if construction["source"] == "fixed-default":  # torch.Generator(): drawn from unseeded
        return bool(construction["unseeded_draws"])
    return bool(construction["entropy_count"] > construction["reseeded_count"])


def _missed(
    name: str, path: str, line: int, library: str, message: str, evidence: dict[str, Any]
) -> dict[str, Any]:
    return {
        "status": "missed-by-static",
        "code": None,
        "name": name,
        "path": _shown(path),
        "line": line,
        "column": 1,
        "library": library,
        "message": message,
        "runtime": [evidence],
    }


def _missed_seeds(
    events: dict[str, list[tuple[str, dict[str, Any]]]],
    made: dict[str, list[tuple[str, dict[str, Any]]]],
    checked: set[str],
    explained: set[tuple[str, int, str]],
) -> list[dict[str, Any]]:
    """Seeding calls and explicit generators of the checked files that took their seed from
    entropy or the clock (or, torch, drew while never seeded) with no SDL003 there."""
    found = []
    for path in sorted(checked):
        for library, event in events.get(path, ()):
            key = (path, event["line"], library)
            if event["deterministic"] or key in explained:
                continue
            explained.add(key)
            found.append(
                _missed(
                    "runtime-nonreproducible-seed",
                    path,
                    event["line"],
                    library,
                    f"{event['api']}({event['value']}) seeded {library}'s global generator "
                    f"from {event['source']}, and no static finding points here",
                    _event_evidence(library, event),
                )
            )
        for library, construction in made.get(path, ()):
            key = (path, construction["line"], library)
            if not _not_reproducible(construction) or key in explained:
                continue
            explained.add(key)
            if construction["source"] == "fixed-default":
                n = construction["unseeded_draws"]
                what = (
                    f"drew {n} {_times(n)} from a {construction['api']}() never seeded (every "
                    "such generator starts from the same fixed seed)"
                )
            else:
                n = construction["entropy_count"] - construction["reseeded_count"]
                what = (
                    f"created {n} {_times(n)} with a seed from {construction['source']} "
                    f"({construction['value']})"
                )
            found.append(
                _missed(
                    "runtime-nonreproducible-seed",
                    path,
                    construction["line"],
                    library,
                    f"{construction['api']} {what}, and no static finding points here",
                    _construction_evidence(library, construction),
                )
            )
    return found


def _shown(path: str) -> str:
    """Relative to the current folder when inside it (as `seedlint check` shows paths)."""
    cwd = os.path.realpath(os.getcwd())
    return os.path.relpath(path, cwd) if path.startswith(cwd + os.sep) else path


# What each kind of runtime record contributes to a verify entry's evidence.
_EVIDENCE = {
    "draw": (
        "generator",
        "apis",
        "count",
        "unseeded_count",
        "seeded_at_first_draw",
        "via",
        "process",
    ),
    "seeding": ("api", "deterministic", "source", "value"),
    "explicit-generator": (
        "api",
        "count",
        "entropy_count",
        "reseeded_count",
        "unseeded_draws",
        "source",
        "value",
    ),
}


def _evidence(kind: str, library: str, record: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "library": library, **{f: record.get(f) for f in _EVIDENCE[kind]}}


def _site_evidence(library: str, site: dict[str, Any]) -> dict[str, Any]:
    return _evidence("draw", library, site)


def _event_evidence(library: str, event: dict[str, Any]) -> dict[str, Any]:
    return _evidence("seeding", library, event)


def _construction_evidence(library: str, construction: dict[str, Any]) -> dict[str, Any]:
    return _evidence("explicit-generator", library, construction)


def counts(entries: Sequence[dict[str, Any]]) -> dict[str, int]:
    result = dict.fromkeys(STATUSES, 0)
    for entry in entries:
        result[entry["status"]] += 1
    return result


def failed(entries: Sequence[dict[str, Any]]) -> bool:
    return any(e["status"] in ("confirmed", "missed-by-static") for e in entries)


def format_text(entries: Sequence[dict[str, Any]]) -> str:
    lines = []
    for e in entries:
        code = e["code"] or "runtime"
        lines.append(
            f"{e['path']}:{e['line']}:{e['column']}: {code} [{e['status']}] {e['message']}"
        )
    summary = ", ".join(f"{n} {status}" for status, n in counts(entries).items())
    lines.append(f"seedlint verify: {summary}")
    return "\n".join(lines) + "\n"


def format_json(entries: Sequence[dict[str, Any]], report_path: str | None) -> str:
    document = {
        "schema": "seedlint-verify",
        "version": 1,
        "runtime_report": report_path,
        "summary": counts(entries),
        "entries": list(entries),
    }
    return json.dumps(document, indent=1) + "\n"
