"""Is a seed value reproducible?  Entropy (`seed()`, `seed(None)`) and the clock are not."""

from __future__ import annotations

import time
from typing import Any

__all__ = ["classify_seed", "short_repr"]

# A seed within a week of "now", in seconds, milliseconds, microseconds or nanoseconds since
# the epoch, was almost certainly read from the clock (`int(time.time())`, `time.time_ns()`).
_WINDOW_S = 7 * 86400
_SCALES = (1, 1_000, 1_000_000, 1_000_000_000)


def _clock_like(value: float) -> bool:
    now = time.time()
    return any(abs(value - now * scale) <= _WINDOW_S * scale for scale in _SCALES)


def classify_seed(value: Any) -> tuple[bool, str]:
    """(deterministic, source) for a value handed to a seeding call; source is one of
    "entropy" (None), "clock" (looks like a timestamp) or "value"."""
    if value is None:
        return False, "entropy"
    if isinstance(value, bool):
        return True, "value"
    if isinstance(value, (int, float)):
        try:
            if _clock_like(float(value)):
                return False, "clock"
        except OverflowError:
            pass
        return True, "value"
    item = getattr(value, "item", None)  # numpy / torch scalars
    if callable(item) and getattr(value, "ndim", getattr(value, "dim", lambda: 1)) in (0,):
        try:
            return classify_seed(item())
        except (TypeError, ValueError):
            pass
    return True, "value"


def short_repr(value: Any, limit: int = 80) -> str:
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ in the program must not break the recorder
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())  # SeedSequence's repr spans lines
    return text if len(text) <= limit else text[: limit - 3] + "..."
