"""Resolved settings: which rules run, and analysis switches.  Built by `config` from
pyproject.toml and the command line; every integration (CLI, flake8, LSP) passes one in."""

from __future__ import annotations

from dataclasses import dataclass, field

# Rules that run when nothing is selected: everything (like flake8-bugbear's default set).
DEFAULT_SELECT: tuple[str, ...] = ("SDL",)


def _matches(code: str, prefixes: tuple[str, ...]) -> int:
    """Length of the longest prefix in `prefixes` that `code` starts with (0: none)."""
    return max((len(p) for p in prefixes if code.startswith(p)), default=0)


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = DEFAULT_SELECT
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    # Report draws that are seeded on some paths but not all (default: only never-seeded ones).
    strict: bool = False
    # Per-file ignores: (glob pattern, codes) pairs, matched against the path relative to root.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    # Python version whose `random` module is assumed (module functions added later count only
    # from their version on); None: the running interpreter's.
    target_version: tuple[int, int] | None = None
    _cache: dict[str, bool] = field(default_factory=dict, compare=False, repr=False, hash=False)

    def is_enabled(self, code: str) -> bool:
        """ruff's semantics: the most specific matching prefix wins; ties go to select."""
        cached = self._cache.get(code)
        if cached is None:
            selected = _matches(code, self.select + self.extend_select)
            ignored = _matches(code, self.ignore)
            cached = selected > 0 and selected >= ignored
            self._cache[code] = cached
        return cached

    def any_enabled(self, codes: tuple[str, ...] | frozenset[str]) -> bool:
        return any(self.is_enabled(c) for c in codes)
