"""Strict mode and the pytest plugin, in real subprocesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import require
from .runtime_helpers import project, run


@pytest.fixture(autouse=True)
def _libraries() -> None:
    require("numpy")
    require("torch")


STRICT_PROGRAM = """\
import random
import numpy as np
import torch
import seedlint.runtime
from seedlint.runtime import UnseededDrawError

@seedlint.runtime.strict()
def seeded_work():
    random.seed(0)
    return random.random()

print(round(seeded_work(), 6))
with seedlint.runtime.strict():
    np.random.seed(1)
    np.random.rand()
    try:
        torch.rand(2)
    except UnseededDrawError as exc:
        print("refused:", exc.library, exc.api, exc.site.rsplit("/", 1)[-1])
random.seed()
try:
    with seedlint.runtime.strict():
        random.random()
except UnseededDrawError as exc:
    print("refused:", exc.library, exc.api, exc.site.rsplit("/", 1)[-1])
torch.rand(1)  # strict mode is over: allowed
print("done")
"""


def test_strict_context_manager_and_decorator(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    (cwd / "strict_program.py").write_text(STRICT_PROGRAM)
    done = run(cwd, "strict_program.py")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "0.844422",
        "refused: torch torch.rand strict_program.py:17",
        "refused: random random.random strict_program.py:23",
        "done",
    ]


def test_strict_environment_variable_under_the_runner(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    (cwd / "late.py").write_text(
        "import numpy as np\nnp.random.seed(0)\nnp.random.rand()\nnp.random.seed(None)\n"
        "np.random.rand()\n"
    )
    done = run(cwd, "-m", "seedlint.runtime", "--report", "r.json", "late.py", SEEDLINT_STRICT="1")
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "seedlint.runtime.recorder.UnseededDrawError: numpy.random.rand draws from numpy's "
        "global generator (numpy), which was never deterministically seeded, at "
        f"{cwd / 'late.py'}:5 (seed it first, or pass an explicit seeded generator)"
    )
    plain = run(cwd, "-m", "seedlint.runtime", "--report", "r.json", "late.py")
    assert plain.returncode == 0


TESTS = """\
import random
import numpy as np
import torch
import pytest

@pytest.fixture
def seeded():
    torch.manual_seed(0)

def test_random_only():
    assert 0 <= random.random() < 1

def test_numpy_only():
    assert np.random.rand() < 1

def test_torch_unseeded():
    assert torch.rand(1).item() < 1

def test_torch_seeded(seeded):
    assert torch.rand(1).item() < 1

def test_seeds_itself():
    random.seed(3)
    np.random.seed(3)
    assert random.random() < 1 and np.random.rand() < 1
"""


def _pytest(cwd: Path, *args: str) -> tuple[int, str]:
    done = run(cwd, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args)
    return done.returncode, done.stdout


def test_plugin_is_inactive_unless_enabled(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    (cwd / "test_draws.py").write_text(TESTS)
    status, out = _pytest(cwd, "-p", "no:randomly")
    assert status == 0 and "seedlint runtime" not in out


def test_plugin_without_pytest_randomly(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    (cwd / "test_draws.py").write_text(TESTS)
    status, out = _pytest(cwd, "-p", "no:randomly", "--seedlint")
    assert status == 0, out
    assert "3 tests drew from global generators not seeded for them:" in out
    assert "test_draws.py::test_random_only: random at test_draws.py:11 (random.random)" in out
    assert "test_draws.py::test_numpy_only: numpy at test_draws.py:14 (numpy.random.rand)" in out
    assert "test_draws.py::test_torch_unseeded: torch at test_draws.py:17 (torch.rand)" in out
    assert "test_torch_seeded" not in out and "test_seeds_itself:" not in out
    assert "pytest-randomly" not in out


def test_plugin_with_pytest_randomly_and_strict(tmp_path: Path) -> None:
    require("pytest_randomly")
    cwd = project(tmp_path)
    (cwd / "test_draws.py").write_text(TESTS)
    status, out = _pytest(cwd, "-p", "randomly", "--randomly-seed=5", "--seedlint-strict")
    assert status == 1, out
    # pytest-randomly seeded random and numpy for every test; torch it does not seed
    assert (
        "pytest-randomly reseeds random and numpy before each test (--randomly-seed=5); "
        "it does not seed torch" in out
    )
    assert "1 tests drew from global generators not seeded for them:" in out
    assert "test_draws.py::test_torch_unseeded: torch at test_draws.py:17 (torch.rand)" in out
    assert "1 failed, 4 passed" in out
    assert "FAILED test_draws.py::test_torch_unseeded" in out
