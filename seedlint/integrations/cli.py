"""The ``seedlint`` command.

    seedlint check [PATHS...]    check files and folders (default: the current folder)
    seedlint PATHS...            the same (any arguments not starting with a subcommand)
    seedlint rule CODE           a rule's documentation
    seedlint rules               every rule: code, name, summary
    seedlint lsp                 a language server on stdio (needs the `lsp` extra)
    seedlint run [-- python] script.py ARGS   run a program under the runtime companion
    seedlint verify [PATHS] --report FILE     confirm or refute findings with a real run

Exit status: 0 no findings, 1 findings (including files that cannot be read or parsed),
2 usage, configuration or internal error.  An unexpected exception prints one line
(``seedlint: internal error: ...``); ``SEEDLINT_DEBUG=1`` shows the traceback instead.

Imports are lazy: ``seedlint --version`` and ``--help`` load neither the analysis nor libcst.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from .. import __version__

if TYPE_CHECKING:
    from ..config import Overrides
    from ..diagnostics import Diagnostic
    from ..fixes import FixOptions
    from ..reporters.sarif import RuleDoc
    from ..workspace import Workspace

__all__ = ["main"]

PROG = "seedlint"
SUBCOMMANDS = ("check", "rule", "rules", "run", "verify", "lsp")
_TOP_LEVEL_FLAGS = ("-h", "--help", "--version")
_DEBUG_ENV = "SEEDLINT_DEBUG"


class _UsageError(Exception):
    """A problem with what the user asked for: printed as `seedlint: error: ...`, exit 2."""


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find non-reproducible randomness in code using random, numpy and torch.",
        epilog="`seedlint PATHS...` is short for `seedlint check PATHS...`.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="check files and folders (default: the current folder)",
        description="Check Python files for non-reproducible randomness.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check")
    selection = check.add_argument_group("rule selection (comma-separated codes or prefixes)")
    selection.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="check only these rules (replaces the configured selection)",
    )
    selection.add_argument(
        "--extend-select",
        action="append",
        default=[],
        metavar="CODES",
        help="check these rules in addition to the configured ones",
    )
    selection.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="do not check these rules",
    )
    files = check.add_argument_group("file selection (comma-separated gitignore-style globs)")
    files.add_argument(
        "--exclude",
        action="append",
        metavar="GLOBS",
        help="skip these while walking folders (replaces the default and configured list)",
    )
    files.add_argument(
        "--extend-exclude",
        action="append",
        default=[],
        metavar="GLOBS",
        help="skip these as well",
    )
    analysis = check.add_argument_group("analysis")
    analysis.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also report draws seeded on some paths but not all",
    )
    analysis.add_argument(
        "--target-version",
        metavar="VERSION",
        help="Python version the code runs on (py310 ... py314)",
    )
    fixing = check.add_argument_group("fixing")
    fixing.add_argument(
        "--fix", action="store_true", help="rewrite files to use explicit, seeded generators"
    )
    fixing.add_argument(
        "--diff", action="store_true", help="show the fixes as a unified diff; write nothing"
    )
    fixing.add_argument(
        "--safe-only",
        action="store_true",
        help="apply only stream-preserving fixes (the numbers stay the same)",
    )
    fixing.add_argument(
        "--numpy-target",
        choices=("generator", "randomstate"),
        default="generator",
        help="numpy rewrite target: a Generator (default) or a seeded RandomState instance "
        "(keeps the exact numbers)",
    )
    fixing.add_argument(
        "--fix-style",
        choices=("module", "parameter"),
        default="module",
        help="one module-level generator (default), or an rng=None parameter per function",
    )
    fixing.add_argument(
        "--seed", type=int, metavar="N", help="seed to use where the code has none to carry over"
    )
    speed = check.add_argument_group("performance")
    speed.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the facts cache"
    )
    speed.add_argument(
        "--cache-dir",
        metavar="PATH",
        help="where to keep the cache (default: .seedlint_cache in the project root)",
    )
    speed.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="processes to parse with (default: the number of CPUs, at most 8)",
    )
    speed.add_argument(
        "--no-project",
        action="store_true",
        help="analyse only the given files, without reading the rest of the project",
    )
    output = check.add_argument_group("output")
    output.add_argument(
        "--format",
        "--output-format",
        dest="format",
        choices=("text", "json", "json-lines", "sarif", "github"),
        default="text",
        help="output format (default: text); sarif for code scanning, github for annotations "
        "on pull requests (GitHub Actions), json-lines for one finding per line",
    )
    output.add_argument(
        "--statistics", action="store_true", help="show the number of findings per rule"
    )
    output.add_argument(
        "-q", "--quiet", action="store_true", help="print the findings and nothing else"
    )
    check.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="with `-` as the path: the file the text on standard input stands for",
    )
    check.add_argument(
        "--config",
        metavar="PATH",
        help="read [tool.seedlint] from this file instead of the nearest pyproject.toml",
    )
    check.set_defaults(handler=_run_check)

    rule = commands.add_parser("rule", help="show the documentation of a rule")
    rule.add_argument("code", metavar="CODE", help="a rule code, e.g. SDL101")
    rule.set_defaults(handler=_run_rule)

    rules = commands.add_parser("rules", help="list every rule")
    rules.set_defaults(handler=_run_rules)

    from .runtime_command import add_parsers  # run, verify: the runtime companion

    add_parsers(commands)

    lsp = commands.add_parser(
        "lsp",
        help="run the language server on stdio (needs `pip install 'seedlint[lsp]'`)",
        description="Language Server Protocol server over stdio, for editors.",
    )
    lsp.set_defaults(handler=_run_lsp)
    return parser


def _route(argv: list[str]) -> list[str]:
    """`seedlint PATHS...` and `seedlint --option ...` mean `seedlint check ...`."""
    if not argv:
        return ["check"]
    if argv[0] in SUBCOMMANDS or argv[0] in _TOP_LEVEL_FLAGS:
        return argv
    return ["check", *argv]


# --- check -----------------------------------------------------------------------------------


def _split(values: Sequence[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _overrides(ns: argparse.Namespace) -> Overrides:
    from ..config import Overrides, parse_codes, parse_target_version

    return Overrides(
        select=parse_codes(ns.select, "--select") if ns.select is not None else None,
        extend_select=parse_codes(ns.extend_select, "--extend-select"),
        ignore=parse_codes(ns.ignore, "--ignore"),
        exclude=_split(ns.exclude),
        extend_exclude=_split(ns.extend_exclude) or (),
        strict=ns.strict,
        target_version=(
            parse_target_version(ns.target_version, path=None, key="--target-version")
            if ns.target_version is not None
            else None
        ),
    )


def _read_stdin() -> str:
    """Standard input as text, decoded the way a source file is (BOM, coding cookie)."""
    from ..source import SourceError, decode_source

    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    try:
        return decode_source(data).text
    except SourceError as exc:
        raise _UsageError(f"cannot read standard input: {exc}") from None


def _run_check(ns: argparse.Namespace, stdout: TextIO) -> int:
    from ..config import ConfigError
    from ..discovery import DiscoveryError
    from ..workspace import Workspace

    paths: list[str] = ns.paths or ["."]
    stdin_text: str | None = None
    if "-" in paths:
        # ruff's convention: `-` is a buffer read from stdin, analysed as `--stdin-filename`
        # of its project (the rest of the project from disk, the buffer overriding the file).
        if paths != ["-"]:
            raise _UsageError("`-` (standard input) cannot be combined with other paths")
        if ns.fix:
            raise _UsageError("--fix cannot write to standard input; use --diff")
        stdin_text = _read_stdin()
        paths = [ns.stdin_filename or _STDIN_NAME]
    elif ns.stdin_filename is not None:
        raise _UsageError("--stdin-filename needs `-` as the path")
    if ns.jobs is not None and ns.jobs < 1:
        raise _UsageError("--jobs must be at least 1")
    try:
        workspace = Workspace.from_config(
            paths,
            config=ns.config,
            overrides=_overrides(ns),
            cache_dir=ns.cache_dir,
            use_cache=not ns.no_cache,
            jobs=ns.jobs,
            project_context=not ns.no_project,
        )
    except ConfigError as exc:
        raise _UsageError(str(exc)) from None
    if stdin_text is not None:
        workspace.set_overlay(paths[0], stdin_text)
    try:
        if ns.fix or ns.diff:
            return _fix(ns, workspace, paths, stdout)
        report = workspace.check(
            paths, describe_fixes=ns.format != "text", fix_options=_fix_options(ns)
        )
    except DiscoveryError as exc:
        raise _UsageError(str(exc)) from None
    if not report.files and not report.diagnostics and not ns.quiet:
        print(f"{PROG}: warning: no Python files found under the given paths", file=sys.stderr)
    _show(ns, report.diagnostics, stdout, workspace)
    return 1 if report.diagnostics else 0


# A buffer from standard input without --stdin-filename: a module of its own, in the current
# folder, shown as `-` (as ruff and flake8 show it).
_STDIN_NAME = "-"


def _fix_options(ns: argparse.Namespace) -> FixOptions:
    from .fix_command import fix_options

    return fix_options(ns)


def _show(
    ns: argparse.Namespace,
    diagnostics: Sequence[Diagnostic],
    stdout: TextIO,
    workspace: Workspace,
) -> None:
    from functools import lru_cache

    from ..reporters import write_report

    # SARIF viewers and GitHub annotations show a notebook's JSON text: find cells' code there.
    locate = lru_cache(maxsize=None)(workspace.notebook_position)

    write_report(
        diagnostics,
        stdout,
        format=ns.format,
        show_statistics=ns.statistics,
        quiet=ns.quiet or bool(ns.fix or ns.diff),
        rules=_rule_docs() if ns.format == "sarif" else (),
        locate=locate,
    )


def _rule_docs() -> list[RuleDoc]:
    """The rules' documentation, for the formats that carry it (reporters import no rules)."""
    from ..reporters.sarif import RuleDoc
    from ..rules import ALL_RULES

    return [RuleDoc(rule.code, rule.name, rule.summary, rule.doc()) for rule in ALL_RULES]


