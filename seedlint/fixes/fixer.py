"""`fix_source` (text in, rewritten text out) and `describe_fix` (what a fix would do)."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence

import libcst as cst

from ..analysis.facts import ModuleFacts
from ..diagnostics import Applicability, Diagnostic, Fix
from .cst_index import CstIndex
from .cst_structure import CstStructure
from .edits import EditSet, apply_edits
from .generator import place_generators
from .model import FIXABLE_CODES, AppliedFix, FixOptions, FixOutcome, Reason, Site
from .names import Imports, plan_import_removals
from .numpy_rewrite import rewrite_numpy_site, rewrite_randomstate
from .plan import GroupPlan, ModulePlan, plan_module
from .stdlib_rewrite import rewrite_stdlib_site
from .structure import FactsStructure
from .torch_rewrite import rewrite_torch_site

__all__ = ["describe_fix", "fix_source"]


def _unchanged(text: str, diagnostics: Sequence[Diagnostic], reason: str) -> FixOutcome:
    return FixOutcome(text, [], [(d, reason) for d in diagnostics])


def _compiles(text: str, path: str) -> bool:
    try:
        compile(text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def fix_source(
    text: str, path: str, diagnostics: list[Diagnostic], options: FixOptions
) -> FixOutcome:
    """Rewrite `text` so that the fixable findings among `diagnostics` go away.

    Only the diagnostics passed in are fixed (and lines carrying a finding that was not passed
    in, or a `# noqa` comment, are never modified).  The result always compiles when the input
    did: otherwise the input comes back unchanged, every finding in `remaining`."""
    from ..engine import analyze

    fixable = sorted((d for d in diagnostics if d.code in FIXABLE_CODES), key=Diagnostic.sort_key)
    if not fixable:
        return FixOutcome(text)
    facts = analyze(text, path)
    if facts.syntax_error is not None:
        return _unchanged(text, fixable, Reason.DOES_NOT_PARSE)
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError):
        return _unchanged(text, fixable, Reason.LIBCST_PARSE)
    try:
        outcome = _rewrite(text, path, facts, fixable, options, module)
    except RecursionError:
        return _unchanged(text, fixable, Reason.LIBCST_PARSE)
    if outcome.new_text != text and not _compiles(outcome.new_text, path) and _compiles(text, path):
        return _unchanged(text, fixable, Reason.INVALID)
    return outcome


def _rewrite(
    text: str,
    path: str,
    facts: ModuleFacts,
    fixable: list[Diagnostic],
    options: FixOptions,
    module: cst.Module,
) -> FixOutcome:
    index = CstIndex(text, facts, fixable, module)
    structure = CstStructure(index)
    plan = plan_module(facts, fixable, options, structure)
    if not plan.groups and not plan.randomstates:
        return FixOutcome(text, [], sorted(plan.unfixed, key=lambda r: r[0].sort_key()))
    edits = EditSet()
    taken = set(index.mentions) | index.bound_names
    imports = Imports(index, edits, taken)
    applied: list[AppliedFix] = []
    for group in plan.groups:
        writer = _site_writer(group, index, edits)
        used = place_generators(group, structure, edits, imports, taken, writer)
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
    plan_import_removals(index, edits, path)
    new_text = apply_edits(module, edits).code
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


# --- describe_fix ---------------------------------------------------------------------------

_cache: tuple[weakref.ref[ModuleFacts], FixOptions, str | None, ModulePlan | None] | None = None


def _facts_plan(facts: ModuleFacts, options: FixOptions, text: str | None) -> ModulePlan | None:
    """The plan for every fixable finding of the module, as if all were being fixed: from
    the facts alone, or exact (the syntax tree of `text`) when the text is given."""
    global _cache
    cached = _cache
    if cached is not None and cached[0]() is facts and cached[1] == options and cached[2] == text:
        return cached[3]
    from ..engine import check_modules
    from ..settings import Settings

    settings = Settings(select=tuple(sorted(FIXABLE_CODES)))
    diagnostics = check_modules({facts.path: facts}, [facts.path], settings).get(facts.path, [])
    plan: ModulePlan | None
    if text is None:
        plan = plan_module(facts, diagnostics, options, FactsStructure(facts))
    else:
        try:
            module = cst.parse_module(text)
            structure = CstStructure(CstIndex(text, facts, diagnostics, module))
            plan = plan_module(facts, diagnostics, options, structure)
        except (cst.ParserSyntaxError, RecursionError):
            plan = None
    _cache = (weakref.ref(facts), options, text, plan)
    return plan


def describe_fix(
    diagnostic: Diagnostic,
    facts: ModuleFacts,
    options: FixOptions | None = None,
    *,
    text: str | None = None,
) -> Fix | None:
    """What `--fix` would do for this diagnostic (message and applicability, no edits), or
    None when it has no fix; decided by the same planner as `fix_source`.

    Without `text` it is cheap (facts only, no libcst) and may be optimistic: what only the
    syntax tree shows (a `# noqa` line, a RandomState passed on, a function used as a value)
    can make `fix_source` refuse a fix announced here, or leave the seeding call in place and
    so make an announced stream-preserving fix stream-changing.  A fix `fix_source` applies
    is always announced.  With the module's `text` (a libcst parse) it is exact."""
    if diagnostic.code not in FIXABLE_CODES or facts.syntax_error is not None:
        return None
    plan = _facts_plan(facts, options or FixOptions(), text)
    found = plan.site_for(diagnostic) if plan is not None else None
    if found is None:
        return None
    site, applicability = found
    default = "g" if diagnostic.code == "SDL104" else "rng"
    return Fix(site.description.format(gen=default), applicability)
