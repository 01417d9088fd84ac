"""Byte-cheap tests that decide how much of a project file must be parsed, before any parsing.

Parsing is the dominant cost of a run (`ast.parse` is ~6 us a line here) and most files of a
real project never touch a random API.  A file falls in one of four tiers:

* ``direct``: its text names a random API, a seeder or a generator, so it may have findings
  of its own; always parsed.
* ``entry``: it may be a program (a `__main__` block, a pytest module, conftest.py, a script
  that loops at its top level without a guard) that calls project helpers; always parsed.
* ``program``: it names only APIs that draw when *used by a program* (building `torch.nn`
  layers, dropout, `torch.distributions`), or calls project functions named like random
  APIs (`init.normal_(w)` after `from ... import initialization as init`); parsed only when
  a program imports it.
* ``lone``: an entry point as above that names no API at all: it can draw or seed only
  through the project modules it imports, so it is parsed only when it imports one (or a
  program reaches it).  Most are library test files and `__main__` demos that import only
  numpy or torch (measured: 246 of the 394 entry points of the benchmark corpus).
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

Tier = Literal["direct", "entry", "program", "lone", "none"]

# A loop at column 0: scripts have them, library modules rarely (54 of the 2,805 token-free
# files of torch, scikit-learn, numpy and transformers).  Found by plain substring search:
# a MULTILINE regex tries every line start (measured: a quarter of the cost of classifying).
_LOOP_STARTS = ("for ", "while ", "async for ")
_LOOP_LINES = tuple("\n" + start for start in _LOOP_STARTS)


def _has_toplevel_loop(text: str) -> bool:
    return text.startswith(_LOOP_STARTS) or any(line in text for line in _LOOP_LINES)


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

# Tokens that must start where a name starts (`rand(` but not `philox_rand(`, `Generator(`
# but not `SchemaGenerator(`), and tokens that must end where a name ends (`.random` but not
# `self.random_state`).  The others are parts of longer API names on purpose: `seed(` is in
# `set_seed(` and `manual_seed(`, `normal_(` in `trunc_normal_(`.
_NAME_START = frozenset(
    {
        "rand(",
        "randn",
        "randint",
        "randperm",
        "rand_like",
        "binomial(",
        "normal(",
        "rrelu",
        "orthogonal_(",
        "kaiming_",
        "xavier_",
        "Generator(",
        "RandomState",
        "default_rng",
        "bernoulli",
        "multinomial(",
        "poisson(",
        "DataLoader",
        "random_split",
    }
)
_NAME_END = frozenset({".random", "import random", "from random"})

_PROGRAM: tuple[str, ...] = (
    "nn.",
    "torch.nn",  # from torch.nn import Dropout
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
    # `from .misc import *` in a package's __init__: the names it re-exports (a seeding
    # helper) are found only by parsing it, when a program reaches it (issue 10).
    "import *",
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
# Whether any of a package's names occurs at all: one regex pass instead of a substring
# search per name (scikit-learn has about a hundred).
_THIRDPARTY_NAMES: dict[str, re.Pattern[str]] = {
    package: re.compile("|".join(re.escape(name) for name in names))
    for package, names in _THIRDPARTY.items()
}
_THIRDPARTY_CALLS: dict[str, re.Pattern[str]] = {
    package: re.compile(r"(?<!class )(?<!def )(?<!\w)(?:" + "|".join(names) + r")\(")
    for package, names in _THIRDPARTY.items()
}


# Every `_DIRECT` token contains one of these.  A file is scanned for the gates only, and a
# token is looked for only where its gate occurs: most files hold no gate at all, and the
# others are not scanned forty times over (measured: a third of the cost of scanning for
# every token).
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


def _tokens_by_gate() -> dict[str, tuple[tuple[str, int], ...]]:
    """Gate -> the tokens found through it, with the gate's offset inside each token."""
    found: dict[str, list[tuple[str, int]]] = {gate: [] for gate in _GATES}
    for token in _DIRECT:
        gate = next(gate for gate in _GATES if gate in token)
        found[gate].append((token, token.index(gate)))
    return {gate: tuple(tokens) for gate, tokens in found.items() if tokens}


