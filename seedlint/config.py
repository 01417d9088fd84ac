"""``[tool.seedlint]`` in pyproject.toml, and command-line overrides -> `Settings`.

Discovery: the nearest ``pyproject.toml`` with a ``[tool.seedlint]`` table, looking upwards from
the first path given (a file's folder) or the current directory, the way ruff looks for
``[tool.ruff]``; ``--config PATH`` names the file instead.  Its folder is the project root
that ``per-file-ignores`` and ``exclude`` patterns are relative to.

Precedence follows ruff: the command line is a layer above the file.  ``--select`` starts the
rule selection afresh (the file's select, extend-select and ignore no longer apply);
otherwise ``--extend-select`` and ``--ignore`` are applied on top of the file's selection and
win over any file entry they cover.  ``--exclude`` replaces, ``--extend-exclude`` extends.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .settings import DEFAULT_SELECT, Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "ConfigError",
    "FileConfig",
    "Overrides",
    "TARGET_VERSIONS",
    "build_settings",
    "find_config_file",
    "load_config",
    "parse_codes",
    "read_config_file",
]

TARGET_VERSIONS: dict[str, tuple[int, int]] = {f"py3{minor}": (3, minor) for minor in range(10, 15)}
_CODE_PREFIX = re.compile(r"SDL[0-9]{0,3}")
_KEYS = (
    "select",
    "ignore",
    "extend-select",
    "exclude",
    "extend-exclude",
    "per-file-ignores",
    "strict",
    "target-version",
)


class ConfigError(Exception):
    """Invalid configuration; the message names the file (or option) and the key."""

    def __init__(
        self, message: str, *, path: str | os.PathLike[str] | None = None, key: str | None = None
    ) -> None:
        where = []
        if path is not None:
            where.append(str(path))
        if key is not None:
            where.append(f"[tool.seedlint] {key}" if path is not None else key)
        text = ": ".join([*where, message])
        super().__init__(text)
        self.path = None if path is None else str(path)
        self.key = key
        self.message = message


@dataclass(frozen=True)
class FileConfig:
    """The validated ``[tool.seedlint]`` table; None means "not set"."""

    path: Path | None = None  # the file it came from
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    strict: bool | None = None
    target_version: tuple[int, int] | None = None

    @property
    def root(self) -> Path | None:
        """The folder patterns are relative to (the config file's folder)."""
        return None if self.path is None else self.path.parent


@dataclass(frozen=True)
class Overrides:
    """What the command line says; None (or empty for lists) means "not given"."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    strict: bool | None = None
    target_version: tuple[int, int] | None = None


# --- reading -------------------------------------------------------------------------------


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            document: dict[str, Any] = tomllib.load(handle)
            return document
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(f"cannot read: {reason}", path=path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"invalid TOML: not UTF-8 ({exc.reason})", path=path) from None


def _seedlint_table(document: dict[str, Any], path: Path) -> dict[str, Any] | None:
    tool = document.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError("`tool` must be a table", path=path)
    table = tool.get("seedlint")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError("must be a table ([tool.seedlint])", path=path, key="tool.seedlint")
    return table


def find_config_file(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest pyproject.toml with a [tool.seedlint] table in `start` (a file's folder
    when `start` is a file; the current directory by default) or a folder above it."""
    here = Path(os.path.abspath(start if start is not None else os.getcwd()))
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _seedlint_table(_load_toml(candidate), candidate) is not None:
            return candidate
    return None


def _type_name(value: object) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a float",
        str: "a string",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _string_list(value: object, path: Path, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(
            f"expected an array of strings, got {_type_name(value)}", path=path, key=key
        )
    for item in value:
        if not isinstance(item, str):
            raise ConfigError(
                f"expected an array of strings, found {_type_name(item)} ({item!r})",
                path=path,
                key=key,
            )
        if not item.strip():
            raise ConfigError("empty string in the array", path=path, key=key)
    return tuple(value)


def _check_codes(codes: Iterable[str], *, path: Path | None, key: str) -> tuple[str, ...]:
    checked = []
    for code in codes:
        code = code.strip()
        if not _CODE_PREFIX.fullmatch(code):
            hint = ""
            if _CODE_PREFIX.fullmatch(code.upper()):
                hint = f" (codes are upper case: {code.upper()!r})"
            raise ConfigError(
                f"{code!r} is not a seedlint rule code or prefix; expected 'SDL' followed by "
                f"up to three digits, like 'SDL', 'SDL1' or 'SDL101'{hint}",
                path=path,
                key=key,
            )
        checked.append(code)
    return tuple(checked)


def parse_codes(text: Iterable[str], option: str) -> tuple[str, ...]:
    """Comma-separated codes from (possibly repeated) command-line values, validated."""
    codes = [part.strip() for value in text for part in value.split(",") if part.strip()]
    return _check_codes(codes, path=None, key=option)


def parse_target_version(value: object, *, path: Path | None, key: str) -> tuple[int, int]:
    if not isinstance(value, str) or value not in TARGET_VERSIONS:
        shown = repr(value) if isinstance(value, str) else _type_name(value)
        raise ConfigError(
            f"expected one of {', '.join(repr(v) for v in TARGET_VERSIONS)}, got {shown}",
            path=path,
            key=key,
        )
    return TARGET_VERSIONS[value]


def _validate(table: dict[str, Any], path: Path) -> FileConfig:
    unknown = [key for key in table if key not in _KEYS]
    if unknown:
        key = unknown[0]
        close = difflib.get_close_matches(key.replace("_", "-"), _KEYS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(f"unknown key{hint} (known keys: {', '.join(_KEYS)})", path=path, key=key)
    values: dict[str, Any] = {}
    for key in ("select", "ignore", "extend-select"):
        if key in table:
            codes = _string_list(table[key], path, key)
            values[key.replace("-", "_")] = _check_codes(codes, path=path, key=key)
    for key in ("exclude", "extend-exclude"):
        if key in table:
            values[key.replace("-", "_")] = _string_list(table[key], path, key)
    if "per-file-ignores" in table:
        raw = table["per-file-ignores"]
        if not isinstance(raw, dict):
            raise ConfigError(
                f"expected a table of glob = [codes], got {_type_name(raw)}",
                path=path,
                key="per-file-ignores",
            )
        pairs = []
        for pattern, codes in raw.items():
            key = f"per-file-ignores.{json.dumps(pattern)}"
            if not pattern.strip():
                raise ConfigError("empty glob pattern", path=path, key=key)
            checked = _check_codes(_string_list(codes, path, key), path=path, key=key)
            pairs.append((pattern, checked))
        values["per_file_ignores"] = tuple(pairs)
    if "strict" in table:
        if not isinstance(table["strict"], bool):
            raise ConfigError(
                f"expected true or false, got {_type_name(table['strict'])}",
                path=path,
                key="strict",
            )
        values["strict"] = table["strict"]
    if "target-version" in table:
        values["target_version"] = parse_target_version(
            table["target-version"], path=path, key="target-version"
        )
    return FileConfig(path=path, **values)


def read_config_file(path: str | os.PathLike[str]) -> FileConfig:
    """Validate the [tool.seedlint] table of `path` (no table: an empty configuration)."""
    file = Path(os.path.abspath(path))
    if not file.is_file():
        raise ConfigError("no such file" if not file.exists() else "not a file", path=file)
    table = _seedlint_table(_load_toml(file), file)
    return _validate(table, file) if table is not None else FileConfig(path=file)


def load_config(
    paths: Sequence[str | os.PathLike[str]] = (), config: str | os.PathLike[str] | None = None
) -> FileConfig:
    """The configuration for a run over `paths`: `config` when given, else the nearest one
    (see `find_config_file`), else an empty one."""
    if config is not None:
        return read_config_file(config)
    found = find_config_file(paths[0] if paths else None)
    return read_config_file(found) if found is not None else FileConfig()


# --- combining -----------------------------------------------------------------------------


def _covered(entry: str, by: Sequence[str]) -> bool:
    return any(entry.startswith(prefix) for prefix in by)


def build_settings(file: FileConfig, overrides: Overrides | None = None) -> Settings:
    """`Settings` from the file's configuration with the command line on top (see the module
    docstring for the precedence)."""
    cli = overrides or Overrides()
    if cli.select is not None:
        select = cli.select
        extend_select = cli.extend_select
        ignore = cli.ignore
    else:
        # One layer on top of another, expressed in Settings' single "most specific prefix
        # wins" layer: drop every file entry that a command-line entry of the other kind
        # covers, so that the command line decides wherever it says anything.
        cli_enables = cli.extend_select
        cli_disables = cli.ignore
        select = tuple(
            s
            for s in (file.select if file.select is not None else DEFAULT_SELECT)
            if not _covered(s, cli_disables)
        )
        extend_select = (
            tuple(s for s in (file.extend_select or ()) if not _covered(s, cli_disables))
            + cli_enables
        )
        ignore = (
            tuple(i for i in (file.ignore or ()) if not _covered(i, cli_enables)) + cli_disables
        )
    strict = cli.strict if cli.strict is not None else bool(file.strict)
    return Settings(
        select=select,
        ignore=ignore,
        extend_select=extend_select,
        strict=strict,
        per_file_ignores=(file.per_file_ignores or ()) + cli.per_file_ignores,
        exclude=cli.exclude if cli.exclude is not None else (file.exclude or ()),
        extend_exclude=(file.extend_exclude or ()) + cli.extend_exclude,
        target_version=cli.target_version or file.target_version,
    )
