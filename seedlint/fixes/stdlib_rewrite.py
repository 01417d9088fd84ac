"""stdlib random: module functions -> the same-named methods of one `random.Random`.

Every module-level function of `random` is a bound method of the hidden `random._inst`, so the
rewrite is a rename: `random.choice(xs)` -> `rng.choice(xs)`, `random.seed(s)` ->
`rng.seed(s)`; arguments are untouched.
"""

from __future__ import annotations

import libcst as cst

from .cst_index import CstIndex
from .edits import EditSet, name_mentions
from .model import Site

__all__ = ["rewrite_stdlib_site"]


def rewrite_stdlib_site(index: CstIndex, edits: EditSet, site: Site, generator: str) -> None:
    node = index.node_for(site.call)
    assert node is not None
    method = site.method
    edits.added[generator] += 1
    if isinstance(node, cst.Call):
        edits.removed.update(name_mentions(node.func))

        def rename(updated: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(updated, cst.Call)
            return updated.with_changes(func=cst.Attribute(cst.Name(generator), cst.Name(method)))

        edits.rewrite(node, rename)
        return
    assert isinstance(node, (cst.Attribute, cst.Name))
    edits.removed.update(name_mentions(node))

    def reference(updated: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(updated, (cst.Attribute, cst.Name))
        return cst.Attribute(
            cst.Name(generator), cst.Name(method), lpar=updated.lpar, rpar=updated.rpar
        )

    edits.rewrite(node, reference)
