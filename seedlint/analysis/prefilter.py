"""A byte-cheap test that decides whether a file can matter at all, before anything parses it.

Parsing is the dominant cost of a run (`ast.parse` is ~6 us a line here), and most files of a
real project never touch a random API.  A file is worth parsing when its text could hold

* a random API (`random`, `numpy.random`, torch's samplers and initialisers, seeders), or
* a program entry point that may call a project helper that draws (a `__main__` block, a
  pytest test module, conftest.py).

Everything here is plain substring search (C speed); false positives only cost a parse.
"""

from __future__ import annotations

import os

# Any of these in the text means the file may call a random API or a seeder.
_TOKENS: tuple[str, ...] = (
    "random",  # stdlib random, numpy.random, random_state, random_split, RandomState
    "rand",  # torch.rand/randn/randint/randperm, *_like
    "seed",  # manual_seed, set_seed, seed_everything, ...
    "rng",  # explicit generators passed around
    "Generator",  # torch.Generator / numpy Generator
    "normal",  # normal_, torch.normal, init.*normal_
    "uniform",
    "bernoulli",
    "multinomial",
    "poisson",
    "ropout",  # dropout, Dropout, alpha_dropout
    "DataLoader",
    "Sampler",
    "shuffle",
    "distributions",
    "sample",  # pandas .sample, distributions .sample
    "rvs",
    "exponential_",
    "geometric_",
    "cauchy_",
    "gumbel",
    "rrelu",
    "RReLU",
    "nn.",  # torch.nn layers draw their initial parameters
    "Linear",
    "Conv",
    "Embedding",
    "LSTM",
    "GRU",
    "RNN",
    "Attention",
    "sklearn",
)

_ENTRY_TOKENS: tuple[str, ...] = ("__main__",)


def is_test_file(path: str) -> bool:
    name = os.path.basename(path)
    return (
        name == "conftest.py"
        or (name.startswith("test_") and name.endswith(".py"))
        or name.endswith("_test.py")
    )


def may_matter(text: str, path: str) -> bool:
    """False only when the file certainly has nothing for seedlint to look at."""
    if is_test_file(path):
        return True
    return any(token in text for token in _TOKENS) or any(t in text for t in _ENTRY_TOKENS)
