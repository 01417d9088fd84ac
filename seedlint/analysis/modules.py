"""Dotted module names for files, the way Python would import them."""

from __future__ import annotations

import os
from functools import cache, lru_cache

# The libraries whose APIs the knowledge tables describe: an import of one of them (or of a
# submodule) is a library import, never a project module to follow, even when the project
# being checked is that library's own source.
LIBRARY_PACKAGES = frozenset({"random", "numpy", "torch"})


def is_library_module(module: str) -> bool:
    return module.split(".", 1)[0] in LIBRARY_PACKAGES


@cache
def _is_package(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "__init__.py"))


@lru_cache(maxsize=65536)
def module_name_for(path: str) -> str:
    """`pkg/sub/mod.py` -> `pkg.sub.mod` when `pkg` and `sub` hold `__init__.py`; a file
    outside any package is named by its stem; `pkg/__init__.py` -> `pkg`."""
    path = os.path.abspath(path)
    folder, filename = os.path.split(path)
    stem = filename[:-3] if filename.endswith(".py") else filename
    parts = [] if stem == "__init__" else [stem]
    while _is_package(folder):
        folder, name = os.path.split(folder)
        parts.append(name)
        if not name:
            break
    return ".".join(reversed(parts)) or stem


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of `from <level dots><target> import ...` inside `module`."""
    base = module.split(".")
    # A module's own package is its name minus the last part; a package is its own package.
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: max(0, len(base) - (level - 1))]
    if target:
        base = [*base, *target.split(".")]
    return ".".join(base)
