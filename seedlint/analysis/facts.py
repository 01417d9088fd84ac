"""Facts the analysis extracts from one module: plain, serialisable data (cached by content hash).

Rules never walk a syntax tree: they read these facts.  Two kinds:

* `ApiCall`: every call of (or reference to) a random-related API, with its resolved canonical
  qualified name, what it does to a global generator, and what its seed argument looks like.
* A small control-flow IR (`Flow`) of each function and of the module's top level, enough for
  the seeding analysis to ask "was library L seeded before this draw on every path?".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from ..diagnostics import Span

# What an API call does.  draw/seed/state-read/state-write/entropy as in knowledge.schema.Role;
# construct: creates an explicit generator object (default_rng, RandomState, Random, Generator);
# instance-draw: draws from an explicit generator object (rs.rand(), g.manual_seed(...)).
# deferred: builds an object that draws later, where it is used (an `nn.Dropout` in a forward
# pass, a `DataLoader` when iterated, an estimator in `fit`): each use is recorded as a "draw"
# whose `origin` is the index of this construction.
CallRole = Literal[
    "draw", "seed", "state-read", "state-write", "entropy", "construct", "instance", "deferred"
]

# How a seed argument looks statically.
#   absent:   no seed argument at all          none:    literally None
#   constant: a literal (value in `seed_text`)  entropy: derived from time/os.urandom/uuid/...
#   dynamic:  anything else (a variable, args.seed, a parameter): deterministic as far as we know
SeedKind = Literal["absent", "none", "constant", "entropy", "dynamic"]


@dataclass(frozen=True)
class SeedArg:
    kind: SeedKind
    text: str = ""  # source text of the argument (normalised), for SDL005's "same seed"
    # Names the argument reads (for SDL004's loop invariance check).
    names: tuple[str, ...] = ()
    # The literal a named constant stands for (`SEED = 123; default_rng(SEED)`), for SDL005.
    constant: str | None = None


@dataclass(frozen=True)
class ApiCall:
    span: Span  # the whole call expression (or the reference)
    qualname: str  # canonical, e.g. "numpy.random.rand", "torch.Tensor.normal_"
    library: str  # "random" | "numpy" | "torch" | a third-party top-level package
    role: CallRole
    # "call": a call; "reference": a function passed around without calling it here.
    usage: Literal["call", "reference"] = "call"
    keywords: tuple[str, ...] = ()
    n_positional: int = 0
    has_star_args: bool = False  # *args / **kwargs present: keyword checks are uncertain
    star_kwargs: bool = False  # **kwargs present: any keyword may be passed
    seed: SeedArg | None = None  # seeding calls and generator constructors
    scope: str = "<module>"  # qualified name of the enclosing function, or "<module>"
    loop_depth: int = 0  # number of enclosing loops within its scope (SDL004)
    # Names assigned inside the innermost enclosing loop (SDL004: is the seed loop-invariant?).
    loop_assigned: tuple[str, ...] = ()
    # For construct: the name it is assigned to ("rng" in `rng = default_rng()`), if simple.
    target: str | None = None
    # For construct: is this the value of a parameter default / `x = default_rng(x)` idiom?
    param_default: bool = False
    # For keyword-conditioned APIs (SDL006, sdpa dropout_p): keyword -> source text.
    keyword_values: tuple[tuple[str, str], ...] = ()
    # Several candidates for one call (conditional imports): index of this candidate.
    candidates: int = 1
    # The call is itself an argument of another call (`Bagging(estimator=Tree())`).
    is_argument: bool = False
    # A use of a deferred object (role "draw"): index of its construction in the same module.
    origin: int | None = None
    # Draws only while modules are in training mode (a dropout layer's forward pass,
    # `F.dropout(x, training=self.training)`): not after `.eval()`.
    train_only: bool = False

    def keyword_value(self, name: str) -> str | None:
        for key, value in self.keyword_values:
            if key == name:
                return value
        return None


# --- control-flow IR ---------------------------------------------------------------------
# Each node is a small tuple; lists of nodes run in order.  Indices point into
# ModuleFacts.calls.  Kept as tuples so they serialise to JSON and back trivially.
#   ("api", call_index)                       a seeding/drawing API call
#   ("call", target[, args])                  a call of something that may be a project function;
#                                             target is a dotted candidate name; args: the
#                                             arguments whose class is known, each
#                                             (position or keyword, "cls", dotted class) or
#                                             (position or keyword, "param", caller's parameter)
#                                             or (position or keyword, "fn", dotted function)
#                                             or (position or keyword, "const", literal) or
#                                             (position or keyword, "option", name): a
#                                             command-line option defaulting to None; and
#                                             (positional count, "given", "kw kw") when some
#                                             argument is none of these
#   ("vcall", target, args)                   `self.m(...)`: target is the enclosing class's
#                                             `m`, dispatched to the override of the class the
#                                             object was built from
#   ("pcall", param, method, args)            `param.method(...)` / `param(...)` ("__call__") on
#                                             a parameter: runs the passed object's method
#   ("spawn", target)                         `torch.multiprocessing.spawn(target)`: runs in
#                                             fresh processes
#   ("loader", qualname, dataset class, where, own, init)
#                                             iterating a data loader runs the dataset's
#                                             methods: where is "main" (in this process),
#                                             "workers" (seeded from the loader's generator)
#                                             or "either" (a worker count we cannot read);
#                                             own=1: it has its own `generator=`; dataset
#                                             class "param:<name>": the classes passed for
#                                             that parameter; init: the project function
#                                             given as `worker_init_fn` ("" if none)
#   ("import", module)                        importing a module runs its top level once
#   ("branch", [flow, flow, ...][, default[, test]])
#                                             exactly one branch runs; default: the branch a run
#                                             without a None-default command-line option takes;
#                                             test: (parameter, operator, literal) of an `if` on
#                                             a parameter, decided where the call passes a
#                                             constant (`extract._param_test`)
#   ("loop", flow)                            runs zero or more times
#   ("try", body, [handler flows], orelse, finalbody)
#   ("mode", eval)                            `.eval()` (1) / `.train()` (0): dropout is off in eval
#   ("stop", how)                             how: "return" | "raise" | "jump" (break/continue):
#                                             the rest of this flow does not run on this path
Flow = list[Any]


def flow_nodes(flow: Flow) -> Iterator[Any]:
    """Every node of `flow` and of the flows nested in it (branches, loop bodies, try
    parts), each node before its nested ones, in source order: the one place that knows
    where nodes hold flows."""
    for node in flow:
        yield node
        kind = node[0]
        if kind == "branch":
            for sub in node[1]:
                yield from flow_nodes(sub)
        elif kind == "loop":
            yield from flow_nodes(node[1])
        elif kind == "try":
            for sub in (node[1], *node[2], node[3], node[4]):
                yield from flow_nodes(sub)


@dataclass
class FunctionFacts:
    qualname: str  # "pkg.mod.func", "pkg.mod.Class.method"
    line: int
    params: tuple[str, ...]
    decorators: tuple[str, ...]  # resolved dotted names where possible ("pytest.fixture")
    autouse_fixture: bool
    is_fixture: bool
    flow: Flow
    # Parameters whose constant value may decide a branch here (tested by an `if`, or passed
    # on to another call), each with its literal default ("0", "None"; None: no literal).
    values: tuple[tuple[str, str | None], ...] = ()


@dataclass
class ModuleFacts:
    module: str  # dotted module name ("pkg.utils"), or the file stem when outside a package
    path: str
    calls: list[ApiCall] = field(default_factory=list)
    # Top-level code excluding the `if __name__ == "__main__":` block, and that block.
    toplevel: Flow = field(default_factory=list)
    main_block: Flow | None = None
    functions: dict[str, FunctionFacts] = field(default_factory=dict)
    imports_torch: bool = False
    # Project modules this module imports (dotted), for building the project index.
    imported_modules: tuple[str, ...] = ()
    # (scope, receiver text) of every `<receiver>.seed/manual_seed/setstate(...)` call.
    reseeded: list[tuple[str, str]] = field(default_factory=list)
    # Module-level names bound to other modules' objects: name -> dotted qualified name.
    exports: dict[str, str] = field(default_factory=dict)
    # Classes defined here: qualified name -> resolved dotted names of its bases, for
    # constructors and methods inherited from project base classes.
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # `self.<attr> = <param>` in a class's `__init__`: class qualname -> {attr: param}, so
    # that `self.<attr>.m()` runs `m` of the class the constructor's caller passed; or
    # {attr: "=<dotted class>"} for `self.<attr> = Cls()` in a method (`obj.<attr>.m()`
    # elsewhere runs `Cls.m`).
    attr_params: dict[str, dict[str, str]] = field(default_factory=dict)
    # Project modules of `from <module> import *` (names bound nowhere else come from them).
    star_imports: tuple[str, ...] = ()
    # Parse error: (message, line, column) when the file does not parse.
    syntax_error: tuple[str, int, int] | None = None
