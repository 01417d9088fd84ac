"""Scale rows: time and peak memory of `seedlint check` against input size.

    python benchmarks/scale.py [--files 2500,5000,10000,20000] [--mb 2.5,5,10,20] [--rounds 3]

* a generated tree of N files (one in ten draws random numbers, the rest is ordinary code, as
  in a real project), at four sizes: time and peak memory should grow linearly;
* a single generated file of M megabytes (a random call every fourth line), at four sizes;
* on the largest tree: the first run with an empty cache vs a `--no-cache` run (rounds
  alternate; target <= 1.15x).

Every command runs with `-j1` so that the peak resident memory (from `os.wait4`) is the whole
process's; times are wall-clock medians.  Uses only the standard library."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLAIN = '''"""Module {i}."""
import os


def function_{i}(values, scale=2):
    total = 0
    for value in values:
        if value > {i} % 7:
            total += value * scale
    return os.path.join("a", str(total))


class Thing{i}:
    def method(self, x):
        return [y * 2 for y in range(x)]
'''
RANDOM = '''"""Module {i}, with draws."""
import random

import numpy as np

np.random.seed({i})


def sample_{i}(n):
    return np.random.rand(n) + random.random()


if __name__ == "__main__":
    print(sample_{i}(3))
'''
BLOCK = "x{i} = np.random.rand({n})\ny{i} = [v * 2 for v in range({n})]\nz{i} = y{i}[0] + {i}\n\n"


def seedlint() -> str:
    found = shutil.which("seedlint", path=str(Path(sys.executable).parent))
    return found or "seedlint"


def run(args: list[str], cwd: Path) -> tuple[float, int]:
    """(wall seconds, peak resident memory in MB) of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode in (0, 1), process.stderr.read() if process.stderr else status
    return elapsed, usage.ru_maxrss // 1024


def make_tree(folder: Path, files: int) -> None:
    (folder / "pyproject.toml").write_text("[tool.seedlint]\n", encoding="utf-8")
    for i in range(files):
        package = folder / f"pkg{i // 500}"
        package.mkdir(exist_ok=True)
        template = RANDOM if i % 10 == 0 else PLAIN
        (package / f"mod{i}.py").write_text(template.format(i=i), encoding="utf-8")


def make_file(path: Path, megabytes: float) -> int:
    parts = ["import numpy as np\n\nnp.random.seed(0)\n\n"]
    size, i = 0, 0
    while size < megabytes * 1_000_000:
        block = BLOCK.format(i=i, n=i % 9 + 1)
        parts.append(block)
        size += len(block)
        i += 1
    path.write_text("".join(parts), encoding="utf-8")
    return sum(part.count("\n") for part in parts)


def median_run(args: list[str], cwd: Path, rounds: int) -> tuple[float, int]:
    results = [run(args, cwd) for _ in range(rounds)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", default="2500,5000,10000,20000")
    parser.add_argument("--mb", default="2.5,5,10,20")
    parser.add_argument("--rounds", type=int, default=3)
    ns = parser.parse_args()
    exe = seedlint()
    with tempfile.TemporaryDirectory() as work_name:
        work = Path(work_name)
        print("| input | seedlint check -j1 --no-cache | peak memory |")
        print("| --- | ---: | ---: |")
        sizes = [int(n) for n in ns.files.split(",")]
        for files in sizes:
            tree = work / f"tree{files}"
            tree.mkdir()
            make_tree(tree, files)
            seconds, mb = median_run([exe, "check", "-j1", "--no-cache", "."], tree, ns.rounds)
            print(f"| {files} files | {seconds:.2f} s | {mb} MB |", flush=True)
        for megabytes in [float(m) for m in ns.mb.split(",")]:
            folder = work / f"file{megabytes}"
            folder.mkdir()
            lines = make_file(folder / "big.py", megabytes)
            seconds, mb = median_run(
                [exe, "check", "-j1", "--no-cache", "--no-project", "big.py"], folder, ns.rounds
            )
            print(
                f"| one {megabytes} MB file ({lines} lines) | {seconds:.2f} s | {mb} MB |",
                flush=True,
            )
        tree = work / f"tree{sizes[-1]}"
        cold, nocache = [], []
        for _ in range(ns.rounds):
            shutil.rmtree(tree / ".seedlint_cache", ignore_errors=True)
            cold.append(run([exe, "check", "-j1", "."], tree)[0])
            nocache.append(run([exe, "check", "-j1", "--no-cache", "."], tree)[0])
        ratio = statistics.median(cold) / statistics.median(nocache)
        print(
            f"\nfirst run, empty cache: {statistics.median(cold):.2f} s; --no-cache: "
            f"{statistics.median(nocache):.2f} s; ratio {ratio:.2f}x (target <= 1.15x)"
        )


if __name__ == "__main__":
    main()
