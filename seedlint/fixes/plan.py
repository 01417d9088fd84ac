"""Which findings can be fixed, how, and with which applicability: the one place that decides.

The planner works on facts (`ModuleFacts`, diagnostics, options).  What only the syntax tree
can answer (is the seeding call a statement of its own? is every use of a RandomState
visible? which line carries a `# noqa`?) it asks a `Structure`:

* `FactsStructure` answers from the facts alone, optimistically where they are silent; it
  only lets `fix_source` and `describe_fixes` refuse early, without libcst, when the facts
  alone decide every refusal;
* `seedlint.fixes.cst_structure.CstStructure` answers exactly; every fix that `fix_source`
  makes and `describe_fixes` announces is planned with it (so both say the same).

The policy, per library ("group"), with G the module's calls of that library's global API:

* every call of G must move to the generator for the fix to keep the seed's meaning: when
  some stay (not passed in, `# noqa`, untranslatable), the seeding call stays for them and the
  generator gets a copy of its seed (only when the seed expression can be evaluated twice);
* one seeding call that is a statement of its own, before every use, in the module body, a
  function body or the main block, becomes the generator's constructor ("case B");
* one seeding call with a literal seed at module level (or in the main block) that comes
  after some draws: its seed moves up to a generator created after the imports ("case B'",
  stream-changing: the draws before it become seeded too);
* no seeding call: the generator is created after the imports ("case A"), unseeded unless
  `--seed N` (torch requires a seed: a CPU generator without one would be a silent change);
* for `random.Random` and `RandomState` (which can be reseeded), any other seeding layout
  becomes `rng.seed(...)` calls on a generator created after the imports ("case C").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..analysis.draws import global_draw_library
from ..analysis.facts import ApiCall, ModuleFacts
from ..diagnostics import Applicability, Diagnostic, Span
from ..knowledge import numpy_legacy_call, seeding_call, torch_call
from ..knowledge.numpy_legacy import RANDOMSTATE_METHODS
from ..knowledge.schema import NumpyLegacy
from .model import (
    NUMPY_GENERATOR,
    NUMPY_RANDOMSTATE,
    STDLIB,
    TORCH,
    Family,
    FixContext,
    FixOptions,
    Reason,
    Site,
    SiteAction,
    derive_seed,
)
from .structure import Block, Structure

__all__ = ["GroupPlan", "ModulePlan", "RandomStatePlan", "plan_module"]

# Legacy module functions without a RandomState method of the same name.
_RANDOMSTATE_ALIASES: dict[str, str] = {"ranf": "random_sample", "sample": "random_sample"}
# Seeding functions whose one argument a constructor can take.
_CARRIABLE_SEEDS: frozenset[str] = frozenset(
    {"numpy.random.seed", "random.seed", "torch.manual_seed"}
)
# torch APIs whose result lives where their tensor arguments live (not factories, not data).
_TORCH_FACTORIES: frozenset[str] = frozenset(
    {"torch.rand", "torch.randn", "torch.randint", "torch.randperm"}
)
# With generator=, these draw from it directly; without, they draw a seed from the default
# generator and build their own: the numbers differ even with the same seed (measured).
_TORCH_STREAM_CHANGING: frozenset[str] = frozenset(
    {"torch.utils.data.DataLoader", "torch.utils.data.RandomSampler"}
)
_CPU_DEVICES: frozenset[str] = frozenset(
    {"'cpu'", '"cpu"', "torch.device('cpu')", 'torch.device("cpu")'}
)


_IN_MODULE = "for the draws in this module that stay on the global generator"


@dataclass
class GroupPlan:
    family: Family
    sites: list[Site]
    applicability: Applicability
    seed_call: ApiCall | None = None  # case B: the call the constructor takes its seed from
    seed_replaced: bool = False  # case B: the constructor replaces it (else it stays)
    option_seed: int | None = None  # case A with --seed
    block: Block | None = None  # case B; None: module level after the imports
    # case B': the seeding call's literal seed moves up to a generator after the imports.
    hoisted: bool = False
    parameter_style: bool = False
    # Module-level sites exist (or case B/C need one generator): a generator is created.
    module_generator: bool = True
    # The seeding call stays (not replaced): why, in words (for the description).
    kept_because: str = ""
    # The seeding call stays and the new generator uses the same algorithm as the global
    # one: it gets a seed derived from the original (never two generators on one stream).
    derived: bool = False
    reseeded: bool = False  # some seeding calls become `gen.seed(...)` (case C)


@dataclass
class RandomStatePlan:
    site: Site
    methods: tuple[str, ...]


@dataclass
class ModulePlan:
    groups: list[GroupPlan] = field(default_factory=list)
    randomstates: list[RandomStatePlan] = field(default_factory=list)
    unfixed: list[tuple[Diagnostic, str]] = field(default_factory=list)

    def sites(self) -> dict[tuple[str, Span], tuple[Site, Applicability]]:
        """Every planned site and its applicability, keyed by its finding's (code, span)."""
        found: dict[tuple[str, Span], tuple[Site, Applicability]] = {}
        for group in self.groups:
            for site in group.sites:
                found[(site.diagnostic.code, site.diagnostic.span)] = (site, group.applicability)
        for rs in self.randomstates:
            found[(rs.site.diagnostic.code, rs.site.diagnostic.span)] = (rs.site, "stream-changing")
        return found


