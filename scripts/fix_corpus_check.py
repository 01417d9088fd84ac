"""Run `--fix` over the installed scikit-learn and torch sources and check every rewrite.

    python scripts/fix_corpus_check.py [--package sklearn --package torch] [--jobs N]
                                       [--numpy-target randomstate] [--fix-style parameter]
                                       [--seed N] [--safe-only] [--limit N]

The Python files of each package are copied to a temporary folder (nothing installed is ever
touched).  Every file with findings of a fixable code gets `fix_source`, with the diagnostics
the CLI's `--diff` would pass (rules run on the file, `# noqa` applied); each rewritten file
must `compile()`, and fixing it again must change nothing.  Printed: files, files with
fixable findings, files changed, fixes applied (by applicability), findings left (by reason),
compile failures, idempotence failures, crashes.  Exit status 1 when any of the last three
is not zero.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seedlint.analysis.extract import extract_facts  # noqa: E402
from seedlint.analysis.facts import ModuleFacts  # noqa: E402
from seedlint.diagnostics import Diagnostic  # noqa: E402
from seedlint.fixes import FIXABLE_CODES, FixOptions, FixOutcome, fix_source  # noqa: E402
from seedlint.noqa import apply_noqa  # noqa: E402
from seedlint.rules import run_rules  # noqa: E402
from seedlint.settings import Settings  # noqa: E402
from seedlint.source import SourceError, read_source  # noqa: E402
from seedlint.workspace import protected_findings  # noqa: E402

SETTINGS = Settings(select=tuple(sorted(FIXABLE_CODES)))


@dataclass
class Result:
    files: int = 0
    with_findings: int = 0
    changed: int = 0
    applied: Counter[str] = field(default_factory=Counter)
    remaining: Counter[str] = field(default_factory=Counter)
    compile_failures: list[str] = field(default_factory=list)
    not_idempotent: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    unreadable: int = 0

    def add(self, other: Result) -> None:
        self.files += other.files
        self.with_findings += other.with_findings
        self.changed += other.changed
        self.applied.update(other.applied)
        self.remaining.update(other.remaining)
        self.compile_failures += other.compile_failures
        self.not_idempotent += other.not_idempotent
        self.crashes += other.crashes
        self.unreadable += other.unreadable


def _compiles(text: str, path: str) -> bool:
    try:
        compile(text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _category(reason: str) -> str:
    """A reason without its specifics (names, line numbers), for counting."""
    reason = re.sub(r"`[^`]*`", "`X`", reason)
    return re.sub(r"\d+(, \d+)*", "N", reason)


def _lint(text: str, path: str) -> tuple[ModuleFacts, list[Diagnostic]]:
    """One file on its own (as if it were its own project), `# noqa` applied."""
    facts = extract_facts(text, path)
    diagnostics = run_rules({path: facts}, [path], SETTINGS)[path]
    return facts, apply_noqa(diagnostics, text)


def _fix(text: str, path: str, options: FixOptions) -> tuple[list[Diagnostic], FixOutcome]:
    facts, diagnostics = _lint(text, path)
    protected = protected_findings(facts, diagnostics, SETTINGS)
    return diagnostics, fix_source(text, facts, diagnostics, options, protected)


def check_file(path: str, options: FixOptions) -> Result:
    result = Result(files=1)
    try:
        source = read_source(path)
    except SourceError:
        result.unreadable = 1
        return result
    text = source.text
    try:
        diagnostics, outcome = _fix(text, path, options)
        if not diagnostics:
            return result
        result.with_findings = 1
        result.applied.update(a.applicability for a in outcome.applied)
        result.remaining.update(_category(reason) for _, reason in outcome.remaining)
        if outcome.new_text == text:
            return result
        result.changed = 1
        if not _compiles(outcome.new_text, path) and _compiles(text, path):
            result.compile_failures.append(path)
            return result
        if _fix(outcome.new_text, path, options)[1].new_text != outcome.new_text:
            result.not_idempotent.append(path)
    except Exception:
        result.crashes.append(f"{path}: {traceback.format_exc().strip().splitlines()[-1]}")
    return result


def _check_many(paths: list[str], options: FixOptions) -> Result:
    total = Result()
    for path in paths:
        total.add(check_file(path, options))
    return total


def copy_package(name: str, into: Path) -> list[str]:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name!r} is not installed")
    source = Path(next(iter(spec.submodule_search_locations)))
    target = into / name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.so", "*.pyc", "*.dll", "*.a"))
    return sorted(str(p) for p in target.rglob("*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", action="append", help="default: sklearn and torch")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--numpy-target", choices=("generator", "randomstate"), default="generator")
    parser.add_argument("--fix-style", choices=("module", "parameter"), default="module")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--safe-only", action="store_true")
    parser.add_argument("--limit", type=int, help="check only the first N files of each package")
    args = parser.parse_args(argv)
    options = FixOptions(args.safe_only, args.numpy_target, args.fix_style, args.seed)
    packages = args.package or ["sklearn", "torch"]
    started = time.perf_counter()
    total = Result()
    with tempfile.TemporaryDirectory(prefix="seedlint-corpus-") as folder:
        for package in packages:
            paths = copy_package(package, Path(folder))[: args.limit]
            chunks = [paths[i :: args.jobs * 8] for i in range(args.jobs * 8)]
            result = Result()
            with ProcessPoolExecutor(max_workers=args.jobs) as pool:
                for part in pool.map(_check_many, chunks, [options] * len(chunks)):
                    result.add(part)
            print(
                f"{package}: {result.files} files, {result.with_findings} with fixable findings, "
                f"{result.changed} changed"
            )
            total.add(result)
        prefix = folder + "/"
        elapsed = time.perf_counter() - started
        print(f"options: {options}")
        print(f"files: {total.files} (unreadable: {total.unreadable})")
        print(f"files with fixable findings: {total.with_findings}")
        print(f"files changed: {total.changed}")
        applied = sum(total.applied.values())
        print(f"fixes applied: {applied} {dict(sorted(total.applied.items()))}")
        print(f"findings left: {sum(total.remaining.values())}")
        for reason, count in total.remaining.most_common():
            print(f"  {count:6d}  {reason}")
        print(f"compile failures: {len(total.compile_failures)}")
        for path in total.compile_failures:
            print(f"  {path.removeprefix(prefix)}")
        print(f"not idempotent: {len(total.not_idempotent)}")
        for path in total.not_idempotent:
            print(f"  {path.removeprefix(prefix)}")
        print(f"crashes: {len(total.crashes)}")
        for line in total.crashes:
            print(f"  {line.removeprefix(prefix)}")
        print(f"time: {elapsed:.1f}s")
    return 1 if total.compile_failures or total.not_idempotent or total.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
