"""The public API around `fix_source`: describe_fix, options, refusals, the safety net."""

from __future__ import annotations

import pytest

from seedlint.diagnostics import Diagnostic, Span
from seedlint.fixes import FixOptions, FixOutcome, Reason
from seedlint.fixes.model import derive_seed
from seedlint.fixes.names import fresh_name

from .engine_helpers import analyze, check_source, describe_fix, fix_source
from .test_fix_fixtures import CASES, FIX_DIR, SETTINGS, parse_options, read


def _fix(text: str, options: FixOptions | None = None, path: str = "m.py") -> FixOutcome:
    return fix_source(text, path, check_source(text, path, SETTINGS), options or FixOptions())


def test_describe_fix_numpy() -> None:
    text = "import numpy as np\n\nnp.random.seed(1)\nx = np.random.randn(3)\n"
    facts = analyze(text, "m.py")
    seed, draw = check_source(text, "m.py", SETTINGS)
    fix = describe_fix(draw, facts, text=text)
    assert fix is not None
    assert fix.applicability == "stream-changing"
    assert fix.message == (
        "Replace with `rng.standard_normal(...)` on a module-level `np.random.default_rng(seed)`"
    )
    assert fix.edits == ()
    seed_fix = describe_fix(seed, facts, text=text)
    assert (
        seed_fix is not None
        and seed_fix.message == "Replace with `rng = np.random.default_rng(...)`"
    )
    same_numbers = describe_fix(draw, facts, FixOptions(numpy_target="randomstate"), text=text)
    assert same_numbers is not None and same_numbers.applicability == "stream-preserving"


def test_describe_fix_none_for_unfixable() -> None:
    text = "import torch\nimport numpy as np\n\nx = torch.randn(3)\ns = np.random.get_state()\n"
    facts = analyze(text, "m.py")
    for diag in check_source(text, "m.py", SETTINGS):
        assert describe_fix(diag, facts, text=text) is None, diag
    other = Diagnostic("m.py", Span(4, 5, 4, 19), "SDL001", "x", "y")
    assert describe_fix(other, facts, text=text) is None


@pytest.mark.parametrize("case", CASES)
def test_describe_fix_agrees_with_fix_source(case: str) -> None:
    """describe_fix announces exactly the fixes `fix_source` applies, with their
    applicability, and nothing for a finding it refuses."""
    text = read(FIX_DIR / f"{case}.in.py")
    options = parse_options(text)
    path = f"fixtures/fix/{case}.in.py"
    diagnostics = check_source(text, path, SETTINGS)
    facts = analyze(text, path)
    outcome = fix_source(text, path, diagnostics, options)
    applied = {(a.code, a.line): a.applicability for a in outcome.applied}
    exact = {}
    for diag in diagnostics:
        fix = describe_fix(diag, facts, options, text=text)
        if fix is not None:
            exact[(diag.code, diag.line)] = fix.applicability
    assert exact == applied
    for diag, _ in outcome.remaining:
        if (diag.code, diag.line) not in applied:
            assert describe_fix(diag, facts, options, text=text) is None


def test_safe_only_applies_only_stream_preserving() -> None:
    text = "import numpy as np\n\nnp.random.seed(0)\nx = np.random.rand(2)\n"
    outcome = _fix(text, FixOptions(safe_only=True))
    assert outcome.new_text == text
    assert [r for _, r in outcome.remaining] == [Reason.SAFE_ONLY, Reason.SAFE_ONLY]
    preserving = _fix(text, FixOptions(safe_only=True, numpy_target="randomstate"))
    assert "rng = np.random.RandomState(0)" in preserving.new_text
    assert {a.applicability for a in preserving.applied} == {"stream-preserving"}


def test_only_passed_diagnostics_are_fixed() -> None:
    text = "import random\n\nrandom.seed(1)\na = random.random()\nb = random.random()\n"
    diagnostics = check_source(text, "m.py", SETTINGS)
    # The caller dropped the finding on line 5 (say, per-file-ignores): its line stays, and
    # the seed stays for it.
    passed = [d for d in diagnostics if d.line != 5]
    outcome = fix_source(text, "m.py", passed, FixOptions())
    # The seed stays for line 5: the new generator gets a seed derived from it, never a copy
    # (a copy would replay the global stream: a == b).
    derived = derive_seed(1, "m", "random")
    assert outcome.new_text == (
        f"import random\n\nrandom.seed(1)\nrng = random.Random({derived})\na = rng.random()\n"
        "b = random.random()\n"
    )
    assert [(d.line, r) for d, r in outcome.remaining] == [(3, Reason.SEED_KEPT)]
    namespace: dict[str, object] = {}
    exec(compile(outcome.new_text, "m.py", "exec"), namespace)
    assert namespace["a"] != namespace["b"]


def test_other_codes_are_ignored() -> None:
    text = "import numpy as np\n\nx = np.random.rand(2)\n"
    other = Diagnostic("m.py", Span(3, 5, 3, 22), "SDL001", "unseeded", "message")
    outcome = fix_source(text, "m.py", [other], FixOptions())
    assert outcome == FixOutcome(text)


def test_file_that_does_not_parse() -> None:
    text = "import numpy as np\nx = np.random.rand(\n"
    diag = Diagnostic("m.py", Span(2, 5, 2, 20), "SDL101", "n", "m", "numpy")
    outcome = fix_source(text, "m.py", [diag], FixOptions())
    assert outcome.new_text == text
    assert outcome.remaining == [(diag, Reason.DOES_NOT_PARSE)]


