"""SARIF 2.1.0 (one run), for GitHub code scanning and other SARIF viewers.

* ``tool.driver.rules``: every rule, with its summary (short description), what it does and
  why it matters (full description), its whole documentation (help, text and Markdown) and
  the URI of its page under docs/rules/.  The rules' documentation is passed in (`RuleDoc`),
  so that this module imports nothing of the rules.
* Each result: the rule, the message, one location with a region (1-based lines; columns
  count Unicode code points, declared as ``columnKind: unicodeCodePoints`` — the same as
  UTF-16 code units, SARIF's default and what GitHub's own CodeQL declares, on every line
  without characters beyond the Basic Multilingual Plane before the finding).  The places
  a message refers to (SDL002's seeding sites) are ``relatedLocations``; the one the
  message cites is linked from the message text (``[common.py:8](1)``, SARIF's embedded
  links).  A fix with edits becomes a SARIF ``fix``; a fix's description and whether it
  keeps the random stream are in the result's properties.
* Paths relative to the current folder are URIs relative to ``%SRCROOT%``, which
  ``originalUriBaseIds`` resolves to the current folder (the repository root in CI, where
  GitHub resolves them too); a file outside it gets an absolute ``file:`` URI.
* In a notebook, the physical location's ``properties`` give the cell (1-based, markdown
  cells counted) and the region within it (``cell``, ``cellRegion``); the ``region`` itself
  is where that code is in the ``.ipynb`` file's JSON text (what GitHub shows), and is left
  out when that cannot be found.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..diagnostics import Diagnostic, Edit, Related, Span
from ..urls import repository_url, rule_docs_url
from . import Locate, display_path, file_span, sort_for_display

__all__ = ["REPOSITORY_URL", "SARIF_SCHEMA", "RuleDoc", "render_sarif", "render_verify_sarif"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
REPOSITORY_URL = repository_url()
SRCROOT = "%SRCROOT%"
_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class RuleDoc:
    """What SARIF says about a rule (built from `Rule` by the front end)."""

    code: str
    name: str
    summary: str
    doc: str  # Markdown: the rule's docstring, in ruff's sections
    help_uri: str | None = None  # default: its page under docs/rules/


def _sections(doc: str) -> dict[str, str]:
    """``## Title`` -> body, for the Markdown sections of a rule's documentation."""
    found: dict[str, str] = {}
    matches = list(_SECTION.finditer(doc))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following is not None else len(doc)
        found[match.group(1).strip()] = doc[match.end() : end].strip()
    return found


def _plain(markdown: str) -> str:
    """Paragraphs joined into plain sentences (a description, not a document)."""
    return " ".join(markdown.split())


def rule_descriptor(rule: RuleDoc) -> dict[str, Any]:
    sections = _sections(rule.doc)
    what = sections.get("What it does", rule.summary)
    why = sections.get("Why is this bad?")
    full = _plain(what) + (" " + _plain(why) if why else "")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "helpUri": rule.help_uri or rule_docs_url(rule.code),
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["reproducibility"]},
    }


def _artifact(path: str, cwd: str) -> dict[str, Any]:
    shown = display_path(path, cwd)
    if os.path.isabs(shown):
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(shown.replace(os.sep, "/")), "uriBaseId": SRCROOT}


def _region(span: Span) -> dict[str, Any]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _physical(path: str, span: Span, cell: int | None, cwd: str, locate: Locate | None) -> Any:
    location: dict[str, Any] = {"artifactLocation": _artifact(path, cwd)}
    if cell is None:
        location["region"] = _region(span)
        return location
    in_file = file_span(path, cell, span, locate)
    if in_file is not None:
        location["region"] = _region(in_file)
    location["properties"] = {"cell": cell, "cellRegion": _region(span)}
    return location


def _related(index: int, related: Related, cwd: str, locate: Locate | None) -> dict[str, Any]:
    point = Span(related.line, related.column, related.line, related.column)
    return {
        "id": index,
        "physicalLocation": _physical(related.path, point, related.cell, cwd, locate),
        "message": {"text": related.message},
    }


def _escape(text: str) -> str:
    """Literal brackets in a message that has embedded links (SARIF 3.11.6)."""
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def _message(diagnostic: Diagnostic, cwd: str) -> str:
    message = " ".join(diagnostic.message.splitlines())
    for index, related in enumerate(diagnostic.related, start=1):
        if related.cited:
            where = display_path(related.path, cwd)
            cell = "" if related.cell is None else f"cell {related.cell}:"
            return f"{_escape(message)} ([{_escape(f'{where}:{cell}{related.line}')}]({index}))"
    return message


