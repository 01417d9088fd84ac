"""`seedlint --fix`: rewrite global random calls to explicit, seeded generators.

Public API (the CLI's `--fix`, `--diff`, `--safe-only`, `--numpy-target`, `--fix-style` and
`--seed` map onto it):

* `fix_source(text, facts, diagnostics, options, protected=()) -> FixOutcome`
* `describe_fixes(facts, diagnostics, options=None, *, text, protected=(), context=None)`
  -> the `Fix` (message, applicability) that `fix_source` makes for each fixable diagnostic
  (metadata for JSON output)
* `write_atomically(path, text, like)`

Modules: `plan` decides (the only place that does), asking `structure.Structure` what it
needs to know about syntax (`structure.FactsStructure` from facts, only to refuse early
without libcst; `cst_structure.CstStructure` from the libcst tree indexed by `cst_index`);
`generator` places generators; `numpy_rewrite`/`stdlib_rewrite`/`torch_rewrite` rewrite call
sites; `names` allocates names and imports; `edits` applies everything in one libcst pass;
`atomic` writes files.  `layout` finds the top-level statements the plan needs (with `ast`)
and summarises the others; `pieces` parses only those with libcst and splices the changed
ones' code back between the untouched text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .atomic import SourceInfo, write_atomically
from .model import FIXABLE_CODES, AppliedFix, FixContext, FixOptions, FixOutcome, Reason

if TYPE_CHECKING:
    from .fixer import describe_fixes, fix_source


def __getattr__(name: str) -> Any:
    # The planner needs libcst (~0.2 s to import); checking does not.  So `seedlint check`
    # and the flake8 plugin, which import this package for FIXABLE_CODES and FixOptions,
    # load it only when a fix is planned or described.
    if name in ("describe_fixes", "fix_source"):
        from . import fixer

        return getattr(fixer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FIXABLE_CODES",
    "AppliedFix",
    "FixContext",
    "FixOptions",
    "FixOutcome",
    "Reason",
    "SourceInfo",
    "describe_fixes",
    "fix_source",
    "write_atomically",
]
