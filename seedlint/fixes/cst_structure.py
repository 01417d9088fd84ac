"""The exact `Structure` (see structure.py): syntax questions answered from the libcst tree.

Also the numpy argument helpers: legacy call arguments as opaque CST values for the
knowledge table's translator (`structure.translate_numpy`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import libcst as cst

from ..analysis.facts import ApiCall
from ..knowledge import numpy_legacy_call
from ..knowledge.schema import NumpyLegacy
from .cst_index import CstIndex, ImportRecord, is_main_guard
from .layout import OpaqueBinding
from .model import UNTRACKED_TORCH, Family, Reason
from .structure import Block, translate_numpy

__all__ = ["Anchor", "CstStructure", "call_args", "numpy_call_translation"]

# Signs that tensors may live off the CPU, where a CPU generator fails.
_DEVICE_WORDS = re.compile(r"\b(cuda|mps|xpu|xla|hpu|npu|ipu|device|accelerator)\b")
_DEFAULT_DEVICE = re.compile(
    r"set_default_device|set_default_tensor_type|with\s+[\w.]*device\s*\(|DeviceMode"
)


@dataclass(frozen=True)
class Anchor:
    """Where a module-level generator goes: after `after` (a statement in `container`)."""

    container: cst.Module | cst.Try
    after: cst.BaseStatement
    top_index: int
    first_import: ImportRecord  # the library's first module-level import (new imports go after)


def call_args(call: cst.Call) -> tuple[list[cst.Arg], dict[str, cst.Arg]] | None:
    """Positional and keyword arguments; None when *args/**kwargs make them unknowable."""
    positional: list[cst.Arg] = []
    keywords: dict[str, cst.Arg] = {}
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None:
            if keywords:
                return None
            positional.append(arg)
        else:
            keywords[arg.keyword.value] = arg
    return positional, keywords


def is_none_arg(arg: cst.Arg) -> bool:
    return isinstance(arg.value, cst.Name) and arg.value.value == "None"


def make_tuple_arg(items: Sequence[cst.Arg]) -> cst.Arg:
    elements = [
        cst.Element(a.value, comma=a.comma if i < len(items) - 1 else cst.MaybeSentinel.DEFAULT)
        for i, a in enumerate(items)
    ]
    return cst.Arg(cst.Tuple(elements))


def make_int_arg(value: int) -> cst.Arg:
    return cst.Arg(cst.Integer(str(value)))


class CstStructure:
    """`Structure` answered exactly from the syntax tree (see plan.py)."""

    def __init__(self, index: CstIndex) -> None:
        self.index = index
        # SDL102: construction call id -> the method Call nodes on its instance.
        self.randomstate_calls: dict[int, list[cst.Call]] = {}
        self._scripts: bool | None = None  # the module calls jit.script(...) somewhere

    # -- per site -----------------------------------------------------------------------
    def site_refusal(self, family: Family, call: ApiCall) -> str | None:
        index = self.index
        node = index.node_for(call)
        if node is None:
            return Reason.NO_NODE
        if index.touches_protected(node):
            return Reason.PROTECTED
        if family.library == "torch" and self._torchscript(node):
            return Reason.TORCHSCRIPT
        if call.usage == "reference":
            # `map(random.choice, xs)` is rewritten; `fn in {random.random, ...}` or a
            # registry entry compares identities and must keep the module function.
            parent = index.parent.get(id(node))
            if not (isinstance(parent, cst.Arg) and parent.value is node):
                return Reason.REFERENCE_VALUE
            if not isinstance(index.parent.get(id(parent)), cst.Call):
                return Reason.REFERENCE_VALUE
        return None

    def numpy_translation(self, call: ApiCall) -> tuple[str, bool] | None:
        node = self.index.node_for(call)
        entry = numpy_legacy_call(call.qualname)
        if not isinstance(node, cst.Call) or entry is None:
            return None
        translated = numpy_call_translation(entry, node)
        return (translated[0], translated[3]) if translated is not None else None

    def seed_statement(self, call: ApiCall) -> tuple[cst.Expr, cst.SimpleStatementLine] | None:
        node = self.index.node_for(call)
        if node is None:
            return None
        chain = self.index.ancestors(node)
        if len(chain) < 2:
            return None
        expr, line = chain[-1], chain[-2]
        if not (isinstance(expr, cst.Expr) and expr.value is node):
            return None
        if not isinstance(line, cst.SimpleStatementLine):
            return None
        return expr, line

    def seed_block(self, call: ApiCall, sites: Sequence[ApiCall]) -> Block | str:
        index = self.index
        found = self.seed_statement(call)
        if found is None:
            return "it is not a statement of its own"
        expr, line = found
        chain = index.ancestors(line)
        parent = chain[-1]
        seed_end = index.end(expr)
        if isinstance(parent, cst.Module):
            block: Block = ("module", "")
        elif isinstance(parent, cst.IndentedBlock) and isinstance(chain[-2], cst.FunctionDef):
            block = ("function", index.function_key(chain[-2]))
        elif (
            isinstance(parent, cst.IndentedBlock)
            and is_main_guard(chain[-2])
            and isinstance(chain[-3], cst.Module)
        ):
            block = ("main", "")
        else:
            return "it is not a statement of the module, a function or the main block"
        local = not index.library_imports(call.library)
        if local and not isinstance(node_func(expr), cst.Attribute):
            return Reason.LOCAL_IMPORT
        seed_top = index.top_index(line)
        deferred_tops: list[int] = []
        for site in sites:
            node = index.node_for(site)
            if node is None:
                continue
            owner = index.owner_function(node)
            if block[0] == "function":
                if owner is None or index.function_key(owner) != block[1]:
                    return "calls outside its function would use the generator"
            elif block[0] == "main":
                if owner is not None:
                    return "functions would use a generator that exists only when run as a script"
                if chain[-2] not in index.ancestors(node):
                    return f"the call on line {site.span.line} is outside the main block"
            elif owner is not None:
                top = index.top_index(owner)
                if top < seed_top:
                    deferred_tops.append(top)
                continue
            if index.start(node) < seed_end:
                return f"the call on line {site.span.line} comes before it"
        if deferred_tops and any(
            index.may_run_code(stmt)
            for stmt in index.module.body[min(deferred_tops) + 1 : seed_top]
        ):
            return "a function that uses it may be called before it"
        return block

    # -- module-level placement -----------------------------------------------------------------
    def anchor(self, library: str, sites: Sequence[ApiCall]) -> Anchor | str:
        index = self.index
        imports = index.library_imports(library)
        if not imports:
            return Reason.NOT_IMPORTED
        first = imports[0]
        if isinstance(first.container, cst.Try):
            anchor = Anchor(first.container, first.line, first.top_index, first)
        else:
            position = max(first.top_index, index.leading_block_end())
            after = index.module.body[position]
            anchor = Anchor(index.module, after, position, first)
        limit = index.end(anchor.after)
        deferred: list[int] = []
        for site in sites:
            node = index.node_for(site)
            if node is None:
                continue
            owner = index.owner_function(node)
            if owner is not None:
                top = index.top_index(owner)
                if top <= anchor.top_index:
                    deferred.append(top)
            elif index.start(node) < limit:
                return f"the call on line {site.span.line} comes before the imports end"
        if deferred and any(
            index.may_run_code(stmt)
            for stmt in index.module.body[min(deferred) + 1 : anchor.top_index + 1]
            if stmt is not anchor.container
        ):
            return "a function that draws may be called before the generator could be created"
        return anchor

    def module_anchor(self, library: str, sites: Sequence[ApiCall]) -> str | None:
        result = self.anchor(library, sites)
        return result if isinstance(result, str) else None

    def seed_duplicable(self, call: ApiCall) -> bool:
        node = self.index.node_for(call)
        if not isinstance(node, cst.Call):
            return False
        if not node.args:
            return True
        return _simple_expression(node.args[0].value)

    def seed_hoistable(self, call: ApiCall) -> bool:
        found = self.seed_statement(call)
        if found is None:
            return False
        expr, line = found
        chain = self.index.ancestors(line)
        at_top = isinstance(chain[-1], cst.Module)
        in_main = (
            len(chain) >= 3
            and isinstance(chain[-1], cst.IndentedBlock)
            and is_main_guard(chain[-2])
            and isinstance(chain[-3], cst.Module)
        )
        call_node = expr.value
        assert isinstance(call_node, cst.Call)
        return (at_top or in_main) and (not call_node.args or _literal(call_node.args[0].value))

    def statement_removable(self, call: ApiCall) -> bool:
        found = self.seed_statement(call)
        if found is None:
            return False
        _, line = found
        if self.index.touches_protected(line):
            return False
        # A comment on the line or above it would go with it.
        return "#" not in self.index.module.code_for_node(line)

    def owner_function(self, call: ApiCall) -> str | None:
        node = self.index.node_for(call)
        owner = self.index.owner_function(node) if node is not None else None
        return self.index.function_key(owner) if owner is not None else None

    # -- SDL102 -----------------------------------------------------------------------------
    def randomstate_uses(self, call: ApiCall) -> tuple[str, ...] | str:
        index = self.index
        node = index.node_for(call)
        if not isinstance(node, cst.Call):
            return Reason.NO_NODE
        if not index.library_imports("numpy"):
            return Reason.NOT_IMPORTED
        chain = index.ancestors(node)
        parent = chain[-1] if chain else None
        calls: list[cst.Call] = []
        if (
            isinstance(parent, cst.Attribute)
            and parent.value is node
            and isinstance(chain[-2], cst.Call)
            and chain[-2].func is parent
        ):
            calls.append(chain[-2])
        elif (
            isinstance(parent, cst.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0].target, cst.Name)
            and parent.value is node
        ):
            found = self._name_uses(parent.targets[0].target)
            if isinstance(found, str):
                return found
            calls = found
        else:
            return "the RandomState is not assigned to a plain name: not every use is visible"
        methods: list[str] = []
        for method_call in calls:
            func = method_call.func
            assert isinstance(func, cst.Attribute)
            name = func.attr.value
            entry = numpy_legacy_call(f"numpy.random.{name}")
            if entry is not None and entry.role == "draw" and entry.generator_method:
                if numpy_call_translation(entry, method_call) is None:
                    return f"`.{name}(...)` on line {index.start(method_call)[0]}: " + (
                        Reason.UNSUPPORTED_ARGS
                    )
            if index.touches_protected(method_call):
                return Reason.PROTECTED
            if name not in methods:
                methods.append(name)
        self.randomstate_calls[id(call)] = calls
        return tuple(methods)

    def _name_uses(self, target: cst.Name) -> list[cst.Call] | str:
        index = self.index
        found = index.name_scope(target)
        if found is None:
            return Reason.NO_NODE
        scope, in_class = found
        if in_class:
            return "the RandomState is a class attribute: its uses through `self` are not visible"
        if index.scope_bindings(target.value, scope) != 1:
            return f"`{target.value}` is bound more than once: not every use is visible"
        calls: list[cst.Call] = []
        for name in index.references(target.value, scope):
            if name is target:
                continue
            parent = index.parent.get(id(name))
            grand = index.parent.get(id(parent)) if parent is not None else None
            if not (
                isinstance(parent, cst.Attribute)
                and parent.value is name
                and isinstance(grand, cst.Call)
                and grand.func is parent
            ):
                line = index.start(name)[0]
                spelled = target.value
                return f"`{spelled}` is used other than `{spelled}.<method>(...)` (line {line})"
            calls.append(grand)
        calls.sort(key=index.start)
        return calls

    def _torchscript(self, node: cst.CSTNode) -> bool:
        """Inside a function TorchScript compiles: decorated with `jit.script` (or
        `script_method`), or any function of a module that calls `jit.script(...)` on an
        object (a scripted nn.Module compiles its methods, and what they call)."""
        functions = [a for a in self.index.ancestors(node) if isinstance(a, cst.FunctionDef)]
        if not functions:
            return False
        if self._scripts is None:  # once per module: the search costs ~20 ms on a large one
            self._scripts = bool(_SCRIPT_CALL.search(self.index.text))
        if self._scripts:
            return True
        for func in functions:
            for decorator in func.decorators:
                target = decorator.decorator
                if isinstance(target, cst.Call):
                    target = target.func
                spelled = cst.Module([]).code_for_node(target)
                if spelled.split(".")[-1] in ("script", "script_method"):
                    return True
        return False

    def _argument_values(self, name: str, call: cst.Call) -> dict[str, cst.BaseExpression] | None:
        from ..knowledge.numpy_legacy import SIGNATURES
        from ..knowledge.numpy_translate import parse_signature

        spec = SIGNATURES.get(name)
        split = call_args(call)
        if spec is None or split is None:
            return None
        names = parse_signature(spec).positional
        positional, keywords = split
        values = {names[i]: a.value for i, a in enumerate(positional) if i < len(names)}
        values.update({k: a.value for k, a in keywords.items()})
        return values

    def _domain_risk(self, name: str, call: cst.Call) -> str | None:
        rule = _DOMAIN_RISKS.get(name)
        if rule is None:
            return None
        values = self._argument_values(name, call)
        if values is None:
            return None  # untranslatable anyway
        numbers = {k: _number(v) for k, v in values.items()}
        check, why = rule
        if check(numbers, values):
            return None
        return f"`{name}(...)`: {why}; the legacy function accepts them, so the fix could raise"

    def numpy_domain_risk(self, call: ApiCall) -> str | None:
        node = self.index.node_for(call)
        if not isinstance(node, cst.Call):
            return None
        return self._domain_risk(call.qualname.rsplit(".", 1)[1], node)

    def randomstate_domain_risk(self, call: ApiCall) -> str | None:
        for method_call in self.randomstate_calls.get(id(call), []):
            func = method_call.func
            assert isinstance(func, cst.Attribute)
            reason = self._domain_risk(func.attr.value, method_call)
            if reason:
                return reason
        return None

    def reentrancy(self, function: str) -> str | None:
        func = self.index.function_by_key(function)
        if func is None:
            return "the function is not found"
        finder = _Reentrancy(func.name.value)
        func.body.visit(finder)
        return finder.found or None

    def seed_literal(self, call: ApiCall) -> int | Literal["none"] | None:
        node = self.index.node_for(call)
        if not isinstance(node, cst.Call):
            return None
        if not node.args or is_none_arg(node.args[0]):
            return "none"
        value = _number(node.args[0].value)
        return value if isinstance(value, int) else None

    # -- module-wide ------------------------------------------------------------------------------
    def doctests(self) -> str | None:
        if re.search(r"^\s*>>>", self.index.text, re.M):
            return "because the module's doctests may seed the global generator and draw"
        return None

    def untracked_torch_use(self) -> str | None:
        found = UNTRACKED_TORCH.search(self.index.text)
        if found:
            return (
                f"because `{found.group(0).strip('.( ')}` in this module uses torch's default "
                "generator, and no fix moves it"
            )
        return None

    def name_value(self, call: ApiCall, name: str) -> str | None:
        if not name.isidentifier():
            return None
        node = self.index.node_for(call)
        if node is None:
            return None
        owner = self.index.owner_function(node)
        by_scope: dict[int, list[str | None]] = {}
        for bound, where in self.index.bindings:
            if bound != name:
                continue
            if isinstance(where, OpaqueBinding):
                # In a statement kept as text: never the call's own function.
                key = id(None) if where.module_owner else id(where)
                by_scope.setdefault(key, []).append(where.literal)
                continue
            scope = self.index.owner_function(where)
            by_scope.setdefault(id(scope), []).append(assigned_string(self.index, where))
        # A local binding hides the module's; only one binding, to a string, counts.
        values = by_scope.get(id(owner)) if id(owner) in by_scope else by_scope.get(id(None))
        return values[0] if values is not None and len(values) == 1 else None

    def bound_by_import(self, name: str) -> bool:
        kinds = [
            node.kind == "import"
            if isinstance(node, OpaqueBinding)
            else isinstance(node, (cst.Import, cst.ImportFrom))
            for bound, node in self.index.bindings
            if bound == name
        ]
        # No binding of its own: it came in through `from <library> import *`.
        return all(kinds) if kinds else self.index.star_import

    def int_shadowed(self) -> bool:
        if "int" in self.index.bound_names:
            return True
        # `from random import *` binds known names; a star import of anything else may
        # bind `int`.
        return any(
            name == "*" and source not in _KNOWN_STAR
            for record in self.index.imports
            for name, source in record.bound
        )

    def mentions_devices(self) -> bool:
        return bool(_DEVICE_WORDS.search(self.index.text))

    def changes_default_device(self) -> bool:
        return bool(_DEFAULT_DEVICE.search(self.index.text))


_SCRIPT_CALL = re.compile(
    r"\bjit\s*\.\s*script\s*\(|^\s*from\s+torch\.jit\s+import\b.*\bscript\b", re.M
)


class _Reentrancy(cst.CSTVisitor):
    """What makes a call-private generator draw other numbers than the shared global one."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.found = ""

    def visit_Yield(self, node: cst.Yield) -> None:
        self.found = self.found or (
            "a generator function: calls of it interleave on the global generator"
        )

    def visit_Await(self, node: cst.Await) -> None:
        self.found = self.found or "a coroutine: other tasks draw while it waits"

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.found = self.found or "it defines lazy code (lambda) that may draw later"

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self.found = self.found or "a generator expression draws lazily, after later calls"

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.found = self.found or "a nested function may draw later"

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.found = self.found or "it may call itself (recursion)"


Numbers = dict[str, "int | float | None"]


def _number(node: cst.BaseExpression) -> int | float | None:
    """The value of a (negated) int or float literal, else None."""
    negate = False
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        negate, node = True, node.expression
    value: int | float
    if isinstance(node, cst.Integer):
        value = node.evaluated_value
    elif isinstance(node, cst.Float):
        value = node.evaluated_value
    else:
        return None
    return -value if negate else value


def _uniform_ok(n: Numbers, v: dict[str, cst.BaseExpression]) -> bool:
    low = n.get("low", 0.0) if "low" in v else 0.0
    high = n.get("high", 1.0) if "high" in v else 1.0
    return low is not None and high is not None and low <= high


def _negative_binomial_ok(n: Numbers, v: dict[str, cst.BaseExpression]) -> bool:
    p = n.get("p")
    return p is not None and 0 < p <= 1


def _hypergeometric_ok(n: Numbers, v: dict[str, cst.BaseExpression]) -> bool:
    good, bad = n.get("ngood"), n.get("nbad")
    return good is not None and bad is not None and good < 10**9 and bad < 10**9


# Generator methods that reject arguments the legacy functions accept (measured with numpy
# 2.4): the translation is made only when literal arguments show they are in range.
_DOMAIN_RISKS = {
    "uniform": (_uniform_ok, "Generator.uniform raises when high < low"),
    "negative_binomial": (_negative_binomial_ok, "Generator.negative_binomial raises for p == 0"),
    "hypergeometric": (
        _hypergeometric_ok,
        "Generator.hypergeometric raises for ngood or nbad >= 10**9",
    ),
}


_KNOWN_STAR = frozenset({"random", "numpy.random", "numpy.random.mtrand", "math"})


def node_func(expr: cst.Expr) -> cst.BaseExpression | None:
    return expr.value.func if isinstance(expr.value, cst.Call) else None


def _literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.Name):
        return node.value == "None"
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return isinstance(node.expression, (cst.Integer, cst.Float))
    return False


def _simple_expression(node: cst.BaseExpression) -> bool:
    """Evaluating it twice gives the same value and has no effect: literals, names, dotted
    attributes, negated numbers."""
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString, cst.Name)):
        return True
    if isinstance(node, cst.Attribute):
        return _simple_expression(node.value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return isinstance(node.expression, (cst.Integer, cst.Float))
    return False


def numpy_call_translation(
    entry: NumpyLegacy, call: cst.Call
) -> tuple[str, tuple[cst.Arg, ...], dict[str, cst.Arg | bool], bool] | None:
    """The Generator call for a legacy call node (see plan.translate_numpy)."""
    split = call_args(call)
    if split is None:
        return None
    positional, keywords = split
    return translate_numpy(
        entry,
        positional,
        keywords,
        is_none=is_none_arg,
        make_tuple=make_tuple_arg,
        make_int=make_int_arg,
    )


def assigned_string(index: CstIndex, where: cst.CSTNode) -> str | None:
    """The string literal (its source text) that the binding `where` assigns alone
    (`name = "cpu"`), or None when it is bound otherwise (a parameter, a loop, an import...)."""
    parent = index.parent.get(id(where))
    if (
        isinstance(where, cst.AssignTarget)
        and isinstance(parent, cst.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.value, cst.SimpleString)
    ):
        return parent.value.value
    return None
