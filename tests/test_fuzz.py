"""Fuzzing the engine through the Workspace: grammar-generated programs (hypothesmith) and
byte-level mutations of the fixtures (truncation, random bytes, invalid UTF-8, NUL bytes, huge
literals, deep nesting).

What must hold for every input: analysis never raises; a file that cannot be decoded or that
neither the running `ast` nor libcst parses gets SDL900 (and a file `ast` parses never does);
`--fix` output compiles whenever the input did, and a second `--fix` changes nothing.

Example counts are sized to keep this module at a few tens of seconds on a 2-core machine;
`SEEDLINT_FUZZ_EXAMPLES=N` runs more (the examples differ with hypothesis' seed each run)."""

from __future__ import annotations

import ast
import os
import tempfile
from pathlib import Path

import hypothesmith
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seedlint.analysis import compat_parse
from seedlint.fixes import FixOptions
from seedlint.settings import Settings
from seedlint.source import SourceError, decode_source
from seedlint.workspace import Workspace

from .conftest import FIXTURES

EXAMPLES = int(os.environ.get("SEEDLINT_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=False,
)
SEEDS = sorted(
    p
    for pattern in ("sdl1*/**/*.py", "sdl900/*.py", "projects/**/*.py", "fix/*.in.py")
    for p in FIXTURES.glob(pattern)
)
# Random API calls to mix in, so that generated programs have something to find and fix.
RANDOM_PRELUDE = (
    "import random\nimport numpy as np\nimport torch\n"
    "np.random.seed(1)\nrandom.seed(2)\ntorch.manual_seed(3)\n"
)
RANDOM_TAIL = "\nx_ = np.random.rand(3)\ny_ = random.random()\nz_ = torch.randn(2)\n"


def _compiles(text: str) -> bool:
    try:
        compile(text, "m.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _parses(text: str) -> tuple[bool, bool]:
    """(the running `ast` parses it, libcst parses it)."""
    try:
        ast.parse(text)
        by_ast = True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        by_ast = False
    # libcst's native parser crashes the process on deep input: asked only through the
    # guard (`libcst_safe`, a deep-stack thread); what the guard refuses counts as unparsed.
    by_libcst = not by_ast and compat_parse.parse_module(text) is not None
    return by_ast, by_libcst


def check_holds(data: bytes) -> None:
    """Everything this module promises, for one file's bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.py"
        path.write_bytes(data)
        workspace = Workspace(folder, Settings(), use_cache=False, jobs=1)
        report = workspace.check([path])  # must not raise
        errors = [d for d in report.diagnostics if d.code == "SDL900"]
        try:
            text: str | None = decode_source(data).text
        except SourceError:
            text = None
        if text is None:
            assert errors, "an undecodable file must be SDL900"
            return
        by_ast, by_libcst = _parses(text)
        if by_ast:
            assert not errors, errors
        elif not by_libcst:
            assert errors, "a file nothing parses must be SDL900"
        if errors:
            return
        result = workspace.fix([path], FixOptions(seed=5))  # must not raise
        assert not result.skipped, result.skipped
        fixed = path.read_bytes()
        fixed_text = decode_source(fixed).text
        if _compiles(text):
            assert _compiles(fixed_text), fixed_text
        again = workspace.fix([path], FixOptions(seed=5))
        assert again.files == [] and path.read_bytes() == fixed


@settings(FUZZ, max_examples=EXAMPLES or 40)
@given(hypothesmith.from_grammar(), st.booleans())
def test_grammar_generated_programs(program: str, with_random: bool) -> None:
    text = RANDOM_PRELUDE + program + RANDOM_TAIL if with_random else program
    check_holds(text.encode("utf-8"))


def _mutate(data: bytes, kind: str, at: int, blob: bytes, size: int) -> bytes:
    at = at % (len(data) + 1)
    if kind == "truncate":
        return data[:at]
    if kind == "insert":
        return data[:at] + blob + data[at:]
    if kind == "overwrite":
        return data[:at] + blob + data[at + len(blob) :]
    if kind == "invalid-utf8":
        return data[:at] + b"\xff\xfe\xc3" + data[at:]
    if kind == "nul":
        return data[:at] + b"\x00" + data[at:]
    if kind == "huge-literal":
        line = b"big = " + b"9" * size * 1000 + b"\nbig_s = '" + b"a" * size * 1000 + b"'\n"
        return line + data
    if kind == "deep-nesting":
        depth = size * 40
        return data + b"\ndeep = " + b"(" * depth + b"1" + b")" * depth + b"\n"
    if kind == "deep-blocks":
        lines = [b" " * i + b"if x:" for i in range(size * 4)]
        return data + b"\n" + b"\n".join(lines) + b"\n" + b" " * size * 4 + b"pass\n"
    if kind == "long-chain":
        return data + b"\nchain = " + b" + ".join([b"a"] * size * 120) + b"\n"
    raise AssertionError(kind)


MUTATIONS = (
    "truncate",
    "insert",
    "overwrite",
    "invalid-utf8",
    "nul",
    "huge-literal",
    "deep-nesting",
    "deep-blocks",
    "long-chain",
)


@settings(FUZZ, max_examples=EXAMPLES or 60)
@given(
    st.sampled_from(SEEDS),
    st.sampled_from(MUTATIONS),
    st.integers(min_value=0, max_value=1 << 20),
    st.binary(min_size=1, max_size=12),
    st.integers(min_value=1, max_value=25),
)
def test_byte_mutations_of_fixtures(seed: Path, kind: str, at: int, blob: bytes, size: int) -> None:
    check_holds(_mutate(seed.read_bytes(), kind, at, blob, size))


def test_every_fixture_unchanged() -> None:
    """The seeds themselves (fixing every fixture file in place, twice)."""
    for seed in SEEDS:
        check_holds(seed.read_bytes())