def _fix(diagnostic: Diagnostic, edits: Sequence[Edit], cwd: str) -> dict[str, Any]:
    assert diagnostic.fix is not None
    return {
        "description": {"text": diagnostic.fix.message},
        "artifactChanges": [
            {
                "artifactLocation": _artifact(diagnostic.path, cwd),
                "replacements": [
                    {
                        "deletedRegion": _region(edit.span),
                        "insertedContent": {"text": edit.content},
                    }
                    for edit in edits
                ],
            }
        ],
    }


def _result(
    diagnostic: Diagnostic, rule_index: dict[str, int], cwd: str, locate: Locate | None
) -> dict[str, Any]:
    physical = _physical(diagnostic.path, diagnostic.span, diagnostic.cell, cwd, locate)
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "level": "error",
        "message": {"text": _message(diagnostic, cwd)},
        "locations": [{"physicalLocation": physical}],
    }
    if diagnostic.code in rule_index:
        result["ruleIndex"] = rule_index[diagnostic.code]
    if diagnostic.related:
        result["relatedLocations"] = [
            _related(index, related, cwd, locate)
            for index, related in enumerate(diagnostic.related, start=1)
        ]
    fix = diagnostic.fix
    if fix is not None:
        # Edits in a notebook are in its cells' code, not in the file's JSON text.
        if fix.edits and diagnostic.cell is None:
            result["fixes"] = [_fix(diagnostic, fix.edits, cwd)]
        result["properties"] = {"fix": {"message": fix.message, "applicability": fix.applicability}}
    return result


def render_sarif(
    diagnostics: Sequence[Diagnostic],
    rules: Sequence[RuleDoc] = (),
    *,
    cwd: str | None = None,
    locate: Locate | None = None,
) -> str:
    """The SARIF log for `diagnostics`, describing `rules` (every rule, found or not);
    `locate` finds notebook cells' code in the notebooks' files."""
    base = os.path.abspath(cwd if cwd is not None else os.getcwd())
    ordered = sorted(rules, key=lambda rule: rule.code)
    rule_index = {rule.code: index for index, rule in enumerate(ordered)}
    shown = sort_for_display(diagnostics, base)
    results = [_result(d, rule_index, base, locate) for _, d in shown]
    return _log(results, ordered, base)


def _log(results: list[dict[str, Any]], ordered: Sequence[RuleDoc], base: str, **run: Any) -> str:
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "seedlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": REPOSITORY_URL,
                        "rules": [rule_descriptor(rule) for rule in ordered],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": Path(base).as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
                **run,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# How a verify status shows in a SARIF viewer: what the run proved wrong is an error, what it
# proved harmless a note, what it never reached nothing.
_VERIFY_LEVEL = {"confirmed": "error", "missed-by-static": "error", "refuted": "note"}


def render_verify_sarif(
    entries: Sequence[Mapping[str, Any]], rules: Sequence[RuleDoc] = (), *, cwd: str | None = None
) -> str:
    """The SARIF log of `seedlint verify`: one result per entry (a static finding with its
    verify status, or a runtime observation no finding explains), each entry a mapping with
    `status`, `code` (None for runtime observations), `name`, `path`, `line`, `column`,
    `message` and `runtime` (the evidence, kept in the result's properties).  `rules`
    describes the codes and the runtime observations' names."""
    base = os.path.abspath(cwd if cwd is not None else os.getcwd())
    ordered = sorted(rules, key=lambda rule: rule.code)
    rule_index = {rule.code: index for index, rule in enumerate(ordered)}
    results = []
    for entry in entries:
        rule_id = entry["code"] or entry["name"]
        result: dict[str, Any] = {
            "ruleId": rule_id,
            "level": _VERIFY_LEVEL.get(entry["status"], "none"),
            "message": {"text": f"[{entry['status']}] {' '.join(entry['message'].split())}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(os.path.join(base, entry["path"]), base),
                        "region": {"startLine": entry["line"], "startColumn": entry["column"]},
                    }
                }
            ],
            "properties": {"verifyStatus": entry["status"], "runtime": entry["runtime"]},
        }
        if rule_id in rule_index:
            result["ruleIndex"] = rule_index[rule_id]
        results.append(result)
    return _log(results, ordered, base, automationDetails={"id": "seedlint-verify/"})