def _numpy_method(family: Family, entry: NumpyLegacy) -> str | None:
    """The method of the family's generator that replaces this legacy function by name."""
    if family.kind == "numpy-randomstate":
        name = _RANDOMSTATE_ALIASES.get(entry.name, entry.name)
        return name if name in RANDOMSTATE_METHODS else None
    return entry.generator_method if entry.role == "draw" else None


# --- planning -----------------------------------------------------------------------------


def _display(qualname: str) -> str:
    return "np." + qualname[6:] if qualname.startswith("numpy.") else qualname


def _global_calls(facts: ModuleFacts, library: str) -> list[ApiCall]:
    """Every call of the library's global API in the module (what a seed call serves)."""
    out: list[ApiCall] = []
    for call in facts.calls:
        if call.role in ("construct", "instance") or call.origin is not None:
            continue  # (a use of a deferred object repeats its construction)
        if library == "torch":
            if call.library == "torch" and (
                global_draw_library(call) == "torch"
                or (call.role != "draw" and not call.qualname.startswith("torch.cuda."))
            ):
                out.append(call)
        elif call.library == library:
            out.append(call)
        elif library == "numpy" and global_draw_library(call) == "numpy":
            out.append(call)  # a third-party call that falls back to numpy's global generator
    return out


def _global_api(qualname: str, library: str) -> bool:
    """Is `qualname` a function of the library's global generator (a draw or a seeding)?"""
    if library == "numpy":
        return numpy_legacy_call(qualname) is not None
    if library == "random":
        head, _, name = qualname.partition(".")
        return head == "random" and "." not in name and name[:1].islower()
    api = torch_call(qualname)
    return api is not None and (api.accepts_generator or qualname == "torch.manual_seed")


def _foreign_seeds(facts: ModuleFacts, library: str) -> list[ApiCall]:
    """Calls of ecosystem helpers (Lightning's seed_everything, transformers' set_seed...)
    that seed this library's global generator."""
    found: list[ApiCall] = []
    for call in facts.calls:
        if call.library == library or call.role not in ("seed", "state-write", "entropy"):
            continue
        helper = seeding_call(call.qualname)
        if helper is not None and library in helper.seeds:
            found.append(call)
    return found


def _is_seeding(call: ApiCall) -> bool:
    return call.role in ("seed", "state-write", "entropy")


def _seed_args(call: ApiCall) -> int:
    return call.n_positional + len(call.keywords) + (1 if call.has_star_args else 0)