_TOKENS_BY_GATE = _tokens_by_gate()


class _Text:
    """A file's text with the questions the tiers ask of it, answered lazily and cheaply."""

    __slots__ = ("text", "_strings", "_project_names")

    def __init__(self, text: str) -> None:
        self.text = text
        self._strings: list[int] | None = None
        self._project_names: frozenset[str] | None = None

    def direct_token(self) -> Literal["api", "project", ""]:
        """Whether a `_DIRECT` token occurs in code: not in a comment, a doctest line or a
        string (but in an f-string's braces), and with its name boundaries (`_NAME_START`,
        `_NAME_END`).  Docstrings, code templates and operator tables name `torch.randn` or
        `np.random` in thousands of files that draw nothing.  "project": only draw names
        qualified by a project module (`init.normal_(w)` after `from ... import
        initialization as init`, in 180 modeling files of transformers): calls of project
        functions, which draw only when a program runs them."""
        text = self.text
        found: Literal["api", "project", ""] = ""
        for gate, tokens in _TOKENS_BY_GATE.items():
            position = text.find(gate)
            while position >= 0:
                for token, offset in tokens:
                    start = position - offset
                    if (
                        start >= 0
                        and text.startswith(token, start)
                        and self._is_whole_name(token, start)
                        and self.is_code(start)
                    ):
                        if token in _SEEDING or not self._project_qualified(start):
                            return "api"
                        found = "project"
                position = text.find(gate, position + 1)
        return found

    def has_direct_token(self) -> bool:
        return self.direct_token() == "api"

    def _project_qualified(self, start: int) -> bool:
        """The name holding `start` is an attribute of a bare name that only a relative
        import binds (`init.normal_(` after `from ... import initialization as init`)."""
        text = self.text
        name_start = start
        while name_start > 0 and (text[name_start - 1].isalnum() or text[name_start - 1] == "_"):
            name_start -= 1
        if name_start == 0 or text[name_start - 1] != ".":
            return False
        end = name_start - 1
        qualifier = end
        while qualifier > 0 and (text[qualifier - 1].isalnum() or text[qualifier - 1] == "_"):
            qualifier -= 1
        if qualifier == end or (qualifier > 0 and text[qualifier - 1] == "."):
            return False  # no bare name before the dot (`nn.init.normal_(`, `x[0].normal_(`)
        if self._project_names is None:
            self._project_names = _relative_import_names(text)
        return text[qualifier:end] in self._project_names

    def _is_whole_name(self, token: str, start: int) -> bool:
        text = self.text
        if token in _NAME_START and start > 0:
            before = text[start - 1]
            if before.isalnum() or before == "_":
                return False
            # `aten.randn`: the dispatcher's operator, not the Python API of the tables.
            if start >= 5 and text.startswith("aten.", start - 5):
                return False
            # `def rand(...)`, `class Generator(...)`: a project's own function or class of
            # that name, defined here; its uses are other occurrences.  (Seeding tokens are
            # not name-start tokens: a module defining `set_seed` is always parsed, since a
            # program may reach seeding only through it.)
            if before in " \t":
                head = text[text.rfind("\n", 0, start) + 1 : start].split()
                if head in (["def"], ["async", "def"], ["class"]):
                    return False
        end = start + len(token)
        if token in _NAME_END and end < len(text):
            after = text[end]
            if after.isalnum() or after == "_":
                return False
        return True

    def is_code(self, position: int) -> bool:
        text = self.text
        line_start = text.rfind("\n", 0, position) + 1
        head = text[line_start:position]
        if head.lstrip().startswith((">>>", "...")):
            return False
        if self._strings is None:
            self._strings = _triple_quoted(text)
        index = bisect.bisect_right(self._strings, position)
        if index % 2 == 1:
            # Inside a triple-quoted string: code only within an f-string's braces.
            string_start = self._strings[index - 1]
            if not _is_fstring(text, string_start):
                return False
            inside = text[max(line_start, string_start) : position]
            return inside.rfind("{") > inside.rfind("}")
        if index and self._strings[index - 1] > line_start:
            # A triple-quoted string ended earlier on this line: read the line from there.
            head = text[self._strings[index - 1] : position]
        return _code_at_end_of_line(head)


