"""seedlint's runtime companion: watch a real run and say what its randomness really did.

    with seedlint.runtime.record() as rec:
        train()
    rec.report()          # the JSON report as a dict (docs/runtime-report.md)

    with seedlint.runtime.strict():   # or @seedlint.runtime.strict()
        train()           # UnseededDrawError at the first draw from an unseeded generator

Apart from the static analyzer: this package may import numpy and torch (lazily, and only
once the program itself has imported them); nothing else in seedlint does.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from .recorder import UnseededDrawError
from .report import SCHEMA, VERSION, load_report, text_summary
from .session import Session, current

__all__ = [
    "SCHEMA",
    "VERSION",
    "Session",
    "UnseededDrawError",
    "load_report",
    "record",
    "strict",
    "text_summary",
]

STRICT_ENV = "SEEDLINT_STRICT"


@contextlib.contextmanager
def record(report: str | None = None, *, digest: bool = False) -> Iterator[Session]:
    """Record the block; with `report`, the JSON report is written there at the end.
    Seeding done before the block is not known to it (generators start as never seeded).
    With SEEDLINT_STRICT=1 in the environment, the block runs in strict mode."""
    session = Session(report, digest=digest).start()
    if os.environ.get(STRICT_ENV) == "1":
        session.recorder.strict_depth += 1
    try:
        yield session
    except BaseException as exc:
        session.exit_info = {
            "how": "exception",
            "status": None,
            "exception": f"{type(exc).__name__}: {exc}",
        }
        raise
    finally:
        if session.exit_info["how"] == "running":
            session.exit_info = {"how": "context", "status": None, "exception": None}
        session.stop()
        if report is not None:
            session.write()
        session.close_parts()


class strict(contextlib.ContextDecorator):
    """The first draw from a global generator that was not deterministically seeded raises
    `UnseededDrawError` (naming the library and the call site) instead of drawing."""

    def __init__(self) -> None:
        self._entered: list[tuple[Session, bool]] = []  # (session, started here)

    def __enter__(self) -> strict:
        session = current()
        started = session is None
        if session is None:
            session = Session().start()
        session.recorder.strict_depth += 1
        self._entered.append((session, started))
        return self

    def __exit__(self, *exc: Any) -> None:
        session, started = self._entered.pop()
        session.recorder.strict_depth -= 1
        if started:
            session.stop()
            session.close_parts()
