"""The runtime companion on real programs (fixtures/runtime/), run as subprocesses."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from .conftest import require
from .runtime_helpers import expected_unseeded, project, record, run, unseeded


@pytest.fixture(autouse=True)
def _libraries() -> None:
    require("numpy")
    require("torch")


def test_fully_seeded_program(tmp_path: Path) -> None:
    cwd = project(tmp_path, "fully_seeded.py")
    done, report = record(cwd, "fully_seeded.py")
    assert done.returncode == 0, done.stderr
    assert report["schema"] == "seedlint-runtime-report" and report["version"] == 1
    for library in ("random", "numpy", "torch"):
        info = report["libraries"][library]
        assert info["used"] and info["drawn"], library
        assert info["explicitly_seeded_before_first_draw"], library
        assert info["unseeded_draw_sites"] == []
        assert [e["api"] for e in info["seeding_events"]] == [
            {"random": "random.seed", "numpy": "numpy.random.seed", "torch": "torch.manual_seed"}[
                library
            ]
        ]
    # nn.Linear's initialisation is attributed to the user's line, torch's frame kept as detail
    linear = [s for s in report["libraries"]["torch"]["draw_sites"] if s["line"] == 11]
    assert linear and "torch/nn/modules/linear.py" in linear[0]["via"]
    assert linear[0]["apis"] == {"torch.nn.init.kaiming_uniform_": 1, "torch.nn.init.uniform_": 1}


@pytest.mark.parametrize(
    "name",
    ["seeded_late.py", "torch_seed_only.py", "getattr_draw.py", "entropy_seed.py"],
)
def test_unseeded_sites_are_exactly_the_marked_lines(tmp_path: Path, name: str) -> None:
    cwd = project(tmp_path, name)
    done, report = record(cwd, name)
    assert done.returncode == 0, done.stderr
    assert unseeded(report) == expected_unseeded(name)


def test_seeded_after_first_draw(tmp_path: Path) -> None:
    cwd = project(tmp_path, "seeded_late.py")
    _, report = record(cwd, "seeded_late.py")
    numpy = report["libraries"]["numpy"]
    assert not numpy["explicitly_seeded_before_first_draw"]
    first, second = numpy["draw_sites"]
    assert (first["line"], first["seeded_at_first_draw"]) == (4, False)
    assert (second["line"], second["seeded_at_first_draw"]) == (6, True)
    assert numpy["seeding_events"][0]["seq"] > first["first_seq"]
    assert report["libraries"]["torch"]["used"] is False  # never imported


def test_entropy_and_clock_seeds_are_not_reproducible(tmp_path: Path) -> None:
    cwd = project(tmp_path, "entropy_seed.py")
    _, report = record(cwd, "entropy_seed.py")
    events = {
        lib: [(e["api"], e["deterministic"], e["source"]) for e in info["seeding_events"]]
        for lib, info in report["libraries"].items()
    }
    assert events["random"] == [("random.seed", False, "entropy")]
    assert events["numpy"] == [("numpy.random.seed", False, "clock")]


def test_sklearn_without_random_state_draws_from_numpy_global(tmp_path: Path) -> None:
    require("sklearn")
    cwd = project(tmp_path, "sklearn_random_state.py")
    done, report = record(cwd, "sklearn_random_state.py")
    assert done.returncode == 0, done.stderr
    assert unseeded(report) == expected_unseeded("sklearn_random_state.py")
    sites = report["libraries"]["numpy"]["draw_sites"]
    assert [s["line"] for s in sites] == [14]  # random_state=0 (line 13) never touches it
    assert "sklearn" in sites[0]["via"]


def test_exit_status_and_output_pass_through_a_crash(tmp_path: Path) -> None:
    cwd = project(tmp_path, "crash.py")
    plain = run(cwd, "crash.py")
    done, report = record(cwd, "crash.py")
    assert (
        (done.returncode, done.stdout)
        == (plain.returncode, plain.stdout)
        == (
            1,
            "before the crash\n",
        )
    )
    assert done.stderr == plain.stderr  # the same traceback, without the runner's frames
    assert report["exit"]["how"] == "exception"
    assert report["exit"]["exception"] == "RuntimeError: boom False" or report["exit"][
        "exception"
    ].startswith("RuntimeError: boom")
    assert unseeded(report) == expected_unseeded("crash.py")


def test_os_exit_still_leaves_a_report(tmp_path: Path) -> None:
    cwd = project(tmp_path, "os_exit.py")
    done, report = record(cwd, "os_exit.py")
    assert done.returncode == 7 and done.stdout == "leaving (3,)\n"
    assert report["exit"] == {"how": "os._exit", "status": 7, "exception": None}
    assert unseeded(report) == expected_unseeded("os_exit.py")


def test_sigterm_still_leaves_a_report_and_dies_of_the_signal(tmp_path: Path) -> None:
    cwd = project(tmp_path, "sigterm.py")
    done, report = record(cwd, "sigterm.py")
    assert done.returncode == -signal.SIGTERM
    assert report["exit"]["how"] == "signal"
    assert unseeded(report) == expected_unseeded("sigterm.py")


def test_sys_exit_status(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    (cwd / "leave.py").write_text("import sys, random\nrandom.random()\nsys.exit(4)\n")
    done, report = record(cwd, "leave.py", "--flag")
    assert done.returncode == 4
    assert report["exit"]["how"] == "sys.exit" and report["exit"]["status"] == 4
    assert report["argv"] == ["leave.py", "--flag"]


@pytest.mark.parametrize("seed", [None, "3"])
def test_observing_does_not_change_a_single_number(tmp_path: Path, seed: str | None) -> None:
    cwd = project(tmp_path, "same_numbers.py")
    args = () if seed is None else (seed,)
    plain = run(cwd, "same_numbers.py", *args)
    done, report = record(cwd, "same_numbers.py", *args)
    assert plain.returncode == done.returncode == 0, done.stderr
    assert done.stdout == plain.stdout and len(plain.stdout.splitlines()) == 15
    for library in ("random", "numpy", "torch"):
        assert report["libraries"][library]["draws"] >= 8, library


def test_record_started_mid_stream_keeps_numpys_cached_gaussian(tmp_path: Path) -> None:
    """numpy's legacy Gaussian cache lives in the RandomState, not the bit generator: the
    recording RandomState takes it over, and hands it back when recording ends."""
    cwd = project(tmp_path)
    (cwd / "mid.py").write_text(
        "import numpy as np\n"
        "import seedlint.runtime\n"
        "def stream(record):\n"
        "    np.random.seed(0)\n"
        "    a = np.random.standard_normal(3).tolist()\n"
        "    if record:\n"
        "        with seedlint.runtime.record() as rec:\n"
        "            b = np.random.standard_normal(3).tolist()\n"
        "        assert rec.report()['libraries']['numpy']['draws'] == 1\n"
        "    else:\n"
        "        b = np.random.standard_normal(3).tolist()\n"
        "    return a + b + np.random.standard_normal(1).tolist()\n"
        "assert stream(True) == stream(False), 'different numbers'\n"
        "print('ok')\n"
    )
    done = run(cwd, "mid.py")
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr


def test_dataloader_workers_are_observed(tmp_path: Path) -> None:
    """The installed torch seeds random, numpy and torch in each worker from a base seed it
    draws from the parent's torch generator: the run shows it, per worker process."""
    cwd = project(tmp_path, "dataloader_workers.py")
    plain = run(cwd, "dataloader_workers.py")
    done, report = record(cwd, "dataloader_workers.py")
    assert done.returncode == 0, done.stderr
    assert done.stdout == plain.stdout  # same numbers in the workers too
    workers = [p for p in report["processes"] if p["role"] == "child"]
    assert len(workers) == 2 and all(p["observed"] for p in workers)
    for library, api in (
        ("random", "random.seed"),
        ("numpy", "numpy.random.seed"),
        ("torch", "torch.manual_seed"),
    ):
        info = report["libraries"][library]
        in_workers = [e for e in info["seeding_events"] if e["process"] != "main"]
        assert [e["api"] for e in in_workers] == [api, api], library
        assert all(e["deterministic"] and e["source"] == "dataloader-worker" for e in in_workers)
        assert all("torch/utils/data/_utils/worker.py" in e["via"] for e in in_workers)
        worker_sites = [s for s in info["draw_sites"] if s["process"] != "main"]
        assert {s["process"] for s in worker_sites} == {f"child {p['pid']}" for p in workers}
        assert all(s["unseeded_count"] == 0 for s in worker_sites)
        assert info["unseeded_draw_sites"] == []
    # iter(loader) draws the workers' base seed from the (seeded) default generator
    main_torch = [s for s in report["libraries"]["torch"]["draw_sites"] if s["process"] == "main"]
    assert [(s["line"], s["apis"]) for s in main_torch] == [(27, {"torch.Tensor.random_": 1})]


