"""Tag concurrency limits for task runs.

`headwater concurrency-limit create db 2` lets at most two task runs tagged `db` run
at once, across every process sharing the database. `TaskRun.begin` calls
`acquire(run)` for a run with tags; the lease it returns is released when the run
ends. A run that has to wait enters `AwaitingConcurrencySlot` and logs what it waits
for, once. A tag limit of 0 means tasks with that tag do not run: they fail at once,
with a message saying how to let them run.

Most tagged tasks have no tag limit, so which tags are limited is cached per process
for `CACHE_SECONDS`: a tagged task pays a database round trip only when one of its
tags is limited (a limit created meanwhile applies within that time).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from headwater.core.limits import TAG_PREFIX, ConcurrencyLimitError
from headwater.core.states import State, StateType
from headwater.engine.concurrency import Lease, SlotRequest, describe_holder, take_slots, take_slots_async

if TYPE_CHECKING:
    from headwater.engine.runs import Run

__all__ = ["CACHE_SECONDS", "acquire", "acquire_async", "forget_cached_limits"]

CACHE_SECONDS = 1.5


class _LimitedTags:
    """Active tag limits by tag (tag -> limit), re-read at most every CACHE_SECONDS."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._limits: dict[str, int] = {}
        self._source: int | None = None  # id() of the orchestrator they were read from
        self._expires = 0.0

    def get(self, orchestrator: Any) -> dict[str, int]:
        now = time.monotonic()
        if now < self._expires and self._source == id(orchestrator):
            return self._limits
        with self._lock:
            if now < self._expires and self._source == id(orchestrator):
                return self._limits
            infos = orchestrator.list_concurrency_limits(kind="tag", with_holders=False)
            self._limits = {info.name[len(TAG_PREFIX):]: info.limit for info in infos if info.active}
            self._source = id(orchestrator)
            self._expires = time.monotonic() + CACHE_SECONDS
            return self._limits

    def clear(self) -> None:
        with self._lock:
            self._expires = 0.0


_cache = _LimitedTags()


def forget_cached_limits() -> None:
    """Read the tag limits again on next use (after creating one in this process)."""
    _cache.clear()


def acquire(run: Run) -> tuple[Lease | None, State[Any] | None]:
    """Take one slot of each limited tag of `run`, waiting in this thread as long as it takes.

    Returns:
        (lease to release when the run ends, or None; None, or the Failed state to
        enter instead of running when a tag's limit is 0).
    """
    request, refused = _request(run)
    if request is None:
        return None, refused
    try:
        return take_slots(request), None
    except ConcurrencyLimitError as exc:
        return None, _limit_lowered(exc)


async def acquire_async(run: Run) -> tuple[Lease | None, State[Any] | None]:
    """`acquire` for a run on an event loop: waiting does not block the loop."""
    request, refused = _request(run)
    if request is None:
        return None, refused
    try:
        return await take_slots_async(request), None
    except ConcurrencyLimitError as exc:
        return None, _limit_lowered(exc)


def _request(run: Run) -> tuple[SlotRequest | None, State[Any] | None]:
    """What to ask for, or (None, None) when no tag of the run is limited (the common, cheap case)."""
    limits = _cache.get(run.orchestrator)
    if not limits:
        return None, None
    limited = [tag for tag in run.tags if tag in limits]
    if not limited:
        return None, None
    closed = [tag for tag in limited if limits[tag] == 0]
    if closed:
        return None, _refused(closed[0])
    return SlotRequest(
        keys=[TAG_PREFIX + tag for tag in limited],
        occupy=1,
        lease_seconds=run.orchestrator.settings.concurrency_lease_seconds,
        orchestrator=run.orchestrator,
        on_wait=lambda message: _await_slot(run, message),
        holder=describe_holder(run),
    ), None


def _limit_lowered(exc: ConcurrencyLimitError) -> State[Any]:
    _cache.clear()  # a limit went to 0 after the cache was read
    return State(StateType.FAILED, None, f"Task run not started: {exc}", exc)


def _await_slot(run: Run, message: str) -> None:
    run.set_state(State(StateType.SCHEDULED, "AwaitingConcurrencySlot", message))
    run.logger.info(message)


def _refused(tag: str) -> State[Any]:
    error = ConcurrencyLimitError(
        f"Task run not started: tag {tag!r} has a concurrency limit of 0, so task runs tagged {tag!r} do not run. "
        f"Let them run with `headwater concurrency-limit update {tag} --limit N`, or delete the limit"
    )
    return State(StateType.FAILED, None, str(error), error)
