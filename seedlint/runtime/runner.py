"""Running a program under the companion.

`python -m seedlint.runtime [--report FILE] script.py ARGS` (or `-m module ARGS`) records in
the program's own process: the program runs as `__main__` with its own `sys.argv`, and its
exit status, output and traceback are its own.

`seedlint run` (`run_command`) starts that in a child process with the program's interpreter
(`seedlint run -- python3.12 train.py` uses python3.12), passes signals on, exits as the
program exited, then prints a summary on standard error and writes the HTML page.
"""

from __future__ import annotations

import argparse
import os
import runpy
import signal
import subprocess
import sys
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from .session import Session

__all__ = ["main", "run_command", "split_target"]

DEFAULT_REPORT = "seedlint-runtime.json"
_SEEDLINT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m seedlint.runtime",
        description="Run a Python program and record what its randomness does.",
    )
    parser.add_argument("--report", default=DEFAULT_REPORT, metavar="FILE")
    parser.add_argument("--strict", action="store_true", help="fail the first unseeded draw")
    parser.add_argument("--digest", action="store_true", help="digest the draws (for --twice)")
    parser.add_argument("-m", dest="module", metavar="MODULE", help="run a module as a script")
    parser.add_argument("target", nargs=argparse.REMAINDER, help="script.py ARGS")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    ns = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    args = list(ns.target)
    if args and args[0] == "--":
        args = args[1:]
    if ns.module is None and not args:
        _parser().error("give a script or -m MODULE")
    if ns.module is None:
        script = os.path.abspath(args[0])
        if not os.path.exists(script):  # as python itself says it
            problem = "[Errno 2] No such file or directory"
            print(f"{sys.executable}: can't open file {script!r}: {problem}", file=sys.stderr)
            return 2
        program_argv = [args[0], *args[1:]]
        sys.path[0] = os.path.dirname(script)
    else:
        program_argv = [ns.module, *args]
        sys.path[0] = os.getcwd()
    session = Session(ns.report, digest=ns.digest, argv=program_argv, process_exit_hooks=True)
    session.start()
    if ns.strict or os.environ.get("SEEDLINT_STRICT") == "1":
        session.recorder.strict_depth += 1
    sys.argv = program_argv
    try:
        if ns.module is not None:
            runpy.run_module(ns.module, run_name="__main__", alter_sys=True)
        else:
            runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        session.exit_info = {"how": "sys.exit", "status": _status(exc.code), "exception": None}
        raise
    except KeyboardInterrupt:
        session.exit_info = {"how": "exception", "status": 130, "exception": "KeyboardInterrupt"}
        raise
    except BaseException as exc:
        detail = f"{type(exc).__name__}: {exc}"
        session.exit_info = {"how": "exception", "status": 1, "exception": detail}
        trimmed = _program_frames(exc.__traceback__)
        sys.excepthook(type(exc), exc.with_traceback(trimmed), trimmed)
        return 1
    session.exit_info = {"how": "exit", "status": 0, "exception": None}
    return 0


def _status(code: Any) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _program_frames(tb: TracebackType | None) -> TracebackType | None:
    """The traceback without the runner's and runpy's frames (as a plain run shows it)."""
    here = os.path.dirname(os.path.abspath(__file__))
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not (name.startswith(here) or name.endswith("runpy.py") or "<frozen runpy>" in name):
            break
        tb = tb.tb_next
    return tb


# --- seedlint run ----------------------------------------------------------------------------


