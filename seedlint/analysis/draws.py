"""Which global generator a recorded call draws from, if any: one answer for every rule."""

from __future__ import annotations

from ..knowledge import ThirdPartyDraw, thirdparty_draw, torch_call
from ..knowledge.torch_api import GENERATOR_NOT_ISOLATING
from .facts import ApiCall


def passes_generator(call: ApiCall) -> bool:
    """True when a torch call already gets a generator (keyword, positional, or **kwargs)."""
    if "generator" in call.keywords:
        # `generator=None` is the default generator, written out.
        return call.keyword_value("generator") != "None"
    api = torch_call(call.qualname)
    if call.star_kwargs and (api is None or api.draws_on != "iteration"):
        return True
    # `DataLoader(ds, **kwargs)`: not assumed to carry `generator=` (the extractor adds it to
    # the keywords when the dict is visibly built with a "generator" key).
    position = api.generator_position if api is not None else None
    if position is None:
        return False  # keyword-only: `*args` cannot carry it
    positional_star = call.has_star_args and not call.star_kwargs
    return call.n_positional > position or positional_star


def _matches(value: str | None, pattern: str) -> bool:
    if pattern == "<absent>":
        return value is None
    if value is None:
        return False
    if pattern == "<fraction>":
        return value not in ("None", "1", "1.0")
    if pattern == "*":
        return value not in ("None", "False", "0")
    if pattern == "<array>":  # neither a string literal nor None: an array (or a name for one)
        return value != "None" and not value.startswith(("'", '"'))
    return value in pattern.split("|")


def thirdparty_draws_global(call: ApiCall, entry: ThirdPartyDraw) -> bool:
    """A third-party call that falls back to numpy's global generator as written here."""
    if call.has_star_args:
        return False  # random_state may well come in through **kwargs
    if entry.kind == "estimator" and call.is_argument:
        return False  # a sub-estimator: the meta-estimator around it sets its random_state
    for keyword in (entry.seed_keyword, *entry.legacy_seed_keywords):
        seed = call.keyword_value(keyword)
        if seed is not None and seed != "None":
            return False
    if any(not _matches(call.keyword_value(k), p) for k, p in entry.only_if):
        return False
    if entry.only_if_any and not any(
        _matches(call.keyword_value(k), p) for k, p in entry.only_if_any
    ):
        return False
    return not any(_matches(call.keyword_value(k), p) for k, p in entry.unless)


def global_draw_library(call: ApiCall) -> str | None:
    """ "random", "numpy" or "torch" when `call` draws from that library's global generator."""
    if call.role != "draw" or call.usage != "call":
        return None
    if call.library in ("random", "numpy"):
        return call.library
    if call.library == "torch":
        if call.qualname in GENERATOR_NOT_ISOLATING:
            return "torch"  # draws from the default generator even with generator=
        return None if passes_generator(call) else "torch"
    entry = thirdparty_draw(call.qualname)
    if entry is not None and thirdparty_draws_global(call, entry):
        return "numpy"
    return None