def test_dataloader_worker_seeds_follow_an_unseeded_parent(tmp_path: Path) -> None:
    cwd = project(tmp_path, "dataloader_workers.py")
    script = cwd / "dataloader_workers.py"
    script.write_text(script.read_text().replace("torch.manual_seed(0)", "pass"))
    done, report = record(cwd, "dataloader_workers.py")
    assert done.returncode == 0, done.stderr
    for library in ("random", "numpy", "torch"):
        info = report["libraries"][library]
        in_workers = [e for e in info["seeding_events"] if e["process"] != "main"]
        assert in_workers and not any(e["deterministic"] for e in in_workers)
    # the base seed drawn at iter() (line 27), then every draw in the workers
    assert unseeded(report) == {
        "random": ["dataloader_workers.py:18"],
        "numpy": ["dataloader_workers.py:19"],
        "torch": ["dataloader_workers.py:27", "dataloader_workers.py:20"],
    }


def test_threads_fork_and_spawn_children(tmp_path: Path) -> None:
    cwd = project(tmp_path, "threads_and_children.py")
    done, report = record(cwd, "threads_and_children.py")
    assert done.returncode == 0, done.stderr
    assert unseeded(report) == expected_unseeded("threads_and_children.py")
    sites = report["libraries"]["random"]["draw_sites"]
    assert sum(s["count"] for s in sites if s["line"] == 11) == 3  # pool.map over 3 items
    spawned = [p for p in report["processes"] if p.get("start_method") == "spawn"]
    assert len(spawned) == 1 and spawned[0]["observed"] is False


