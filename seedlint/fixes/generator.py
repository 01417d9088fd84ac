"""Creating each group's generator: its name, where it goes, what seeds it.

* case B: the seeding call's statement becomes `rng = <ctor>(<seed>)` (or, when the call must
  stay for other global draws, that assignment is inserted right after it);
* case A/C: `rng = <ctor>(<--seed or nothing>)` after the imports (inside the `try:` body
  when numpy is imported there: an optional dependency stays optional);
* case B': the same, seeded with the literal of a later module-level seeding call, which is
  deleted when nothing else needs it;
* parameter style: each drawing function gets `rng=None` and `rng = <ctor>(rng)` first.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from .cst_index import CstIndex
from .cst_structure import CstStructure, _number
from .edits import EditSet, name_mentions
from .model import Family, FixContext, Site, derive_seed
from .names import Imports, fresh_name
from .plan import GroupPlan

__all__ = ["place_generators"]

SiteWriter = Callable[[Site, str], None]


def _constructor_call(family: Family, ctor: str, seed: cst.BaseExpression | None) -> cst.Call:
    if family.library == "torch" and seed is not None and not isinstance(_number(seed), int):
        # torch.manual_seed(s) applies int(s) (numpy integers, floats, strings);
        # Generator.manual_seed takes only an int.
        seed = cst.Call(cst.Name("int"), [cst.Arg(seed.with_changes(lpar=[], rpar=[]))])
    args = [cst.Arg(seed)] if seed is not None else []
    if family.library == "torch":
        # torch.Generator() takes no seed: `torch.Generator().manual_seed(s)` returns it seeded.
        made = cst.Call(func=cst.parse_expression(ctor))
        return cst.Call(func=cst.Attribute(made, cst.Name("manual_seed")), args=args)
    return cst.Call(func=cst.parse_expression(ctor), args=args)


def _derived_seed(
    family: Family, seed: cst.BaseExpression | None, module: str
) -> cst.BaseExpression | None:
    """A seed derived from the one the kept seeding call uses, for a generator of the same
    algorithm (so that it does not replay the global generator's stream)."""
    if seed is None or (isinstance(seed, cst.Name) and seed.value == "None"):
        return seed
    value = _number(seed)
    if isinstance(value, int):
        return cst.Integer(str(derive_seed(value, module, family.library)))
    spelled = cst.Module([]).code_for_node(seed)
    if family.library == "torch":
        salt = derive_seed("", module, family.library) & 0x7FFFFFFF
        # Flipping low bits keeps the value in the range manual_seed accepts.
        return cst.parse_expression(f"int({spelled}) ^ {salt}")
    # random.Random hashes a str seed (sha512): deterministic, and another stream.
    return cst.parse_expression(f'f"{{{spelled}}}:{module}"')


def _assign(name: str, value: cst.BaseExpression) -> cst.Assign:
    return cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=value)


def _seed_value(call: cst.Call) -> cst.BaseExpression | None:
    return call.args[0].value if call.args else None


def _function_names(func: cst.FunctionDef) -> set[str]:
    return set(name_mentions(func)) | {p.name.value for p in _all_params(func.params)}


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for extra in (params.star_arg, params.star_kwarg):
        if isinstance(extra, cst.Param):
            found.append(extra)
    return found


