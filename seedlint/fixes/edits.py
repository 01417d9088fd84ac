"""Edits keyed by the identity of original nodes, applied in one libcst pass.

Expression rewrites are functions of the *updated* node, so that nested rewrites compose
(`np.random.choice(np.random.rand(3))` rewrites the inner call, then the outer one around it).
Statements are inserted after an original statement with `FlattenSentinel`, which keeps every
other line (and its comments) byte-for-byte.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import libcst as cst

__all__ = [
    "EditSet",
    "apply_edits",
    "apply_edits_within",
    "edit_paths",
    "append_item",
    "keyword_arg",
    "name_mentions",
    "rebuild_args",
]

Rewrite = Callable[[cst.CSTNode], cst.CSTNode]
_Item = TypeVar("_Item", cst.Arg, cst.Param)
_NO_SPACE = cst.SimpleWhitespace("")


@dataclass
class EditSet:
    exprs: dict[int, Rewrite] = field(default_factory=dict)
    # An expression statement (the seeding call) replaced by another small statement.
    smalls: dict[int, cst.BaseSmallStatement | cst.RemovalSentinel] = field(default_factory=dict)
    removed_lines: set[int] = field(default_factory=set)
    after: dict[int, list[cst.BaseStatement]] = field(default_factory=dict)
    # FunctionDef id -> (parameter to add with default None, statements to put first).
    params: dict[int, tuple[str, list[cst.BaseStatement]]] = field(default_factory=dict)
    # Top-level import line id -> the names it binds that are to be dropped.
    import_drops: dict[int, frozenset[str]] = field(default_factory=dict)
    # Name mentions the rewrites remove and add (to find imports that became unused).
    removed: Counter[str] = field(default_factory=Counter)
    added: Counter[str] = field(default_factory=Counter)
    # Keep the original nodes alive: the dicts above are keyed by their id().
    keep: list[cst.CSTNode] = field(default_factory=list)

    def rewrite(self, node: cst.CSTNode, function: Rewrite) -> None:
        self.keep.append(node)
        self.exprs[id(node)] = function

    def insert_after(self, stmt: cst.BaseStatement, new: cst.BaseStatement) -> None:
        self.keep.append(stmt)
        self.after.setdefault(id(stmt), []).append(new)


def keyword_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE),
    )


def append_item(
    items: Sequence[_Item], new: _Item, opening: cst.BaseParenthesizableWhitespace | None = None
) -> list[_Item]:
    """`items` plus `new` at the end, keeping a magic trailing comma and the line layout of a
    call or signature written one item per line."""
    out = list(items)
    if not out:
        return [new]
    last = out[-1]
    if isinstance(last.comma, cst.Comma):
        # `f(\n    a,\n    b,\n)`: the new item takes the trailing comma (and the closing
        # line's indentation); the old last item takes the comma between items.
        if len(out) >= 2 and isinstance(out[-2].comma, cst.Comma):
            between = out[-2].comma
        elif opening is not None:
            between = cst.Comma(whitespace_after=opening)
        else:
            between = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        out[-1] = last.with_changes(comma=between)
        out.append(new.with_changes(comma=last.comma))
    else:
        out[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        out.append(new)
    return out


def rebuild_args(
    original: Sequence[cst.Arg],
    positional: Sequence[cst.Arg],
    keywords: dict[str, cst.Arg | bool],
    opening: cst.BaseParenthesizableWhitespace | None = None,
) -> list[cst.Arg]:
    """Arguments of a translated call from the original argument nodes (moved, not copied,
    so comments and layout inside them survive), with commas fixed up: the last argument
    gets the original trailing comma (or none), an argument that was last and is not any
    more gets the comma the original used between arguments."""
    last_original = original[-1] if original else None
    trailing = last_original.comma if last_original is not None else cst.MaybeSentinel.DEFAULT
    if not isinstance(trailing, cst.Comma):
        trailing = cst.MaybeSentinel.DEFAULT
    between = original[-2].comma if len(original) >= 2 else cst.MaybeSentinel.DEFAULT
    pairs: list[tuple[cst.Arg, cst.Arg]] = []
    added: list[cst.Arg] = []
    for arg in positional:
        moved = (
            arg.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT) if arg.keyword else arg
        )
        pairs.append((arg, moved))
    for name, value in keywords.items():
        if isinstance(value, bool):
            added.append(keyword_arg(name, cst.Name(str(value))))
        elif value.keyword is not None and value.keyword.value == name:
            pairs.append((value, value))
        else:
            pairs.append((value, keyword_arg(name, value.value).with_changes(comma=value.comma)))
    out: list[cst.Arg] = []
    for index, (source, arg) in enumerate(pairs):
        if index == len(pairs) - 1:
            arg = arg.with_changes(comma=trailing)
        elif source is last_original:
            arg = arg.with_changes(comma=between)
        out.append(arg)
    for arg in added:
        out = append_item(out, arg, opening)
    return out


class _Mentions(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.counts[node.value] += 1


def name_mentions(node: cst.CSTNode) -> Counter[str]:
    """Name mentions in `node`, counted the way cst_index's collector counts them."""
    visitor = _Mentions()
    node.visit(visitor)
    return visitor.counts


