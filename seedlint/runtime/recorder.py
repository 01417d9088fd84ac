"""The recorder: generator states, seeding events and draws aggregated per call site.

Hooks (`hooks_random`, `hooks_numpy`, `hooks_torch`) call `Recorder.draw` before each draw
from a global generator and `Recorder.seeded` after each seeding or state-setting call;
`explicit` calls `Recorder.constructed` when the user's code makes an explicit generator.  A
draw from an instruction seen before is counted by the wrapper itself, on a `Tally` this
recorder handed it (`SiteCache`); everything that changes what a tally means (a seeding, a
fork, another recorder, strict mode) empties those caches.  The recorder never touches a
generator itself, so observing cannot change a drawn number.

One recorder is active per process (`ACTIVE`).  A forked child (DataLoader workers,
`multiprocessing` with the fork start method) inherits it; `after_fork_child` clears what the
parent recorded so the child's part holds its own events, written into the parts folder when
the child exits and merged into the parent's report.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from types import CodeType, FrameType
from typing import Any, Literal

from .attribution import Attribution, attribute, describe, frames
from .seeds import classify_seed, short_repr

__all__ = [
    "ACTIVE",
    "DISCARD",
    "Construction",
    "GENERATORS",
    "DrawSite",
    "Recorder",
    "SeedingEvent",
    "SiteCache",
    "Tally",
    "UnseededDrawError",
    "activate",
    "invalidate",
]

Status = Literal["never", "entropy", "deterministic"]

# generator key -> library
GENERATORS: dict[str, str] = {
    "random": "random",
    "numpy": "numpy",
    "torch:cpu": "torch",
    "torch:cuda": "torch",
}
_WORKER_LOOP = os.path.join("torch", "utils", "data", "_utils", "worker.py")
MAX_EVENTS = 1000  # seeding events kept per process (a reseed in a loop would be unbounded)


class UnseededDrawError(RuntimeError):
    """Strict mode: a draw from a global generator that was not deterministically seeded."""

    def __init__(self, library: str, generator: str, api: str, site: str) -> None:
        self.library = library
        self.generator = generator
        self.api = api
        self.site = site
        super().__init__(
            f"{api} draws from {library}'s global generator ({generator}), which was never "
            f"deterministically seeded, at {site} (seed it first, or pass an explicit seeded "
            "generator)"
        )


class SeedingEvent:
    __slots__ = (
        "seq",
        "time",
        "generator",
        "api",
        "kind",
        "deterministic",
        "source",
        "value",
        "path",
        "line",
        "function",
        "user_code",
        "via",
        "pid",
    )

    seq: int
    time: float
    generator: str
    api: str
    kind: str
    deterministic: bool
    source: str
    value: str
    path: str | None
    line: int | None
    function: str | None
    user_code: bool
    via: str | None
    pid: int

    def to_json(self, site: Callable[[str, int], str]) -> dict[str, Any]:
        shown = site(self.path, self.line) if self.path and self.line else None
        return {
            "seq": self.seq,
            "time": round(self.time, 6),
            "generator": self.generator,
            "api": self.api,
            "kind": self.kind,
            "deterministic": self.deterministic,
            "source": self.source,
            "value": self.value,
            "site": shown,
            "path": self.path,
            "line": self.line,
            "function": self.function,
            "user_code": self.user_code,
            "via": self.via,
            "pid": self.pid,
        }


class Tally:
    """Draws of one API at one site while its generator was (not) deterministically seeded:
    the one counter a draw increments (the wrappers' caches hold it, see `SiteCache`)."""

    __slots__ = ("api", "unseeded", "n")

    def __init__(self, api: str, unseeded: bool) -> None:
        self.api = api
        self.unseeded = unseeded
        self.n = 0


# What a wrapper's cache points at for calls that another wrapper already counted (numpy's
# Cython methods calling each other through `self`): counted here, read by nobody.
DISCARD = Tally("", False)


class SiteCache:
    """One wrapper's memory of the instructions that called it: `hit` is the last one,
    (code, f_lasti, tally); `known` maps (id(code), f_lasti) -> tally, and, for draws made
    inside a library, (id(code), f_lasti, id(user's code), user's f_lasti) -> tally.  A draw
    from a known instruction is a comparison or a look-up and one increment: no status
    look-up, no recorder call.  Filled by `Recorder.draw` only when neither strict mode nor
    the digest is on; emptied (`invalidate`) whenever what a tally means could change: the
    generator's seeding status, the active recorder, a fork."""

    __slots__ = ("hit", "known", "__weakref__")

    def __init__(self, generator: str) -> None:
        self.hit: tuple[Any, int, Tally] = _EMPTY_HIT
        self.known: dict[tuple[int, ...], Tally] = {}
        with _CACHE_LOCK:
            _CACHES.setdefault(generator, weakref.WeakSet()).add(self)


_EMPTY_HIT: tuple[Any, int, Tally] = (None, -1, DISCARD)
_CACHES: dict[str, weakref.WeakSet[SiteCache]] = {}
# Taken by `invalidate` and by `Recorder.draw` when it fills a cache, so that a tally chosen
# under the old status is never stored after the status changed.
_CACHE_LOCK = threading.Lock()
_GENERATION = [0]


def invalidate(generator: str | None = None) -> None:
    """Forget every cached tally (of one generator, or of all)."""
    with _CACHE_LOCK:
        _GENERATION[0] += 1
        groups = _CACHES.values() if generator is None else [_CACHES.get(generator, ())]
        for group in groups:
            for cache in list(group):
                cache.hit = _EMPTY_HIT
                cache.known = {}


def activate(recorder: Recorder | None) -> None:
    """Make `recorder` the one the hooks report to (None: none)."""
    global ACTIVE
    ACTIVE = recorder
    invalidate()


class DrawSite:
    __slots__ = (
        "code",
        "generator",
        "path",
        "line",
        "function",
        "user_code",
        "via",
        "tallies",
        "first_seq",
        "first_time",
        "seeded_at_first_draw",
        "status_at_first_draw",
        "digest",
        "pid",
    )

    code: CodeType
    generator: str
    path: str
    line: int
    function: str
    user_code: bool
    via: str | None
    tallies: dict[tuple[str, bool], Tally]
    first_seq: int
    first_time: float
    seeded_at_first_draw: bool
    status_at_first_draw: str
    digest: int | None
    pid: int

    def tally(self, api: str, unseeded: bool) -> Tally:
        found = self.tallies.get((api, unseeded))
        if found is None:
            found = self.tallies.setdefault((api, unseeded), Tally(api, unseeded))
        return found

    @property
    def count(self) -> int:
        return sum(t.n for t in list(self.tallies.values()))

    @property
    def unseeded_count(self) -> int:
        return sum(t.n for t in list(self.tallies.values()) if t.unseeded)

    @property
    def apis(self) -> dict[str, int]:
        apis: dict[str, int] = {}
        for t in list(self.tallies.values()):
            apis[t.api] = apis.get(t.api, 0) + t.n
        return apis

    def to_json(self, site: Callable[[str, int], str]) -> dict[str, Any]:
        return {
            **_where(self, site),
            "user_code": self.user_code,
            "generator": self.generator,
            "apis": self.apis,
            "count": self.count,
            "unseeded_count": self.unseeded_count,
            "first_seq": self.first_seq,
            "first_time": round(self.first_time, 6),
            "seeded_at_first_draw": self.seeded_at_first_draw,
            "status_at_first_draw": self.status_at_first_draw,
            "via": self.via,
            "digest": None if self.digest is None else format(self.digest & (2**64 - 1), "016x"),
            "pid": self.pid,
        }


class Construction:
    """Explicit generators created at one line of the user's code (`np.random.default_rng()`,
    `random.Random(seed)`, `torch.Generator()`), aggregated: how many, how many from entropy,
    and, for torch generators, how many draws came from one never seeded (its fixed default
    seed: every such generator gives the same stream)."""

    __slots__ = (
        "library",
        "api",
        "code",
        "path",
        "line",
        "function",
        "count",
        "entropy_count",
        "reseeded_count",
        "unseeded_draws",
        "source",
        "value",
        "first_seq",
        "first_time",
        "pid",
    )

    library: str
    api: str
    code: CodeType
    path: str
    line: int
    function: str
    count: int
    entropy_count: int  # created from entropy or the clock (numpy, random)
    reseeded_count: int  # of those, reseeded deterministically before being drawn from
    unseeded_draws: int  # torch: draws from a generator of this line never manual_seeded
    source: str  # of the first one created from entropy, else "value" / "fixed-default"
    value: str
    first_seq: int
    first_time: float
    pid: int

    def to_json(self, site: Callable[[str, int], str]) -> dict[str, Any]:
        return {
            **_where(self, site),
            "api": self.api,
            "count": self.count,
            "entropy_count": self.entropy_count,
            "reseeded_count": self.reseeded_count,
            "unseeded_draws": self.unseeded_draws,
            "source": self.source,
            "value": self.value,
            "first_seq": self.first_seq,
            "first_time": round(self.first_time, 6),
            "pid": self.pid,
        }


def _where(record: DrawSite | Construction, site: Callable[[str, int], str]) -> dict[str, Any]:
    return {
        "site": site(record.path, record.line),
        "path": record.path,
        "line": record.line,
        "function": record.function,
    }


class Recorder:
    def __init__(self, digest: bool = False) -> None:
        self.digest = digest
        self._strict_depth = 0
        self.inline = not digest  # wrappers may count a known site themselves (`SiteCache`)
        self.started = time.time()
        self._clock = time.perf_counter
        self._t0 = self._clock()
        self._seq = itertools.count(1)
        self._local = threading.local()
        self._lock = threading.Lock()
        self.pid = os.getpid()
        self.parent_pid: int | None = None
        self.reset_records()
        self.status: dict[str, Status] = dict.fromkeys(GENERATORS, "never")
        self.hooked: dict[str, str] = {}  # library -> version, once its hooks are installed
        # state fingerprints handed out by getstate-like calls -> status at that moment
        self._states: OrderedDict[Any, Status] = OrderedDict()
        self.children: list[dict[str, Any]] = []  # processes started from this one
        self.fork_status: dict[str, Status] = {}  # the parent's statuses when it forked us

    def reset_records(self) -> None:
        """Forget the draws and events recorded so far (a forked child, a new test); also
        call it after changing `status` from outside (the wrappers' caches depend on it)."""
        self.sites: dict[tuple[str, int, int], DrawSite] = {}
        # (generator, id(code), f_lasti) -> site, for draws made directly by the user's line;
        # (generator, id(code), f_lasti, id(user code), user f_lasti) for the others
        self.fast: dict[tuple[Any, ...], DrawSite] = {}
        self.events: list[SeedingEvent] = []
        self.event_count = 0
        self.first_draw: dict[str, tuple[int, bool]] = {}  # library -> (seq, seeded then)
        self.constructions: dict[tuple[str, int, int], Construction] = {}
        invalidate()

    @property
    def strict_depth(self) -> int:
        return self._strict_depth

    @strict_depth.setter
    def strict_depth(self, value: int) -> None:
        self._strict_depth = value
        self.inline = not (self.digest or value)
        invalidate()

    # --- re-entrancy: a draw API calling another one counts once -------------------------

    def enter(self) -> bool:
        """True when this is the outermost hooked call on this thread."""
        local = self._local
        depth = getattr(local, "depth", 0)
        local.depth = depth + 1
        return depth == 0

    def leave(self) -> None:
        self._local.depth -= 1

    # --- events ----------------------------------------------------------------------------

    def draw(
        self,
        generator: str,
        api: str,
        frame: FrameType | None,
        fingerprint: Callable[[], Any] | None = None,
        cache: SiteCache | None = None,
    ) -> None:
        """Record one draw, called by the hooks before it happens.  The wrappers count draws
        from instructions they have seen before themselves (`cache`); this is the rest."""
        generation = _GENERATION[0]
        site = self.fast.get((generator, id(frame.f_code), frame.f_lasti)) if frame else None
        direct = site is not None  # the user's line drew itself (not through a library)
        if site is None:
            site, direct = self._site(generator, api, frame)
        if site is None:
            return
        unseeded = self.status[generator] != "deterministic"
        if unseeded and self._strict_depth:
            raise UnseededDrawError(
                GENERATORS[generator], generator, api, f"{site.path}:{site.line}"
            )
        tally = site.tally(api, unseeded)
        tally.n += 1
        if self.digest and fingerprint is not None:
            site.digest = hash((site.digest, fingerprint()))
        if cache is not None and self.inline and frame is not None:
            self._remember(cache, generation, frame, tally, direct)

    @staticmethod
    def _remember(
        cache: SiteCache, generation: int, frame: FrameType, tally: Tally, direct: bool
    ) -> None:
        """Let the wrapper count the next draws from this instruction itself (direct) or
        from this pair of instructions (drawn inside a library: the wrapper walks up to the
        user's frame, `flat.flat_wrapper`)."""
        if direct:
            key: tuple[int, ...] = (id(frame.f_code), frame.f_lasti)
        else:
            first, user = frames(frame)
            if first is None or user is None:
                return
            key = (id(first.f_code), first.f_lasti, id(user.f_code), user.f_lasti)
        with _CACHE_LOCK:
            if generation == _GENERATION[0]:  # no seeding, fork or switch since
                cache.known[key] = tally
                if direct:
                    cache.hit = (frame.f_code, frame.f_lasti, tally)

    def _site(
        self, generator: str, api: str, frame: FrameType | None
    ) -> tuple[DrawSite | None, bool]:
        """(the site of a draw not in `fast` by its own instruction, whether the user's
        line drew itself).  A draw made inside a library (scikit-learn's `check_random_state`
        path, torch's samplers) is looked up by the pair (library instruction, user
        instruction): the stack is walked every time, but nothing is formatted and no line
        number is computed for a site seen before."""
        first, user = frames(frame)
        if first is None:
            return None, False
        direct = user is frame
        if direct:
            key: tuple[Any, ...] = (generator, id(first.f_code), first.f_lasti)
        else:
            key = (generator, id(first.f_code), first.f_lasti, id(user.f_code) if user else 0)
            key += (user.f_lasti if user else 0,)
            site = self.fast.get(key)
            if site is not None:
                return site, False
        site = self._find(generator, api, describe(first, user))
        self.fast[key] = site  # the codes stay alive: attribution keeps every code it met
        return site, direct

    def _find(self, generator: str, api: str, where: Attribution) -> DrawSite:
        key = (generator, id(where.code), where.line)  # the site keeps the code alive
        with self._lock:
            site = self.sites.get(key)
            if site is None:
                site = self._new_site(
                    key, api, where.user, where.detail, self.status[generator], where.code
                )
        return site

    def _new_site(
        self,
        key: tuple[str, int, int],
        api: str,
        user: bool,
        via: str | None,
        status: Status,
        code: CodeType,
    ) -> DrawSite:
        generator, _, line = key
        site = DrawSite()
        site.generator = generator
        site.code = code
        site.path = code.co_filename
        site.line = line
        site.function = code.co_name
        site.user_code = user
        site.via = via
        site.tallies = {}
        site.first_seq = next(self._seq)
        site.first_time = self._clock() - self._t0
        site.seeded_at_first_draw = status == "deterministic"
        site.status_at_first_draw = status
        site.digest = 0 if self.digest else None
        site.pid = os.getpid()
        self.sites[key] = site
        library = GENERATORS[generator]
        if library not in self.first_draw:  # a library's first draw is always at a new site
            self.first_draw[library] = (site.first_seq, site.seeded_at_first_draw)
        return site

    def seeded(
        self,
        generators: tuple[str, ...],
        api: str,
        value: Any,
        frame: FrameType | None,
        kind: Literal["seed", "state"] = "seed",
        state_key: Any = None,
    ) -> None:
        if kind == "seed":
            deterministic, source = classify_seed(value)
            shown = short_repr(value)
        else:
            known = self._states.get(state_key) if state_key is not None else None
            if known is None:
                # A state from outside this run (a checkpoint): taken as reproducible.
                deterministic, source = True, "state"
            else:
                deterministic, source = known == "deterministic", f"saved-state:{known}"
            shown = "<state>"
        where = attribute(frame)
        if (
            self.parent_pid is not None
            and where is not None
            and _WORKER_LOOP in (where.detail or "")
        ):
            # A DataLoader worker seeds random/numpy/torch from a base seed the parent drew
            # from its torch generator: reproducible exactly when that one was seeded.
            deterministic = self.fork_status.get("torch:cpu") == "deterministic"
            source = "dataloader-worker"
        new: Status = "deterministic" if deterministic else "entropy"
        if kind == "state" and not deterministic:
            new = "never" if source == "saved-state:never" else "entropy"
        for generator in generators:
            self.status[generator] = new
            invalidate(generator)
        self.event_count += 1
        if len(self.events) >= MAX_EVENTS:
            return
        event = SeedingEvent()
        event.seq = next(self._seq)
        event.time = self._clock() - self._t0
        event.generator = ",".join(generators)
        event.api = api
        event.kind = kind
        event.deterministic = deterministic
        event.source = source
        event.value = shown
        event.path = where.code.co_filename if where else None
        event.line = where.line if where else None
        event.function = where.code.co_name if where else None
        event.user_code = bool(where and where.user)
        event.via = where.detail if where else None
        event.pid = os.getpid()
        self.events.append(event)

    def constructed(
        self, library: str, api: str, value: Any, frame: FrameType | None, *, fixed: bool = False
    ) -> Construction | None:
        """An explicit generator was created by the user's line `frame` (None: not the user's
        code, not recorded) from seed `value`; `fixed`: it starts from a fixed default seed
        (torch.Generator()).  Returns the line's record, for `reseeded` / `explicit_draw`."""
        if frame is None:
            return None
        first, user = frames(frame)
        if first is None or user is not first:  # made inside a library: not the user's call
            return None
        line = frame.f_lineno
        key = (api, id(frame.f_code), line)
        with self._lock:
            record = self.constructions.get(key)
            if record is None:
                record = Construction()
                record.library = library
                record.api = api
                record.code = frame.f_code
                record.path = frame.f_code.co_filename
                record.line = line
                record.function = frame.f_code.co_name
                record.count = record.entropy_count = record.reseeded_count = 0
                record.unseeded_draws = 0
                record.source = "fixed-default" if fixed else "value"
                record.value = "" if fixed else short_repr(value)
                record.first_seq = next(self._seq)
                record.first_time = self._clock() - self._t0
                record.pid = os.getpid()
                self.constructions[key] = record
            record.count += 1
            if not fixed:
                deterministic, source = classify_seed(value)
                if not deterministic:
                    if record.entropy_count == 0:
                        record.source, record.value = source, short_repr(value)
                    record.entropy_count += 1
        return record if (fixed or not deterministic) else None

    def reseeded(self, record: Construction | None, value: Any) -> bool:
        """A generator created from entropy at `record` (or a torch generator) was seeded
        again before its first draw; True when deterministically."""
        deterministic = classify_seed(value)[0]
        if record is not None and deterministic:
            record.reseeded_count += 1
        return deterministic

    def explicit_draw(self, record: Construction) -> None:
        """A draw from a torch generator of `record`'s line that was never seeded."""
        record.unseeded_draws += 1

    def remember_state(self, state_key: Any, generator: str) -> None:
        """A getstate-like call handed out a state: a later setstate of it restores this
        status (torch.random.fork_rng, checkpoint round trips within one run)."""
        if state_key is None:
            return
        self._states[state_key] = self.status[generator]
        self._states.move_to_end(state_key)
        while len(self._states) > 64:
            self._states.popitem(last=False)

    # --- processes -------------------------------------------------------------------------

    def after_fork_child(self) -> None:
        global _CACHE_LOCK
        # Another thread of the parent may have held these locks when it forked: the child's
        # copies would stay locked forever.
        _CACHE_LOCK = threading.Lock()
        self._lock = threading.Lock()
        self.fork_status = dict(self.status)
        self.parent_pid = self.pid
        self.pid = os.getpid()
        self.children = []
        self.reset_records()

    def elapsed(self) -> float:
        return self._clock() - self._t0


ACTIVE: Recorder | None = None


def caller(depth: int = 2) -> FrameType | None:
    try:
        return sys._getframe(depth)
    except ValueError:
        return None
