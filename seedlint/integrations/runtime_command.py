"""`seedlint run` and `seedlint verify`: argument parsing only.  The work is in
`seedlint.runtime` (recording, reports, the verify join); the static findings `verify` joins
come from the Workspace, as `seedlint check` gets them."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..reporters.sarif import RuleDoc

__all__ = ["add_parsers", "split_command"]


def add_parsers(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="run a program and record what its randomness does",
        description="Run a Python program under the runtime companion. Its exit status, "
        "standard output and standard error are its own; the summary follows on standard "
        "error.",
        usage="seedlint run [options] (-- python [OPTS] script.py | script.py | -m MODULE) [ARGS]",
    )
    _common(run)
    run.add_argument("--twice", action="store_true", help="run twice and compare the draws")
    run.add_argument("-q", "--quiet", action="store_true", help="no summary")
    run.add_argument("-m", dest="module", metavar="MODULE", help="run a module as a script")
    run.add_argument("target", nargs=argparse.REMAINDER, help="the program and its arguments")
    run.set_defaults(handler=_run)

    verify = commands.add_parser(
        "verify",
        help="confirm or refute static findings with a runtime report",
        description="Join the static findings (SDL001/002/003/006) with a runtime report: "
        "confirmed, refuted, not-executed, missed-by-static. Exit 1 when anything is "
        "confirmed or missed.",
        usage="seedlint verify [PATHS] (--report FILE | --run -- python script.py [ARGS])",
    )
    verify.add_argument("--report", metavar="FILE", help="a report written by `seedlint run`")
    verify.add_argument("--html", metavar="FILE", help="also write an HTML page")
    verify.add_argument(
        "--format", choices=("text", "json", "sarif"), default="text", help="output format"
    )
    verify.add_argument("--config", metavar="PATH", help="pyproject.toml to read")
    verify.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="static analysis also reports draws seeded on some paths but not all",
    )
    verify.add_argument(
        "--run",
        dest="run_flag",
        action="store_true",
        help="run the program given after `--` first: --run -- python train.py ARGS",
    )
    verify.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    verify.set_defaults(handler=_verify)


def split_command(args: list[str]) -> tuple[list[str], list[str] | None]:
    """`seedlint verify ... --run -- python train.py ARGS`: (the arguments for argparse, the
    command after `--`).  argparse cannot give an option everything after `--` (it would
    read the command's own options), so the command line is split before parsing; None when
    there is no `--run ... --`."""
    if args[:1] == ["verify"] and "--run" in args and "--" in args:
        split = args.index("--")
        if args.index("--run") < split:
            return args[:split], args[split + 1 :]
    return args, None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--report", metavar="FILE", help="JSON report to write (default: seedlint-runtime.json)"
    )
    parser.add_argument("--html", metavar="FILE", help="also write a self-contained HTML page")
    parser.add_argument("--strict", action="store_true", help="fail at the first unseeded draw")


def _usage(message: str) -> int:
    print(f"seedlint: error: {message}", file=sys.stderr)
    return 2


def _run(ns: argparse.Namespace, stdout: TextIO) -> int:
    from ..runtime.runner import run_command

    target = list(ns.target)
    if ns.module is not None:
        target = ["-m", ns.module, *target]
    try:
        return run_command(
            target, report=ns.report, html=ns.html, twice=ns.twice, strict=ns.strict, quiet=ns.quiet
        )
    except ValueError as exc:
        return _usage(str(exc))


def _verify(ns: argparse.Namespace, stdout: TextIO) -> int:
    from ..config import ConfigError, Overrides
    from ..discovery import DiscoveryError
    from ..reporters.sarif import render_verify_sarif
    from ..runtime.report import load_report
    from ..runtime.runner import DEFAULT_REPORT, run_command
    from ..runtime.verify import VERIFIED_CODES, failed, format_json, format_text
    from ..workspace import Workspace

    report_path = ns.report
    command = getattr(ns, "trailing_command", None)  # set by the CLI from `split_command`
    if ns.run_flag:
        if not command:
            return _usage("--run needs the program after `--`: --run -- python train.py ARGS")
        try:
            run_command(command, report=report_path, quiet=True)
        except ValueError as exc:
            return _usage(str(exc))
        report_path = report_path or DEFAULT_REPORT
    if report_path is None:
        return _usage("give --report FILE (from `seedlint run`) or --run -- COMMAND")
    try:
        report = load_report(report_path)
    except (OSError, ValueError) as exc:
        return _usage(f"cannot read the runtime report: {exc}")
    paths = ns.paths or ["."]
    try:
        workspace = Workspace.from_config(
            paths, config=ns.config, overrides=Overrides(select=VERIFIED_CODES, strict=ns.strict)
        )
        static = workspace.check(paths)
    except (ConfigError, DiscoveryError) as exc:
        return _usage(str(exc))
    from ..runtime.verify import verify

    entries = verify(static.diagnostics, static.files, report)
    if ns.format == "json":
        stdout.write(format_json(entries, os.path.abspath(report_path)))
    elif ns.format == "sarif":
        stdout.write(render_verify_sarif(entries, _verify_rule_docs()))
    else:
        stdout.write(format_text(entries))
    if ns.html:
        from ..runtime.html import write_html

        write_html(ns.html, report, entries)
    return 1 if failed(entries) else 0


def _verify_rule_docs() -> list[RuleDoc]:
    """The verified rules' documentation and the runtime observations', for SARIF."""
    from ..reporters.sarif import RuleDoc
    from ..rules import ALL_RULES
    from ..runtime.verify import OBSERVATIONS, VERIFIED_CODES
    from ..urls import repository_url

    docs = [
        RuleDoc(rule.code, rule.name, rule.summary, rule.doc())
        for rule in ALL_RULES
        if rule.code in VERIFIED_CODES
    ]
    readme = repository_url() + "#runtime-companion-seedlint-run-and-seedlint-verify"
    for name, (summary, doc) in OBSERVATIONS.items():
        docs.append(RuleDoc(name, name, summary, doc, help_uri=readme))
    return docs
