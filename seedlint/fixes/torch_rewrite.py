"""torch: pass `generator=g` to each call that draws from the default generator.

Only the argument is added (after the others, keeping a multi-line call's layout and magic
trailing comma); the call itself is not touched.
"""

from __future__ import annotations

import libcst as cst

from .cst_index import CstIndex
from .edits import EditSet, append_item, keyword_arg
from .model import Site

__all__ = ["rewrite_torch_site"]


def rewrite_torch_site(index: CstIndex, edits: EditSet, site: Site, generator: str) -> None:
    node = index.node_for(site.call)
    assert isinstance(node, cst.Call)
    edits.added[generator] += 1

    def add_generator(updated: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(updated, cst.Call)
        for index, old in enumerate(updated.args):
            if old.keyword is not None and old.keyword.value == "generator":
                # `generator=None` (the default generator, spelled out) takes the new one.
                args = list(updated.args)
                args[index] = old.with_changes(value=cst.Name(generator))
                return updated.with_changes(args=args)
        arg = keyword_arg("generator", cst.Name(generator))
        return updated.with_changes(
            args=append_item(updated.args, arg, updated.whitespace_before_args)
        )

    edits.rewrite(node, add_generator)
