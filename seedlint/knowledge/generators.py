"""Constructors of explicit generator objects: not global draws."""

from .schema import ExplicitGenerator

_BITGENS = ("MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64")

_ALL = [
    ExplicitGenerator("numpy.random.default_rng", "numpy", "numpy.random.Generator", (0, "seed")),
    ExplicitGenerator("numpy.random.Generator", "numpy", "numpy.random.Generator", None),
    ExplicitGenerator(
        "numpy.random.RandomState", "numpy", "numpy.random.RandomState", (0, "seed"), legacy=True
    ),
    ExplicitGenerator(
        "numpy.random.SeedSequence", "numpy", "numpy.random.SeedSequence", (0, "entropy")
    ),
    *(
        ExplicitGenerator(f"numpy.random.{b}", "numpy", "numpy.random.BitGenerator", (0, "seed"))
        for b in _BITGENS
    ),
    ExplicitGenerator("random.Random", "random", "random.Random", (0, "x")),
    ExplicitGenerator("torch.Generator", "torch", "torch.Generator", None),
]

EXPLICIT: dict[str, ExplicitGenerator] = {g.qualname: g for g in _ALL}
