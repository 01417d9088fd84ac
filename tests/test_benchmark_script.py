"""benchmarks/run.py works end to end on a tiny generated corpus.

This tests the script (every measurement is taken and reported), not the speed.  ruff and
flake8 are test dependencies, so nothing is skipped.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "run.py"

MEASUREMENT_KEYS = {
    "seedlint_cold_j1",
    "seedlint_cold_j2",
    "seedlint_cache_empty_j2",
    "seedlint_warm_j2",
    "seedlint_warm_touched_j2",
    "ruff_cold",
    "ruff_cached",
    "flake8",
}
RATIO_KEYS = {
    "seedlint_cold_vs_ruff_cold",
    "seedlint_cold_vs_flake8",
    "seedlint_warm_vs_ruff_cold",
}
SIZE_CLASSES = {"100": 100, "1000": 1000, "3000": 3000}

HEADER = '"""Generated module {index}."""\n\nimport random\n\nimport numpy as np\n\n\n'
BLOCK = (
    "def draw_{index}_{n}(size):\n"
    '    """Draw without a seed."""\n'
    "    values = np.random.rand(size)\n"
    "    jitter = random.random()\n"
    "    total = 0.0\n"
    "    for value in values:\n"
    "        total += value * jitter\n"
    "    return total\n"
    "\n"
    "\n"
)  # 10 lines


def module(index: int, lines: int) -> str:
    blocks = max(1, (lines - 7) // 10)
    return HEADER.format(index=index) + "".join(
        BLOCK.format(index=index, n=n) for n in range(blocks)
    )


def make_corpus(root: Path, files: int) -> None:
    """`files` small modules plus one of ~100, ~1,000 and ~3,000 lines (the single-file
    classes), in a package with a subpackage."""
    package = root / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from pkg import small_0\n")
    for index in range(files):
        (package / f"small_{index}.py").write_text(module(index, 30))
    for index, lines in enumerate(SIZE_CLASSES.values(), start=100):
        (package / "sub" / f"size_{lines}.py").write_text(module(index, lines))


def run_script(tmp_path: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--json", str(out), *extra],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done, json.loads(out.read_text())


def test_quick_run_reports_every_measurement(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus, files=6)
    before = {path: path.read_bytes() for path in corpus.rglob("*.py")}
    done, report = run_script(tmp_path, "--corpus", str(corpus), "--with-flake8")

    assert report["corpus"]["files"] == 11
    # The seedlint timed is a copy of the package, taken at the start.
    snapshot = report["seedlint_snapshot"]
    assert Path(snapshot["source"]).name == "seedlint"
    assert snapshot["source_changed_during_run"] in (False, True)
    assert report["tools"]["seedlint"]["version"].startswith("seedlint ")
    assert report["corpus"]["lines"] > 4000
    assert set(report["measurements"]) == MEASUREMENT_KEYS
    for key, entry in report["measurements"].items():
        assert entry["status"] == "ok", (key, entry)
        assert entry["samples"], key
        for sample in entry["samples"]:
            assert sample["error"] is None, (key, sample)
            assert sample["seconds"] > 0
            if report["gnu_time"]:
                assert sample["peak_rss_mb"] > 0, (key, sample)
            if report["proc_available"]:
                assert sample["tree_rss_mb"] > 0, (key, sample)
        assert entry["median_s"] > 0, key
        assert entry["findings"] is not None, key
        # Round 0 and the memory round run every command but the slow peer.
        assert (entry["warmup"] is None) == (key == "flake8"), key
        if key != "flake8" and report["proc_available"]:
            assert entry["memory_run"]["error"] is None, (key, entry["memory_run"])
            assert entry["tree_pss_mb"] > 0, key

    findings = report["findings"]
    assert findings["seedlint_json"] > 0
    assert findings["seedlint_text_cold"] == findings["seedlint_json"]
    assert findings["seedlint_text_warm"] == findings["seedlint_json"]
    assert findings["ruff"] > 0
    assert findings["flake8"] is not None
    assert findings["warnings"] == []

    for tool in ("seedlint", "ruff"):
        classes = report["latency"][tool]["classes"]
        assert set(classes) == set(SIZE_CLASSES)
        for name, entry in classes.items():
            assert entry["files"] == 1, (tool, name)
            assert entry["runs"] == 1 and entry["errors"] == 0, (tool, name)
            assert entry["median_s"] > 0 and entry["p95_s"] > 0, (tool, name)
            if report["gnu_time"]:
                assert entry["peak_rss_mb"] > 0, (tool, name)
    assert {item["class"] for item in report["single_files"]} == set(SIZE_CLASSES)

    assert RATIO_KEYS <= set(report["ratios"])
    for key in RATIO_KEYS:
        assert report["ratios"][key] > 0, key
    assert len(report["targets"]) == 8
    fix = report["fix"]
    assert fix["diff_s"] > 0 and fix["check_s"] > 0 and fix["ratio"] > 0
    assert [(row["shape"], row["lines"]) for row in fix["sizes"]] == [
        (shape, lines) for shape in ("module", "functions") for lines in (250, 500, 1000, 2000)
    ]
    assert all(row["median_s"] > 0 for row in fix["sizes"])
    if report["proc_available"]:
        # Memory against the number of files: the folder holding the largest file.
        scaling = report["memory_scaling"]
        assert scaling["subset"] == "pkg/sub" and scaling["subset_files"] == 4, scaling
        assert scaling["subset_tree_pss_mb"] > 0 and scaling["corpus_tree_pss_mb"] > 0
        if report["gnu_time"]:
            assert scaling["peak_growth"] > 0
        assert "memory against files: pkg/sub (4 files)" in done.stdout
    assert {item["status"] for item in report["targets"]} <= {"PASS", "FAIL"}
    assert len(report["loadavg_start"]) == 3 and len(report["loadavg_end"]) == 3
    assert report["nproc"] >= 1
    assert "benchmarks/run.py" in report["command"]

    table = done.stdout
    for label in (
        "seedlint cold / ruff cold",
        "seedlint cold / flake8",
        "seedlint warm / ruff cold",
    ):
        assert re.search(rf"^\s*{re.escape(label)}\s+\d+\.\d\dx$", table, re.MULTILINE), table
    assert re.search(r"^\s*(PASS|FAIL)\s+cold run faster than flake8", table, re.MULTILINE)
    assert re.search(r"--diff / cold check \d+\.\d\dx wall", table), table
    assert re.search(r"^\s*(PASS|FAIL)\s+--diff within 3x of a cold check", table, re.MULTILINE)
    assert "load average at start:" in table and "load average at end:" in table
    assert "to reproduce: python" in table
    # The file changed for the "warm, 1 file changed" run is restored.
    assert {path: path.read_bytes() for path in corpus.rglob("*.py")} == before


def test_missing_peers_are_reported_not_fatal(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus, files=1)
    missing = str(tmp_path / "no-such-tool")
    done, report = run_script(
        tmp_path,
        *("--corpus", str(corpus), "--with-flake8", "--latency-files", "0", "--no-fix"),
        *("--ruff", missing, "--flake8", missing),
    )
    for peer in ("ruff", "flake8"):
        assert report["tools"][peer]["status"] == "not installed"
        assert re.search(rf"^{peer}: not installed$", done.stdout, re.MULTILINE), done.stdout
    for key, entry in report["measurements"].items():
        expected = "ok" if entry["tool"] == "seedlint" else "not installed"
        assert entry["status"] == expected, (key, entry)
    assert report["measurements"]["seedlint_cold_j2"]["median_s"] > 0
    assert report["ratios"]["seedlint_cold_vs_ruff_cold"] is None
    assert "n/a" in done.stdout
    assert any(item["status"] == "N/A" for item in report["targets"])