def test_invalid_output_returns_the_original(monkeypatch: pytest.MonkeyPatch) -> None:
    import seedlint.fixes.fixer as fixer

    text = "import random\n\nx = random.random()\n"

    def broken(*args: object) -> FixOutcome:
        return FixOutcome("x = (\n", [], [])

    monkeypatch.setattr(fixer, "_rewrite", broken)
    outcome = _fix(text)
    assert outcome.new_text == text
    assert [r for _, r in outcome.remaining] == [Reason.INVALID]


def test_torch_without_seed_needs_option() -> None:
    text = "import torch\n\nx = torch.rand(2)\n"
    assert [r for _, r in _fix(text).remaining] == [Reason.NO_SEED]
    seeded = _fix(text, FixOptions(seed=5))
    assert seeded.new_text == (
        f"import torch\n\ng = torch.Generator().manual_seed({derive_seed(5, 'm', 'torch')})\n\n"
        "x = torch.rand(2, generator=g)\n"
    )
    assert [a.applicability for a in seeded.applied] == ["stream-changing"]


def test_tensor_methods_need_a_cpu_only_module() -> None:
    text = "import torch\n\ntorch.manual_seed(0)\nw = torch.empty(3).to(device)\nw.normal_()\n"
    assert [r for _, r in _fix(text).remaining] == [Reason.TENSOR_DEVICE]


def test_names_never_collide_in_functions() -> None:
    text = (
        "import numpy as np\n\nnp.random.seed(0)\n\n\ndef f(rng):\n"
        "    return rng + np.random.rand()\n"
    )
    new = _fix(text).new_text
    assert "rng_ = np.random.default_rng(0)" in new
    assert "return rng + rng_.random()" in new


def test_fresh_name() -> None:
    assert fresh_name("rng", set()) == "rng"
    assert fresh_name("rng", {"rng"}) == "rng_"
    assert fresh_name("rng", {"rng", "rng_"}) == "rng2"
    assert fresh_name("rng", {"rng", "rng_", "rng2"}) == "rng3"


def test_int_shadowed_refuses_wrap() -> None:
    text = "import numpy as np\n\nint = float\nnp.random.seed(0)\nx = np.random.randint(3)\n"
    assert Reason.INT_SHADOWED in [r for _, r in _fix(text).remaining]


def test_optional_dependency_stays_optional() -> None:
    text = (
        "try:\n    from numpy.random import rand\nexcept ImportError:\n    rand = None\n\n\n"
        "def f():\n    return rand(2)\n"
    )
    new = _fix(text).new_text
    assert new.startswith(
        "try:\n    from numpy.random import rand\n    import numpy as np\n"
        "    rng = np.random.default_rng()\nexcept ImportError:\n"
    )
    compile(new, "m.py", "exec")


def test_numpy_imported_only_in_a_function_is_left_alone() -> None:
    text = "def f():\n    import numpy as np\n    return np.random.rand(2)\n"
    outcome = _fix(text)
    assert outcome.new_text == text
    assert [r for _, r in outcome.remaining] == [Reason.NOT_IMPORTED]


def test_seed_in_main_block() -> None:
    text = (
        'import numpy as np\n\nif __name__ == "__main__":\n    np.random.seed(3)\n'
        "    print(np.random.rand())\n"
    )
    assert _fix(text).new_text == (
        'import numpy as np\n\nif __name__ == "__main__":\n'
        "    rng = np.random.default_rng(3)\n    print(rng.random())\n"
    )


# --- SDL102: which names are uses of the RandomState (Python's scoping rules) --------------

_MODULE_RS = """\
import numpy as np

rng = np.random.RandomState(0)


def uses():
    return rng.rand(2)


def shadows():
    rng = make()
    return rng.toarray()


def parameter(rng):
    return rng.choice(3)


def comprehension(xs):
    return [rng for rng in xs]


def outermost_iterable():
    # The first iterable is evaluated outside the comprehension: the module's rng.
    return [rng for rng in rng.rand(3)]


def nested():
    def inner():
        return rng.randint(3)

    return inner
"""


def test_randomstate_uses_follow_python_scopes() -> None:
    outcome = _fix(_MODULE_RS)
    assert [a.code for a in outcome.applied] == ["SDL102"], outcome.remaining
    new = outcome.new_text
    assert "rng = np.random.default_rng(0)" in new
    assert "return rng.random(2)" in new
    assert "return int(rng.integers(3))" in new  # randint without size: a Python int
    # Local bindings of the same name are other variables: left alone.
    assert "return rng.toarray()" in new and "return rng.choice(3)" in new
    assert "return [rng for rng in xs]" in new
    assert "return [rng for rng in rng.random(3)]" in new


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ("def f():\n    global rng\n    rng = None\n", "bound more than once"),
        ("def f(rng=rng):\n    return rng\n", "is used other than"),
        ("def f():\n    return [x for x in rng.rand(3)]\n\n\nkeep = rng\n", "is used other than"),
        ("class C:\n    r = rng\n", "is used other than"),
    ],
)
def test_randomstate_uses_refused_when_not_all_visible(extra: str, reason: str) -> None:
    text = "import numpy as np\n\nrng = np.random.RandomState(0)\nx = rng.rand(2)\n\n\n" + extra
    outcome = _fix(text)
    assert not outcome.applied and outcome.new_text == text
    assert any(reason in why for _, why in outcome.remaining), outcome.remaining


def test_randomstate_in_function_sees_nested_and_lambda_uses() -> None:
    text = (
        "import numpy as np\n\n\ndef f():\n    rng = np.random.RandomState(1)\n"
        "    g = lambda: rng.rand(1)\n    return [rng.randn() for _ in range(2)], g\n"
    )
    new = _fix(text).new_text
    assert "rng = np.random.default_rng(1)" in new
    assert "g = lambda: rng.random(1)" in new
    assert "[rng.standard_normal() for _ in range(2)]" in new
