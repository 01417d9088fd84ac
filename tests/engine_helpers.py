"""One module on its own, through the layers the Workspace is built of (no files, no project,
no suppression): for unit tests of rules and fixes.  Front-end behaviour is tested through
`seedlint.workspace.Workspace` and the CLI."""

from __future__ import annotations

from collections.abc import Sequence

from seedlint.analysis.extract import extract_facts
from seedlint.analysis.facts import ModuleFacts
from seedlint.diagnostics import Diagnostic, Fix
from seedlint.fixes import FixOptions, FixOutcome, describe_fixes
from seedlint.fixes import fix_source as _fix_source
from seedlint.rules import run_rules
from seedlint.settings import Settings
from seedlint.workspace import protected_findings


def analyze(text: str, path: str = "<stdin>") -> ModuleFacts:
    return extract_facts(text, path)


def check_source(
    text: str, path: str = "<stdin>", settings: Settings | None = None
) -> list[Diagnostic]:
    settings = settings or Settings()
    facts = extract_facts(text, path, python=settings.target_version)
    return run_rules({path: facts}, [path], settings)[path]


def fix_source(
    text: str, path: str, diagnostics: Sequence[Diagnostic], options: FixOptions
) -> FixOutcome:
    """Fix `diagnostics` only: the module's other fixable findings are protected."""
    facts = extract_facts(text, path)
    protected = protected_findings(facts, diagnostics, Settings())
    return _fix_source(text, facts, diagnostics, options, protected)


def describe_fix(
    diagnostic: Diagnostic,
    facts: ModuleFacts,
    options: FixOptions | None = None,
    *,
    text: str,
    every: Sequence[Diagnostic] | None = None,
) -> Fix | None:
    """What fixing every fixable finding of the module (`every`, default: all of them) would
    do for `diagnostic`."""
    if every is None:
        every = run_rules({facts.path: facts}, [facts.path], Settings())[facts.path]
    protected = protected_findings(facts, every, Settings())
    fixes = describe_fixes(facts, every, options, text=text, protected=protected)
    return fixes.get((diagnostic.code, diagnostic.span))
