"""Differential execution: programs before and after `--fix` behave the same.

* stdlib and torch fixture programs run in processes of their own (children forked from one
  `sys.executable` interpreter that imported numpy and torch once); where every
  applied fix is stream-preserving the printed output must be identical, elsewhere both must
  run (the numbers are allowed to change, nothing else);
* every numpy legacy function with a translation, over a hypothesis-generated argument space
  (positional and keyword spellings, optional arguments given or not): the Generator call
  returns the same type, shape and dtype, within the same bounds; with
  `--numpy-target=randomstate` and a seed, the very same numbers.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seedlint.fixes import FixOptions
from seedlint.knowledge.numpy_legacy import LEGACY, SIGNATURES
from seedlint.knowledge.numpy_translate import parse_signature

from .conftest import FIXTURES, require
from .engine_helpers import check_source, fix_source
from .forked_runner import Job, Run, run_programs
from .test_fix_fixtures import SETTINGS, parse_options, read

FIX_DIR = FIXTURES / "fix"

# Fixture programs that print what they drew.
PRESERVING = (
    "stdlib_with_seed",
    "stdlib_seed_in_main",
    "star_import",
    "numpy_randomstate_target",
    "torch_manual_seed",
    "torch_seed_in_main",
)
CHANGING = (
    "stdlib_without_seed",  # unseeded here: global seeding done elsewhere no longer reaches it
    "stdlib_option_seed",
    "torch_manual_seed_kept",
    "torch_data",
    "torch_option_seed",
    "numpy_seed_first",
    "numpy_randint_scalar",
)


def _run_all(paths: list[Path]) -> dict[Path, Run]:
    jobs = [Job(p.parent, p.name, Path(f"{p}.out")) for p in paths]
    return dict(zip(paths, run_programs(jobs, ("numpy", "torch"), timeout=300), strict=True))


@pytest.fixture(scope="module")
def programs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Run, Run, list[str]]]:
    """Each program run before and after the fix, each in a process of its own."""
    require("torch")
    require("numpy")
    folder = tmp_path_factory.mktemp("programs")
    jobs: list[tuple[str, Path, Path, list[str]]] = []
    for case in PRESERVING + CHANGING:
        text = read(FIX_DIR / f"{case}.in.py")
        path = f"fixtures/fix/{case}.in.py"
        outcome = fix_source(text, path, check_source(text, path, SETTINGS), parse_options(text))
        assert outcome.applied, f"{case}: nothing was fixed"
        before, after = folder / f"{case}_before.py", folder / f"{case}_after.py"
        before.write_text(text, encoding="utf-8")
        after.write_text(outcome.new_text, encoding="utf-8")
        jobs.append((case, before, after, [a.applicability for a in outcome.applied]))
    runs = _run_all([p for _, before, after, _ in jobs for p in (before, after)])
    return {case: (runs[before], runs[after], kinds) for case, before, after, kinds in jobs}


@pytest.mark.parametrize("case", PRESERVING)
def test_stream_preserving_programs_print_the_same(programs: dict[str, Any], case: str) -> None:
    before, after, kinds = programs[case]
    assert set(kinds) == {"stream-preserving"}
    assert before.returncode == 0, before.stdout
    assert after.returncode == 0, after.stdout
    assert before.stdout.strip()
    assert after.stdout == before.stdout


@pytest.mark.parametrize("case", CHANGING)
def test_stream_changing_programs_still_run(programs: dict[str, Any], case: str) -> None:
    before, after, kinds = programs[case]
    assert "stream-changing" in kinds
    assert before.returncode == 0, before.stdout
    assert after.returncode == 0, after.stdout
    # Same shape of output: the same number of printed lines and words.
    assert len(after.stdout.split()) == len(before.stdout.split())


# --- numpy: every translated legacy function over its argument space -----------------------

Args = dict[str, str]  # parameter -> Python source of its value
Draw = Callable[[st.DataObject], Args]
_SIZE = st.sampled_from(["None", "3", "(2, 3)", "(1,)", "0", "[2, 2]"])
_POS = st.floats(0.2, 5.0).map(lambda v: repr(round(v, 3)))
_PROB = st.floats(0.05, 0.95).map(lambda v: repr(round(v, 3)))
_REAL = st.floats(-5.0, 5.0).map(lambda v: repr(round(v, 3)))
_SMALL_INT = st.integers(1, 20).map(str)


def _simple(**params: st.SearchStrategy[str]) -> Draw:
    def draw(data: st.DataObject) -> Args:
        return {name: data.draw(strategy, label=name) for name, strategy in params.items()}

    return draw


def _randint(data: st.DataObject) -> Args:
    low = data.draw(st.integers(-20, 20), label="low")
    args: Args = {"low": str(low)}
    if data.draw(st.booleans(), label="has high"):
        args["high"] = str(low + data.draw(st.integers(1, 30), label="width"))
    elif low <= 0:
        args["low"] = str(-low + 1)
    if data.draw(st.booleans(), label="dtype"):
        args["dtype"] = data.draw(st.sampled_from(["int", "'int64'", "np.int32", "'uint8'"]))
        if args["dtype"] == "'uint8'":
            args["low"], args.pop("high", None)
            args["low"] = str(abs(low) % 200 + 1)
    return args


def _random_integers(data: st.DataObject) -> Args:
    low = data.draw(st.integers(1, 20), label="low")
    args: Args = {"low": str(low)}
    if data.draw(st.booleans(), label="has high"):
        args["high"] = str(low + data.draw(st.integers(0, 30), label="width"))
    return args


def _choice(data: st.DataObject) -> Args:
    n = data.draw(st.integers(1, 6), label="n")
    args: Args = {"a": data.draw(st.sampled_from([str(n), repr(list(range(n))), repr([1.5] * n)]))}
    if data.draw(st.booleans(), label="replace given"):
        args["replace"] = data.draw(st.sampled_from(["True", "False"]))
    if data.draw(st.booleans(), label="p given"):
        args["p"] = repr([1.0 / n] * (n - 1) + [1.0 - (n - 1) / n])
    return args


def _hypergeometric(data: st.DataObject) -> Args:
    good = data.draw(st.integers(1, 20))
    bad = data.draw(st.integers(1, 20))
    sample = data.draw(st.integers(1, good + bad))
    return {"ngood": str(good), "nbad": str(bad), "nsample": str(sample)}


def _triangular(data: st.DataObject) -> Args:
    left = data.draw(st.integers(-5, 5))
    mode = left + data.draw(st.integers(0, 5))
    right = mode + data.draw(st.integers(1, 5))
    return {"left": str(left), "mode": str(mode), "right": str(right)}


def _uniform(data: st.DataObject) -> Args:
    args: Args = {}
    low = data.draw(st.integers(-5, 5))
    if data.draw(st.booleans()):
        args["low"] = str(low)
    if data.draw(st.booleans()):
        args["high"] = str(low + 1 + data.draw(st.integers(0, 5)) if "low" in args else 2)
    return args


def _dims(data: st.DataObject) -> Args:
    dims = data.draw(st.lists(st.integers(0, 4), max_size=3), label="dims")
    return {f"d{i}": str(d) for i, d in enumerate(dims)}


ARGUMENTS: dict[str, Draw] = {
    "beta": _simple(a=_POS, b=_POS),
    "binomial": _simple(n=_SMALL_INT, p=_PROB),
    "bytes": _simple(length=st.integers(0, 9).map(str)),
    "chisquare": _simple(df=_POS),
    "choice": _choice,
    "dirichlet": _simple(alpha=st.sampled_from(["[1.0, 2.0]", "[0.5, 0.5, 3.0]"])),
    "exponential": _simple(scale=_POS),
    "f": _simple(dfnum=_POS, dfden=_POS),
    "gamma": _simple(shape=_POS, scale=_POS),
    "geometric": _simple(p=_PROB),
    "gumbel": _simple(loc=_REAL, scale=_POS),
    "hypergeometric": _hypergeometric,
    "laplace": _simple(loc=_REAL, scale=_POS),
    "logistic": _simple(loc=_REAL, scale=_POS),
    "lognormal": _simple(mean=_REAL, sigma=_POS),
    "logseries": _simple(p=_PROB),
    "multinomial": _simple(
        n=_SMALL_INT, pvals=st.sampled_from(["[0.2, 0.8]", "[0.5, 0.25, 0.25]"])
    ),
    "multivariate_normal": _simple(
        mean=st.sampled_from(["[0.0, 1.0]"]), cov=st.sampled_from(["[[1.0, 0.0], [0.0, 2.0]]"])
    ),
    "negative_binomial": _simple(n=_POS, p=_PROB),
    "noncentral_chisquare": _simple(df=_POS, nonc=_POS),
    "noncentral_f": _simple(dfnum=_POS, dfden=_POS, nonc=_POS),
    "normal": _simple(loc=_REAL, scale=_POS),
    "pareto": _simple(a=_POS),
    "permutation": _simple(x=st.sampled_from(["5", "[3, 1, 2]", "np.arange(6).reshape(3, 2)"])),
    "poisson": _simple(lam=_POS),
    "power": _simple(a=_POS),
    "rand": _dims,
    "randint": _randint,
    "randn": _dims,
    "random": _simple(),
    "random_integers": _random_integers,
    "random_sample": _simple(),
    "ranf": _simple(),
    "rayleigh": _simple(scale=_POS),
    "sample": _simple(),
    "shuffle": _simple(x=st.sampled_from(["[1, 2, 3, 4]", "np.arange(6).reshape(3, 2)"])),
    "standard_cauchy": _simple(),
    "standard_exponential": _simple(),
    "standard_gamma": _simple(shape=_POS),
    "standard_normal": _simple(),
    "standard_t": _simple(df=_POS),
    "triangular": _triangular,
    "uniform": _uniform,
    "vonmises": _simple(mu=_REAL, kappa=_POS),
    "wald": _simple(mean=_POS, scale=_POS),
    "weibull": _simple(a=_POS),
    "zipf": _simple(a=st.floats(1.5, 4.0).map(lambda v: repr(round(v, 3)))),
}

TRANSLATED = sorted(
    name for name, entry in LEGACY.items() if entry.role == "draw" and entry.generator_method
)


def test_every_translated_function_has_an_argument_space() -> None:
    assert sorted(ARGUMENTS) == TRANSLATED


def _spell(name: str, data: st.DataObject) -> str:
    """A call of np.random.<name> with generated arguments: positional while the drawn
    spelling says so, keywords after; `size` sometimes given."""
    args = ARGUMENTS[name](data)
    if name in ("rand", "randn"):
        return ", ".join(args.values())
    spec = parse_signature(SIGNATURES[name])
    if "size" in spec.positional and data.draw(st.booleans(), label="size given"):
        args["size"] = data.draw(_SIZE, label="size")
    parts: list[str] = []
    keywords = False
    for param in spec.positional:
        if param not in args:
            if param not in spec.required:
                keywords = True  # a skipped optional parameter: the rest go by keyword
            continue
        keywords = keywords or data.draw(st.booleans(), label=f"{param} by keyword")
        parts.append(f"{param}={args[param]}" if keywords else args[param])
    return ", ".join(parts)


def _execute(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(source, "<generated>", "exec"), namespace)
    return namespace


def _fix(source: str, options: FixOptions) -> str:
    outcome = fix_source(
        source, "generated.py", check_source(source, "generated.py", SETTINGS), options
    )
    assert not outcome.remaining, outcome.remaining
    return outcome.new_text


def _bounds(name: str, args: str, value: Any, np: Any) -> None:
    """Checks that hold for both results (support of the distribution)."""
    flat = np.asarray(value, dtype=object).ravel() if not isinstance(value, bytes) else []
    numbers = [float(v) for v in flat if isinstance(v, (int, float, np.number))]
    if not numbers:
        return
    low, high = min(numbers), max(numbers)
    unit = ("rand", "random", "random_sample", "ranf", "sample", "beta", "power")
    if name in unit:
        assert 0.0 <= low and high <= 1.0
    if name in ("binomial", "poisson", "geometric", "hypergeometric", "zipf", "negative_binomial"):
        assert low >= 0 and all(math.isclose(v, round(v)) for v in numbers)
    if name in ("exponential", "gamma", "chisquare", "f", "pareto", "rayleigh", "wald", "weibull"):
        assert low >= 0.0
    if name == "dirichlet":
        sums = np.asarray(value).sum(axis=-1)
        assert np.allclose(sums, 1.0)


def _same_kind(name: str, legacy: Any, new: Any, np: Any) -> None:
    assert type(new) is type(legacy), (type(legacy), type(new))
    if isinstance(legacy, np.ndarray) or isinstance(legacy, np.generic):
        assert np.shape(new) == np.shape(legacy)
        assert new.dtype == legacy.dtype
    elif isinstance(legacy, bytes):
        assert len(new) == len(legacy)


@pytest.mark.parametrize("name", TRANSLATED)
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_numpy_translation_keeps_type_shape_dtype_bounds(name: str, data: st.DataObject) -> None:
    np = require("numpy")
    if name == "shuffle":
        # Shuffles in place: compare the container it shuffled.
        container = ARGUMENTS[name](data)["x"]
        spelled = data.draw(st.sampled_from(["x", "x=x"]), label="spelling")
        call = f"np.random.shuffle({spelled})"
        body = f"x = {container}\n{call}\n"
    else:
        call = f"np.random.{name}({_spell(name, data)})"
        body = f"x = {call}\n"
    prefix = "import numpy as np\n\n"
    source = prefix + body
    try:
        legacy = _execute(source)
    except (ValueError, TypeError) as exc:  # arguments the legacy function rejects
        pytest.skip(f"legacy rejects {call}: {exc}")  # pragma: no cover - spaces avoid it
    fixed = _fix(source, FixOptions())
    assert "np.random." + name not in fixed
    new = _execute(fixed)
    _same_kind(name, legacy["x"], new["x"], np)
    for value in (legacy["x"], new["x"]):
        _bounds(name, call, value, np)
    if name == "randint" or name == "random_integers":
        low, high = _integer_range(call, name)
        for value in (legacy["x"], new["x"]):
            values = np.asarray(value)
            assert values.size == 0 or (values.min() >= low and values.max() <= high)
    if name in ("shuffle", "permutation"):
        assert sorted(np.asarray(legacy["x"]).ravel().tolist()) == sorted(
            np.asarray(new["x"]).ravel().tolist()
        )
    if name == "choice":
        for value in (legacy["x"], new["x"]):
            assert np.asarray(value).size == 0 or np.asarray(value).min() >= 0

    # The RandomState target keeps the numbers: same seed, same values.
    seeded = prefix + "np.random.seed(5)\n" + body
    same = _execute(_fix(seeded, FixOptions(numpy_target="randomstate")))
    reference = _execute(seeded)
    assert repr(same["x"]) == repr(reference["x"])


def _integer_range(call: str, name: str) -> tuple[int, int]:
    """Inclusive range of randint/random_integers from the call text (evaluated)."""
    np = require("numpy")

    captured: dict[str, Any] = {}

    def grab(low: int, high: int | None = None, size: Any = None, dtype: Any = None) -> None:
        captured.update(low=low, high=high)

    eval(call.replace(f"np.random.{name}", "grab"), {"grab": grab, "np": np})
    low, high = captured["low"], captured["high"]
    if name == "randint":
        return (0, low - 1) if high is None else (low, high - 1)
    return (1, low) if high is None else (low, high)
