"""Shared test helpers.

Tests that need numpy, torch or another optional library import it through `require`, which
fails the test when the library is missing (CI must never silently skip them) unless the
developer explicitly allows skipping with SEEDLINT_ALLOW_SKIP=1.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


def resolve_qualname(qualname: str) -> Any:
    """The object a dotted name points to: the longest importable module, then attributes."""
    parts = qualname.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for part in parts[i:]:
            obj = getattr(obj, part)
        return obj
    raise AssertionError(f"cannot import {qualname}")


def require(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if os.environ.get("SEEDLINT_ALLOW_SKIP") == "1":
            pytest.skip(f"{module} is not installed (SEEDLINT_ALLOW_SKIP=1)")
        raise AssertionError(
            f"{module} is required by this test; install the test extras "
            f"(see README) or set SEEDLINT_ALLOW_SKIP=1 to skip"
        ) from exc
