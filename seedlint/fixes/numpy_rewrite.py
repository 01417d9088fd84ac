"""numpy: legacy global calls -> methods of one Generator (or RandomState); RandomState
instances -> `default_rng` with their method calls translated.

The translation itself is the knowledge table's (`knowledge.numpy_translate`), applied to the
argument nodes as opaque values, so layout and comments inside arguments are kept.
"""

from __future__ import annotations

import libcst as cst

from ..knowledge import numpy_legacy_call
from .cst_index import CstIndex
from .cst_structure import numpy_call_translation
from .edits import EditSet, name_mentions, rebuild_args
from .model import Site

__all__ = ["rewrite_numpy_site", "rewrite_randomstate"]


def _int_call(inner: cst.Call) -> cst.Call:
    """`int(<inner>)`, taking over the parentheses written around the original call."""
    return cst.Call(
        func=cst.Name("int"),
        args=[cst.Arg(inner.with_changes(lpar=[], rpar=[]))],
        lpar=inner.lpar,
        rpar=inner.rpar,
    )


def translated_call(
    call: cst.Call, receiver: cst.BaseExpression, qualname: str, in_int: bool = False
) -> cst.Call:
    """`receiver.<generator method>(...)` for the legacy call `call` of `qualname` (not
    wrapped in `int()` again when it already is the argument of one: `in_int`)."""
    entry = numpy_legacy_call(qualname)
    assert entry is not None
    translated = numpy_call_translation(entry, call)
    assert translated is not None, "the planner checked that the call translates"
    method, positional, keywords, wrap = translated
    args = rebuild_args(call.args, positional, keywords, call.whitespace_before_args)
    new = call.with_changes(func=cst.Attribute(receiver, cst.Name(method)), args=args)
    return _int_call(new) if wrap and not in_int else new


def _in_int(index: CstIndex, node: cst.CSTNode) -> bool:
    """Is `node` the one argument of a call of the builtin `int`?"""
    arg = index.parent.get(id(node))
    call = index.parent.get(id(arg)) if arg is not None else None
    return (
        isinstance(arg, cst.Arg)
        and not arg.keyword
        and not arg.star
        and isinstance(call, cst.Call)
        and len(call.args) == 1
        and isinstance(call.func, cst.Name)
        and call.func.value == "int"
        and "int" not in index.bound_names
    )


def rewrite_numpy_site(
    index: CstIndex, edits: EditSet, site: Site, generator: str, translate: bool
) -> None:
    """A global call (or callable reference) becomes a method of `generator`; with
    `translate` (a Generator) its arguments are translated, else (a RandomState) only the
    name changes."""
    node = index.node_for(site.call)
    assert node is not None
    if isinstance(node, cst.Call):
        edits.removed.update(name_mentions(node.func))
        edits.added[generator] += 1
        if translate and site.action == "draw":
            qualname = site.call.qualname
            in_int = _in_int(index, node)

            def draw(updated: cst.CSTNode) -> cst.CSTNode:
                assert isinstance(updated, cst.Call)
                return translated_call(updated, cst.Name(generator), qualname, in_int)

            edits.rewrite(node, draw)
        else:
            method = site.method

            def rename(updated: cst.CSTNode) -> cst.CSTNode:
                assert isinstance(updated, cst.Call)
                return updated.with_changes(
                    func=cst.Attribute(cst.Name(generator), cst.Name(method))
                )

            edits.rewrite(node, rename)
        return
    assert isinstance(node, (cst.Attribute, cst.Name))
    edits.removed.update(name_mentions(node))
    edits.added[generator] += 1
    method = site.method

    def reference(updated: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(updated, (cst.Attribute, cst.Name))
        return cst.Attribute(
            cst.Name(generator), cst.Name(method), lpar=updated.lpar, rpar=updated.rpar
        )

    edits.rewrite(node, reference)


def rewrite_randomstate(
    index: CstIndex, edits: EditSet, construction: cst.Call, methods: list[cst.Call], ctor: str
) -> None:
    """`np.random.RandomState(s)` -> `<ctor>(s)`; each `rs.<method>(...)` translated."""
    edits.removed.update(name_mentions(construction.func))

    def construct(updated: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(updated, cst.Call)
        return updated.with_changes(func=cst.parse_expression(ctor))

    edits.rewrite(construction, construct)
    for method_call in methods:
        func = method_call.func
        assert isinstance(func, cst.Attribute)
        qualname = f"numpy.random.{func.attr.value}"

        def method(
            updated: cst.CSTNode,
            qualname: str = qualname,
            in_int: bool = _in_int(index, method_call),
        ) -> cst.CSTNode:
            assert isinstance(updated, cst.Call) and isinstance(updated.func, cst.Attribute)
            return translated_call(updated, updated.func.value, qualname, in_int)

        edits.rewrite(method_call, method)
