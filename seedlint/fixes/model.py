"""The values the fixer's layers exchange: options, outcomes, and the plan's vocabulary.

Nothing here imports libcst: `describe_fix` (JSON output) and the planner stay cheap.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal

from ..analysis.facts import ApiCall
from ..diagnostics import Applicability, Diagnostic

__all__ = [
    "FIXABLE_CODES",
    "AppliedFix",
    "Family",
    "FixContext",
    "FixOptions",
    "FixOutcome",
    "UNTRACKED_TORCH",
    "derive_seed",
    "Reason",
]

# Uses of torch's default generator the facts do not record: Tensor.multinomial()/bernoulli()
# (the methods without an underscore draw too) and torch.initial_seed() (reads the seed).
UNTRACKED_TORCH = re.compile(r"(?<!\btorch)\.(?:multinomial|bernoulli)\s*\(|\binitial_seed\s*\(")

# The codes `--fix` knows how to fix; everything else is never touched or reported here.
FIXABLE_CODES: frozenset[str] = frozenset({"SDL101", "SDL102", "SDL103", "SDL104"})

NumpyTarget = Literal["generator", "randomstate"]
SiteAction = Literal["draw", "reference", "seed-method", "seed-carried"]
FixStyle = Literal["module", "parameter"]


@dataclass(frozen=True)
class FixOptions:
    safe_only: bool = False  # apply only stream-preserving fixes
    numpy_target: NumpyTarget = "generator"
    fix_style: FixStyle = "module"
    seed: int | None = None  # --seed N: allowed to invent this seed where none exists


@dataclass(frozen=True)
class FixContext:
    """What the rest of the program does that a fix of one module must account for.

    The Workspace computes it from the cross-file facts it already has (the fixer never
    reads other files): a fix keeps the numbers only when every later draw from that global
    generator, in every program that reaches the module, moves to the new generator."""

    module: str = ""  # dotted module name: derived seeds differ per module
    # library -> why its global generator is shared with code outside this module (other
    # project modules that draw from or seed it, third-party consumers, DataLoader workers).
    shared: tuple[tuple[str, str], ...] = ()
    # Names other project modules import from this one (they must stay importable).
    imported_names: frozenset[str] = frozenset()
    # Another project module does `from <this module> import *`: new module-level names
    # must not be exported (they would overwrite the importer's own), and no import may go.
    star_imported: bool = False

    def shared_reason(self, library: str) -> str | None:
        for name, reason in self.shared:
            if name == library:
                return reason
        return None


def derive_seed(seed: int | str, module: str, library: str) -> int:
    """A seed derived from `seed` for one module and library: distinct modules (and the global
    generator the original seed still seeds) get distinct streams.  The first 8 hex digits of
    sha256("<seed>:<module>:<library>"), a 32-bit value every generator accepts."""
    text = f"{seed}:{module}:{library}"
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


@dataclass(frozen=True)
class AppliedFix:
    code: str
    line: int  # 1-based line of the diagnostic in the *input* text
    applicability: Applicability
    description: str


@dataclass(frozen=True)
class FixOutcome:
    new_text: str
    applied: list[AppliedFix] = field(default_factory=list)
    # Unfixed findings of fixable codes, each with a one-line reason.
    remaining: list[tuple[Diagnostic, str]] = field(default_factory=list)


class Reason:
    """The reasons a finding stays unfixed (stable strings: tests and users read them)."""

    NO_SEED = "no seed to carry over (pass --seed N)"
    SAFE_ONLY = "stream-changing (not applied with --safe-only)"
    INVALID = "internal: fix produced invalid code"
    DOES_NOT_PARSE = "the file does not parse"
    LIBCST_PARSE = "libcst cannot parse this file (syntax it does not support)"
    PROTECTED = "the line has a `# noqa` comment or another finding that is not being fixed"
    NO_NODE = "internal: no syntax node at the reported position"
    SEVERAL_CANDIDATES = "the name may refer to several libraries (conditional import)"
    STAR_ARGS = "the call passes *args/**kwargs: its arguments cannot be translated"
    NOT_A_CALL = "used as a callable value: its arguments cannot be translated"
    REFERENCE_VALUE = (
        "used as a value, not passed to a call (it may be compared or registered): the "
        "module function must stay"
    )
    NOT_IMPORTED = (
        "the library is not imported at module level (a module-level generator would import "
        "it at load time)"
    )
    INT_SHADOWED = (
        "`int` is rebound in this module (or may be, by a star import of a module seedlint "
        "does not know): the result cannot be wrapped in int()"
    )
    ALREADY_TARGET = "already an explicit RandomState (--numpy-target=randomstate)"
    DEVICE = "non-CPU device= needs a generator on that device"
    TENSOR_DEVICE = (
        "the tensor may live on a non-CPU device (the module mentions devices), "
        "and a CPU generator would fail there"
    )
    DEFAULT_DEVICE = "the module changes torch's default device: a CPU generator may not fit"
    STATE_RESTORE = (
        "the module restores the global state (set_state): its draws must stay on the global "
        "generator"
    )
    SEED_KEPT = "kept: other calls in this module still use the global generator"
    SEED_EXTRA_ARGS = "the seeding call has extra arguments that the constructor cannot take"
    SEED_NOT_DUPLICABLE = (
        "the seeding call stays for other global draws, and its seed expression cannot be "
        "evaluated twice"
    )
    NOTHING_TO_MOVE = "seeds the global generator for code elsewhere; no draws here to move"
    SEED_HELPER = (
        "a seeding helper (its function draws nothing): other code relies on the global "
        "generator it seeds"
    )
    UNSUPPORTED_ARGS = "these arguments have no call-for-call translation"
    TORCHSCRIPT = (
        "inside a TorchScript-compiled function (torch.jit.script): it cannot use a "
        "module-level generator"
    )
    LOCAL_IMPORT = (
        "the library is imported only locally under a name the generator cannot be spelled with"
    )
    SEED_INT_SHADOWED = (
        "`int` is rebound in this module: the torch seed cannot be wrapped in int() "
        "(Generator.manual_seed takes only an int)"
    )
    KEPT_DUPLICATE = (
        "the seeding call stays for other draws, and a generator of the same algorithm "
        "needs a seed derived from it: only a literal or a plain name can be derived"
    )
    PARAMETER_NO_SEED = (
        "parameter style needs a seeded fallback generator: no seed to carry over (pass --seed N)"
    )


@dataclass(frozen=True)
class Family:
    """A kind of explicit generator that global calls of one library are moved to."""

    library: Literal["numpy", "random", "torch"]
    code: str  # the diagnostic code of that library's global calls
    kind: Literal["numpy-generator", "numpy-randomstate", "random", "torch"]
    # Seeding calls can become `gen.seed(...)` (random.Random, RandomState): exact streams.
    reseedable: bool
    default_name: str
    constructor: str  # dotted name of what creates the generator


NUMPY_GENERATOR = Family(
    "numpy", "SDL101", "numpy-generator", False, "rng", "numpy.random.default_rng"
)
NUMPY_RANDOMSTATE = Family(
    "numpy", "SDL101", "numpy-randomstate", True, "rng", "numpy.random.RandomState"
)
STDLIB = Family("random", "SDL103", "random", True, "rng", "random.Random")
TORCH = Family("torch", "SDL104", "torch", False, "g", "torch.Generator")


@dataclass(frozen=True)
class Site:
    """One finding to fix: the diagnostic, the call it is about, what becomes of it."""

    diagnostic: Diagnostic
    call: ApiCall
    # draw: a call rewritten as a generator method (or given generator=);
    # reference: a callable value rewritten as a bound generator method;
    # seed-method: a seeding call rewritten as gen.seed(...) (reseedable families);
    # seed-carried: the seeding call whose value the generator's constructor takes.
    action: SiteAction
    method: str = ""  # generator method (numpy/random) for draw/reference
    description: str = ""
