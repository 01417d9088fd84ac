"""What seedlint's flake8 plugin costs: flake8 with and without it, against `seedlint check`, and
the time to diagnostics for one large file piped through `flake8 -` (an editor's buffer).

    python benchmarks/flake8_plugin.py                       # numpy + scikit-learn, 3 rounds
    python benchmarks/flake8_plugin.py --packages numpy --rounds 1
    python benchmarks/flake8_plugin.py --json out.json

**Corpus.** The `.py` files of installed packages, copied as `benchmarks/run.py` copies them,
into a folder with a `pyproject.toml` (no tool tables), so that it is one project for both
tools: the plugin reads the rest of the project for seeding helpers exactly as `seedlint
check` does, and both report the same findings (the script prints both counts).

**With and without the plugin, honestly.** Both sides run the same interpreter, the same
flake8 and the same launcher (`python -c LAUNCHER with|without ARGS`), which calls flake8's
own `main()`.  For "without", the launcher drops seedlint's entry point from the plugins
flake8 finds (`flake8.plugins.finder._find_importlib_plugins`), as if seedlint were not
installed; nothing else differs.  The rounds alternate (without, with cold, with warm, ...)
so that a change in the machine's load hits both sides; medians are reported.  "Cold" removes
seedlint's facts cache first; "warm" runs right after a run that filled it (an unchanged
project, the usual case for a linter run again on every save or commit).

**Rows.**
1. `flake8 -j2` with its default checks (pycodestyle, pyflakes, mccabe), without and with the
   plugin (cold and warm): the cost a flake8 user pays for installing seedlint.  Target:
   with <= 1.10 x without.
2. `flake8 -j2 --select SDL` against `seedlint check -j2`, cold and warm.
3. One file of about 3,000 lines that uses random APIs, piped through
   `flake8 --stdin-display-name PATH -` (SDL only, and all checks with and without the
   plugin) and `seedlint check --stdin-filename PATH -`: wall time to diagnostics.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (benchmarks/run.py: corpus building and statistics)

LAUNCHER = r"""
import sys
import flake8.plugins.finder as finder
if sys.argv[1] == "without":
    everything = finder._find_importlib_plugins
    def _without_seedlint():
        return (p for p in everything() if p.package != "seedlint")
    finder._find_importlib_plugins = _without_seedlint
from flake8.main.cli import main
sys.argv = ["flake8", *sys.argv[2:]]
main()
"""

CACHE = ".seedlint_cache"


def timed(argv: Sequence[str], cwd: Path, stdin: bytes | None = None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process tree, stdout) of one run.  CPU time (user +
    system of the command and every process it waited for, flake8's workers included) is
    reported beside wall time because it barely moves when other work shares the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, timeout=3600)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        raise SystemExit(
            f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}"
        )
    return elapsed, cpu, done.stdout.decode("utf-8", "replace")


def flake8(which: str, *args: str) -> list[str]:
    return [sys.executable, "-c", LAUNCHER, which, *args]


def seedlint(*args: str) -> list[str]:
    return [sys.executable, "-m", "seedlint", "check", *args]


def clear_cache(project: Path) -> None:
    shutil.rmtree(project / CACHE, ignore_errors=True)


def pick_file(project: Path, lines: int) -> Path:
    """A file that uses random APIs with about `lines` lines (the closest one)."""
    from seedlint.analysis.prefilter import classify

    best: tuple[int, Path] | None = None
    for path in sorted(project.rglob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if classify(text, str(path)) != "direct":
            continue
        distance = abs(text.count("\n") - lines)
        if best is None or distance < best[0]:
            best = (distance, path)
    assert best is not None, "no file with random APIs in the corpus"
    return best[1]


def findings(output: str, code_prefix: str = "SDL") -> int:
    return sum(f": {code_prefix}" in line for line in output.splitlines())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", default="numpy,sklearn", help="packages in the corpus")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each corpus command")
    parser.add_argument("--stdin-rounds", type=int, default=5, help="rounds of each stdin run")
    parser.add_argument("--lines", type=int, default=3000, help="size of the stdin file")
    parser.add_argument("--jobs", type=int, default=2, help="flake8 -j and seedlint -j")
    parser.add_argument(
        "--rows",
        default="plugin,sdl,stdin",
        help="which rows to run: plugin (flake8 with/without), sdl (--select SDL against "
        "seedlint check), stdin (the single file); comma-separated",
    )
    parser.add_argument("--json", metavar="OUT", help="write the raw timings to OUT")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    import tempfile

    work = Path(tempfile.mkdtemp(prefix="seedlint-flake8-bench-"))
    try:
        return _run(args, work)
    finally:
        if args.keep:
            bench.log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _byte_compile_seedlint() -> str:
    """Byte-compile the seedlint package that will be timed, as installing it does: a working
    tree often has no `__pycache__` (PYTHONDONTWRITEBYTECODE=1 in the development container),
    and compiling its modules in every run would be timed as seedlint's cost (measured: about
    0.2 s of CPU per process)."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("seedlint")
    assert spec is not None and spec.origin is not None, "seedlint is not importable"
    folder = str(Path(spec.origin).parent)
    compileall.compile_dir(folder, quiet=1)
    return folder