def place_generators(
    group: GroupPlan,
    structure: CstStructure,
    edits: EditSet,
    imports: Imports,
    taken: set[str],
    write_site: SiteWriter,
    context: FixContext,
) -> dict[int, str]:
    """Create the group's generator(s) and rewrite its sites; returns call id -> the name
    of the generator that call now uses."""
    index = structure.index
    family = group.family
    used: dict[int, str] = {}
    # Names a `from <module> import *` elsewhere would export (and so overwrite the
    # importer's own) start with an underscore; so does the parameter style's fallback.
    private = context.star_imported or group.parameter_style
    base = ("_" if private else "") + family.default_name

    if group.block is not None:
        name = _block_generator(group, structure, edits, imports, taken, context, base)
        for site in group.sites:
            used[id(site.call)] = name
            if site.action != "seed-carried":
                write_site(site, name)
        return used

    # Parameters are local to their functions, where the module-level generator is not used:
    # they need not avoid its name (but later generators must avoid theirs).
    before = set(taken)
    module_name = ""
    if group.module_generator:
        module_sites = [
            s.call
            for s in group.sites
            if not (group.parameter_style and structure.owner_function(s.call) is not None)
        ]
        anchor = structure.anchor(family.library, module_sites)
        assert not isinstance(anchor, str), anchor
        module_name = fresh_name(base, taken)
        taken.add(module_name)
        ctor = imports.spell(family.constructor, anchor.after)
        seed: cst.BaseExpression | None = None
        if group.option_seed is not None:
            seed = cst.parse_expression(str(group.option_seed))
        elif group.hoisted:
            seed = _hoist_seed(group, structure, edits)
            if group.derived:
                seed = _derived_seed(family, seed, context.module)
        blank = [cst.EmptyLine()] if isinstance(anchor.container, cst.Module) else []
        line = cst.SimpleStatementLine(
            [_assign(module_name, _constructor_call(family, ctor, seed))], leading_lines=blank
        )
        edits.insert_after(anchor.after, line)

    parameters: dict[str, str] = {}
    for site in group.sites:
        key = structure.owner_function(site.call) if group.parameter_style else None
        if key is None:
            name = module_name
        elif key in parameters:
            name = parameters[key]
        else:
            name = _parameter_generator(index, key, group, edits, imports, before, module_name)
            parameters[key] = name
        used[id(site.call)] = name
        if site.action != "seed-carried":  # that statement is gone (_hoist_seed)
            write_site(site, name)
    # Generators created later (other libraries) must not be shadowed by these parameters.
    taken.update(parameters.values())
    return used


def _hoist_seed(
    group: GroupPlan, structure: CstStructure, edits: EditSet
) -> cst.BaseExpression | None:
    """Case B': the literal seed of the module-level seeding call (which is deleted when
    nothing else needs it)."""
    assert group.seed_call is not None
    found = structure.seed_statement(group.seed_call)
    assert found is not None
    expr, line = found
    call = expr.value
    assert isinstance(call, cst.Call)
    if group.seed_replaced:
        edits.removed.update(name_mentions(call.func))
        edits.keep.extend((expr, line))
        if len(line.body) == 1:
            edits.removed_lines.add(id(line))
        else:
            edits.smalls[id(expr)] = cst.RemovalSentinel.REMOVE
    return _seed_value(call)


def _block_generator(
    group: GroupPlan,
    structure: CstStructure,
    edits: EditSet,
    imports: Imports,
    taken: set[str],
    context: FixContext,
    base: str,
) -> str:
    """Case B: the generator takes the seeding call's place (or follows it)."""
    assert group.seed_call is not None and group.block is not None
    found = structure.seed_statement(group.seed_call)
    assert found is not None
    expr, line = found
    call = expr.value
    assert isinstance(call, cst.Call)
    # In a function, the generator is local: no star import sees it.
    name = fresh_name(group.family.default_name if group.block[0] == "function" else base, taken)
    taken.add(name)
    limit = None if group.block[0] == "function" else line
    ctor = imports.spell_near(group.family.constructor, limit, call.func)
    seed = _seed_value(call)
    if group.derived:
        seed = _derived_seed(group.family, seed, context.module)
    value = _constructor_call(group.family, ctor, seed)
    if group.seed_replaced:
        edits.removed.update(name_mentions(call.func))
        edits.keep.append(expr)
        edits.smalls[id(expr)] = _assign(name, value).with_changes(semicolon=expr.semicolon)
    else:
        edits.insert_after(line, cst.SimpleStatementLine([_assign(name, value)]))
    return name


def _parameter_generator(
    index: CstIndex,
    key: str,
    group: GroupPlan,
    edits: EditSet,
    imports: Imports,
    taken: set[str],
    fallback: str,
) -> str:
    """Parameter style: `def f(..., rng=None):` and, first thing,
    `rng = _rng if rng is None else np.random.default_rng(rng)`: the caller's generator (or
    seed), else the module's seeded one (never fresh entropy on every call)."""
    func = index.function_by_key(key)
    assert func is not None
    name = fresh_name(group.family.default_name, taken | _function_names(func) | {fallback})
    ctor = imports.spell(group.family.constructor, None)
    value = cst.IfExp(
        test=cst.Comparison(cst.Name(name), [cst.ComparisonTarget(cst.Is(), cst.Name("None"))]),
        body=cst.Name(fallback),
        orelse=_constructor_call(group.family, ctor, cst.Name(name)),
    )
    edits.added[fallback] += 1
    first = cst.SimpleStatementLine([_assign(name, value)])
    edits.keep.append(func)
    if id(func) in edits.params:  # another group already adds a parameter here
        raise AssertionError("one parameter-style group per function")
    edits.params[id(func)] = (name, [first])
    return name
