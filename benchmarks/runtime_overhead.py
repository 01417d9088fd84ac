#!/usr/bin/env python3
"""The runtime companion's cost: three workloads, each run plain and under
`python -m seedlint.runtime`, alternating, in fresh processes.

    python benchmarks/runtime_overhead.py                 # 5 rounds
    python benchmarks/runtime_overhead.py --rounds 9 --json out.json
    python benchmarks/runtime_overhead.py --quick         # small sizes, 1 round (a smoke test)

Workloads (written to a temporary folder):
- train: a torch training loop on synthetic data (MLP with dropout, shuffling DataLoader, SGD);
- numpy: a simulation drawing many small arrays and scalars from numpy's global generator;
- python: a pure-Python program with many function calls and few draws from `random`.
Each workload prints the CPU seconds its own work took (after its imports: `process_time`,
so other processes on a busy machine do not count) and the wall seconds; the table shows the
medians of those ("work cpu", "work wall") and of the whole process's CPU time ("process",
imports and report included, from the child's rusage), and the ratios instrumented / plain.
Targets: work cpu ratio at most 1.10 for train, 1.5 for the others.  Standard library only;
numpy and torch must be installed for their workloads.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TARGETS = {"train": 1.10, "numpy": 1.5, "python": 1.5}

TRAIN = """\
import sys, time
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
torch.manual_seed(0)
torch.set_num_threads(1)
N, EPOCHS = {n}, {epochs}
X = torch.randn(N, 64)
y = torch.randint(0, 10, (N,))
loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
start, cpu = time.perf_counter(), time.process_time()
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Dropout(0.1), nn.Linear(256, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(EPOCHS):
    for xb, yb in loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
print("WORK", time.perf_counter() - start, time.process_time() - cpu, loss.item())
"""

NUMPY = """\
import time
import numpy as np
np.random.seed(0)
STEPS = {steps}
start, cpu = time.perf_counter(), time.process_time()
position = np.zeros(16)
hits = 0
for step in range(STEPS):
    position += np.random.normal(0.0, 0.1, size=16)
    if np.random.rand() < 0.01:
        position[np.random.randint(16)] = 0.0
    hits += int(np.abs(position).max() > 1.0)
print("WORK", time.perf_counter() - start, time.process_time() - cpu, hits)
"""

PYTHON = """\
import random, time
random.seed(0)
CALLS = {calls}
def leaf(x):
    return x * 3 + 1
def branch(x):
    return leaf(x) + leaf(x + 1)
start, cpu = time.perf_counter(), time.process_time()
total = 0
for i in range(CALLS):
    total += branch(i) % 7
    if i % 5000 == 0:
        total += random.randint(0, 3)
print("WORK", time.perf_counter() - start, time.process_time() - cpu, total)
"""


def _write(folder: Path, quick: bool) -> dict[str, Path]:
    sizes = (
        {"n": 1024, "epochs": 1, "steps": 5000, "calls": 50_000}
        if quick
        else {"n": 8192, "epochs": 4, "steps": 100_000, "calls": 1_500_000}
    )
    scripts = {
        "train": TRAIN.format(**sizes),
        "numpy": NUMPY.format(**sizes),
        "python": PYTHON.format(**sizes),
    }
    paths = {}
    for name, text in scripts.items():
        path = folder / f"{name}_workload.py"
        path.write_text(text)
        paths[name] = path
    return paths


def _run(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """(work wall s, work cpu s, process cpu s) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    wall, cpu = next(
        (float(line.split()[1]), float(line.split()[2]))
        for line in done.stdout.splitlines()
        if line.startswith("WORK")
    )
    return wall, cpu, process


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 5; quick 1)")
    parser.add_argument("--quick", action="store_true", help="small sizes, one round")
    parser.add_argument("--only", help="comma-separated workloads (train,numpy,python)")
    parser.add_argument("--json", metavar="OUT", help="write every timing to OUT")
    ns = parser.parse_args(argv)
    rounds = ns.rounds or (1 if ns.quick else 5)
    chosen = ns.only.split(",") if ns.only else list(TARGETS)
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="seedlint-overhead-") as tmp:
        folder = Path(tmp)
        scripts = _write(folder, ns.quick)
        report = str(folder / "report.json")
        for name in chosen:
            plain_cmd = [sys.executable, str(scripts[name])]
            rec_cmd = [
                sys.executable,
                "-m",
                "seedlint.runtime",
                "--report",
                report,
                str(scripts[name]),
            ]
            times: dict[str, list[tuple[float, float, float]]] = {"plain": [], "recorded": []}
            _run(plain_cmd, folder)  # warm-up: file caches, .pyc
            _run(rec_cmd, folder)
            for i in range(rounds):
                # alternate which goes first, so drift in the machine's load hits both alike
                order = [("plain", plain_cmd), ("recorded", rec_cmd)]
                for label, command in order if i % 2 == 0 else order[::-1]:
                    times[label].append(_run(command, folder))
            data = json.loads(Path(report).read_text())
            draws = {lib: info["draws"] for lib, info in data["libraries"].items()}
            med = {
                label: tuple(statistics.median(run[i] for run in values) for i in range(3))
                for label, values in times.items()
            }
            results[name] = {
                "rounds": rounds,
                "plain_work_s": med["plain"][1],
                "recorded_work_s": med["recorded"][1],
                "plain_work_wall_s": med["plain"][0],
                "recorded_work_wall_s": med["recorded"][0],
                "plain_process_s": med["plain"][2],
                "recorded_process_s": med["recorded"][2],
                "work_ratio": med["recorded"][1] / med["plain"][1],
                "work_wall_ratio": med["recorded"][0] / med["plain"][0],
                "process_ratio": med["recorded"][2] / med["plain"][2],
                "target": TARGETS[name],
                "draws_recorded": draws,
                "raw": times,
            }
    print(
        f"{'workload':<8} {'plain work cpu':>14} {'recorded':>9} {'ratio':>6} {'target':>6}"
        f" {'work wall':>10} {'ratio':>6} {'process cpu':>12} {'ratio':>6}  draws recorded"
    )
    for name, r in results.items():
        print(
            f"{name:<8} {r['plain_work_s']:>13.3f}s {r['recorded_work_s']:>8.3f}s "
            f"{r['work_ratio']:>6.2f} {r['target']:>6.2f} {r['plain_work_wall_s']:>9.3f}s "
            f"{r['work_wall_ratio']:>6.2f} {r['plain_process_s']:>11.3f}s "
            f"{r['process_ratio']:>6.2f}  {r['draws_recorded']}"
        )
    print("work cpu: the workload's own CPU seconds (median); ratio: recorded / plain")
    if ns.json:
        meta = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "rounds": rounds}
        Path(ns.json).write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
