"""What seedlint knows about random APIs, as data, behind a handful of lookups.

Every lookup takes a *qualified name* as the analysis resolves it (``numpy.random.rand``,
``torch.nn.init.normal_``) and canonicalises aliases first (``numpy.random.mtrand.rand``).
"""

from __future__ import annotations

from functools import lru_cache

from . import generators, numpy_legacy, seeding, stdlib_random, thirdparty, torch_api
from .schema import (
    ExplicitGenerator,
    LoaderWorkers,
    NumpyLegacy,
    SeedingCall,
    StdlibRandom,
    ThirdPartyDraw,
    TorchApi,
)

__all__ = [
    "ExplicitGenerator",
    "LoaderWorkers",
    "NumpyLegacy",
    "SeedingCall",
    "StdlibRandom",
    "ThirdPartyDraw",
    "TorchApi",
    "canonical",
    "explicit_generator",
    "loader_workers",
    "numpy_legacy_call",
    "seeding_call",
    "stdlib_call",
    "tensor_inplace_random",
    "thirdparty_draw",
    "torch_call",
    "star_exports",
]

# Module paths that are the same namespace under another name.
_PREFIX_ALIASES: tuple[tuple[str, str], ...] = (
    ("numpy.random.mtrand._rand.", "numpy.random."),
    ("numpy.random.mtrand.", "numpy.random."),
    ("numpy.random._generator.", "numpy.random."),
    ("numpy.random._mt19937.", "numpy.random."),
    ("numpy.random._pcg64.", "numpy.random."),
    ("numpy.random._philox.", "numpy.random."),
    ("numpy.random._sfc64.", "numpy.random."),
    ("numpy.random.bit_generator.", "numpy.random."),
    ("torch.nn.modules.", "torch.nn."),
    ("torch.utils.data.dataloader.", "torch.utils.data."),
    ("torch.utils.data.dataset.", "torch.utils.data."),
    ("torch.utils.data.sampler.", "torch.utils.data."),
    ("torch._C._VariableFunctions.", "torch."),
    ("torch.functional.", "torch."),
    ("torch.random.", "torch."),
    ("torch.cuda.random.", "torch.cuda."),
    ("random._inst.", "random."),
)

_EXACT_ALIASES: dict[str, str] = {**seeding.ALIASES, **thirdparty.ALIASES}


@lru_cache(maxsize=4096)
def canonical(qualname: str) -> str:
    """Return the canonical spelling of a qualified name (aliases and private paths folded)."""
    for prefix, replacement in _PREFIX_ALIASES:
        if qualname.startswith(prefix):
            qualname = replacement + qualname[len(prefix) :]
            break
    if qualname.startswith("torch.nn.") and qualname.count(".") > 2:
        # torch.nn.modules.linear.Linear was folded to torch.nn.linear.Linear: keep the class.
        head, _, last = qualname.rpartition(".")
        if head not in ("torch.nn.init", "torch.nn.functional", "torch.nn.utils"):
            if f"torch.nn.{last}" in torch_api.APIS:
                qualname = f"torch.nn.{last}"
    return _EXACT_ALIASES.get(qualname, qualname)


def numpy_legacy_call(qualname: str) -> NumpyLegacy | None:
    """The legacy global-API entry for ``numpy.random.<name>``, if it is one."""
    if qualname.startswith("numpy.random.") and qualname.count(".") == 2:
        return numpy_legacy.LEGACY.get(qualname[13:])
    return None


def stdlib_call(qualname: str, python: tuple[int, int] | None = None) -> StdlibRandom | None:
    """The entry for a module-level ``random.<name>`` function, if it is one."""
    if qualname.startswith("random.") and qualname.count(".") == 1:
        entry = stdlib_random.FUNCTIONS.get(qualname[7:])
        if entry is not None and (python is None or entry.since <= python):
            return entry
    return None


def torch_call(qualname: str) -> TorchApi | None:
    return torch_api.APIS.get(qualname)


def loader_workers(qualname: str) -> LoaderWorkers | None:
    """How a data loader runs (and seeds) its dataset in worker processes."""
    return torch_api.LOADER_WORKERS.get(canonical(qualname))


def tensor_inplace_random(method: str) -> TorchApi | None:
    """`x.<method>()` on a receiver of unknown type, in a file that imports torch."""
    if method in torch_api.TENSOR_INPLACE_RANDOM:
        return torch_api.APIS[f"torch.Tensor.{method}"]
    return None


def seeding_call(qualname: str) -> SeedingCall | None:
    return seeding.SEEDING_CALLS.get(qualname)


def meta_estimator(qualname: str) -> bool:
    """A scikit-learn wrapper that fits the estimators it is built with when it is fitted."""
    return canonical(qualname) in thirdparty.META_ESTIMATORS


def seeds_held_estimators(qualname: str) -> bool:
    """A scikit-learn ensemble whose `random_state` seeds the estimators it holds."""
    return canonical(qualname) in thirdparty.SEEDS_HELD_ESTIMATORS


def thirdparty_draw(qualname: str) -> ThirdPartyDraw | None:
    return thirdparty.THIRDPARTY_DRAWS.get(qualname)


def explicit_generator(qualname: str) -> ExplicitGenerator | None:
    return generators.EXPLICIT.get(qualname)


def star_exports(module: str) -> tuple[str, ...]:
    """Names that ``from <module> import *`` binds, for the modules whose draws we track."""
    if module == "random":
        return tuple(stdlib_random.FUNCTIONS) + ("Random", "SystemRandom")
    if module in ("numpy.random", "numpy.random.mtrand"):
        return tuple(numpy_legacy.LEGACY) + tuple(
            q.rsplit(".", 1)[1] for q in generators.EXPLICIT if q.startswith("numpy.random.")
        )
    return ()


@lru_cache(maxsize=1)
def known_packages() -> frozenset[str]:
    """Top-level packages of every qualified name the tables know: a call into anything else
    can only be a project function (or irrelevant), so it needs no table lookups."""
    names = [
        *(f"numpy.random.{n}" for n in numpy_legacy.LEGACY),
        "random.seed",
        *torch_api.APIS,
        *seeding.SEEDING_CALLS,
        *seeding.ALIASES,
        *thirdparty.THIRDPARTY_DRAWS,
        *thirdparty.ALIASES,
        *generators.EXPLICIT,
    ]
    return frozenset(name.split(".", 1)[0] for name in names)


@lru_cache(maxsize=1)
def referenceable_names() -> frozenset[str]:
    """Last components of the functions whose mere reference is a finding (SDL101/SDL103)."""
    return frozenset(numpy_legacy.LEGACY) | frozenset(stdlib_random.FUNCTIONS)