class _Planner:
    def __init__(
        self,
        facts: ModuleFacts,
        options: FixOptions,
        structure: Structure,
        context: FixContext,
    ) -> None:
        self.facts = facts
        self.options = options
        self.structure = structure
        self.context = context
        self.plan = ModulePlan()

    def option_seed(self, library: str) -> int | None:
        """--seed N, derived for this module and library (distinct streams per module)."""
        if self.options.seed is None:
            return None
        return derive_seed(self.options.seed, self.context.module or self.facts.module, library)

    # -- per-site classification ------------------------------------------------------
    def classify(self, family: Family, diag: Diagnostic, call: ApiCall) -> Site | str:
        """The site's rewrite (seeding calls as `seed-method`), or why it has none."""
        if call.candidates > 1:
            return Reason.SEVERAL_CANDIDATES
        refusal = self.structure.site_refusal(family, call)
        if refusal:
            return refusal
        if family.library == "torch":
            return self._torch_refusal(call) or Site(diag, call, "draw")
        return self._method_site(family, diag, call)

    def _method_site(self, family: Family, diag: Diagnostic, call: ApiCall) -> Site | str:
        name = call.qualname.rsplit(".", 1)[1]
        reference = call.usage == "reference"
        action: SiteAction = "reference" if reference else "draw"
        if _is_seeding(call):
            action = "seed-method"
        if family.library == "random":
            return Site(diag, call, action, name)
        entry = numpy_legacy_call(call.qualname)
        if entry is None:
            return Reason.UNSUPPORTED_ARGS
        if family.kind == "numpy-randomstate":
            method = _numpy_method(family, entry)
            if method is None:
                return f"`{_display(call.qualname)}` has no RandomState method"
            return Site(diag, call, action, method)
        if call.qualname == "numpy.random.seed":
            # Only ever carried into the constructor (see _layout).
            return Site(diag, call, "seed-method", "seed")
        if _is_seeding(call) or entry.role != "draw" or entry.generator_method is None:
            return f"`{_display(call.qualname)}` has no call-for-call Generator equivalent"
        if reference:
            if entry.translation != "same_args" or entry.python_scalar_without_size:
                return Reason.NOT_A_CALL
            return Site(diag, call, "reference", entry.generator_method)
        if call.has_star_args:
            return Reason.STAR_ARGS
        translated = self.structure.numpy_translation(call)
        if translated is None:
            return Reason.UNSUPPORTED_ARGS
        method, wrap = translated
        if wrap and self.structure.int_shadowed():
            return Reason.INT_SHADOWED
        domain = self.structure.numpy_domain_risk(call)
        if domain:
            return domain
        return Site(diag, call, "draw", method)

    def _torch_refusal(self, call: ApiCall) -> str | None:
        api = torch_call(call.qualname)
        if api is None or not api.accepts_generator:
            return "this torch API takes no generator="
        device = call.keyword_value("device")
        if (
            device is not None
            and device not in _CPU_DEVICES
            and self.structure.name_value(call, device) not in _CPU_DEVICES
        ):
            return f"device={device} may not be the CPU: a CPU generator would fail there"
        if call.qualname.startswith("torch.utils.data."):
            return None
        if call.qualname in _TORCH_FACTORIES:
            if device is None and self.structure.changes_default_device():
                return Reason.DEFAULT_DEVICE
            return None
        if self.structure.mentions_devices():
            return Reason.TENSOR_DEVICE
        return None

    # -- descriptions -------------------------------------------------------------------
    def describe(self, group: GroupPlan, site: Site) -> str:
        """A one-line description; `{gen}` stands for the generator's name."""
        family = group.family
        kept = ""
        if group.seed_call is not None and not group.seed_replaced:
            kept = (
                f" (the seeding call on line {group.seed_call.span.line} stays, "
                f"{group.kept_because or 'for the draws that stay on the global generator'}"
                + (
                    "; the generator gets a seed derived from it, so that the two streams differ"
                    if group.derived
                    else ""
                )
                + ")"
            )
        option = ""
        if group.option_seed is not None and self.options.seed is not None:
            option = (
                f"seeded with {group.option_seed} (derived from --seed {self.options.seed} "
                "for this module: sha256 of 'seed:module:library')"
            )
        if family.library == "torch":
            return (
                "Pass `generator={gen}`, a `torch.Generator().manual_seed(seed)` "
                + (option or "seeded like the module's `torch.manual_seed(...)`")
                + kept
            )
        ctor = {
            "numpy-generator": "np.random.default_rng",
            "numpy-randomstate": "np.random.RandomState",
            "random": "random.Random",
        }[family.kind]
        if site.action == "seed-carried":
            if group.hoisted:
                return f"Remove: its seed moves to `{{gen}} = {ctor}(...)` after the imports"
            return f"Replace with `{{gen}} = {ctor}(...)`"
        parameter = group.parameter_style and self.structure.owner_function(site.call) is not None
        if parameter:
            where = (
                f"an `{{gen}}=None` parameter (the caller's generator, else the module's "
                f"`{ctor}(...)`)"
            )
        elif group.block is not None and group.block[0] != "module":
            where = f"a `{ctor}(seed)` created where the global generator was seeded"
        elif group.reseeded:
            where = f"a module-level `{ctor}()`, seeded where the global generator was"
        else:
            where = f"a module-level `{ctor}(seed)`"
        spelled = "{gen}." + site.method + ("" if site.action == "reference" else "(...)")
        if family.kind == "numpy-generator" and site.action == "draw":
            translated = self.structure.numpy_translation(site.call)
            if translated is not None and translated[1]:
                spelled = f"int({spelled})"
        text = f"Replace with `{spelled}` on {where}"
        if option:
            text += f", {option}"
        unseeded = group.seed_call is None and group.option_seed is None
        if unseeded and not group.reseeded:
            name = "numpy" if family.library == "numpy" else "random"
            text += f" ({name} is never seeded here: the generator stays unseeded; pass --seed N)"
        elif group.applicability == "stream-preserving":
            text += " (same numbers)"
        return text + kept

    # -- groups -------------------------------------------------------------------------
    def group(self, family: Family, found: list[tuple[Diagnostic, ApiCall]]) -> None:
        unfixed = self.plan.unfixed
        candidates: list[Site] = []
        for diag, call in found:
            result = self.classify(family, diag, call)
            if isinstance(result, str):
                unfixed.append((diag, result))
            else:
                candidates.append(result)
        if not any(s.action != "seed-method" for s in candidates):
            # Nothing to move: the seeding calls stay, for the draws that stay here or for
            # code elsewhere.
            draws_here = any(not _is_seeding(c) for c in _global_calls(self.facts, family.library))
            reason = Reason.SEED_KEPT if draws_here else Reason.NOTHING_TO_MOVE
            unfixed.extend((s.diagnostic, reason) for s in candidates)
            return
        decided = self._layout(family, candidates)
        if isinstance(decided, str):
            unfixed.extend((s.diagnostic, decided) for s in candidates)
            return
        group = decided
        chosen = {id(s.call) for s in group.sites}
        kept = Reason.SEED_KEPT
        if group.kept_because.startswith("because"):
            kept = f"kept {group.kept_because}"
        unfixed.extend((s.diagnostic, kept) for s in candidates if id(s.call) not in chosen)
        # Computed once: describing each site must not scan every site (linear in the file).
        group.reseeded = any(s.action == "seed-method" for s in group.sites)
        group.sites = [
            Site(s.diagnostic, s.call, s.action, s.method, self.describe(group, s))
            for s in group.sites
        ]
        if self.options.safe_only and group.applicability != "stream-preserving":
            unfixed.extend((s.diagnostic, Reason.SAFE_ONLY) for s in group.sites)
            return
        self.plan.groups.append(group)

    def _layout(self, family: Family, candidates: list[Site]) -> GroupPlan | str:
        """The group's plan, or why none of its findings can be fixed."""
        structure = self.structure
        everything = _global_calls(self.facts, family.library)
        seeds = [c for c in everything if _is_seeding(c)]
        by_call = {id(s.call): s for s in candidates}
        draws = [s for s in candidates if s.action != "seed-method"]
        draw_calls = [s.call for s in draws]
        # Every non-seeding call of the global API moves: nothing left relies on the seed.
        complete = all(id(c) in by_call for c in everything if not _is_seeding(c))
        kept_because = "" if complete else _IN_MODULE
        shared = (
            self.context.shared_reason(family.library)
            or structure.doctests()
            or (structure.untracked_torch_use() if family.library == "torch" else None)
            or self._escaping_alias(family.library)
        )
        if complete and shared:
            # Whole-program accounting: draws elsewhere share the global generator after
            # this seed; they would lose it, so it stays (and the numbers change).
            complete, kept_because = False, shared
        preserving: Applicability = "stream-preserving"
        if family.kind == "numpy-generator" or (
            family.library == "torch"
            and any(c.qualname in _TORCH_STREAM_CHANGING for c in draw_calls)
        ):
            preserving = "stream-changing"
        if not family.reseedable and any(c.role == "state-write" for c in seeds):
            return Reason.STATE_RESTORE
        foreign = _foreign_seeds(self.facts, family.library)
        if foreign:
            # `seed_everything(42)` seeds this library too: that seed has no value we could
            # hand to a generator, so a new one would silently be unseeded.
            if self.options.seed is None:
                first = foreign[0]
                return (
                    f"`{first.qualname}(...)` on line {first.span.line} seeds the global "
                    "generator: its seed cannot be carried over (pass --seed N)"
                )
            complete = False  # the helper still seeds the global generator for other code
            kept_because = kept_because or "for the code that relies on the seeding helper"
        why_not_b = ""

        # Case B: one seeding call becomes the constructor.
        if len(seeds) == 1 and seeds[0].role == "seed" and seeds[0].qualname in _CARRIABLE_SEEDS:
            seed = seeds[0]
            block = structure.seed_block(seed, draw_calls)
            if isinstance(block, str):
                why_not_b = (
                    f"`{_display(seed.qualname)}(...)` on line {seed.span.line} cannot seed "
                    f"the generator: {block}"
                )
            elif _seed_args(seed) > 1 or seed.has_star_args:
                why_not_b = Reason.SEED_EXTRA_ARGS
            else:
                if block[0] == "function":
                    hazard = structure.reentrancy(block[1])
                    if hazard and complete:
                        complete, kept_because = False, hazard
                seed_site = by_call.get(id(seed))
                # torch seeding calls are no findings of ours: they need no diagnostic, only
                # a line that may be edited.
                replaced = complete and (
                    seed_site is not None
                    or (family.library == "torch" and not structure.site_refusal(family, seed))
                )
                if not replaced and not structure.seed_duplicable(seed):
                    return Reason.SEED_NOT_DUPLICABLE
                derived = self._derivation(family, seed, replaced)
                if isinstance(derived, str):
                    return derived
                sites = list(draws)
                if replaced and seed_site is not None:
                    sites.append(Site(seed_site.diagnostic, seed, "seed-carried", "seed"))
                return GroupPlan(
                    family,
                    sites,
                    preserving if replaced else "stream-changing",
                    seed_call=seed,
                    seed_replaced=replaced,
                    block=block,
                    kept_because="" if replaced else kept_because,
                    derived=derived,
                )

        # Case B': the seed is a literal at module level, after some draws.  Creating the
        # generator after the imports with it seeds those draws too (so: stream-changing).
        if (
            why_not_b
            and not family.reseedable
            and len(seeds) == 1
            and _seed_args(seeds[0]) <= 1
            and structure.seed_hoistable(seeds[0])
        ):
            seed = seeds[0]
            reason = structure.module_anchor(family.library, draw_calls)
            if reason:
                return reason
            seed_site = by_call.get(id(seed))
            removable = structure.statement_removable(seed) and (
                seed_site is not None
                or (family.library == "torch" and not structure.site_refusal(family, seed))
            )
            replaced = complete and removable
            derived = self._derivation(family, seed, replaced)
            if isinstance(derived, str):
                return derived
            sites = list(draws)
            if replaced and seed_site is not None:
                sites.append(Site(seed_site.diagnostic, seed, "seed-carried", "seed"))
            return GroupPlan(
                family,
                sites,
                "stream-changing",
                seed_call=seed,
                seed_replaced=replaced,
                hoisted=True,
                kept_because="" if replaced else (kept_because or "because its line has a comment"),
                derived=derived,
            )

        # Case A: nothing seeds this library here.
        if not seeds:
            if family.library == "torch" and self.options.seed is None:
                return Reason.NO_SEED
            if shared and self.options.seed is None:
                # Code elsewhere in the program may seed the global generator these draws
                # use: an unseeded generator would make them irreproducible.
                return f"{Reason.NO_SEED}: the global generator is shared {shared}"
            parameter = self.options.fix_style == "parameter" and family.kind == "numpy-generator"
            module_sites = [
                c for c in draw_calls if not (parameter and structure.owner_function(c))
            ]
            reason = structure.module_anchor(family.library, module_sites)
            if reason:
                return reason
            # Unseeded here is not unseeded: whatever seeded the global generator elsewhere
            # reached these draws, and no longer does.  An invented seed changes them too.
            return GroupPlan(
                family,
                list(draws),
                "stream-changing",
                option_seed=self.option_seed(family.library),
                parameter_style=parameter,
                # Parameter style: the module's generator is the seeded fallback of every
                # function that gets a parameter (never `default_rng(None)` per call).
                module_generator=bool(module_sites) or parameter,
            )

        # Case C: a reseedable generator takes every seeding call as a method call.
        if family.reseedable:
            if not complete or any(id(c) not in by_call for c in seeds):
                return why_not_b or Reason.SEED_NOT_DUPLICABLE
            owners = {structure.owner_function(c) for c in draw_calls}
            for seed in seeds:
                owner = structure.owner_function(seed)
                if owner is not None and owner not in owners:
                    return f"`{_display(seed.qualname)}(...)` on line {seed.span.line} is " + (
                        Reason.SEED_HELPER
                    )
            reason = structure.module_anchor(family.library, [s.call for s in candidates])
            if reason:
                return reason
            return GroupPlan(family, list(candidates), preserving)
        if why_not_b:
            return why_not_b
        lines = ", ".join(str(c.span.line) for c in seeds)
        return f"several calls seed or reseed the global generator (lines {lines})"

    def _escaping_alias(self, library: str) -> str | None:
        """A module-level name bound to the library's global API (`sampler = np.random.rand`,
        or an imported `rand` that other modules import from here) lets other code draw from
        the global generator: that is not moved."""
        for name, target in sorted(self.facts.exports.items()):
            if not _global_api(target, library):
                continue
            imported_here = self.structure.bound_by_import(name)
            if (
                not imported_here
                or name in self.context.imported_names
                or self.context.star_imported
            ):
                return (
                    f"because `{name}` (bound to `{_display(target)}`) can be called from "
                    "other code, on the global generator"
                )
        return None

    def _derivation(self, family: Family, seed: ApiCall, replaced: bool) -> bool | str:
        """Whether the generator's seed must be derived from the seeding call's (it stays,
        and the generator uses the same algorithm), or why that cannot be done; torch seeds
        that are not int literals need int() as torch.manual_seed applies it."""
        literal = self.structure.seed_literal(seed)
        if family.library == "torch" and literal is None and self.structure.int_shadowed():
            return Reason.SEED_INT_SHADOWED
        if replaced or family.kind == "numpy-generator" or literal == "none":
            return False
        if family.kind == "numpy-randomstate" and literal is None:
            return Reason.KEPT_DUPLICATE
        return True

    # -- SDL102 -------------------------------------------------------------------------
    def randomstate(self, diag: Diagnostic, call: ApiCall) -> None:
        unfixed = self.plan.unfixed
        if self.options.numpy_target == "randomstate":
            unfixed.append((diag, Reason.ALREADY_TARGET))
            return
        if call.candidates > 1:
            unfixed.append((diag, Reason.SEVERAL_CANDIDATES))
            return
        uses = self.structure.randomstate_uses(call)
        if isinstance(uses, str):
            unfixed.append((diag, uses))
            return
        renames: list[str] = []
        for method in uses:
            entry = numpy_legacy_call(f"numpy.random.{method}")
            target = entry.generator_method if entry is not None and entry.role == "draw" else None
            if target is None or method in _RANDOMSTATE_ALIASES:
                unfixed.append(
                    (diag, f"`.{method}(...)` has no call-for-call Generator equivalent")
                )
                return
            if (
                entry is not None
                and entry.python_scalar_without_size
                and self.structure.int_shadowed()
            ):
                unfixed.append((diag, Reason.INT_SHADOWED))
                return
            if target != method and f"{method} -> {target}" not in renames:
                renames.append(f"{method} -> {target}")
        reason = self.structure.site_refusal(
            NUMPY_GENERATOR, call
        ) or self.structure.randomstate_domain_risk(call)
        if reason:
            unfixed.append((diag, reason))
            return
        text = "Replace with `np.random.default_rng(seed)`"
        if renames:
            text += " and rename its methods (" + ", ".join(renames) + ")"
        if self.options.safe_only:
            unfixed.append((diag, Reason.SAFE_ONLY))
            return
        self.plan.randomstates.append(RandomStatePlan(Site(diag, call, "draw", "", text), uses))