def test_in_code_record(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    (cwd / "inline.py").write_text(
        "import json, random\n"
        "import seedlint.runtime\n"
        "with seedlint.runtime.record('inline.json') as rec:\n"
        "    random.random()\n"
        "    random.seed(3)\n"
        "    random.random()\n"
        "print(json.dumps(rec.report()['libraries']['random']['unseeded_draw_sites']))\n"
        "random.random()  # after the block: not recorded\n"
    )
    done = run(cwd, "inline.py")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["inline.py:4"]
    written = json.loads((cwd / "inline.json").read_text())
    assert written["libraries"]["random"]["draws"] == 2
    assert written["exit"]["how"] == "context"


def test_module_mode_and_numpy_unused(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    package = cwd / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "job.py").write_text(
        "import random, sys\nprint(random.random() < 2, sys.argv[1:])\n"
    )
    done = run(cwd, "-m", "seedlint.runtime", "--report", "m.json", "-m", "pkg.job", "x")
    assert done.returncode == 0 and done.stdout == "True ['x']\n", done.stderr
    report = json.loads((cwd / "m.json").read_text())
    assert report["libraries"]["random"]["unseeded_draw_sites"] == [
        str(Path("pkg") / "job.py") + ":2"
    ]
    assert report["libraries"]["numpy"]["used"] is False
    assert report["libraries"]["torch"]["used"] is False


def test_counts_are_exact_when_the_wrappers_count_themselves(tmp_path: Path) -> None:
    """Every count in counting.py is known: seen-before lines are counted by the wrappers'
    caches, which must follow each reseeding, strict mode and library frames."""
    cwd = project(tmp_path, "counting.py")
    library = cwd / "lib" / "site-packages"
    library.mkdir(parents=True)
    (library / "drawlib.py").write_text(
        "import numpy as np\n\ndef draw():\n    return np.random.rand()\n"
    )
    done, report = record(cwd, "counting.py", str(library))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"strict": "18"}

    def counts(lib: str) -> dict[int, tuple[int, int, dict[str, int]]]:
        sites = report["libraries"][lib]["draw_sites"]
        return {s["line"]: (s["count"], s["unseeded_count"], s["apis"]) for s in sites}

    numpy = counts("numpy")
    assert numpy == {
        25: (6, 3, {"numpy.random.rand": 6}),
        27: (6, 3, {"numpy.random.normal": 6}),
        18: (11, 8, {"numpy.random.rand": 11}),  # 6 from line 28, 5 from the last loop
        30: (4, 0, {"numpy.random.rand": 4}),
        31: (4, 0, {"numpy.random.choice": 4}),
        32: (4, 0, {"numpy.random.normal": 4}),
        35: (5, 5, {"numpy.random.rand": 5}),
    }
    assert counts("random") == {26: (6, 3, {"random.random": 6})}
    via = {s["line"]: s["via"] for s in report["libraries"]["numpy"]["draw_sites"]}
    assert via[30].endswith("drawlib.py:4 in draw") and via[35] == via[30]