def _with_param(
    func: cst.FunctionDef, name: str, first: list[cst.BaseStatement]
) -> cst.FunctionDef:
    params = func.params
    new = cst.Param(
        cst.Name(name),
        default=cst.Name("None"),
        equal=cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE),
    )
    if isinstance(params.star_arg, (cst.Param, cst.ParamStar)) or params.kwonly_params:
        params = params.with_changes(kwonly_params=append_item(params.kwonly_params, new))
    else:
        params = params.with_changes(params=append_item(params.params, new))
    suite = func.body
    body: cst.BaseSuite
    if isinstance(suite, cst.SimpleStatementSuite):
        # `def f(): return x` becomes a block: the new statement needs its own line.
        line = cst.SimpleStatementLine(
            body=suite.body, trailing_whitespace=suite.trailing_whitespace
        )
        body = cst.IndentedBlock(body=[*first, line])
    else:
        assert isinstance(suite, cst.IndentedBlock)
        statements: list[cst.BaseStatement] = list(suite.body)
        at = 1 if statements and _is_docstring(statements[0]) else 0
        body = suite.with_changes(body=[*statements[:at], *first, *statements[at:]])
    return func.with_changes(params=params, body=body)


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _drop_imports(
    line: cst.SimpleStatementLine, names: frozenset[str]
) -> cst.SimpleStatementLine | None:
    kept: list[cst.BaseSmallStatement] = []
    for small in line.body:
        if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(
            small.names, cst.ImportStar
        ):
            aliases = [a for a in small.names if _bound_name(a) not in names]
            if not aliases:
                continue
            if len(aliases) != len(small.names):
                last = small.names[-1].comma
                parenthesized = isinstance(small, cst.ImportFrom) and small.lpar is not None
                ending = last if parenthesized else cst.MaybeSentinel.DEFAULT
                aliases[-1] = aliases[-1].with_changes(comma=ending)
                small = small.with_changes(names=aliases)
        kept.append(small)
    if not kept:
        return None
    kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return line.with_changes(body=kept)


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    node: cst.BaseExpression = alias.name
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else ""


_REMOVED = "__seedlint_removed_line__"
_BlockT = TypeVar("_BlockT", cst.Module, cst.IndentedBlock)


def _is_removed(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.Name)
        and stmt.body[0].value.value == _REMOVED
    )