def _fix(ns: argparse.Namespace, workspace: Workspace, paths: list[str], stdout: TextIO) -> int:
    from .fix_command import run_fix

    result = workspace.fix(paths, _fix_options(ns), write=not ns.diff)
    return run_fix(
        result,
        diff=ns.diff,
        stdout=stdout,
        recheck=lambda: workspace.check(paths).diagnostics,
        write_report=lambda diagnostics: _show(ns, diagnostics, stdout, workspace),
    )


# --- rule / rules ----------------------------------------------------------------------------


def _run_rule(ns: argparse.Namespace, stdout: TextIO) -> int:
    from ..rules import get_rule

    code = ns.code.strip().upper()
    try:
        rule = get_rule(code)
    except (KeyError, LookupError, ValueError):
        rule = None
    if rule is None:
        raise _UsageError(f"unknown rule code {ns.code!r} (`{PROG} rules` lists them)")
    text = rule.doc()
    stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _run_rules(ns: argparse.Namespace, stdout: TextIO) -> int:
    from ..rules import ALL_RULES

    rows = sorted((rule.code, rule.name, rule.summary) for rule in ALL_RULES)
    if not rows:
        return 0
    code_width = max(len(code) for code, _, _ in rows)
    name_width = max(len(name) for _, name, _ in rows)
    for code, name, summary in rows:
        stdout.write(f"{code:<{code_width}}  {name:<{name_width}}  {summary}".rstrip() + "\n")
    return 0


