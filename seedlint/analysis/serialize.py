"""ModuleFacts <-> plain JSON values, for the on-disk cache.

Compact positional lists rather than dicts: the cache of a large project holds tens of
thousands of calls and is loaded on every warm run.  `FORMAT` changes whenever the shape
changes, so an old cache entry is simply a miss.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import Span
from .facts import ApiCall, FunctionFacts, ModuleFacts, SeedArg

# 7: a notebook (.ipynb) is read as the program of its code cells (keys of its bytes would
# otherwise find the SDL900 facts of reading its JSON as Python); diagnostics carry `cell`.
# 8: deferred draws (`origin`, `train_only`), class bases, named-constant seeds (issue 10).
# 9: call nodes carry argument classes, vcall/pcall/spawn nodes, `attr_params`, `star_imports`
# (issue 10).
# 10: "loader" nodes (a DataLoader's dataset run in this process or in workers), "fn" call
# arguments (functions passed by name), event-loop callbacks (issue 10).
# 11: constant call arguments ("const", "option", "given"), branch tests on parameters and
# the parameters' literal defaults (`FunctionFacts.values`); "loader" nodes carry
# `worker_init_fn` and may name a parameter as the dataset (issue 10).
FORMAT = 11


def _call_to(c: ApiCall) -> list[Any]:
    s = c.span
    seed = (
        None if c.seed is None else [c.seed.kind, c.seed.text, list(c.seed.names), c.seed.constant]
    )
    return [
        [s.line, s.column, s.end_line, s.end_column],
        c.qualname,
        c.library,
        c.role,
        c.usage,
        list(c.keywords),
        c.n_positional,
        c.has_star_args,
        seed,
        c.scope,
        c.loop_depth,
        list(c.loop_assigned),
        c.target,
        c.param_default,
        [list(kv) for kv in c.keyword_values],
        c.candidates,
        c.star_kwargs,
        c.is_argument,
        c.origin,
        c.train_only,
    ]


def _call_from(v: list[Any]) -> ApiCall:
    seed = None if v[8] is None else SeedArg(v[8][0], v[8][1], tuple(v[8][2]), v[8][3])
    return ApiCall(
        span=Span(*v[0]),
        qualname=v[1],
        library=v[2],
        role=v[3],
        usage=v[4],
        keywords=tuple(v[5]),
        n_positional=v[6],
        has_star_args=v[7],
        seed=seed,
        scope=v[9],
        loop_depth=v[10],
        loop_assigned=tuple(v[11]),
        target=v[12],
        param_default=v[13],
        keyword_values=tuple((k, val) for k, val in v[14]),
        candidates=v[15],
        star_kwargs=v[16],
        is_argument=v[17],
        origin=v[18],
        train_only=v[19],
    )


def facts_to_json(f: ModuleFacts) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "module": f.module,
        "calls": [_call_to(c) for c in f.calls],
        "toplevel": f.toplevel,
        "main": f.main_block,
        "functions": [
            [
                fn.qualname,
                fn.line,
                list(fn.params),
                list(fn.decorators),
                fn.autouse_fixture,
                fn.is_fixture,
                fn.flow,
                *([[n if d is None else [n, d] for n, d in fn.values]] if fn.values else []),
            ]
            for fn in f.functions.values()
        ],
        "torch": f.imports_torch,
        "imports": list(f.imported_modules),
        "exports": f.exports,
        "classes": {k: list(v) for k, v in f.classes.items()},
        "reseeded": [list(r) for r in f.reseeded],
        "attr_params": f.attr_params,
        "star_imports": list(f.star_imports),
        "error": None if f.syntax_error is None else list(f.syntax_error),
    }


def facts_from_json(data: dict[str, Any], path: str) -> ModuleFacts:
    """Rebuild facts; raises KeyError/TypeError/ValueError on a foreign or corrupt entry."""
    if data.get("format") != FORMAT:
        raise ValueError("cache entry of another format")
    functions = {}
    for qualname, line, params, decorators, autouse, is_fixture, flow, *rest in data["functions"]:
        # `values` only where there are any: a name alone has no literal default.
        values = (
            tuple((v, None) if type(v) is str else (v[0], v[1]) for v in rest[0]) if rest else ()
        )
        functions[qualname] = FunctionFacts(
            qualname, line, tuple(params), tuple(decorators), autouse, is_fixture, flow, values
        )
    error = data["error"]
    return ModuleFacts(
        module=data["module"],
        path=path,
        calls=[_call_from(c) for c in data["calls"]],
        toplevel=data["toplevel"],
        main_block=data["main"],
        functions=functions,
        imports_torch=data["torch"],
        imported_modules=tuple(data["imports"]),
        exports=dict(data["exports"]),
        classes={k: tuple(v) for k, v in data["classes"].items()},
        reseeded=[(scope, text) for scope, text in data["reseeded"]],
        attr_params={k: dict(v) for k, v in data["attr_params"].items()},
        star_imports=tuple(data["star_imports"]),
        syntax_error=None if error is None else (error[0], error[1], error[2]),
    )