def split_target(target: list[str]) -> tuple[str, list[str], list[str]]:
    """(interpreter, interpreter options, program) from `[--] [python [opts]] script|-m mod ...`."""
    if target and target[0] == "--":
        target = target[1:]
    if not target:
        raise ValueError(
            "nothing to run: give `-- python script.py ARGS`, `script.py` or `-m MODULE`"
        )
    interpreter = sys.executable
    options: list[str] = []
    first = os.path.basename(target[0])
    if first.startswith("python") and not first.endswith(".py"):
        interpreter = target[0]
        target = target[1:]
        while target and target[0].startswith("-") and target[0] not in ("-m", "-c", "-"):
            options.append(target[0])
            target = target[1:]
    if not target:
        raise ValueError("nothing to run after the interpreter")
    if target[0] == "-c":
        raise ValueError("`python -c` is not supported: put the code in a file")
    if target[0] == "-m" and len(target) < 2:
        raise ValueError("-m needs a module name")
    return interpreter, options, target


def _command(
    interpreter: str, options: list[str], program: list[str], report: str, extra: list[str]
) -> list[str]:
    return [interpreter, *options, "-m", "seedlint.runtime", "--report", report, *extra, *program]


def _environment(interpreter: str) -> dict[str, str]:
    env = dict(os.environ)
    if os.path.realpath(_which(interpreter)) != os.path.realpath(sys.executable):
        # Another interpreter may not have seedlint installed: lend it this copy.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_SEEDLINT_ROOT, env.get("PYTHONPATH")) if p)
    return env


def _which(program: str) -> str:
    import shutil

    return shutil.which(program) or program


def _run_child(command: list[str], env: dict[str, str]) -> int:
    """Run and wait; SIGTERM/SIGINT/SIGHUP given to us go to the program."""
    child = subprocess.Popen(command, env=env)
    forwarded = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    previous = {}

    def forward(signum: int, frame: object) -> None:
        try:
            child.send_signal(signum)
        except ProcessLookupError:
            pass

    for signum in forwarded:
        try:
            previous[signum] = signal.signal(signum, forward)
        except (ValueError, OSError):
            pass
    try:
        return child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _exit_like(returncode: int) -> int:
    """The program died of a signal: die of it too, so the caller sees the same status."""
    if returncode < 0:
        sys.stdout.flush()
        sys.stderr.flush()
        signal.signal(-returncode, signal.SIG_DFL)
        os.kill(os.getpid(), -returncode)
        return 128 - returncode
    return returncode


def run_command(
    target: list[str],
    *,
    report: str | None,
    html: str | None = None,
    twice: bool = False,
    strict: bool = False,
    quiet: bool = False,
) -> int:
    from .report import load_report, text_summary

    interpreter, options, program = split_target(target)
    report = os.path.abspath(report or DEFAULT_REPORT)
    env = _environment(interpreter)
    extra = ["--strict"] if strict else []
    if twice:
        return _run_twice(interpreter, options, program, report, extra, env, html, quiet)
    returncode = _run_child(_command(interpreter, options, program, report, extra), env)
    try:
        data = load_report(report)
    except (OSError, ValueError) as exc:
        print(f"seedlint run: no report ({exc})", file=sys.stderr)
        return _exit_like(returncode)
    if not quiet:
        sys.stderr.write(text_summary(data))
        print(f"seedlint run: report written to {report}", file=sys.stderr)
    if html:
        from .html import write_html

        write_html(html, data)
    return _exit_like(returncode)


def _run_twice(
    interpreter: str,
    options: list[str],
    program: list[str],
    report: str,
    extra: list[str],
    env: dict[str, str],
    html: str | None,
    quiet: bool,
) -> int:
    from .report import load_report
    from .twice import compare, format_comparison

    base, ext = os.path.splitext(report)
    paths = [report, f"{base}.run2{ext or '.json'}"]
    reports = []
    for path in paths:
        code = _run_child(_command(interpreter, options, program, path, ["--digest", *extra]), env)
        if code != 0:
            print(f"seedlint run --twice: the program exited with {code}", file=sys.stderr)
            return _exit_like(code)
        reports.append(load_report(path))
    differences = compare(reports[0], reports[1])
    if not quiet or differences:
        sys.stderr.write(format_comparison(differences))
    if html:
        from .html import write_html

        write_html(html, reports[0])
    return 1 if differences else 0
