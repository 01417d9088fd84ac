"""pytest plugin (entry point `pytest11`): inactive unless `--seedlint` or `--seedlint-strict`.

Every test starts with all three global generators counted as *not seeded for this test*
(a seed set by an earlier test is an accident of test order).  Seeding in the test, in a
fixture, or by pytest-randomly (which reseeds `random` and numpy before each test phase, but
never torch) counts.  `--seedlint` lists the tests that drew from a generator not seeded for
them; `--seedlint-strict` also fails them.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

__all__ = ["pytest_addoption", "pytest_configure"]

_NAME = "seedlint-runtime"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("seedlint", "seedlint runtime companion")
    group.addoption(
        "--seedlint",
        action="store_true",
        default=False,
        help="report tests that draw from a global generator not seeded for that test",
    )
    group.addoption(
        "--seedlint-strict",
        action="store_true",
        default=False,
        help="like --seedlint, and fail those tests",
    )


def pytest_configure(config: pytest.Config) -> None:
    strict = bool(config.getoption("seedlint_strict"))
    if config.getoption("seedlint") or strict:
        config.pluginmanager.register(_Plugin(config, strict), _NAME)


def _reseeds(config: pytest.Config) -> bool:
    """pytest-randomly is active and resets the seeds of random and numpy per test."""
    if not config.pluginmanager.hasplugin("randomly"):
        return False
    try:
        return bool(config.getoption("randomly_reset_seed"))
    except ValueError:
        return False


class _Plugin:
    def __init__(self, config: pytest.Config, strict: bool) -> None:
        from .session import Session

        self.config = config
        self.strict = strict
        self.session = Session(argv=["pytest"]).start()
        self.unseeded: dict[str, list[tuple[str, str, str]]] = {}  # nodeid -> (lib, site, api)

    def pytest_unconfigure(self) -> None:
        self.session.stop()
        self.session.close_parts()

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, None, None]:
        recorder = self.session.recorder
        recorder.status.update(dict.fromkeys(recorder.status, "never"))
        recorder.reset_records()
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, None]:
        outcome = yield
        if call.when != "call":
            return
        from .recorder import GENERATORS

        found = []
        for site in sorted(self.session.recorder.sites.values(), key=lambda s: s.first_seq):
            if site.user_code and site.unseeded_count:
                where = f"{_relative(site.path, str(self.config.rootpath))}:{site.line}"
                found.append((GENERATORS[site.generator], where, ", ".join(sorted(site.apis))))
        if not found:
            return
        self.unseeded[item.nodeid] = found
        report = outcome.get_result()
        if self.strict and report.passed:
            report.outcome = "failed"
            report.longrepr = (
                "seedlint: drew from global generators not seeded for this test:\n"
                + "\n".join(f"  {library} at {where} ({apis})" for library, where, apis in found)
            )

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        write = terminalreporter.write_line
        terminalreporter.section("seedlint runtime")
        if _reseeds(self.config):
            seed = self.config.getoption("randomly_seed")
            write(
                f"pytest-randomly reseeds random and numpy before each test (--randomly-seed="
                f"{seed}); it does not seed torch"
            )
        if not self.unseeded:
            write("no test drew from a global generator that was not seeded for it")
            return
        write(f"{len(self.unseeded)} tests drew from global generators not seeded for them:")
        for nodeid, found in self.unseeded.items():
            for library, where, apis in found:
                write(f"  {nodeid}: {library} at {where} ({apis})")


def _relative(path: str, root: str) -> str:
    import os

    return os.path.relpath(path, root) if path.startswith(root + os.sep) else path
