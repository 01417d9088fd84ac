"""`fix_source` (text in, rewritten text out) and `describe_fixes` (what fixes would do).

Both are handed the module's facts and the findings to fix (and to protect): they never run
the linter themselves and keep no state between calls."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from ..analysis import compat_parse
from ..analysis.facts import ModuleFacts
from ..diagnostics import Applicability, Diagnostic, Fix, Span
from .cst_index import CstIndex
from .cst_structure import CstStructure
from .edits import EditSet
from .generator import place_generators
from .model import FIXABLE_CODES, AppliedFix, FixContext, FixOptions, FixOutcome, Reason, Site
from .names import Imports, plan_import_removals
from .numpy_rewrite import rewrite_numpy_site, rewrite_randomstate
from .pieces import build_index, render
from .plan import GroupPlan, ModulePlan, plan_module
from .stdlib_rewrite import rewrite_stdlib_site
from .structure import FactsStructure
from .torch_rewrite import rewrite_torch_site

__all__ = ["describe_fixes", "fix_source"]


def _unchanged(text: str, diagnostics: Sequence[Diagnostic], reason: str) -> FixOutcome:
    return FixOutcome(text, [], [(d, reason) for d in diagnostics])


def _compiles(text: str, path: str) -> bool:
    # Some supported Python (3.10-3.14) compiles it, whichever runs seedlint.
    return compat_parse.accepts(text, path)


def fix_source(
    text: str,
    facts: ModuleFacts,
    diagnostics: Sequence[Diagnostic],
    options: FixOptions,
    protected: Sequence[Diagnostic] = (),
    context: FixContext | None = None,
) -> FixOutcome:
    """Rewrite `text` (whose facts are `facts`) so that the fixable findings among
    `diagnostics` go away.  `context`: what the rest of the program does with the global
    generators (from the Workspace's cross-file facts; None: the module is the program).

    Only the diagnostics passed in are fixed; lines carrying one of the `protected` findings
    (suppressed or deselected by the caller) or a `# noqa` comment are never modified.  The
    result always compiles when the input did: otherwise the input comes back unchanged,
    every finding in `remaining`."""
    fixable = sorted((d for d in diagnostics if d.code in FIXABLE_CODES), key=Diagnostic.sort_key)
    if not fixable:
        return FixOutcome(text)
    if facts.syntax_error is not None:
        return _unchanged(text, fixable, Reason.DOES_NOT_PARSE)
    context = context or FixContext(module=facts.module)
    refused = _refused_by_facts(facts, fixable, options, context)
    if refused is not None:
        return FixOutcome(text, [], refused)
    try:
        index = _index(text, facts, fixable, protected, options)
        if index is None:
            return _unchanged(text, fixable, Reason.LIBCST_PARSE)
        outcome = _rewrite(text, facts, fixable, options, index, context)
    except RecursionError:
        return _unchanged(text, fixable, Reason.LIBCST_PARSE)
    path = facts.path
    if outcome.new_text != text and not _compiles(outcome.new_text, path) and _compiles(text, path):
        return _unchanged(text, fixable, Reason.INVALID)
    return outcome


# Reasons the facts alone decide, whatever the syntax tree would add: when the facts-only plan
# refuses every finding for one of these, no libcst state is built (most files with findings
# and nothing fixable: an unseeded torch draw, a draw no generator= reaches...).
_FACTS_DECIDED = (
    Reason.NO_SEED,
    Reason.SEVERAL_CANDIDATES,
    Reason.STATE_RESTORE,
    "this torch API takes no generator=",
)


def _refused_by_facts(
    facts: ModuleFacts,
    fixable: list[Diagnostic],
    options: FixOptions,
    context: FixContext,
) -> list[tuple[Diagnostic, str]] | None:
    plan = plan_module(facts, fixable, options, FactsStructure(facts), context)
    if plan.groups or plan.randomstates:
        return None
    if not all(reason.startswith(_FACTS_DECIDED) for _, reason in plan.unfixed):
        return None
    return sorted(plan.unfixed, key=lambda r: r[0].sort_key())


def _index(
    text: str,
    facts: ModuleFacts,
    fixable: Sequence[Diagnostic],
    protected: Sequence[Diagnostic],
    options: FixOptions,
) -> CstIndex | None:
    # The parameter style makes new indented blocks, in the module's default indentation,
    # which only the whole module's parse knows.
    whole = options.fix_style == "parameter"
    return build_index(text, facts, protected, fixable, whole=whole)


def _rewrite(
    text: str,
    facts: ModuleFacts,
    fixable: list[Diagnostic],
    options: FixOptions,
    index: CstIndex,
    context: FixContext,
) -> FixOutcome:
    structure = CstStructure(index)
    plan = plan_module(facts, fixable, options, structure, context)
    if not plan.groups and not plan.randomstates:
        return FixOutcome(text, [], sorted(plan.unfixed, key=lambda r: r[0].sort_key()))
    edits = EditSet()
    taken = set(index.mentions) | index.bound_names
    imports = Imports(index, edits, taken)
    applied: list[AppliedFix] = []
    for group in plan.groups:
        writer = _site_writer(group, index, edits)
        used = place_generators(group, structure, edits, imports, taken, writer, context)
        for site in group.sites:
            description = site.description.format(gen=used[id(site.call)])
            applied.append(_applied(site, group.applicability, description))
    for rs in plan.randomstates:
        construction = index.node_for(rs.site.call)
        assert isinstance(construction, cst.Call)
        owner = index.owner_function(construction)
        limit = None if owner is not None else index.statement_of(construction)
        ctor = imports.spell("numpy.random.default_rng", limit)
        methods = structure.randomstate_calls[id(rs.site.call)]
        rewrite_randomstate(index, edits, construction, methods, ctor)
        applied.append(_applied(rs.site, "stream-changing", rs.site.description))
    plan_import_removals(index, edits, facts.path, context.imported_names, context.star_imported)
    new_text = render(index, edits)
    applied.sort(key=lambda a: (a.line, a.code))
    remaining = sorted(plan.unfixed, key=lambda r: r[0].sort_key())
    return FixOutcome(new_text, applied, remaining)


def _applied(site: Site, applicability: Applicability, description: str) -> AppliedFix:
    return AppliedFix(site.diagnostic.code, site.diagnostic.line, applicability, description)


def _site_writer(group: GroupPlan, index: CstIndex, edits: EditSet) -> Callable[[Site, str], None]:
    family = group.family

    def write(site: Site, generator: str) -> None:
        if family.library == "torch":
            rewrite_torch_site(index, edits, site, generator)
        elif family.library == "random":
            rewrite_stdlib_site(index, edits, site, generator)
        else:
            rewrite_numpy_site(index, edits, site, generator, family.kind == "numpy-generator")

    return write


# --- describe_fixes -------------------------------------------------------------------------


def describe_fixes(
    facts: ModuleFacts,
    diagnostics: Sequence[Diagnostic],
    options: FixOptions | None = None,
    *,
    text: str,
    protected: Sequence[Diagnostic] = (),
    context: FixContext | None = None,
) -> dict[tuple[str, Span], Fix]:
    """What `fix_source` would do for each of the module's `diagnostics` that it can fix,
    keyed by (code, span): message and applicability, no edits.  Decided by the same planner
    with the same inputs (the module's `text`, the findings to fix and to protect, the
    program context), so that what is announced is exactly what `--fix` applies.  (There is
    no facts-only answer: it promised fixes that the syntax tree then refused.)"""
    fixable = sorted((d for d in diagnostics if d.code in FIXABLE_CODES), key=Diagnostic.sort_key)
    if not fixable or facts.syntax_error is not None:
        return {}
    options = options or FixOptions()
    if _refused_by_facts(facts, fixable, options, context or FixContext(module=facts.module)):
        return {}  # as fix_source: nothing to fix, decided without libcst
    plan: ModulePlan
    try:
        index = _index(text, facts, fixable, protected, options)
        if index is None:
            return {}
        structure = CstStructure(index)
        plan = plan_module(facts, fixable, options, structure, context)
    except (cst.ParserSyntaxError, RecursionError):
        return {}
    described: dict[tuple[str, Span], Fix] = {}
    for key, (site, applicability) in plan.sites().items():
        default = "g" if key[0] == "SDL104" else "rng"
        described[key] = Fix(site.description.format(gen=default), applicability)
    return described
