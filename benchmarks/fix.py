#!/usr/bin/env python3
"""Time `seedlint check --diff` (the whole `--fix` pipeline, writing nothing).

    python benchmarks/fix.py sizes [--sizes 2000,4000,8000,16000] [--rounds 3]
    python benchmarks/fix.py corpus [--packages sklearn,numpy] [--rounds 3] [--corpus DIR]

`benchmarks/run.py` prints both (its corpus, `--fix-rounds` rounds) through `measure`.

* `sizes`: one generated file with one finding per line, at several sizes, in two shapes
  (module-level draws after one seed; one small drawing function per finding): the time per
  line must stay flat (linear in file size);
* `corpus`: `check --diff` against a cold `check` (both `-j2 --no-cache`) on the code of
  installed packages, copied as `benchmarks/run.py` copies it (target: at most 3x).

Medians of `--rounds` alternating rounds; `--seedlint CMD` times another executable (e.g.
`PYTHONPATH=/path/to/other/tree seedlint`, to compare two trees on one machine).
Standard library only.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import build_corpus  # noqa: E402


def _time(command: list[str], env: dict[str, str] | None = None) -> float:
    return _timed(command, env)[0]


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system of the child and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def measure(seedlint: list[str], corpus: Path, rounds: int, sizes: Sequence[int]) -> dict[str, Any]:
    """The rows `benchmarks/run.py` prints: `check --diff` against a cold `check` on
    `corpus` (alternating, medians of wall and CPU time), and the size curve."""
    check = [*seedlint, "check", "-j2", "--no-cache", "-q", str(corpus)]
    diff = [*seedlint, "check", "--diff", "-j2", "--no-cache", str(corpus)]
    cold: list[tuple[float, float]] = []
    diffs: list[tuple[float, float]] = []
    for _ in range(rounds):
        cold.append(_timed(check))
        diffs.append(_timed(diff))
    c_wall, c_cpu = (statistics.median(x[i] for x in cold) for i in (0, 1))
    d_wall, d_cpu = (statistics.median(x[i] for x in diffs) for i in (0, 1))
    curve: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        for name, shape in (("module", _module_shape), ("functions", _function_shape)):
            for count in sizes:
                path = Path(folder, f"{name}_{count}.py")
                path.write_text(shape(count))
                command = [*seedlint, "check", "--diff", "--no-cache", "--no-project", str(path)]
                runs = [_timed(command) for _ in range(rounds)]
                wall = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                curve.append(
                    {
                        "shape": name,
                        "lines": count,
                        "median_s": wall,
                        "cpu_s": cpu,
                        "ms_per_line": 1000 * wall / count,
                    }
                )
    return {
        "rounds": rounds,
        "check_s": c_wall,
        "diff_s": d_wall,
        "check_cpu_s": c_cpu,
        "diff_cpu_s": d_cpu,
        "ratio": d_wall / c_wall if c_wall else None,
        "cpu_ratio": d_cpu / c_cpu if c_cpu else None,
        "sizes": curve,
    }


def report_lines(data: dict[str, Any]) -> list[str]:
    ratio = data["ratio"]
    cpu_ratio = data["cpu_ratio"]
    out = [
        f"fix: `check --diff` against a cold `check` (both -j2 --no-cache, whole corpus, "
        f"{data['rounds']} alternating rounds, medians)",
        f"  check (cold)   {data['check_s']:9.2f} s wall {data['check_cpu_s']:9.2f} s CPU",
        f"  check --diff   {data['diff_s']:9.2f} s wall {data['diff_cpu_s']:9.2f} s CPU",
        f"  --diff / cold check {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU"
        if ratio is not None and cpu_ratio is not None
        else "  --diff / cold check: no data",
        "fix: size curve, `check --diff --no-project` on one generated file, one finding per "
        "line (module: draws after one seed; functions: one drawing function per finding)",
        f"  {'shape':<10}{'lines':>8}{'median s':>10}{'CPU s':>9}{'ms/line':>9}",
    ]
    for row in data["sizes"]:
        out.append(
            f"  {row['shape']:<10}{row['lines']:>8}{row['median_s']:>10.2f}"
            f"{row['cpu_s']:>9.2f}{row['ms_per_line']:>9.2f}"
        )
    return out


def _module_shape(lines: int) -> str:
    body = ["import numpy as np", "", "np.random.seed(0)"]
    body += [f"x{i} = np.random.rand({i % 5 + 1})" for i in range(lines - 3)]
    return "\n".join(body) + "\n"


def _function_shape(lines: int) -> str:
    body = ["import numpy as np", "", "np.random.seed(0)", ""]
    i = 0
    while len(body) < lines:
        body += [f"def f{i}():", f"    return np.random.rand({i % 5 + 1})"]
        i += 1
    return "\n".join(body) + "\n"


def sizes(args: argparse.Namespace, seedlint: list[str]) -> None:
    counts = [int(n) for n in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        print("| shape | lines | median s | ms per line |")
        print("| --- | ---: | ---: | ---: |")
        for name, shape in (("module", _module_shape), ("functions", _function_shape)):
            for count in counts:
                path = Path(folder, f"{name}_{count}.py")
                path.write_text(shape(count))
                command = [*seedlint, "check", "--diff", "--no-cache", "--no-project", str(path)]
                times = [_time(command) for _ in range(args.rounds)]
                median = statistics.median(times)
                print(f"| {name} | {count} | {median:.2f} | {1000 * median / count:.2f} |")


def corpus(args: argparse.Namespace, seedlint: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(args.corpus) if args.corpus else Path(scratch, "corpus")
        if not any(root.rglob("*.py")):
            root.mkdir(parents=True, exist_ok=True)
            build_corpus(root, args.packages.split(","))
        files = sum(1 for _ in root.rglob("*.py"))
        check = [*seedlint, "check", "-j2", "--no-cache", "-q", str(root)]
        diff = [*seedlint, "check", "--diff", "-j2", "--no-cache", str(root)]
        cold: list[float] = []
        diffs: list[float] = []
        for _ in range(args.rounds):  # alternating, so that load changes hit both alike
            cold.append(_time(check))
            diffs.append(_time(diff))
        c, d = statistics.median(cold), statistics.median(diffs)
        print(f"corpus: {args.packages} ({files} files), {args.rounds} rounds")
        print("| run | median s |")
        print("| --- | ---: |")
        print(f"| `check -j2 --no-cache` (cold) | {c:.2f} |")
        print(f"| `check --diff -j2 --no-cache` | {d:.2f} ({d / c:.2f}x cold check) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("sizes", "corpus"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="2000,4000,8000,16000")
    parser.add_argument("--packages", default="sklearn,numpy")
    parser.add_argument("--corpus", help="use (or build once) the corpus in this folder")
    parser.add_argument("--seedlint", default="seedlint", help="the command to time")
    args = parser.parse_args()
    seedlint = shlex.split(args.seedlint)
    if seedlint and "=" in seedlint[0]:  # `PYTHONPATH=... seedlint`: an environment prefix
        seedlint = ["env", *seedlint]
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    (sizes if args.what == "sizes" else corpus)(args, seedlint)


if __name__ == "__main__":
    main()
