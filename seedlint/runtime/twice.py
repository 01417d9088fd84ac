"""`seedlint run --twice`: did two runs of the program draw the same numbers?

Each run digests, per call site, the generator's state before every draw (so a site differs
only when *its* generator's stream differs, not when its inputs came from another library).
Sites are compared per library in the order the first run met them; workers' sites are
merged (their order is not deterministic), the digests combined without regard to order.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Difference", "compare", "format_comparison"]

Difference = dict[str, Any]


def _sites(report: dict[str, Any], library: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for site in report["libraries"][library]["draw_sites"]:
        where = "main" if site["process"] == "main" else "workers"
        key = (where, site["generator"], site["site"])
        digest = int(site["digest"] or "0", 16)
        if key in merged:
            merged[key]["count"] += site["count"]
            merged[key]["digest"] ^= digest
        else:
            merged[key] = {"count": site["count"], "digest": digest, "site": site}
    return merged


def compare(first: dict[str, Any], second: dict[str, Any]) -> list[Difference]:
    """One entry per library whose draws differed: the first differing site of run 1."""
    differences: list[Difference] = []
    for library in first["libraries"]:
        a, b = _sites(first, library), _sites(second, library)
        ordered = sorted(a, key=lambda k: a[k]["site"]["first_seq"])
        for key in ordered:
            other = b.get(key)
            if other is None or (other["count"], other["digest"]) != (
                a[key]["count"],
                a[key]["digest"],
            ):
                differences.append(
                    {
                        "library": library,
                        "site": key[2],
                        "process": key[0],
                        "apis": sorted(a[key]["site"]["apis"]),
                        "reason": "not reached in run 2"
                        if other is None
                        else "different numbers"
                        if other["count"] == a[key]["count"]
                        else f"{a[key]['count']} draws in run 1, {other['count']} in run 2",
                    }
                )
                break
        else:
            extra = [k for k in b if k not in a]
            if extra:
                differences.append(
                    {
                        "library": library,
                        "site": extra[0][2],
                        "process": extra[0][0],
                        "apis": sorted(b[extra[0]]["site"]["apis"]),
                        "reason": "drawn only in run 2",
                    }
                )
    return differences


def format_comparison(differences: list[Difference]) -> str:
    if not differences:
        return "seedlint run --twice: both runs drew the same numbers at every call site\n"
    lines = ["seedlint run --twice: the runs differed"]
    for d in differences:
        where = "" if d["process"] == "main" else f" (in {d['process']})"
        lines.append(
            f"  {d['library']}: first at {d['site']}{where} ({', '.join(d['apis'])}): {d['reason']}"
        )
    return "\n".join(lines) + "\n"
