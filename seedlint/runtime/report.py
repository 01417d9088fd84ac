"""The runtime report: one JSON document (schema `seedlint-runtime-report`, version 1, in
docs/runtime-report.md) built from the parts each observed process recorded, and its text
summary."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Iterable
from typing import Any

from .recorder import GENERATORS, Recorder

__all__ = [
    "LIBRARIES",
    "SCHEMA",
    "VERSION",
    "build_report",
    "explicit_status",
    "load_report",
    "part_json",
    "plural",
    "text_summary",
]

SCHEMA = "seedlint-runtime-report"
VERSION = 1
LIBRARIES = ("random", "numpy", "torch")

NOT_OBSERVABLE = (
    "draws made from C/C++ without a Python call (TorchScript, custom ops)",
    "seeding through the generator object itself (torch.default_generator.manual_seed, "
    "numpy.random.mtrand._rand's bit generator)",
    "module functions bound before recording started (`from random import random` run "
    "before `record()`)",
    "processes started with the spawn or forkserver method (listed under processes as not "
    "observed) and programs run through subprocess",
    "SIGKILL, os.abort and interpreter crashes (no report is written)",
)


def part_json(rec: Recorder, role: str, exit_info: dict[str, Any]) -> dict[str, Any]:
    """What one process recorded (paths absolute; turned into sites by `build_report`)."""
    return {
        "pid": rec.pid,
        "parent_pid": rec.parent_pid,
        "role": role,
        "exit": dict(exit_info),
        "hooked": dict(rec.hooked),
        "status": dict(rec.status),
        "first_draw": {lib: list(v) for lib, v in rec.first_draw.items()},
        "event_count": rec.event_count,
        "events": [e.to_json(_absolute) for e in rec.events],
        "sites": [s.to_json(_absolute) for s in sorted(rec.sites.values(), key=_first_seq)],
        "constructions": [
            c.to_json(_absolute) for c in sorted(rec.constructions.values(), key=_first_seq)
        ],
        "children": list(rec.children),
    }


def _first_seq(site: Any) -> int:
    return int(site.first_seq)


def _absolute(path: str, line: int) -> str:
    return f"{path}:{line}"


def _shown(path: str | None, cwd: str) -> str | None:
    if path is None:
        return None
    if path.startswith(cwd + os.sep):
        return os.path.relpath(path, cwd)
    return path


def build_report(
    parts: list[dict[str, Any]],
    *,
    argv: list[str],
    cwd: str,
    exit_info: dict[str, Any],
    problems: Iterable[str] = (),
    started: float | None = None,
    duration: float | None = None,
) -> dict[str, Any]:
    main = parts[0]
    libraries: dict[str, Any] = {}
    for library in LIBRARIES:
        generators = [g for g, lib in GENERATORS.items() if lib == library]
        events: list[dict[str, Any]] = []
        sites: list[dict[str, Any]] = []
        explicit: list[dict[str, Any]] = []
        first: tuple[int, bool] | None = None
        for index, part in enumerate(parts):
            for made in part.get("constructions", ()):
                if made["api"].split(".", 1)[0] == library:
                    explicit.append(_relocate(made, cwd, part))
            for event in part["events"]:
                if any(g in event["generator"].split(",") for g in generators):
                    events.append(_relocate(event, cwd, part))
            for site in part["sites"]:
                if site["generator"] in generators:
                    sites.append(_relocate(site, cwd, part))
            if first is None and library in part["first_draw"]:
                seq, seeded = part["first_draw"][library]
                first = (int(seq) + index * 10**12, bool(seeded))
        used = any(library in part["hooked"] for part in parts)
        unseeded: list[str] = []
        for site in sites:
            if site["user_code"] and site["unseeded_count"] and site["site"] not in unseeded:
                unseeded.append(site["site"])
        statuses = [main["status"][g] for g in generators]
        libraries[library] = {
            "used": used,
            "version": next((p["hooked"][library] for p in parts if library in p["hooked"]), None),
            "drawn": bool(sites),
            "draws": sum(s["count"] for s in sites),
            "explicitly_seeded_before_first_draw": bool(first and first[1]),
            "final_status": statuses[0]
            if len(set(statuses)) == 1
            else dict(zip(generators, statuses, strict=True)),
            "seeding_events": events,
            "draw_sites": sites,
            "unseeded_draw_sites": unseeded,
            "explicit_generators": explicit,
        }
    processes = []
    seen = set()
    for part in parts:
        seen.add(part["pid"])
        processes.append(
            {
                "pid": part["pid"],
                "parent_pid": part["parent_pid"],
                "role": part["role"],
                "observed": True,
                "exit": part["exit"],
            }
        )
    for part in parts:
        for child in part["children"]:
            if child["pid"] not in seen:
                seen.add(child["pid"])
                processes.append(
                    {
                        "pid": child["pid"],
                        "parent_pid": part["pid"],
                        "role": "child",
                        "observed": False,
                        "start_method": child.get("start_method"),
                        "name": child.get("name"),
                    }
                )
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "python": platform.python_version(),
        "argv": list(argv),
        "cwd": cwd,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started or time.time())),
        "duration_s": None if duration is None else round(duration, 6),
        "exit": dict(exit_info),
        "libraries": libraries,
        "processes": processes,
        "problems": list(problems),
        "not_observable": list(NOT_OBSERVABLE),
    }


def _relocate(record: dict[str, Any], cwd: str, part: dict[str, Any]) -> dict[str, Any]:
    out = dict(record)
    path = record.get("path")
    out["site"] = None if path is None else f"{_shown(path, cwd)}:{record['line']}"
    out["process"] = "main" if part["role"] == "main" else f"child {part['pid']}"
    return out


def load_report(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{path} is not a seedlint runtime report")
    if data.get("version") != VERSION:
        raise ValueError(
            f"{path}: runtime report version {data.get('version')} (this seedlint reads {VERSION})"
        )
    return data


def text_summary(report: dict[str, Any]) -> str:
    lines = [
        f"seedlint runtime report ({report['exit']['how']}, status {report['exit']['status']})"
    ]
    for library, info in report["libraries"].items():
        if not info["used"]:
            lines.append(f"  {library}: not used")
            continue
        if not info["drawn"]:
            lines.append(f"  {library}: no draws from its global generator")
        else:
            seeded = (
                "deterministically seeded before its first draw"
                if info["explicitly_seeded_before_first_draw"]
                else "NOT deterministically seeded before its first draw"
            )
            draws, sites = info["draws"], len(info["draw_sites"])
            lines.append(
                f"  {library}: {plural(draws, 'draw')} at {plural(sites, 'site')}, {seeded}"
            )
        for event in info["seeding_events"][:5]:
            kind = (
                "deterministic"
                if event["deterministic"]
                else f"not reproducible ({event['source']})"
            )
            lines.append(f"    seeded by {event['api']} at {event['site']}: {kind}")
        for site in info["unseeded_draw_sites"][:10]:
            lines.append(f"    unseeded draw at {site}")
        if len(info["unseeded_draw_sites"]) > 10:
            lines.append(f"    ... and {len(info['unseeded_draw_sites']) - 10} more")
        for made in info.get("explicit_generators", ())[:5]:
            lines.append(
                f"    {made['api']}() at {made['site']} ({plural(made['count'], 'made')}): "
                f"{explicit_status(made)}"
            )
    missing = [p for p in report["processes"] if not p["observed"]]
    for process in missing:
        lines.append(f"  process {process['pid']} ({process.get('start_method')}) was not observed")
    for problem in report["problems"]:
        lines.append(f"  problem: {problem}")
    return "\n".join(lines) + "\n"


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 or noun == "made" else f"{n} {noun}s"


def explicit_status(made: dict[str, Any]) -> str:
    if made["source"] == "fixed-default":
        if made["unseeded_draws"]:
            return (
                f"{plural(made['unseeded_draws'], 'draw')} while never seeded (the same "
                "stream as every unseeded torch.Generator)"
            )
        return "no draw while never seeded"
    if made["entropy_count"] > made["reseeded_count"]:
        return f"seeded from {made['source']}: not reproducible"
    if made["entropy_count"]:
        return f"seeded from {made['source']}, then again deterministically"
    return "deterministic seed"
