"""benchmarks/runtime_overhead.py works end to end (small sizes, one round).  This tests the
script (every workload runs plain and recorded, the recorder saw its draws), not the speed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import REPO, require


def test_overhead_benchmark_runs_every_workload(tmp_path: Path) -> None:
    require("numpy")
    require("torch")
    out = tmp_path / "overhead.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "runtime_overhead.py"),
            "--quick",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text())["results"]
    assert set(results) == {"train", "numpy", "python"}
    for name, r in results.items():
        assert len(r["raw"]["plain"]) == len(r["raw"]["recorded"]) == 1, name
        assert r["work_ratio"] > 0 and r["process_ratio"] > 0
    assert results["train"]["draws_recorded"]["torch"] > 0
    assert results["numpy"]["draws_recorded"]["numpy"] > 5000
    assert results["python"]["draws_recorded"]["random"] == 10
    header = done.stdout.splitlines()[0].split()
    assert header[:2] == ["workload", "plain"]
