"""Byte-cheap tests that decide how much of a project file must be parsed, before any parsing.

Parsing is the dominant cost of a run (`ast.parse` is ~6 us a line here) and most files of a
real project never touch a random API.  A file falls in one of four tiers:

* ``direct``: its text names a random API, a seeder or a generator, so it may have findings
  of its own; always parsed.
* ``entry``: it may be a program (a `__main__` block, a pytest module, conftest.py) that calls
  project helpers; always parsed.
* ``program``: it names only APIs that draw when *used by a program* (building `torch.nn`
  layers, dropout, `torch.distributions`); parsed only when a program imports it.
* ``none``: nothing seedlint looks for; never parsed.

Everything here is plain substring search (C speed); a false positive only costs a parse, a
false negative loses findings, so the token lists err on the side of parsing.  Measured on
the 6,355 files of torch, scikit-learn, numpy and transformers: no file with findings is
classified below what it needs.
"""

from __future__ import annotations

import bisect
import os
import re
from typing import Literal

Tier = Literal["direct", "entry", "program", "none"]

_DIRECT: tuple[str, ...] = (
    ".random",  # np.random, numpy.random, torch.random, from numpy.random import
    ".random_(",  # Tensor.random_
    "import random",  # stdlib, also `from numpy import random`
    "from random",
    "rand(",  # torch.rand / from torch import rand
    "randn",
    "randint",
    "randperm",
    "rand_like",
    "seed(",  # random.seed, manual_seed, set_seed, set_random_seed
    "seed_everything",
    "manual_seed",  # also torch.cuda.manual_seed_all
    "enable_full_determinism",
    "binomial(",
    "normal(",  # torch.normal
    "rrelu",
    "nn.init",
    "orthogonal_(",
    "kaiming_",
    "xavier_",
    "set_rng_state",
    "seed_all_rng",
    "init_seeds",
    "Generator(",
    "RandomState",
    "default_rng",
    "normal_(",
    "uniform_(",
    "bernoulli",
    "multinomial(",
    "poisson(",
    "exponential_(",
    "geometric_(",
    "cauchy_(",
    "log_normal_(",
    "DataLoader",
    "Sampler",
    "random_split",
    ".rvs(",
    ".sample(",
)

# Tokens that must end where a name ends: `.random` but not `self.random_state`.
_WORD_TOKENS = frozenset({".random"})

_PROGRAM: tuple[str, ...] = (
    "nn.",
    "Linear",
    "Conv",
    "Embedding",
    "LSTM",
    "GRU",
    "RNN",
    "Attention",
    "Transformer",
    "ropout",
    "distributions",
    "rrelu",
    "RReLU",
    "gumbel",
    "scaled_dot_product",
)


def is_test_file(path: str) -> bool:
    name = os.path.basename(path)
    return (
        name == "conftest.py"
        or (name.startswith("test_") and name.endswith(".py"))
        or name.endswith("_test.py")
    )


def _thirdparty_names() -> dict[str, tuple[str, ...]]:
    """Package -> names of its APIs that draw from numpy's global generator (SDL006)."""
    from ..knowledge import thirdparty

    names: dict[str, set[str]] = {}
    for qualname in thirdparty.THIRDPARTY_DRAWS:
        package, _, rest = qualname.partition(".")
        names.setdefault(package, set()).add(rest.rsplit(".", 1)[-1])
    return {package: tuple(sorted(found)) for package, found in names.items()}


_THIRDPARTY: dict[str, tuple[str, ...]] = _thirdparty_names()
_THIRDPARTY_CALLS: dict[str, re.Pattern[str]] = {
    package: re.compile(r"(?<!class )(?<!def )(?<!\w)(?:" + "|".join(names) + r")\(")
    for package, names in _THIRDPARTY.items()
}