def _drop_removed(
    block: _BlockT, carry: Sequence[cst.EmptyLine] = (), skip: int = 0
) -> tuple[_BlockT, list[cst.EmptyLine]]:
    """Delete the lines marked removed; the next statement inherits their blank lines (so
    two blank lines before a definition stay two).  Also returns the blank lines of removed
    lines that end the block (no statement here inherits them: for a statement parsed on
    its own, the module's next statement does).  `carry`: such lines handed in from
    before the block, for its first statement after the `skip` first ones."""
    body: list[cst.BaseStatement] = list(block.body[:skip])
    pending: list[cst.EmptyLine] = list(carry)
    changed = bool(carry)
    for stmt in block.body[skip:]:
        if _is_removed(stmt):
            assert isinstance(stmt, cst.SimpleStatementLine)
            pending.extend(stmt.leading_lines)
            changed = True
            continue
        if (
            pending
            and isinstance(stmt, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
            and not stmt.leading_lines
        ):
            stmt = stmt.with_changes(leading_lines=pending)
        pending = []
        body.append(stmt)
    if not changed:
        return block, pending
    if isinstance(block, cst.IndentedBlock) and not body:
        body = [cst.SimpleStatementLine([cst.Pass()])]
    return block.with_changes(body=body), pending


class _Apply(cst.CSTTransformer):
    def __init__(
        self,
        edits: EditSet,
        paths: set[int] | None,
        carry: Sequence[cst.EmptyLine] = (),
        skip: int = 0,
    ) -> None:
        super().__init__()
        self.edits = edits
        self.paths = paths
        self.carry, self.skip = carry, skip  # for the module: see _drop_removed
        self.pending: list[cst.EmptyLine] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Only the nodes on the way to an edit are rebuilt: a transformer that visits a
        # whole module cost as much as parsing it.
        return self.paths is None or id(node) in self.paths

    # The generic signature of CSTTransformer.on_leave promises the same node type back; a
    # rewrite legitimately returns another (a Call becomes `int(...)`, a Name an Attribute).
    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        key = id(original_node)
        edits = self.edits
        rewrite = edits.exprs.get(key)
        if rewrite is not None:
            return rewrite(updated_node)
        small = edits.smalls.get(key)
        if small is not None:
            return small
        if isinstance(updated_node, cst.FunctionDef) and key in edits.params:
            name, first = edits.params[key]
            updated_node = _with_param(updated_node, name, first)
        if isinstance(updated_node, cst.Module):
            module, self.pending = _drop_removed(updated_node, self.carry, self.skip)
            return module
        if isinstance(updated_node, cst.IndentedBlock):
            return _drop_removed(updated_node)[0]
        if not isinstance(original_node, cst.BaseStatement):
            return updated_node
        after = edits.after.get(key, [])
        drops = edits.import_drops.get(key)
        if key in edits.removed_lines or (
            drops and isinstance(updated_node, cst.SimpleStatementLine)
        ):
            kept = None
            if key not in edits.removed_lines:
                assert drops is not None and isinstance(updated_node, cst.SimpleStatementLine)
                kept = _drop_imports(updated_node, drops)
            if kept is None:
                assert isinstance(updated_node, cst.SimpleStatementLine)
                if not after:
                    # Removed by the enclosing block, which hands its blank lines on.
                    return updated_node.with_changes(body=[cst.Expr(cst.Name(_REMOVED))])
                # The removed line's blank lines and comments above it stay in place.
                head = after[0].with_changes(leading_lines=updated_node.leading_lines)
                return cst.FlattenSentinel([head, *after[1:]])
            updated_node = kept
        if after:
            return cst.FlattenSentinel([updated_node, *after])
        return updated_node


def edit_paths(edits: EditSet, parent: Mapping[int, cst.CSTNode], module: cst.Module) -> set[int]:
    """Ids of the nodes on the way from `module` to an edited node."""
    paths = {id(module)}
    edited = [
        *edits.exprs,
        *edits.smalls,
        *edits.removed_lines,
        *edits.after,
        *edits.params,
        *edits.import_drops,
    ]
    for key in edited:
        while key not in paths:
            paths.add(key)
            above = parent.get(key)
            if above is None:
                break
            key = id(above)
    return paths


def apply_edits(
    module: cst.Module, edits: EditSet, parent: Mapping[int, cst.CSTNode] | None = None
) -> cst.Module:
    """The module with `edits` made.  With `parent` (node id -> parent node of the original
    tree), only the nodes on the way from the module to an edited node are visited."""
    result, _ = apply_edits_within(
        module, edits, None if parent is None else edit_paths(edits, parent, module)
    )
    return result


def apply_edits_within(
    module: cst.Module,
    edits: EditSet,
    paths: set[int] | None,
    carry: Sequence[cst.EmptyLine] = (),
    skip: int = 0,
) -> tuple[cst.Module, list[cst.EmptyLine]]:
    """`module` with `edits` made, visiting only the nodes in `paths` (None: all); and the
    blank lines of removed statements that end it.  `carry`: the blank lines of removed
    statements just before it, for its first statement after the `skip` first ones (see
    _drop_removed)."""
    transformer = _Apply(edits, paths, carry, skip)
    result = module.visit(transformer)
    assert isinstance(result, cst.Module)
    return result, transformer.pending
