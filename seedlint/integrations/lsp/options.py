"""The server's settings: what the client says (``initializationOptions`` at start,
``workspace/didChangeConfiguration`` later) on top of each folder's pyproject.toml.

Client settings (all optional; the key ``seedlint`` may wrap them, as VS Code sends them)::

    {"select": ["SDL1"], "ignore": ["SDL104"], "extendSelect": [], "strict": false,
     "safeOnly": true, "numpyTarget": "generator", "fixStyle": "module", "seed": null,
     "debounceMs": 0}

select/ignore/extendSelect/strict override ``[tool.seedlint]`` exactly as the command-line
options of the same names do.  ``safeOnly`` (default true) keeps fix-all
(``source.fixAll.seedlint`` and the "fix all" command) to stream-preserving fixes; quick
fixes for one finding are always offered, their titles saying whether they change the random
stream.  A bad value is reported to the user and ignored, never fatal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...config import ConfigError, Overrides, parse_codes
from ...fixes import FixOptions

__all__ = ["ClientOptions", "parse_client_options"]


@dataclass(frozen=True)
class ClientOptions:
    overrides: Overrides = field(default_factory=Overrides)
    safe_only: bool = True
    fix: FixOptions = field(default_factory=FixOptions)
    debounce_s: float = 0.0


def _codes(value: object, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError("expected a list of rule codes", key=key)
    return parse_codes(value, key)


def parse_client_options(raw: object) -> tuple[ClientOptions, list[str]]:
    """The options in `raw` (anything a client may send), and a message per bad value."""
    problems: list[str] = []
    if isinstance(raw, Mapping) and isinstance(raw.get("seedlint"), Mapping):
        raw = raw["seedlint"]
    if not isinstance(raw, Mapping):
        return ClientOptions(), [] if raw is None else ["settings: expected an object"]
    values: dict[str, Any] = {}
    for key, name in (
        ("select", "select"),
        ("ignore", "ignore"),
        ("extendSelect", "extend_select"),
    ):
        if raw.get(key) is None:
            continue
        try:
            values[name] = _codes(raw[key], key)
        except ConfigError as exc:
            problems.append(str(exc))
    strict = raw.get("strict")
    if strict is not None and not isinstance(strict, bool):
        problems.append("strict: expected true or false")
        strict = None
    overrides = Overrides(
        select=values.get("select"),
        ignore=values.get("ignore", ()),
        extend_select=values.get("extend_select", ()),
        strict=strict,
    )
    safe_only = raw.get("safeOnly", True)
    if not isinstance(safe_only, bool):
        problems.append("safeOnly: expected true or false")
        safe_only = True
    fix_values: dict[str, Any] = {}
    for key, name, allowed in (
        ("numpyTarget", "numpy_target", ("generator", "randomstate")),
        ("fixStyle", "fix_style", ("module", "parameter")),
    ):
        value = raw.get(key)
        if value is None:
            continue
        if value not in allowed:
            problems.append(f"{key}: expected one of {', '.join(allowed)}")
        else:
            fix_values[name] = value
    seed = raw.get("seed")
    if seed is not None:
        if isinstance(seed, int) and not isinstance(seed, bool):
            fix_values["seed"] = seed
        else:
            problems.append("seed: expected an integer")
    debounce = raw.get("debounceMs", 0)
    if not isinstance(debounce, (int, float)) or isinstance(debounce, bool) or debounce < 0:
        problems.append("debounceMs: expected a number of milliseconds")
        debounce = 0
    options = ClientOptions(overrides, safe_only, FixOptions(**fix_values), debounce / 1000)
    return options, problems
