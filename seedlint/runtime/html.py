"""`--html FILE`: one self-contained page (no scripts, no network) showing, per library, a
timeline of seeding events and draw sites (draws made before any deterministic seeding in
red), the call-site table, and the verify statuses when there are some."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from typing import Any

from .report import explicit_status, plural

__all__ = ["render_html", "write_html"]

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;
text-align:left;vertical-align:top}th{background:#f3f3f3}
.unseeded{background:#fde2e1}.seeded{background:#e3f6e5}.event{background:#e4ecfb}
.timeline{position:relative;height:46px;border-bottom:2px solid #888;margin:1em 0 2.5em}
.mark{position:absolute;bottom:0;width:10px;margin-left:-5px;border-radius:2px}
.mark.draw{height:28px;background:#2e7d32}.mark.draw.unseeded{background:#c62828}
.mark.seed{height:42px;width:4px;margin-left:-2px;background:#1565c0}
.legend span{display:inline-block;margin-right:1.5em}
.status-confirmed,.status-missed-by-static{color:#b71c1c;font-weight:bold}
.status-refuted{color:#1b5e20;font-weight:bold}.status-not-executed{color:#666}
code{font-size:.95em}
"""


def _explicit_table(info: dict[str, Any]) -> str:
    made = info.get("explicit_generators", [])
    if not made:
        return ""
    rows = "".join(
        f"<tr><td><code>{_e(m['site'])}</code></td><td><code>{_e(m['api'])}()</code></td>"
        f"<td>{m['count']}</td><td>{_e(explicit_status(m))}</td></tr>"
        for m in made
    )
    return (
        "<table><tr><th>explicit generator made at</th><th>API</th><th>made</th>"
        f"<th>seeding</th></tr>{rows}</table>"
    )


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _timeline(info: dict[str, Any]) -> str:
    points: list[tuple[int, str, str]] = []
    for event in info["seeding_events"]:
        how = "deterministic" if event["deterministic"] else event["source"]
        title = f"{event['api']} at {event['site']} ({how})"
        points.append((event["seq"], "mark seed", title))
    for site in info["draw_sites"]:
        kind = "mark draw unseeded" if site["unseeded_count"] else "mark draw"
        title = f"{', '.join(site['apis'])} at {site['site']}: {site['count']} draws"
        points.append((site["first_seq"], kind, title))
    if not points:
        return "<p>No events.</p>"
    points.sort()
    step = 100 / (len(points) + 1)
    marks = "".join(
        f'<div class="{kind}" style="left:{(i + 1) * step:.2f}%" title="{_e(title)}"></div>'
        for i, (_, kind, title) in enumerate(points)
    )
    return f'<div class="timeline" role="img" aria-label="timeline">{marks}</div>'


def _sites_table(info: dict[str, Any]) -> str:
    rows = []
    for site in info["draw_sites"]:
        css = "unseeded" if site["unseeded_count"] else "seeded"
        rows.append(
            f'<tr class="{css}"><td><code>{_e(site["site"])}</code></td>'
            f"<td>{_e(', '.join(f'{k} ×{v}' for k, v in site['apis'].items()))}</td>"
            f"<td>{site['count']}</td><td>{site['unseeded_count']}</td>"
            f"<td>{'yes' if site['seeded_at_first_draw'] else 'no'}</td>"
            f"<td>{_e(site['process'])}</td><td><code>{_e(site['via'] or '')}</code></td></tr>"
        )
    for event in info["seeding_events"]:
        how = "deterministic seed" if event["deterministic"] else "NOT reproducible: "
        how += "" if event["deterministic"] else _e(event["source"])
        rows.append(
            f'<tr class="event"><td><code>{_e(event["site"])}</code></td>'
            f"<td>{_e(event['api'])}({_e(event['value'])})</td><td colspan=3>"
            f"{how}"
            f"</td><td>{_e(event['process'])}</td><td></td></tr>"
        )
    head = (
        "<tr><th>call site</th><th>API</th><th>draws</th><th>unseeded</th>"
        "<th>seeded at first draw</th><th>process</th><th>library frame</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def _verify_table(entries: Sequence[dict[str, Any]]) -> str:
    rows = "".join(
        f'<tr><td class="status-{_e(e["status"])}">{_e(e["status"])}</td>'
        f"<td>{_e(e['code'] or '')}</td><td><code>{_e(e['path'])}:{e['line']}</code></td>"
        f"<td>{_e(e['message'])}</td></tr>"
        for e in entries
    )
    return (
        '<h2 id="verify">Static findings verified</h2><table><tr><th>status</th><th>rule</th>'
        f"<th>location</th><th>message</th></tr>{rows}</table>"
    )


def render_html(report: dict[str, Any], entries: Sequence[dict[str, Any]] | None = None) -> str:
    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        "<title>seedlint runtime report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>seedlint runtime report</h1>",
        f"<p>Program: <code>{_e(' '.join(report['argv']))}</code> — ended by "
        f"{_e(report['exit']['how'])}, status {_e(report['exit']['status'])}</p>",
        '<p class="legend"><span>▮ <b style="color:#1565c0">seeding</b></span>'
        '<span>▮ <b style="color:#2e7d32">draws, seeded</b></span>'
        '<span>▮ <b style="color:#c62828">draws before deterministic seeding</b></span></p>',
    ]
    for library, info in report["libraries"].items():
        parts.append(f'<h2 id="lib-{library}">{_e(library)}</h2>')
        if not info["used"]:
            parts.append("<p>Not used by this program.</p>")
            continue
        seeded = info["explicitly_seeded_before_first_draw"]
        parts.append(
            f"<p>{plural(info['draws'], 'draw')} at "
            f"{plural(len(info['draw_sites']), 'call site')}; "
            f"{'deterministically seeded' if seeded else '<b>not deterministically seeded</b>'}"
            " before its first draw.</p>"
        )
        parts.append(_timeline(info))
        parts.append(_sites_table(info))
        parts.append(_explicit_table(info))
    if entries is not None:
        parts.append(_verify_table(entries))
    missing = [p for p in report["processes"] if not p["observed"]]
    if missing:
        items = "".join(f"<li>{p['pid']} ({_e(p.get('start_method'))})</li>" for p in missing)
        parts.append(f"<h2>Processes not observed</h2><ul>{items}</ul>")
    parts.append("</body></html>\n")
    return "".join(parts)


def write_html(
    path: str, report: dict[str, Any], entries: Sequence[dict[str, Any]] | None = None
) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(render_html(report, entries))
