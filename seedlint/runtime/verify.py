"""`seedlint verify`: the static findings joined with what a real run did.

Each SDL001 / SDL002 / SDL006 finding (a draw from an unseeded global generator) is
- `confirmed`: the run drew there from a generator not deterministically seeded at that moment;
- `refuted`: the run drew there, always from a deterministically seeded generator;
- `not-executed`: the run never drew there.
An SDL003 finding (a seed from entropy or the clock) is confirmed or refuted by the seeding
events the run recorded at its line; the companion does not watch explicit generators
(`default_rng()`), so SDL003 findings on those stay `not-executed`.
Every draw the run made at a line of the checked files from an unseeded generator that no
finding points at is `missed-by-static`.

This module is handed the diagnostics (the CLI gets them from the Workspace): it never runs
the static analysis itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import Any

from ..diagnostics import Diagnostic

__all__ = ["VERIFIED_CODES", "verify", "format_text", "format_json", "format_sarif", "failed"]

VERIFIED_CODES = ("SDL001", "SDL002", "SDL003", "SDL006")
STATUSES = ("confirmed", "refuted", "not-executed", "missed-by-static")
_DRAW_CODES = frozenset({"SDL001", "SDL002", "SDL006"})


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
    entries: list[dict[str, Any]] = []
    explained: set[tuple[str, int, str]] = set()
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
            if seeded:
                entropy = any(not e["deterministic"] for _, e in seeded)
                status = "confirmed" if entropy else "refuted"
                evidence = [_event_evidence(lib, e) for lib, e in seeded]
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
    for library, info in report["libraries"].items():
        for site in info["draw_sites"]:
            path = _real(site["path"], cwd)
            key = (path, site["line"], library)
            if not site["user_code"] or not site["unseeded_count"] or key in explained:
                continue
            if path not in checked:
                continue
            explained.add(key)
            entries.append(
                {
                    "status": "missed-by-static",
                    "code": None,
                    "name": "runtime-unseeded-draw",
                    "path": _shown(path),
                    "line": site["line"],
                    "column": 1,
                    "library": library,
                    "message": f"{', '.join(sorted(site['apis']))} drew {site['unseeded_count']} "
                    f"time(s) from {library}'s unseeded global generator ({site['generator']}) "
                    "and no static finding points here",
                    "runtime": [_site_evidence(library, site)],
                }
            )
    return entries


def _shown(path: str) -> str:
    """Relative to the current folder when inside it (as `seedlint check` shows paths)."""
    cwd = os.path.realpath(os.getcwd())
    return os.path.relpath(path, cwd) if path.startswith(cwd + os.sep) else path


def _site_evidence(library: str, site: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "draw",
        "library": library,
        "generator": site["generator"],
        "apis": site["apis"],
        "count": site["count"],
        "unseeded_count": site["unseeded_count"],
        "seeded_at_first_draw": site["seeded_at_first_draw"],
        "via": site["via"],
        "process": site.get("process"),
    }


def _event_evidence(library: str, event: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "seeding",
        "library": library,
        "api": event["api"],
        "deterministic": event["deterministic"],
        "source": event["source"],
        "value": event["value"],
    }


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


def format_sarif(entries: Sequence[dict[str, Any]], version: str) -> str:
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for e in entries:
        rule_id = e["code"] or "runtime-unseeded-draw"
        rules.setdefault(rule_id, {"id": rule_id, "name": e["name"]})
        level = {"confirmed": "error", "missed-by-static": "error", "refuted": "note"}.get(
            e["status"], "none"
        )
        results.append(
            {
                "ruleId": rule_id,
                "level": level,
                "message": {"text": f"[{e['status']}] {e['message']}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": e["path"].replace(os.sep, "/")},
                            "region": {"startLine": e["line"], "startColumn": e["column"]},
                        }
                    }
                ],
                "properties": {"verifyStatus": e["status"], "runtime": e["runtime"]},
            }
        )
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "seedlint verify",
                        "version": version,
                        "rules": list(rules.values()),
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=1) + "\n"
