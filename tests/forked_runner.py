"""Run many small Python programs fast: each in a child forked from one interpreter that
imported the heavy libraries once (`import torch` costs seconds, a fork milliseconds).  The
parent never runs a program, so every child starts from the same pristine state.

Used by the differential suites (test_fix_programs.py, test_fix_differential.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Reads "folder<TAB>how<TAB>output" lines on stdin; runs `how` (a script in `folder`, or
# "-m module") with `folder` as cwd and first on sys.path, its stdout and stderr going to
# `output`; prints "output exit-status" per program.
_RUNNER = """
import os, runpy, sys, traceback, warnings
warnings.simplefilter("ignore")
for module in sys.argv[1:]:
    __import__(module)
for line in sys.stdin.read().splitlines():
    folder, how, output = line.split("\\t")
    with open(output, "wb") as out:
        pid = os.fork()
        if pid == 0:
            os.dup2(out.fileno(), 1)
            os.dup2(out.fileno(), 2)
            os.chdir(folder)
            sys.path.insert(0, folder)
            code = 0
            try:
                if how.startswith("-m "):
                    runpy.run_module(how[3:], run_name="__main__", alter_sys=True)
                else:
                    sys.argv = [os.path.join(folder, how)]
                    runpy.run_path(os.path.join(folder, how), run_name="__main__")
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
    print(output, os.waitstatus_to_exitcode(status))
"""


@dataclass(frozen=True)
class Job:
    folder: Path  # the program's cwd, first on sys.path
    how: str  # a script in `folder` ("main.py") or "-m package.module"
    output: Path  # where its stdout and stderr go


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str  # stdout and stderr


def run_programs(jobs: Sequence[Job], preload: Sequence[str], timeout: int) -> list[Run]:
    """Each job's exit status and output, in the jobs' order; `preload`: the modules the
    forking interpreter imports first."""
    if hasattr(os, "fork"):
        done = subprocess.run(
            [sys.executable, "-c", _RUNNER, *preload],
            input="".join(f"{j.folder}\t{j.how}\t{j.output}\n" for j in jobs),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
        codes = dict(line.rsplit(" ", 1) for line in done.stdout.splitlines())
        return [Run(int(codes[str(j.output)]), j.output.read_text(encoding="utf-8")) for j in jobs]
    runs = []
    for job in jobs:  # pragma: no cover - platforms without fork
        command = job.how.split(" ", 1) if job.how.startswith("-m ") else [job.how]
        one = subprocess.run(
            [sys.executable, "-W", "ignore", *command],
            cwd=job.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        runs.append(Run(one.returncode, one.stdout + one.stderr))
    return runs
