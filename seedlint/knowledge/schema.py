"""Shapes of the knowledge tables: what seedlint knows about each random API, as plain data.

The tables themselves live beside this module (generated ones are marked `# GENERATED VIA`,
hand-written overrides sit next to them).  Nothing here imports numpy or torch: the static
analyzer runs in bare environments.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Library = Literal["random", "numpy", "torch"]

# What a call does to a library's global generator.
#   draw        consumes numbers from the global generator
#   seed        makes the global generator deterministic (given a deterministic argument)
#   state-read  reads the state (getstate/get_state/get_rng_state); neither seeds nor draws
#   state-write restores a state (setstate/set_state/set_rng_state): counts as seeding
#   entropy     reseeds from the OS (torch.seed()): the opposite of seeding
Role = Literal["draw", "seed", "state-read", "state-write", "entropy"]

# How a numpy legacy call becomes a Generator call (see numpy_legacy.py's docstring).
Translation = Literal[
    "same_args",  # rng.<method>(*args, **kwargs)
    "varargs_to_size",  # rand(a, b) -> rng.random((a, b)); rand() -> rng.random()
    "randint",  # randint(low, high=None, size=None, dtype=int) -> rng.integers(...)
    "random_integers",  # closed interval; random_integers(n) -> integers(1, n, endpoint=True)
    "tomaxint",  # RandomState method only
    "seed_stmt",  # np.random.seed(s) -> rng = np.random.default_rng(s)
    "get_state",  # -> rng.bit_generator.state
    "set_state",  # -> rng.bit_generator.state = st (dict form only)
    "get_bit_generator",  # -> rng.bit_generator
    "none",  # no Generator equivalent
]


class NumpyLegacy(NamedTuple):
    """A module-level function of `numpy.random` backed by the hidden global RandomState."""

    name: str
    role: Role
    generator_method: str | None  # the Generator method it becomes, None when there is none
    translation: Translation
    # False where the Generator call accepts different inputs or returns a different type
    # (e.g. randint without size: legacy gives a Python int, integers an np.int64).
    faithful: bool
    # True where legacy returns a Python scalar when `size` is omitted and the Generator
    # method returns a numpy scalar (so a fix must wrap it in int()/float()).
    python_scalar_without_size: bool = False
    note: str = ""


class StdlibRandom(NamedTuple):
    """A module-level function of `random`: a bound method of the hidden `random._inst`."""

    name: str
    role: Role
    since: tuple[int, int] = (3, 0)  # first Python version that has it


class TorchApi(NamedTuple):
    """A torch callable that draws from the default generator."""

    qualname: str  # canonical name: "torch.rand", "torch.Tensor.normal_", "torch.nn.Linear"
    accepts_generator: bool  # `generator=` is accepted (verified by calling it in tests)
    # call: the call itself draws; iteration: iterating the result draws (DataLoader, samplers);
    # construction: building the object initialises parameters randomly (nn layers);
    # forward: calling the module in training mode draws (nn.Dropout).
    draws_on: Literal["call", "iteration", "construction", "forward"] = "call"
    # Draws only when this keyword (or positional index) is given a value other than 0/None,
    # e.g. scaled_dot_product_attention's dropout_p.
    only_if_arg: tuple[int, str] | None = None
    # Position of `generator` when it may be passed positionally (random_split's third
    # argument, nn.init's last); None when it is keyword-only.
    generator_position: int | None = None
    note: str = ""
    # A literal 0 in this argument means it never draws (`nn.Dropout(p=0.0)`, `F.dropout(x,
    # 0.0)`).
    never_if_zero: tuple[int, str] | None = None
    # The `training` argument of a functional dropout: a literal False never draws; an
    # expression (`self.training`) draws only in training mode; absent means its default.
    training_arg: tuple[int, str] | None = None


class SeedingCall(NamedTuple):
    """A call that seeds (or reseeds from entropy) one or more global generators."""

    qualname: str
    seeds: frozenset[str]  # libraries whose *global* generator it seeds: random/numpy/torch
    # Position and keyword of the seed argument; None where the call takes none.
    seed_param: tuple[int, str] | None
    # Seeding without an argument (or with None): "entropy" (random.seed()), "deterministic"
    # (Lightning's seed_everything() falls back to 0 / an env var), or "required".
    without_seed: Literal["entropy", "deterministic", "required"] = "entropy"
    role: Role = "seed"
    note: str = ""


class ThirdPartyDraw(NamedTuple):
    """A third-party API that draws from numpy's global generator unless seeded (SDL006)."""

    qualname: str  # canonical, e.g. "sklearn.model_selection.train_test_split"
    seed_keyword: str  # "random_state" or "rng"
    # "call": the call draws; "method": calling .fit/.split/.rvs/.sample on the result draws;
    # we flag the construction or call site that omits the seed.
    kind: Literal["call", "estimator", "method"] = "call"
    # Only random when these keyword conditions hold (e.g. {"shuffle": "True"}); values are
    # the source text of a literal, "*" for "given with any value other than None/False", or
    # "<array>" for "given, and neither a string literal nor None" (KMeans' `init=centers`).
    only_if: tuple[tuple[str, str], ...] = ()
    # Never random when any of these keyword conditions hold (SonarSource S6709-style).
    unless: tuple[tuple[str, str], ...] = ()
    # Only random when at least one of these holds (empty: no such condition).  Besides the
    # only_if patterns: "<absent>" (the keyword is not passed) and "<fraction>" (passed, and
    # neither None nor 1/1.0: `max_features=0.5`).
    only_if_any: tuple[tuple[str, str], ...] = ()
    note: str = ""
    # Older spellings of the seed keyword that the API still accepts and honours (scipy's
    # SPEC 7 transition: `rng` replaced `random_state`/`seed`): passing one is seeding too.
    legacy_seed_keywords: tuple[str, ...] = ()
    # For kind "estimator": the methods that draw (construction itself draws nothing);
    # "__iter__" means iterating the object.
    draw_methods: tuple[str, ...] = ("fit", "partial_fit", "fit_transform", "fit_predict")


class ExplicitGenerator(NamedTuple):
    """A constructor of an explicit generator object (not a global draw)."""

    qualname: str
    library: Library
    # The instance type it produces, used to resolve method calls on it.
    instance: str
    seed_param: tuple[int, str] | None
    legacy: bool = False  # numpy.random.RandomState: explicit, but legacy (SDL102)


class LoaderWorkers(NamedTuple):
    """Where a data loader runs its dataset's `__getitem__`, and how it seeds that place.

    With no worker processes the dataset runs in the loading process, on that process's global
    generators.  With workers, iterating the loader draws a base seed from its `generator` (or
    torch's default generator), and each worker seeds `seeds` from it before running the
    dataset: draws there are reproducible exactly when that generator was seeded.
    """

    qualname: str
    dataset: tuple[int, str]  # position and keyword of the dataset argument
    num_workers: tuple[int, str]  # position and keyword of the worker count (default 0)
    generator: tuple[int, str]  # position and keyword of the base seed's generator
    seeds: frozenset[str]  # global generators each worker seeds from the base seed
    methods: tuple[str, ...]  # dataset methods the workers call
    # Position and keyword of the function each worker calls after seeding `seeds`, before
    # it loads anything (its seedings hold for the dataset's draws in that worker).
    worker_init_fn: tuple[int, str] = (10, "worker_init_fn")