# Every `_DIRECT` token contains one of these: most files hit none of them, and scanning for
# these few is half the cost of scanning for all the tokens.
_GATES: tuple[str, ...] = (
    "rand",
    "determinism",
    "binomial(",
    "normal(",
    "rrelu",
    "nn.init",
    "orthogonal_(",
    "kaiming_",
    "xavier_",
    "RandomState",
    "seed",
    "Generator(",
    "default_rng",
    "normal_(",
    "uniform_(",
    "bernoulli",
    "multinomial(",
    "poisson(",
    "exponential_(",
    "geometric_(",
    "cauchy_(",
    "DataLoader",
    "Sampler",
    "rng_state",
    ".rvs(",
    ".sample(",
)


class _Text:
    """A file's text with the questions the tiers ask of it, answered lazily and cheaply."""

    __slots__ = ("text", "_strings")

    def __init__(self, text: str) -> None:
        self.text = text
        self._strings: list[int] | None = None

    def in_code(self, token: str, word_end: bool = False) -> bool:
        """`token` occurs outside triple-quoted strings, comments and doctest lines.

        Docstrings and code templates name `torch.randn` or `np.random` in thousands of
        files that draw nothing (measured: a third of the lines a run would otherwise parse).
        With `word_end`, the token must not run on into a longer name (`.random` but not
        `self.random_state`)."""
        text = self.text
        start = text.find(token)
        while start >= 0:
            end = start + len(token)
            if not (word_end and end < len(text) and (text[end].isalnum() or text[end] == "_")):
                if self.is_code(start):
                    return True
            start = text.find(token, end)
        return False

    def is_code(self, position: int) -> bool:
        text = self.text
        head = text[text.rfind("\n", 0, position) + 1 : position].lstrip()
        return not head.startswith((">>>", "...", "#")) and not self.in_string(position)

    def in_string(self, position: int) -> bool:
        if self._strings is None:
            self._strings = _triple_quoted(self.text)
        return bisect.bisect_right(self._strings, position) % 2 == 1


def _triple_quoted(text: str) -> list[int]:
    """Start and end offsets of the triple-quoted strings, flattened: [s0, e0, s1, e1, ...].

    A scan for the quotes, not a tokenizer: a triple quote inside a comment or a one-line
    string could pair up wrongly, which at worst hides a token (the cost of a tokenizer here
    would be most of a parse, the cost this module exists to avoid)."""
    bounds: list[int] = []
    # The next `"""` and `'''` at or after the scan position, each searched again only once
    # passed: searching both afresh for every string is quadratic in a docstring-heavy file.
    following = {'"""': text.find('"""'), "'''": text.find("'''")}
    position = 0
    while True:
        for quote, found in following.items():
            if 0 <= found < position:
                following[quote] = text.find(quote, position)
        candidates = [found for found in following.values() if found >= 0]
        if not candidates:
            return bounds
        start = min(candidates)
        quote = text[start : start + 3]
        end = text.find(quote, start + 3)
        # A backslash-escaped quote does not close the string.
        while end >= 0 and text[end - 1] == "\\":
            end = text.find(quote, end + 1)
        if end < 0:
            bounds += (start, len(text))
            return bounds
        bounds += (start, end + 3)
        position = end + 3


def classify(text: str, path: str) -> Tier:
    view = _Text(text)
    if any(gate in text for gate in _GATES):
        for token in _DIRECT:
            if token in text and view.in_code(token, word_end=token in _WORD_TOKENS):
                return "direct"
    # scikit-learn/scipy/pandas APIs that fall back to numpy's global generator (SDL006),
    # called (`KMeans(`), not defined (`class KMeans(`) or documented.
    for package, names in _THIRDPARTY.items():
        if package in text and any(name in text for name in names):
            for match in _THIRDPARTY_CALLS[package].finditer(text):
                if view.is_code(match.start()):
                    return "direct"
    if is_test_file(path) or "__main__" in text:
        return "entry"
    for token in _PROGRAM:
        if token in text:
            return "program"
    return "none"
