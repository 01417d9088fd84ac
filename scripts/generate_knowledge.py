#!/usr/bin/env python
"""(Re)write the generated knowledge tables from the installed numpy, torch and Python.

    python scripts/generate_knowledge.py          # rewrite seedlint/knowledge/_generated_*.py
    python scripts/generate_knowledge.py --check  # exit 1 when the checked-in files are stale

Only facts that introspection can establish are generated (which functions exist, their
parameters, which torch APIs take ``generator=``).  What a call *means* (how a legacy numpy call
becomes a Generator call, whether that is faithful, since which Python a function exists) is
hand knowledge kept beside the generated files, in ``numpy_legacy.py``, ``stdlib_random.py`` and
``torch_api.py``.

The stdlib table can only describe the interpreter that runs this script: ``--check`` under
another Python minor version leaves ``_generated_stdlib.py`` alone and says so.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import inspect
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "seedlint" / "knowledge"
HEADER = "# GENERATED VIA scripts/generate_knowledge.py -- do not edit by hand\n"
LINE_LENGTH = 100
INDENT = "    "

# numpy.random.mtrand's module-level functions that use the hidden global RandomState: found by
# introspection below; this list only guards against introspection silently finding nothing.
KNOWN_MODULE_LEVEL = ("get_bit_generator", "ranf", "sample", "seed", "set_bit_generator")

# torch's Python-level modules whose public callables may take `generator=`.
TORCH_PYTHON_MODULES = ("torch.nn.init", "torch.utils.data")

# ATen ops that take a Generator but manage generators instead of drawing from one.
TORCH_NOT_DRAWS = frozenset({"initial_seed", "manual_seed", "seed"})


# ------------------------------------------------------------------------------------------
# Emitting Python source that `ruff format` leaves as it is.


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _inline_tuple(items: Sequence[str]) -> str:
    if len(items) == 1:
        return f"({_q(items[0])},)"
    return "(" + ", ".join(_q(i) for i in items) + ")"


def _str_tuple(name: str, annotation: str, items: Iterable[str]) -> list[str]:
    lines = [f"{name}: {annotation} = ("]
    lines += [f"{INDENT}{_q(i)}," for i in items]
    lines.append(")")
    return lines


def _signature_dict(name: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    lines = [f"{name}: dict[str, tuple[str, ...]] = {{"]
    for key in sorted(table):
        one = f"{INDENT}{_q(key)}: {_inline_tuple(table[key])},"
        if len(one) <= LINE_LENGTH and table[key]:
            lines.append(one)
        elif not table[key]:
            lines.append(f"{INDENT}{_q(key)}: (),")
        else:
            lines.append(f"{INDENT}{_q(key)}: (")
            lines += [f"{INDENT * 2}{_q(p)}," for p in table[key]]
            lines.append(f"{INDENT}),")
    lines.append("}")
    return lines


def _call(func: str, args: Sequence[str], indent: str) -> list[str]:
    """`func(args...),` on one line when it fits, else one argument a line (magic comma)."""
    one = f"{indent}{func}({', '.join(args)}),"
    if len(one) <= LINE_LENGTH:
        return [one]
    return [f"{indent}{func}(", *(f"{indent}{INDENT}{a}," for a in args), f"{indent}),"]


def _module(docstring: str, body: list[str], imports: Sequence[str] = ()) -> str:
    lines = [HEADER.rstrip("\n"), f'"""{docstring}"""', "", "from __future__ import annotations"]
    if imports:
        lines += ["", *imports]
    lines += ["", *body]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------
# Signatures, spelled as data: "name" (required), "name=" (has a default), "*args", "**kwargs",
# and a bare "*" before keyword-only parameters.


def signature_spec(func: Callable[..., Any], *, drop_self: bool = False) -> tuple[str, ...]:
    sig = inspect.signature(func)
    params = list(sig.parameters.values())
    if drop_self and params and params[0].name == "self":
        params = params[1:]
    out: list[str] = []
    star_done = False
    for p in params:
        if p.kind is inspect.Parameter.VAR_POSITIONAL:
            out.append("*" + p.name)
            star_done = True
        elif p.kind is inspect.Parameter.VAR_KEYWORD:
            out.append("**" + p.name)
        else:
            if p.kind is inspect.Parameter.KEYWORD_ONLY and not star_done:
                out.append("*")
                star_done = True
            default = "" if p.default is inspect.Parameter.empty else "="
            out.append(p.name + default)
    return tuple(out)


# ------------------------------------------------------------------------------------------
# numpy


def generate_numpy() -> str:
    import numpy
    import numpy.random as npr
    from numpy.random import mtrand

    global_rs = mtrand._rand
    legacy: dict[str, tuple[str, ...]] = {}
    bound: list[str] = []
    for name in sorted(npr.__all__):
        obj = getattr(npr, name)
        if getattr(obj, "__self__", None) is global_rs:
            bound.append(name)
            legacy[name] = signature_spec(getattr(npr.RandomState, name), drop_self=True)
    module_level: list[str] = []
    for name in sorted(dir(mtrand)):
        obj = getattr(mtrand, name)
        if name.startswith("_") or inspect.isclass(obj) or inspect.ismodule(obj):
            continue
        if type(obj).__name__ != "cython_function_or_method":
            continue
        if getattr(npr, name, None) is not obj or name in legacy:
            continue
        assert callable(obj)
        module_level.append(name)
        legacy[name] = signature_spec(obj)
    missing = [n for n in KNOWN_MODULE_LEVEL if n not in legacy and hasattr(npr, n)]
    if missing:
        raise SystemExit(f"numpy introspection missed module-level functions: {missing}")

    generator: dict[str, tuple[str, ...]] = {}
    for name in sorted(dir(npr.Generator)):
        attr = inspect.getattr_static(npr.Generator, name)
        if name.startswith("_") or not callable(attr):
            continue
        generator[name] = signature_spec(getattr(npr.Generator, name), drop_self=True)
    randomstate = sorted(
        n
        for n in dir(npr.RandomState)
        if not n.startswith("_") and callable(inspect.getattr_static(npr.RandomState, n))
    )

    body = [
        f"NUMPY_VERSION = {_q(numpy.__version__)}",
        "",
        "# Module-level functions of numpy.random that use the hidden global RandomState",
        "# (numpy.random.mtrand._rand) and their parameters.  The spelling: 'name' (required),",
        "# 'name=' (has a default), '*args', '**kwargs', and '*' before keyword-only ones.",
        *_signature_dict("LEGACY_SIGNATURES", legacy),
        "",
        "# Of those, the bound methods of numpy.random.mtrand._rand (in numpy.random.__all__).",
        *_str_tuple("BOUND_TO_GLOBAL", "tuple[str, ...]", bound),
        "",
        "# Of those, mtrand's module-level Cython functions (not methods of RandomState).",
        *_str_tuple("MODULE_LEVEL", "tuple[str, ...]", module_level),
        "",
        "# Public methods of numpy.random.Generator and their parameters.",
        *_signature_dict("GENERATOR_SIGNATURES", generator),
        "",
        "# Public methods of numpy.random.RandomState (tomaxint exists only there).",
        *_str_tuple("RANDOMSTATE_METHODS", "tuple[str, ...]", randomstate),
    ]
    doc = f"numpy.random as introspected from numpy {numpy.__version__}."
    return _module(doc, body)


# ------------------------------------------------------------------------------------------
# stdlib random


def generate_stdlib() -> str:
    import random

    inst = random._inst
    names = sorted(
        n
        for n, v in vars(random).items()
        if not n.startswith("_") and getattr(v, "__self__", None) is inst
    )
    version = sys.version_info[:2]
    body = [
        f"PYTHON_VERSION: tuple[int, int] = ({version[0]}, {version[1]})",
        "",
        "# Public module-level names of `random` that are bound methods of random._inst.",
        *_str_tuple("BOUND_TO_INST", "tuple[str, ...]", names),
    ]
    doc = f"The stdlib `random` module as introspected on Python {version[0]}.{version[1]}."
    return _module(doc, body)


# ------------------------------------------------------------------------------------------
# torch


def _schema_only_if(schema: Any) -> str | None:
    """`only_if_arg` for an op that draws only when a `train`/`training` bool is true."""
    positional = [a for a in schema.arguments if not a.kwarg_only]
    for index, arg in enumerate(positional):
        if arg.name not in ("train", "training") or str(arg.type) != "bool":
            continue  # `bool? train` (native_dropout): None means train, so always draws
        default = arg.default_value if arg.has_default_value() else None
        if default is None or default is False:
            return f"({index}, {_q(arg.name)})"
    return None


def _schema_generator_position(schemas: Sequence[Any], *, method: bool) -> int | None:
    """Where `generator` may be passed positionally (torch.poisson(x, g)); None if keyword-only
    in every overload (or at different places in different overloads)."""
    positions: set[int | None] = set()
    for schema in schemas:
        positional = [a.name for a in schema.arguments if not a.kwarg_only]
        if "generator" in positional:
            positions.add(positional.index("generator") - (1 if method else 0))
        else:
            positions.add(None)
    if len(positions) == 1:
        return positions.pop()
    return None


def _python_generator_position(obj: Any) -> int | None:
    params = list(inspect.signature(obj).parameters.values())
    for index, param in enumerate(params):
        if param.name == "generator":
            return index if param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD else None
    return None


def generate_torch() -> str:
    import torch

    variable_functions = torch._C._VariableFunctions
    with_generator: dict[str, list[Any]] = {}
    without_generator: dict[str, Any] = {}
    for schema in torch._C._jit_get_all_schemas():
        namespace, _, name = schema.name.partition("::")
        if namespace != "aten" or name.startswith("_") or name in TORCH_NOT_DRAWS:
            continue
        if any("Generator" in str(a.type) for a in schema.arguments):
            if schema.overload_name != "out" and not schema.overload_name.endswith("_out"):
                with_generator.setdefault(name, []).append(schema)
        elif "dropout" in name and "backward" not in name:
            without_generator.setdefault(name, schema)

    entries: dict[str, list[str]] = {}

    def add(qualname: str, accepts: bool, **extra: object) -> None:
        args = [_q(qualname), "True" if accepts else "False"]
        args += [f"{k}={v}" for k, v in extra.items() if v is not None]
        entries[qualname] = args

    def exposed(name: str) -> bool:
        return hasattr(variable_functions, name) and getattr(torch, name, None) is getattr(
            variable_functions, name
        )

    for name, schemas in sorted(with_generator.items()):
        only_if = _schema_only_if(schemas[0])
        if exposed(name):
            position = _schema_generator_position(schemas, method=False)
            add(f"torch.{name}", True, only_if_arg=only_if, generator_position=position)
            for alias in sorted(dir(torch.nn.functional)):
                if getattr(torch.nn.functional, alias) is getattr(torch, name):
                    add(
                        f"torch.nn.functional.{alias}",
                        True,
                        only_if_arg=only_if,
                        generator_position=position,
                    )
        if hasattr(torch.Tensor, name):
            position = _schema_generator_position(schemas, method=True)
            add(f"torch.Tensor.{name}", True, only_if_arg=only_if, generator_position=position)
    for name, schema in sorted(without_generator.items()):
        if exposed(name):
            add(f"torch.{name}", False, only_if_arg=_schema_only_if(schema))

    for module_name in TORCH_PYTHON_MODULES:
        module = importlib.import_module(module_name)
        public = getattr(module, "__all__", None) or dir(module)
        takes_generator: dict[str, Any] = {}
        for name in sorted(public):
            obj = getattr(module, name, None)
            if name.startswith("_") or not callable(obj):
                continue
            try:
                params = inspect.signature(obj).parameters
            except (TypeError, ValueError):
                continue
            if "generator" in params:
                takes_generator[name] = obj
                add(
                    f"{module_name}.{name}",
                    True,
                    draws_on=_q("iteration") if inspect.isclass(obj) else None,
                    generator_position=_python_generator_position(obj),
                )
        # Deprecated aliases (torch.nn.init.normal -> normal_) forward their arguments.
        for name in sorted(public):
            obj = getattr(module, name, None)
            if name.startswith("_") or name in takes_generator or not inspect.isfunction(obj):
                continue
            cells = [c.cell_contents for c in (obj.__closure__ or ())]
            targets = [t for t in takes_generator.values() if any(c is t for c in cells)]
            if targets:
                add(
                    f"{module_name}.{name}",
                    True,
                    generator_position=_python_generator_position(targets[0]),
                    note=_q("deprecated alias"),
                )

    body = [
        f"TORCH_VERSION = {_q(torch.__version__)}",
        "",
        "# Found by introspection: ATen ops with a Generator argument, exposed as torch.<op>,",
        "# Tensor.<op> (and torch.nn.functional aliases of them); ATen dropout ops without one;",
        f"# public callables of {', '.join(TORCH_PYTHON_MODULES)} with a `generator` parameter.",
        "APIS: tuple[TorchApi, ...] = (",
    ]
    for qualname in sorted(entries):
        body += _call("TorchApi", entries[qualname], INDENT)
    body.append(")")
    doc = f"torch's random APIs as introspected from torch {torch.__version__}."
    return _module(doc, body, imports=["from .schema import TorchApi"])


# ------------------------------------------------------------------------------------------

TARGETS: dict[str, Callable[[], str]] = {
    "_generated_numpy.py": generate_numpy,
    "_generated_stdlib.py": generate_stdlib,
    "_generated_torch.py": generate_torch,
}


def _recorded_python(text: str) -> tuple[int, int] | None:
    match = re.search(r"^PYTHON_VERSION: tuple\[int, int\] = \((\d+), (\d+)\)", text, re.M)
    return (int(match.group(1)), int(match.group(2))) if match else None


def check(names: Sequence[str], out: Any = sys.stdout) -> int:
    stale = 0
    for name in names:
        path = KNOWLEDGE / name
        fresh = TARGETS[name]()
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == fresh:
            print(f"up to date: {name}", file=out)
            continue
        recorded = _recorded_python(current)
        if name == "_generated_stdlib.py" and recorded and recorded != sys.version_info[:2]:
            print(
                f"skipped: {name} was generated on Python {recorded[0]}.{recorded[1]}; "
                f"this is {sys.version_info[0]}.{sys.version_info[1]}",
                file=out,
            )
            continue
        stale += 1
        print(f"STALE: {name}", file=out)
        diff = difflib.unified_diff(
            current.splitlines(), fresh.splitlines(), f"{name} (checked in)", f"{name} (now)", n=1
        )
        for line in list(diff)[:60]:
            print(line, file=out)
    if stale:
        print("run: python scripts/generate_knowledge.py", file=out)
    return 1 if stale else 0


def write(names: Sequence[str], out: Any = sys.stdout) -> int:
    for name in names:
        path = KNOWLEDGE / name
        fresh = TARGETS[name]()
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        if not path.exists() or path.read_text(encoding="utf-8") != fresh:
            path.write_text(fresh, encoding="utf-8")
            print(f"wrote {shown}", file=out)
        else:
            print(f"unchanged {shown}", file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument(
        "--only", choices=("numpy", "stdlib", "torch"), action="append", help="limit to these"
    )
    options = parser.parse_args(argv)
    names = [n for n in TARGETS if not options.only or n[11:-3] in options.only]
    return check(names) if options.check else write(names)


if __name__ == "__main__":
    sys.exit(main())
