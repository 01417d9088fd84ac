"""Scale rows: time and peak memory of `seedlint check` against input size.

    python benchmarks/scale.py [--files 2500,5000,10000,20000] [--mb 2.5,5,10,20] [--rounds 3]
                               [--fix-lines 25000,50000,100000,200000] [--fix-rounds 1]

* a generated tree of N files (one in ten draws random numbers, the rest is ordinary code, as
  in a real project), at four sizes: time and peak memory should grow linearly;
* a single generated file of M megabytes (a random call every fourth line), at four sizes;
* a single generated file with one finding per line (module-level draws after one seed, as
  `benchmarks/fix.py` makes them), at four sizes up to 200,000 lines: `check` and `check --fix`
  (each round fixes a fresh copy);
* on the largest tree: the first run with an empty cache vs a `--no-cache` run (rounds
  alternate; target <= 1.15x).

Every command runs with `-j1` so that the peak resident memory (from `os.wait4`) is the whole
process's; times are medians, wall-clock and CPU (user + system, from `os.wait4`: on a shared
machine the CPU time is the number to compare).  Empty `--files`, `--mb` or `--fix-lines`
skip those rows.  Uses only the standard library."""

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
from typing import Any, NamedTuple

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


class Usage(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + system seconds
    mb: int  # peak resident memory


def run(args: list[str], cwd: Path) -> Usage:
    """Wall and CPU seconds and peak resident memory (MB) of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode in (0, 1), process.stderr.read() if process.stderr else status
    return Usage(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024)


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


def fix_shape(lines: int) -> str:
    """One finding per line: module-level draws after one seed (`benchmarks/fix.py`)."""
    body = ["import numpy as np", "", "np.random.seed(0)"]
    body += [f"x{i} = np.random.rand({i % 5 + 1})" for i in range(lines - 3)]
    return "\n".join(body) + "\n"


def median_run(args: list[str], cwd: Path, rounds: int, before: Any = None) -> Usage:
    """Medians of `rounds` runs (`before()` first, each time), and the highest peak memory."""
    results = []
    for _ in range(rounds):
        if before is not None:
            before()
        results.append(run(args, cwd))
    return Usage(
        statistics.median(r.wall for r in results),
        statistics.median(r.cpu for r in results),
        max(r.mb for r in results),
    )


def row(label: str, usage: Usage) -> None:
    print(f"| {label} | {usage.wall:.2f} s | {usage.cpu:.2f} s | {usage.mb} MB |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", default="2500,5000,10000,20000")
    parser.add_argument("--mb", default="2.5,5,10,20")
    parser.add_argument("--fix-lines", default="25000,50000,100000,200000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fix-rounds", type=int, default=1, help="rounds of the --fix rows")
    ns = parser.parse_args()
    exe = seedlint()
    with tempfile.TemporaryDirectory() as work_name:
        work = Path(work_name)
        print("| input | wall | CPU | peak memory |")
        print("| --- | ---: | ---: | ---: |")
        sizes = [int(n) for n in ns.files.split(",") if n]
        for files in sizes:
            tree = work / f"tree{files}"
            tree.mkdir()
            make_tree(tree, files)
            usage = median_run([exe, "check", "-j1", "--no-cache", "."], tree, ns.rounds)
            row(f"{files} files: `check -j1 --no-cache`", usage)
        for megabytes in [float(m) for m in ns.mb.split(",") if m]:
            folder = work / f"file{megabytes}"
            folder.mkdir()
            lines = make_file(folder / "big.py", megabytes)
            usage = median_run(
                [exe, "check", "-j1", "--no-cache", "--no-project", "big.py"], folder, ns.rounds
            )
            row(f"one {megabytes} MB file ({lines} lines): `check`", usage)
        for lines in [int(n) for n in ns.fix_lines.split(",") if n]:
            folder = work / f"fix{lines}"
            folder.mkdir()
            text = fix_shape(lines)
            target = folder / "findings.py"
            target.write_text(text, encoding="utf-8")
            command = [exe, "check", "-j1", "--no-cache", "--no-project", target.name]
            row(f"{lines} lines, a finding each: `check`", median_run(command, folder, ns.rounds))

            def fresh(target: Path = target, text: str = text) -> None:
                target.write_text(text, encoding="utf-8")

            fixing = [*command[:2], "--fix", *command[2:]]
            usage = median_run(fixing, folder, ns.fix_rounds, before=fresh)
            row(f"{lines} lines, a finding each: `check --fix`", usage)
            shutil.rmtree(folder)
        if not sizes:
            return
        tree = work / f"tree{sizes[-1]}"
        cold: list[Usage] = []
        nocache: list[Usage] = []
        for _ in range(ns.rounds):
            shutil.rmtree(tree / ".seedlint_cache", ignore_errors=True)
            cold.append(run([exe, "check", "-j1", "."], tree))
            nocache.append(run([exe, "check", "-j1", "--no-cache", "."], tree))
        for what in ("wall", "cpu"):
            first = statistics.median(getattr(u, what) for u in cold)
            plain = statistics.median(getattr(u, what) for u in nocache)
            print(
                f"\nfirst run, empty cache ({what}): {first:.2f} s; --no-cache: {plain:.2f} s; "
                f"ratio {first / plain:.2f}x (target <= 1.15x)"
            )


if __name__ == "__main__":
    main()
