"""The stdlib `random` table against the running interpreter."""

from __future__ import annotations

import inspect
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from seedlint import knowledge
from seedlint.knowledge import _generated_stdlib, generators, seeding, stdlib_random

FUNCTIONS = stdlib_random.FUNCTIONS
HERE = sys.version_info[:2]
AVAILABLE = sorted(n for n, e in FUNCTIONS.items() if e.since <= HERE)

# Small valid arguments for every draw, as a function of nothing (fresh mutable values).
CALLS: dict[str, Callable[[], tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "betavariate": lambda: ((2.0, 3.0), {}),
    "binomialvariate": lambda: ((10, 0.3), {}),
    "choice": lambda: ((list(range(10)),), {}),
    "choices": lambda: ((list(range(10)),), {"k": 5}),
    "expovariate": lambda: ((1.5,), {}),
    "gammavariate": lambda: ((2.0, 1.0), {}),
    "gauss": lambda: ((), {}),
    "getrandbits": lambda: ((64,), {}),
    "lognormvariate": lambda: ((0.0, 1.0), {}),
    "normalvariate": lambda: ((0.0, 1.0), {}),
    "paretovariate": lambda: ((2.0,), {}),
    "randbytes": lambda: ((8,), {}),
    "randint": lambda: ((0, 100), {}),
    "random": lambda: ((), {}),
    "randrange": lambda: ((0, 100, 3), {}),
    "sample": lambda: ((list(range(20)), 5), {}),
    "shuffle": lambda: ((list(range(10)),), {}),
    "triangular": lambda: ((0.0, 1.0, 0.2), {}),
    "uniform": lambda: ((0.0, 5.0), {}),
    "vonmisesvariate": lambda: ((0.0, 2.0), {}),
    "weibullvariate": lambda: ((1.0, 2.0), {}),
}


@pytest.fixture
def restore_random() -> Iterator[None]:
    state = random.getstate()
    try:
        yield
    finally:
        random.setstate(state)


def test_available_entries_are_bound_to_the_hidden_instance() -> None:
    inst = random._inst
    for name in AVAILABLE:
        assert getattr(getattr(random, name), "__self__", None) is inst, name


def test_newer_entries_are_absent_here() -> None:
    for name, entry in FUNCTIONS.items():
        if entry.since > HERE:
            assert not hasattr(random, name), name


def test_completeness_against_random_all() -> None:
    inst = random._inst
    bound = {n for n in random.__all__ if getattr(getattr(random, n), "__self__", None) is inst}
    assert bound == set(AVAILABLE)
    assert set(random.__all__) - bound == {"Random", "SystemRandom"}


def test_version_facts() -> None:
    assert FUNCTIONS["binomialvariate"].since == (3, 12)
    assert FUNCTIONS["randbytes"].since == (3, 9)
    assert knowledge.stdlib_call("random.binomialvariate", (3, 11)) is None
    assert knowledge.stdlib_call("random.binomialvariate", (3, 12)) is not None
    assert knowledge.stdlib_call("random.binomialvariate") is not None


def test_roles() -> None:
    roles = {n: e.role for n, e in FUNCTIONS.items() if e.role != "draw"}
    assert roles == {"seed": "seed", "getstate": "state-read", "setstate": "state-write"}
    assert set(CALLS) == {n for n, e in FUNCTIONS.items() if e.role == "draw"}


def test_generated_table_matches_this_interpreter() -> None:
    if _generated_stdlib.PYTHON_VERSION != HERE:
        # Generated on another Python: only the names common to both can be compared.
        assert set(_generated_stdlib.BOUND_TO_INST) - {"binomialvariate"} <= set(AVAILABLE)
        return
    assert set(_generated_stdlib.BOUND_TO_INST) == set(AVAILABLE)


@pytest.mark.parametrize("name", [n for n in sorted(CALLS) if n in AVAILABLE])
def test_random_instance_reproduces_module_draws(name: str, restore_random: None) -> None:
    args, kwargs = CALLS[name]()
    random.seed(1234)
    module_result = getattr(random, name)(*args, **kwargs)
    module_args = args
    args, kwargs = CALLS[name]()
    instance_result = getattr(random.Random(1234), name)(*args, **kwargs)
    assert module_result == instance_result
    if name == "shuffle":
        assert module_args == args  # shuffled the same way
    # and the draw really advanced the hidden instance's state
    random.seed(1234)
    before = random.getstate()
    args, kwargs = CALLS[name]()
    getattr(random, name)(*args, **kwargs)
    assert random.getstate() != before


def test_stdlib_seeding_calls(restore_random: None) -> None:
    calls = {q: c for q, c in seeding.SEEDING_CALLS.items() if q.startswith("random.")}
    assert set(calls) == {"random.seed", "random.setstate"}
    for qualname, call in calls.items():
        func = getattr(random, qualname.split(".", 1)[1])
        assert call.seeds == frozenset({"random"})
        assert call.seed_param is not None
        params = list(inspect.signature(func).parameters)
        assert params[call.seed_param[0]] == call.seed_param[1]
        assert FUNCTIONS[qualname.split(".", 1)[1]].role == call.role
    random.seed(1)
    first = [random.random() for _ in range(3)]
    random.seed(1)
    assert first == [random.random() for _ in range(3)]
    state = random.getstate()
    first = [random.random() for _ in range(3)]
    random.setstate(state)
    assert first == [random.random() for _ in range(3)]
    # without an argument, seed() is entropy
    random.seed()
    first = [random.random() for _ in range(3)]
    random.seed()
    assert first != [random.random() for _ in range(3)]
    assert calls["random.seed"].without_seed == "entropy"


def test_explicit_random_generator() -> None:
    gen = generators.EXPLICIT["random.Random"]
    assert gen.seed_param is not None
    params = list(inspect.signature(random.Random.__init__).parameters)[1:]
    assert params[gen.seed_param[0]] == gen.seed_param[1]


_PROBE = (
    "import random, sys; print(sys.version_info[0], sys.version_info[1]); "
    "print(' '.join(sorted(n for n in dir(random) if not n.startswith('_') "
    "and getattr(getattr(random, n), '__self__', None) is random._inst)))"
)


def _interpreters() -> list[str]:
    """The running interpreter, and any other supported one on PATH (developers' machines
    often have several; CI has at least its own)."""
    found = [sys.executable]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for minor in range(10, 15):
        if (3, minor) == HERE:
            continue
        candidates = [shutil.which(f"python3.{minor}"), *pyenv.glob(f"3.{minor}.*/bin/python3")]
        for path in filter(None, candidates):
            # A pyenv shim exists for versions that are not selected, and then fails.
            if subprocess.run([path, "-c", ""], capture_output=True).returncode == 0:
                found.append(str(path))
                break
    return found


@pytest.mark.parametrize("python", _interpreters())
def test_table_is_right_for_every_interpreter_at_hand(python: str) -> None:
    """What the table says exists on Python 3.X is exactly what 3.X's `random` has, for each
    interpreter available here, not just the one running seedlint."""
    output = subprocess.run(
        [python, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    version = tuple(int(part) for part in output[0].split())
    expected = set(output[1].split())
    assert {n for n, e in FUNCTIONS.items() if e.since <= version} == expected, version