# Tokens of seeding and of generator or loader construction: a call qualified by a project
# module may still be what makes a program seeded (a project's `utils.set_seed(0)` is a
# seeding the rules read in the caller), so these always count.
_SEEDING = frozenset(
    token
    for token in _DIRECT
    if any(
        part in token
        for part in ("seed", "determinism", "rng_state", "Generator(", "RandomState",
                     "default_rng", "DataLoader", "Sampler", "random_split")
    )
)  # fmt: skip

# An import statement, matched only at the start of a line that holds the word `import`
# (trying a pattern at every line start costs ten times more): the dots of a `from` import
# and its names, or the names of a plain one.
_IMPORT_LINE = re.compile(
    r"[ \t]*(?:from[ \t]+(\.*)[\w.]*[ \t]+import[ \t]*(\([^)]*\)|[^\n#;]*)"
    r"|import[ \t]+([^\n#;]*))"
)


def _relative_import_names(text: str) -> frozenset[str]:
    """Names bound by relative imports (`from . import a`, `from ..b import c as d`) and by
    no absolute one: project modules and functions, whatever they are called."""
    relative: set[str] = set()
    absolute: set[str] = set()
    position = text.find("import")
    while position >= 0:
        line_start = text.rfind("\n", 0, position) + 1
        match = _IMPORT_LINE.match(text, line_start)
        if match is None or match.end() <= position:
            position = text.find("import", position + 6)
            continue
        dots, names, plain = match.groups(default="")
        if plain:
            for part in plain.split(","):
                words = part.split()
                if words:
                    absolute.add(words[-1].split(".", 1)[0])
        else:
            bound = relative if dots else absolute
            for part in names.strip("()").replace("\n", " ").split(","):
                words = part.split()
                if words:
                    bound.add(words[-1])  # `a` or the alias of `a as b`
        position = text.find("import", match.end())
    return frozenset(relative - absolute)


def _is_fstring(text: str, quote: int) -> bool:
    """Whether the string whose quote is at `quote` has an `f` prefix (`f"`, `rf"`, `Fr"`)."""
    start = quote
    while start > 0 and quote - start < 2 and text[start - 1] in "fFrRbBuU":
        start -= 1
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return False  # the letters end a name: `elif"` is no prefix
    return "f" in text[start:quote].lower()


def _code_at_end_of_line(head: str) -> bool:
    """Whether the end of `head` (a line up to a token) is code: not in a comment, and not in
    a one-line string unless inside an f-string's braces.  Triple quotes are handled by
    `_triple_quoted`; here they simply open and close like one-line quotes."""
    quote = ""  # the open string's quote character, if any
    fstring = False
    braces = 0
    index, length = 0, len(head)
    while index < length:
        char = head[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
            elif fstring and char == "{":
                if head.startswith("{{", index):
                    index += 1
                else:
                    braces += 1
            elif fstring and char == "}" and braces:
                braces -= 1
        elif char == "#":
            return False
        elif char in "\"'":
            quote = char
            fstring = _is_fstring(head, index)
            braces = 0
        index += 1
    return not quote or (fstring and braces > 0)


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
    direct = view.direct_token()
    if direct == "api":
        return "direct"
    # scikit-learn/scipy/pandas APIs that fall back to numpy's global generator (SDL006),
    # called (`KMeans(`), not defined (`class KMeans(`) or documented.
    for package, names in _THIRDPARTY_NAMES.items():
        if package in text and names.search(text):
            for match in _THIRDPARTY_CALLS[package].finditer(text):
                if view.is_code(match.start()):
                    return "direct"
    if path.endswith(".ipynb"):
        return "entry"  # a notebook is a program: a kernel runs it top to bottom
    program = direct == "project" or any(token in text for token in _PROGRAM)
    # A script run without a `__main__` guard (`for episode in range(...): agent.act(s)`)
    # is an entry point too.
    if is_test_file(path) or "__main__" in text or _has_toplevel_loop(text):
        return "entry" if program else "lone"
    return "program" if program else "none"
