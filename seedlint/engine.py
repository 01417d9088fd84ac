"""The one core every integration calls: text in, diagnostics out.

* `check_source(text, path, settings)`: one module on its own (flake8 plugin, quick checks).
* `check_project(sources, report_on, settings)`: several modules analysed together, so that a
  seeding helper in one file counts for a program in another; diagnostics only for `report_on`.

Neither reads files nor applies `# noqa`: the driver (`seedlint.driver`) decodes bytes, and
suppression is applied by `seedlint.noqa` after the rules ran, the same way for every caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .analysis.facts import ModuleFacts
from .diagnostics import Diagnostic
from .settings import Settings


def analyze(text: str, path: str, module: str | None = None) -> ModuleFacts:
    """Parse `text` and extract its facts; a syntax error is recorded, never raised."""
    from .analysis.extract import extract_facts

    return extract_facts(text, path, module)


def check_modules(
    facts: Mapping[str, ModuleFacts], report_on: Iterable[str], settings: Settings
) -> dict[str, list[Diagnostic]]:
    """Run every enabled rule over already-extracted facts; keys are paths."""
    from .rules import run_rules

    return run_rules(facts, report_on, settings)


def check_source(
    text: str, path: str = "<stdin>", settings: Settings | None = None
) -> list[Diagnostic]:
    settings = settings or Settings()
    facts = analyze(text, path)
    return check_modules({path: facts}, [path], settings).get(path, [])


def check_project(
    sources: Mapping[str, str], report_on: Iterable[str], settings: Settings | None = None
) -> dict[str, list[Diagnostic]]:
    """`sources` maps path -> text for every module of the project (dotted names are derived
    from the paths); diagnostics are returned for the paths in `report_on` only."""
    from .analysis.modules import module_name_for

    settings = settings or Settings()
    facts = {path: analyze(text, path, module_name_for(path)) for path, text in sources.items()}
    return check_modules(facts, report_on, settings)