def _run(args: argparse.Namespace, work: Path) -> int:
    bench.log(f"seedlint: {_byte_compile_seedlint()} (byte-compiled)")
    project = work / "project"
    project.mkdir()
    bench.build_corpus(project, [p.strip() for p in args.packages.split(",") if p.strip()])
    (project / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
    files = bench.scan_corpus(project)
    n_lines = sum(f.lines for f in files)
    bench.log(f"corpus: {args.packages}: {len(files)} files, {n_lines} lines")
    jobs = f"-j{args.jobs}"
    times: dict[str, list[float]] = {}
    cpu_times: dict[str, list[float]] = {}
    counts: dict[str, int] = {}

    def measure(name: str, argv: list[str], cold: bool, stdin: bytes | None = None) -> None:
        if cold:
            clear_cache(project)
        elapsed, cpu, out = timed(argv, project, stdin)
        times.setdefault(name, []).append(elapsed)
        cpu_times.setdefault(name, []).append(cpu)
        counts[name] = findings(out)
        bench.log(f"  {name}: {elapsed:.2f} s, CPU {cpu:.2f} s ({counts[name]} SDL findings)")

    rows = {row.strip() for row in args.rows.split(",")}
    everything = ["--exit-zero", jobs, "."]
    for round_ in range(args.rounds if rows & {"plugin", "sdl"} else 0):
        bench.log(f"round {round_ + 1}/{args.rounds}")
        if "plugin" in rows:
            measure("flake8 default, without plugin", flake8("without", *everything), False)
            measure("flake8 default, with plugin (cold)", flake8("with", *everything), True)
            measure("flake8 default, with plugin (warm)", flake8("with", *everything), False)
        if "sdl" in rows:
            sdl = ["--select", "SDL", *everything]
            measure("flake8 --select SDL (cold)", flake8("with", *sdl), True)
            measure("flake8 --select SDL (warm)", flake8("with", *sdl), False)
            measure("seedlint check (cold)", seedlint(jobs, "-q", "."), True)
            measure("seedlint check (warm)", seedlint(jobs, "-q", "."), False)

    big = pick_file(project, args.lines)
    name = big.relative_to(project).as_posix()
    data = big.read_bytes()
    big_lines = data.count(b"\n")
    bench.log(f"stdin file: {name} ({big_lines} lines)")
    display = ["--stdin-display-name", name, "-"]
    for round_ in range(args.stdin_rounds if "stdin" in rows else 0):
        bench.log(f"stdin round {round_ + 1}/{args.stdin_rounds}")
        measure("stdin: flake8 default, without plugin", flake8("without", *display), False, data)
        measure("stdin: flake8 default, with plugin (cold)", flake8("with", *display), True, data)
        measure("stdin: flake8 default, with plugin (warm)", flake8("with", *display), False, data)
        select = ["--select", "SDL", *display]
        measure("stdin: flake8 --select SDL (cold)", flake8("with", *select), True, data)
        measure("stdin: flake8 --select SDL (warm)", flake8("with", *select), False, data)
        stdin_args = ["-q", "--stdin-filename", name, "-"]
        measure("stdin: seedlint check (cold)", seedlint(*stdin_args), True, data)
        measure("stdin: seedlint check (warm)", seedlint(*stdin_args), False, data)

    medians = {key: bench.median(values) for key, values in times.items()}
    cpu = {key: bench.median(values) for key, values in cpu_times.items()}
    base = "flake8 default, without plugin"
    stdin_base = "stdin: flake8 default, without plugin"
    if base not in medians:  # without the plugin row: relative to seedlint check
        base = "seedlint check (warm)"
    print(f"corpus: {args.packages}, {len(files)} files, {n_lines} lines; {args.rounds} rounds")
    if "stdin" in rows:
        print(f"stdin file: {name}, {big_lines} lines; {args.stdin_rounds} rounds")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    header = f"{'command (medians; ratio: to flake8 without)':<46}"
    print(f"{header} {'wall s':>8} {'ratio':>6} {'CPU s':>8} {'ratio':>6} {'SDL':>5}")

    def shown(value: float | None) -> str:
        return f"{value:.2f}x" if value is not None else "-"

    for key in medians:
        reference = stdin_base if key.startswith("stdin:") else base
        wall_ratio = bench.ratio(medians[key], medians.get(reference))
        cpu_ratio = bench.ratio(cpu[key], cpu.get(reference))
        print(
            f"{key:<46} {medians[key] or 0:>8.3f} {shown(wall_ratio):>6} "
            f"{cpu[key] or 0:>8.3f} {shown(cpu_ratio):>6} {counts[key]:>5}"
        )
    for kind, table in (("wall", medians), ("CPU", cpu)) if "plugin" in rows else ():
        warm = bench.ratio(table["flake8 default, with plugin (warm)"], table[base])
        cold = bench.ratio(table["flake8 default, with plugin (cold)"], table[base])
        print(
            f"target: flake8 -j{args.jobs} with the plugin <= 1.10x without ({kind}): "
            f"warm {shown(warm)}, cold {shown(cold)}"
        )
    if args.json:
        report: dict[str, Any] = {
            "packages": args.packages,
            "files": len(files),
            "lines": n_lines,
            "stdin_file": name,
            "stdin_lines": big_lines,
            "times": times,
            "cpu_times": cpu_times,
            "medians": medians,
            "cpu_medians": cpu,
            "sdl_findings": counts,
        }
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