def test_wrappers_take_the_signatures_of_what_they_wrap() -> None:
    """The draw wrappers are generated with the wrapped function's signature (not `*args,
    **kwargs`): a call binds its arguments exactly as it would without the companion."""
    import inspect
    import random

    import numpy as np

    import seedlint.runtime
    from seedlint.runtime import hooks_numpy, hooks_random

    with seedlint.runtime.record():
        np.random.rand()  # hooks numpy (already imported) and random
        wrapped = {**hooks_numpy._SAVED["numpy.random"], **hooks_random._SAVED}
        assert len(wrapped) > 50
        for name, original in wrapped.items():
            if name in {"seed", "get_state", "set_state", "getstate", "setstate"}:
                continue  # seeding: functions of ours (numpy) or `functools.wraps`
            module = random if name in hooks_random._SAVED else np.random
            now = getattr(module, name)
            assert now is not original, name
            try:
                expected = inspect.signature(original)
            except ValueError:  # no signature: the wrapper takes *args, **kwargs
                continue
            assert inspect.signature(now) == expected, name


def test_explicit_generators_are_recorded_and_stay_compatible(tmp_path: Path) -> None:
    cwd = project(tmp_path, "explicit_types.py")
    plain = run(cwd, "explicit_types.py")
    done, report = record(cwd, "explicit_types.py")
    assert done.returncode == plain.returncode == 0, done.stderr
    assert done.stdout == plain.stdout
    assert done.stdout.startswith("[True, True, True, True, 'RandomState', True, True, True]")

    def made(library: str) -> dict[tuple[int, str], tuple[int, int, int, int]]:
        return {
            (c["line"], c["api"]): (
                c["count"],
                c["entropy_count"],
                c["reseeded_count"],
                c["unseeded_draws"],
            )
            for c in report["libraries"][library]["explicit_generators"]
        }

    assert made("numpy") == {
        (11, "numpy.random.RandomState"): (1, 1, 1, 0),
        (13, "numpy.random.SeedSequence"): (1, 0, 0, 0),
        (13, "numpy.random.PCG64"): (1, 0, 0, 0),
    }
    assert made("torch") == {
        (14, "torch.Generator"): (1, 0, 0, 0),
        (27, "torch.Generator"): (3, 0, 0, 3),
    }
    # Random(5) twice, and unpickling makes one from entropy, then sets its state
    assert made("random") == {(24, "random.Random"): (3, 1, 1, 0)}


def test_cuda_paths_without_a_gpu(tmp_path: Path) -> None:
    """No GPU here: this runs what a CPU-only torch allows of the CUDA paths (torch.cuda's
    seeding calls, draws asked for on a CUDA device, one status per generator).  Draws that
    really run on a GPU and torch.cuda's get/set_rng_state are untested."""
    cwd = project(tmp_path, "cuda_paths.py")
    done, report = record(cwd, "cuda_paths.py")
    assert done.returncode == 0, done.stderr
    import torch

    gpu = torch.cuda.is_available()
    allowed = "drew" if gpu else "allowed, no GPU"
    assert json.loads(done.stdout) == {
        "never seeded": "refused: torch:cuda",
        "after torch.cuda.manual_seed_all": allowed,
        "after torch.cuda.seed": "refused: torch:cuda",
        "after torch.manual_seed": allowed,
    }
    torch_info = report["libraries"]["torch"]
    assert [
        (e["api"], e["generator"], e["deterministic"]) for e in torch_info["seeding_events"]
    ] == [
        ("torch.cuda.manual_seed_all", "torch:cuda", True),
        ("torch.cuda.seed", "torch:cuda", False),
        ("torch.manual_seed", "torch:cpu,torch:cuda", True),
    ]
    assert torch_info["final_status"] == "deterministic"
    generators = {s["generator"] for s in torch_info["draw_sites"]}
    assert generators == {"torch:cuda", "torch:cpu"}