def _run_lsp(ns: argparse.Namespace, stdout: TextIO) -> int:
    from .lsp import main as lsp_main

    return lsp_main()


# --- entry point -----------------------------------------------------------------------------


def _exit_status(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 2


def _silence_stdout() -> None:
    """After a broken pipe (`seedlint ... | head`), keep Python from complaining at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (default: sys.argv[1:]); returns the exit status."""
    from .runtime_command import split_command

    args, command = split_command(_route(list(sys.argv[1:] if argv is None else argv)))
    parser = _build_parser()
    try:
        ns = parser.parse_args(args)
    except SystemExit as exc:  # --help, --version, usage errors
        return _exit_status(exc)
    ns.trailing_command = command  # `verify --run -- COMMAND`
    stdout = sys.stdout
    if isinstance(stdout, io.TextIOWrapper):
        # A path or message the terminal cannot encode must not become a crash.
        try:
            stdout.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, io.UnsupportedOperation):
            pass
    try:
        status: int = ns.handler(ns, stdout)
        if not stdout.closed:  # the language server closes it when the client says exit
            stdout.flush()
        return status
    except _UsageError as exc:
        _error(str(exc))
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        if argv is None:
            # The process is ending: leave now.  A process pool whose iteration Ctrl-C broke
            # off can hang the interpreter's shutdown (its finalizer joins the pool's handler
            # threads); every write is atomic, finished or undone by the time we get here, and
            # idle pool workers exit when this process closes their task pipe.
            for stream in (stdout, sys.stderr):
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()
            os._exit(130)
        return 130
    except Exception as exc:
        if os.environ.get(_DEBUG_ENV) == "1":
            raise
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        print(
            f"{PROG}: internal error: {detail} "
            f"(this is a bug in seedlint; rerun with {_DEBUG_ENV}=1 for the traceback and "
            "please report it)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
