#!/usr/bin/env python3
"""Time `seedlint check --diff` (the whole `--fix` pipeline, writing nothing).

    python benchmarks/fix.py sizes [--sizes 2000,4000,8000,16000] [--rounds 3]
    python benchmarks/fix.py corpus [--packages sklearn,numpy] [--rounds 3] [--corpus DIR]

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
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import build_corpus  # noqa: E402


def _time(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


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