def match_calls(
    facts: ModuleFacts, diagnostics: Iterable[Diagnostic]
) -> tuple[dict[str, list[tuple[Diagnostic, ApiCall]]], list[tuple[Diagnostic, str]]]:
    """Each fixable diagnostic with the call it reports (by code and span)."""
    by_span: dict[Span, list[ApiCall]] = {}
    for call in facts.calls:
        by_span.setdefault(call.span, []).append(call)
    found: dict[str, list[tuple[Diagnostic, ApiCall]]] = {}
    missing: list[tuple[Diagnostic, str]] = []
    wanted = {"SDL101": "numpy", "SDL102": "numpy", "SDL103": "random", "SDL104": "torch"}
    for diag in diagnostics:
        library = wanted.get(diag.code)
        if library is None:
            continue
        match = None
        for call in by_span.get(diag.span, ()):
            if call.library != library:
                continue
            is_construct = call.role == "construct"
            if (diag.code == "SDL102") == (
                is_construct and call.qualname == "numpy.random.RandomState"
            ):
                if diag.code == "SDL102" or not is_construct:
                    match = call
                    break
        if match is None:
            missing.append((diag, Reason.NO_NODE))
        else:
            found.setdefault(diag.code, []).append((diag, match))
    return found, missing


def plan_module(
    facts: ModuleFacts,
    diagnostics: Iterable[Diagnostic],
    options: FixOptions,
    structure: Structure,
    context: FixContext | None = None,
) -> ModulePlan:
    """Decide, for every fixable diagnostic passed in, its fix or the reason it has none.
    `context`: what the rest of the program does with the global generators (None: the
    module is taken to be the whole program)."""
    planner = _Planner(facts, options, structure, context or FixContext(module=facts.module))
    found, missing = match_calls(facts, diagnostics)
    planner.plan.unfixed.extend(missing)
    numpy_family = NUMPY_RANDOMSTATE if options.numpy_target == "randomstate" else NUMPY_GENERATOR
    for code, family in (("SDL101", numpy_family), ("SDL103", STDLIB), ("SDL104", TORCH)):
        if code in found:
            planner.group(family, found[code])
    for diag, call in found.get("SDL102", []):
        planner.randomstate(diag, call)
    return planner.plan
