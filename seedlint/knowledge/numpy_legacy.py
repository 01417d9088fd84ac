"""numpy.random's legacy module-level API: the functions backed by the hidden global RandomState.

Which functions exist and their parameters come from ``_generated_numpy.py`` (introspected by
``scripts/generate_knowledge.py``).  What introspection cannot know is written here by hand:
each function's role, the ``Generator`` method it becomes and how its arguments translate
(``numpy_translate.translate`` applies the translation kinds of ``schema.Translation``).

``faithful`` means the Generator call accepts the same (meaningful) inputs and returns the same
shape, dtype and support: the *distribution* is the same, never the numbers (every Generator
method is a different algorithm on a different bit generator).  Measured on numpy 2.4.6, Linux;
the legacy discrete distributions return C ``long``, which is int32 on Windows where Generator
returns int64: a platform difference these flags do not record.
"""

from __future__ import annotations

from . import _generated_numpy as _gen
from .schema import NumpyLegacy

# Parameters of each legacy function (see _generated_numpy for the spelling).  ranf and sample
# are `(*args, **kwargs)` Cython wrappers that call `_rand.random_sample(*args, **kwargs)`.
SIGNATURES: dict[str, tuple[str, ...]] = {
    **_gen.LEGACY_SIGNATURES,
    "ranf": ("size=",),
    "sample": ("size=",),
}

GENERATOR_SIGNATURES: dict[str, tuple[str, ...]] = dict(_gen.GENERATOR_SIGNATURES)

# Public methods of numpy.random.RandomState (an explicit legacy generator, SDL102).  Not the
# same set as LEGACY: tomaxint exists only here; ranf, sample, get_bit_generator and
# set_bit_generator only at module level.
RANDOMSTATE_METHODS: frozenset[str] = frozenset(_gen.RANDOMSTATE_METHODS)

_L = NumpyLegacy

# Hand knowledge: every entry that is not "same name, same arguments, faithful".
_OVERRIDES: tuple[NumpyLegacy, ...] = (
    _L("rand", "draw", "random", "varargs_to_size", True),
    _L("randn", "draw", "standard_normal", "varargs_to_size", True),
    _L(
        "randint",
        "draw",
        "integers",
        "randint",
        False,
        True,
        note="same half-open [low, high); without size (and dtype) legacy returns a Python int, "
        "integers an np.int64",
    ),
    _L(
        "random_integers",
        "draw",
        "integers",
        "random_integers",
        True,
        note="closed interval [low, high]; random_integers(n) means [1, n]; deprecated",
    ),
    _L("random_sample", "draw", "random", "same_args", True),
    _L("ranf", "draw", "random", "same_args", True, note="alias of random_sample"),
    _L("sample", "draw", "random", "same_args", True, note="alias of random_sample"),
    _L(
        "uniform",
        "draw",
        "uniform",
        "same_args",
        False,
        note="legacy accepts high < low (samples (high, low]); Generator raises ValueError",
    ),
    _L(
        "hypergeometric",
        "draw",
        "hypergeometric",
        "same_args",
        False,
        note="Generator requires ngood, nbad < 10**9; legacy accepts larger",
    ),
    _L(
        "negative_binomial",
        "draw",
        "negative_binomial",
        "same_args",
        True,
        note="p=0: legacy returns garbage (-2**63), Generator raises ValueError",
    ),
    _L(
        "choice",
        "draw",
        "choice",
        "same_args",
        True,
        note="Generator adds axis and shuffle; replace=False uses another algorithm",
    ),
    _L(
        "seed",
        "seed",
        None,
        "seed_stmt",
        False,
        note="a statement rewrite (rng = default_rng(seed)); seed()/seed(None) is OS entropy",
    ),
    _L(
        "get_state",
        "state-read",
        None,
        "get_state",
        False,
        note="legacy tuple (with the gauss cache) vs bit_generator.state's dict",
    ),
    _L(
        "set_state",
        "state-write",
        None,
        "set_state",
        False,
        note="bit_generator.state = st accepts only the dict form",
    ),
    _L("get_bit_generator", "state-read", None, "get_bit_generator", True),
    _L(
        "set_bit_generator",
        "seed",
        None,
        "none",
        False,
        note="replaces the global bit generator (so it seeds); Generator.bit_generator is "
        "read-only",
    ),
)


def _default(name: str) -> NumpyLegacy:
    if name in GENERATOR_SIGNATURES:
        return NumpyLegacy(name, "draw", name, "same_args", True)
    # A function that appeared in a newer numpy and was not classified by hand: still a global
    # draw (the linter's main job), but no translation.
    return NumpyLegacy(name, "draw", None, "none", False, note="not classified")


_BY_NAME = {e.name: e for e in _OVERRIDES}

LEGACY: dict[str, NumpyLegacy] = {
    name: _BY_NAME.get(name) or _default(name)
    for name in sorted(set(_gen.LEGACY_SIGNATURES) | set(_BY_NAME))
}
