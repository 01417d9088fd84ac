"""`seedlint --fix`: rewrite global random calls to explicit, seeded generators.

Public API (the CLI's `--fix`, `--diff`, `--safe-only`, `--numpy-target`, `--fix-style` and
`--seed` map onto it):

* `fix_source(text, facts, diagnostics, options, protected=()) -> FixOutcome`
* `describe_fixes(facts, diagnostics, options=None, *, text=None, protected=())` -> the
  `Fix` (message, applicability) of each fixable diagnostic (metadata for JSON output)
* `write_atomically(path, text, like)`

Modules: `plan` decides (the only place that does), asking `structure.Structure` what it
needs to know about syntax (`structure.FactsStructure` from facts, `cst_structure.CstStructure`
from the libcst tree indexed by `cst_index`); `generator` places generators;
`numpy_rewrite`/`stdlib_rewrite`/`torch_rewrite` rewrite call sites; `names` allocates names
and imports; `edits` applies everything in one libcst pass; `atomic` writes files.
"""

from __future__ import annotations

from .atomic import SourceInfo, write_atomically
from .fixer import describe_fixes, fix_source
from .model import FIXABLE_CODES, AppliedFix, FixContext, FixOptions, FixOutcome, Reason

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
