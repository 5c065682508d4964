"""Taking and holding concurrency slots, written once for sync and async callers.

`acquisition(request)` is a generator that decides what happens next, like the run
life cycle (engine/lifecycle.py): it yields `TRY` (make one attempt at the store and
send back the `SlotGrant`) or a `Wait` (pause, then send back None), and returns the
`Lease` held, or None when nothing was leased. `take_slots` and `take_slots_async`
are the thin drivers: they differ only in how a store call is made (directly, or in a
worker thread) and how a pause is taken (a condition, or an awaitable).

    TRY ── granted ──> Lease (renewed in the background until released)
     │
     └─ refused ── log "waiting for 1 slot of 'x' (2/2 in use)" once
                   ── Wait: woken at once by a release in this process, else after a
                      short poll (from 5 ms, doubling up to settings.concurrency_poll_max_seconds
                      while the holders stay the same, halving while slots change hands;
                      or exactly when decaying rate-limit slots free up) ── TRY ...

Held slots are leases of `settings.concurrency_lease_seconds`; one daemon thread per
process renews them at a third of their length. A process that dies stops renewing,
and its slots are free again once the lease expires: no manual reset.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from headwater.core.liveness import identity
from headwater.core.limits import (
    AcquireConcurrencySlotTimeoutError,
    ConcurrencyLimitError,
    ConcurrencySlotAcquisitionError,
    SlotGrant,
    check_occupy,
    display_name,
    missing_message,
    normalize_names,
    plural_slots,
    waiting_message,
)
from headwater.engine.logging import engine_logger

if TYPE_CHECKING:
    from collections.abc import Iterable

    from headwater.engine.runs import Run
    from headwater.orchestrator.base import Orchestrator

__all__ = [
    "TRY",
    "Lease",
    "SlotRequest",
    "Wait",
    "acquisition",
    "describe_holder",
    "describe_lease_holder",
    "releases",
    "renewer",
    "take_slots",
    "take_slots_async",
]

_FIRST_POLL_SECONDS = 0.005
_RENEW_FRACTION = 1 / 3  # renew when a third of the lease has passed: two renewals may fail


class _Try:
    __slots__ = ()

    def __repr__(self) -> str:
        return "TRY"


TRY = _Try()
"""Instruction: call `request.attempt()` once and send back its `SlotGrant`."""


class Wait(NamedTuple):
    """Instruction: wait up to `seconds`, or until a release in this process after `generation`."""

    seconds: float
    generation: int


# -- waking waiters in this process --------------------------------------------------
class SlotReleases:
    """Wakes this process's waiters (threads and event loops) when slots are released here."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._generation = 0
        self._loops: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()

    @property
    def generation(self) -> int:
        """Read before an attempt; a wait with it returns at once if a release came since."""
        return self._generation

    def notify(self) -> None:
        with self._condition:
            self._generation += 1
            self._condition.notify_all()
            loops, self._loops = self._loops, set()
        for loop, future in loops:
            try:
                loop.call_soon_threadsafe(_resolve, future)
            except RuntimeError:  # that loop has closed; nobody waits there any more
                pass

    def wait(self, generation: int, seconds: float) -> None:
        with self._condition:
            self._condition.wait_for(lambda: self._generation != generation, seconds)

    async def wait_async(self, generation: int, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        entry = (loop, future)
        with self._condition:
            if self._generation != generation:
                return
            self._loops.add(entry)
        try:
            await asyncio.wait((future,), timeout=seconds)
        finally:
            with self._condition:
                self._loops.discard(entry)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


releases = SlotReleases()


# -- keeping leases alive ----------------------------------------------------------
class LeaseRenewer:
    """One daemon thread renewing every lease this process holds, each a third into its length.

    Adding a lease wakes the thread only when that lease is due before every other
    one, so taking slots costs no extra database write.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        # lease id -> (orchestrator, lease seconds, monotonic time its renewal is due)
        self._leases: dict[str, tuple[Orchestrator, float, float]] = {}
        self._thread: threading.Thread | None = None

    def add(self, lease_id: str, orchestrator: Orchestrator, lease_seconds: float) -> None:
        due = time.monotonic() + lease_seconds * _RENEW_FRACTION
        with self._condition:
            earliest = min((entry[2] for entry in self._leases.values()), default=None)
            self._leases[lease_id] = (orchestrator, lease_seconds, due)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="headwater-lease-renewer", daemon=True)
                self._thread.start()
            elif earliest is None or due < earliest:
                self._condition.notify()

    def remove(self, lease_id: str) -> None:
        with self._condition:
            self._leases.pop(lease_id, None)

    def held(self) -> list[str]:
        with self._condition:
            return list(self._leases)

    def _run(self) -> None:
        while True:
            groups = self._next_due()
            for (_, seconds), (orchestrator, lease_ids) in groups.items():
                self._renew(orchestrator, lease_ids, seconds)

    def _next_due(self) -> dict[tuple[int, float], tuple[Orchestrator, list[str]]]:
        """Wait until some leases are due; return them grouped by orchestrator and length."""
        with self._condition:
            while True:
                if not self._leases:
                    self._condition.wait()
                    continue
                now = time.monotonic()
                earliest = min(entry[2] for entry in self._leases.values())
                if earliest > now:
                    self._condition.wait(earliest - now)
                    continue
                groups: dict[tuple[int, float], tuple[Orchestrator, list[str]]] = {}
                for lease_id, (orchestrator, seconds, due) in list(self._leases.items()):
                    # Renew those due within half a period too: fewer, larger renewals.
                    if due <= now + seconds * _RENEW_FRACTION / 2:
                        groups.setdefault((id(orchestrator), seconds), (orchestrator, []))[1].append(lease_id)
                        self._leases[lease_id] = (orchestrator, seconds, now + seconds * _RENEW_FRACTION)
                return groups

    def _renew(self, orchestrator: Orchestrator, lease_ids: list[str], seconds: float) -> None:
        try:
            lost = orchestrator.renew_concurrency_leases(lease_ids, seconds)
        except Exception as exc:  # the database is briefly unreachable: try again next round
            engine_logger.warning("could not renew %d concurrency lease(s): %s", len(lease_ids), exc)
            return
        for lease_id in lost:
            with self._condition:
                if self._leases.pop(lease_id, None) is None:
                    continue  # released meanwhile, not lost
            engine_logger.warning(
                "a concurrency lease expired before it was renewed (this process was paused or cut off "
                "for more than %g s); its slots may have been given to others", seconds)

    def _after_fork(self) -> None:
        # The child has no renewer thread, and its parent's leases are the parent's to renew.
        self._condition = threading.Condition()
        self._leases = {}
        self._thread = None


renewer = LeaseRenewer()
os.register_at_fork(after_in_child=renewer._after_fork)


class Lease:
    """Slots held until `release()` (idempotent); renewed in the background meanwhile."""

    def __init__(self, orchestrator: Orchestrator, lease_id: str, names: list[str], slots: int,
                 lease_seconds: float) -> None:
        self.orchestrator = orchestrator
        self.id = lease_id
        self.names = names
        self.slots = slots
        self._released = False
        renewer.add(lease_id, orchestrator, lease_seconds)

    def release(self) -> None:
        """Give the slots back and wake this process's waiters."""
        if self._released:
            return
        self._released = True
        renewer.remove(self.id)
        try:
            self.orchestrator.release_concurrency_slots(self.id)
        except Exception as exc:
            engine_logger.warning("could not release %s of %s (%s); they come back when the lease expires",
                                  plural_slots(self.slots), ", ".join(repr(n) for n in self.names), exc)
        releases.notify()

    def __repr__(self) -> str:
        return f"<Lease {self.id[:8]} {plural_slots(self.slots)} of {self.names}>"


# -- one request for slots ------------------------------------------------------------
concurrency_logger = logging.getLogger("headwater.concurrency")


def describe_holder(run: Run | None = None) -> dict[str, Any]:
    """Who holds a lease, for `gcl inspect`: pid, host, thread and the run (default: the current one).

    `flow_run_id` is the flow run the holder belongs to: when the server marks that
    run Crashed (its process stopped heartbeating), it releases the run's leases.
    """
    from headwater.engine.context import current_run

    # pid, host and start time: the store keeps the slots of a holder it sees alive (core/liveness.py).
    holder: dict[str, Any] = {**identity(), "thread": threading.current_thread().name}
    run = run or current_run()
    if run is not None:
        holder.update(run_id=run.id, run_name=run.name, run_kind=run.kind, flow_run_id=run.flow_run_id)
    return holder


def describe_lease_holder(holder: Any) -> dict[str, Any]:
    """A `ConcurrencyLeaseHolder` (or its dict) as lease holder fields: `type` and `id`
    ({} for None).

    Raises:
        ConcurrencyLimitError: not a valid holder.
    """
    if holder is None:
        return {}
    from pydantic import ValidationError

    from headwater.client.schemas.objects import ConcurrencyLeaseHolder

    try:
        valid = ConcurrencyLeaseHolder.model_validate(holder.model_dump() if hasattr(holder, "model_dump") else holder)
    except ValidationError as exc:
        raise ConcurrencyLimitError(f"invalid holder {holder!r}: give ConcurrencyLeaseHolder(type='flow_run' | "
                                    f"'task_run' | 'deployment', id=UUID) ({exc.errors()[0]['msg']})") from None
    return {"type": valid.type, "id": str(valid.id)}


def _log(level: int, message: str) -> None:
    from headwater.engine.context import current_run

    run = current_run()
    if run is not None:
        run.logger.log(level, message)
    else:
        engine_logger.log(level, message)


@dataclass
class SlotRequest:
    """What a caller asks for: `occupy` slots of every limit in `keys`.

    `lease_seconds` None asks for rate-limit slots (they decay back); otherwise the
    slots are leased for that long and renewed until released.
    """

    keys: list[str]
    occupy: int
    lease_seconds: float | None
    orchestrator: Orchestrator
    timeout_seconds: float | None = None
    strict: bool = False
    on_wait: Callable[[str], None] | None = None
    holder: dict[str, Any] = field(default_factory=describe_holder)

    @classmethod
    def build(cls, names: str | Iterable[str], occupy: int, *, rate: bool, timeout_seconds: float | None,
              strict: bool, lease_duration: float | None = None) -> SlotRequest:
        """Check the caller's arguments (one clear error each) and resolve the settings.

        Raises:
            ConcurrencyLimitError: a bad name, `occupy`, `timeout_seconds` or `lease_duration`.
        """
        keys = normalize_names(names)
        check_occupy(occupy)
        if timeout_seconds is not None and (isinstance(timeout_seconds, bool)
                                            or not isinstance(timeout_seconds, (int, float)) or timeout_seconds < 0):
            raise ConcurrencyLimitError(f"timeout_seconds must be a number >= 0 or None, not {timeout_seconds!r}")
        if lease_duration is not None and (isinstance(lease_duration, bool)
                                           or not isinstance(lease_duration, (int, float)) or lease_duration <= 0):
            raise ConcurrencyLimitError(f"lease_duration must be a number of seconds > 0, not {lease_duration!r}")
        from headwater.orchestrator import get_orchestrator

        orchestrator = get_orchestrator()
        settings = orchestrator.settings
        lease_seconds = None if rate else float(lease_duration or settings.concurrency_lease_seconds)
        return cls(keys, occupy, lease_seconds, orchestrator, timeout_seconds, strict)

    def attempt(self) -> SlotGrant:
        """One try at the store: take the slots or learn why not."""
        return self.orchestrator.acquire_concurrency_slots(
            self.keys, self.occupy, lease_seconds=self.lease_seconds, holder=self.holder, strict=self.strict)

    def lease(self, grant: SlotGrant) -> Lease | None:
        if grant.lease_id is None:
            return None
        assert self.lease_seconds is not None
        return Lease(self.orchestrator, grant.lease_id, self.keys, self.occupy, self.lease_seconds)

    @property
    def poll_max_seconds(self) -> float:
        return float(self.orchestrator.settings.concurrency_poll_max_seconds)


def acquisition(request: SlotRequest) -> Generator[_Try | Wait, Any, Lease | None]:
    """Decide each step of taking `request`'s slots (see the module docstring).

    Raises:
        ConcurrencySlotAcquisitionError: strict, and a named limit does not exist.
        AcquireConcurrencySlotTimeoutError: `timeout_seconds` passed first (also a TimeoutError).
        ConcurrencyLimitError: the request can never succeed (more slots than the limit).
    """
    deadline = None if request.timeout_seconds is None else time.monotonic() + request.timeout_seconds
    poll = _FIRST_POLL_SECONDS
    announced = False
    reported_missing = False
    newest_lease: float | None = None
    while True:
        generation = releases.generation
        grant: SlotGrant = yield TRY
        if grant.missing and not reported_missing:
            reported_missing = True  # once per call, not once per poll while waiting on the others
            _report_missing(grant.missing, request.strict, rate=request.lease_seconds is None)
        if grant.granted:
            return request.lease(grant)
        text = waiting_message(request.occupy, grant.blocking)
        if not announced:
            announced = True
            (request.on_wait or (lambda message: _log(logging.INFO, message)))(text)
        pause = poll * (0.8 + 0.4 * random.random())  # jitter: waiting processes do not poll in step
        if grant.retry_after is not None:
            pause = min(pause, grant.retry_after + 0.001)
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AcquireConcurrencySlotTimeoutError(f"timed out after {request.timeout_seconds:g} s {text}")
            pause = min(pause, remaining)
        yield Wait(pause, generation)
        if grant.newest_lease is not None and newest_lease is not None and grant.newest_lease != newest_lease:
            poll = max(_FIRST_POLL_SECONDS, poll / 2)  # slots change hands quickly: keep trying soon
        else:
            poll = min(poll * 2, request.poll_max_seconds)  # long-held slots: back off
        newest_lease = grant.newest_lease


def _report_missing(missing: list[str], strict: bool, *, rate: bool) -> None:
    """Refuse (strict) or warn about names with no limit, as Prefect does: at every call,
    on the run's logger; outside a run `concurrency()` warns on `headwater.concurrency`
    and `rate_limit()` only logs at DEBUG there (Prefect says nothing)."""
    if strict:
        raise ConcurrencySlotAcquisitionError(f"{missing_message(missing)} (strict=True requires every limit)")
    from headwater.engine.context import current_run

    message = f"Concurrency limits {[display_name(key) for key in missing]!r} do not exist - skipping acquisition."
    run = current_run()
    if run is not None:
        run.logger.warning(message)
    else:
        concurrency_logger.log(logging.DEBUG if rate else logging.WARNING, message)


def take_slots(request: SlotRequest) -> Lease | None:
    """Drive `acquisition` in this thread: block until the slots are held."""
    steps = acquisition(request)
    reply: Any = None
    try:
        while True:
            step = steps.send(reply)
            if isinstance(step, Wait):
                releases.wait(step.generation, step.seconds)
                reply = None
            else:
                reply = request.attempt()
    except StopIteration as stop:
        taken: Lease | None = stop.value  # what acquisition() returned
        return taken


async def take_slots_async(request: SlotRequest) -> Lease | None:
    """Drive `acquisition` on the running event loop; store calls run in a worker thread."""
    steps = acquisition(request)
    reply: Any = None
    try:
        while True:
            step = steps.send(reply)
            if isinstance(step, Wait):
                await releases.wait_async(step.generation, step.seconds)
                reply = None
            else:
                reply = await _attempt_in_thread(request)
    except StopIteration as stop:
        taken: Lease | None = stop.value  # what acquisition() returned
        return taken


async def _attempt_in_thread(request: SlotRequest) -> SlotGrant:
    task = asyncio.ensure_future(asyncio.to_thread(request.attempt))
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        # Cancelled while the store was granting: give back whatever it grants.
        task.add_done_callback(lambda done: _release_orphan(request, done))
        raise


def _release_orphan(request: SlotRequest, done: asyncio.Future[SlotGrant]) -> None:
    if done.cancelled() or done.exception() is not None:
        return
    lease = request.lease(done.result())
    if lease is not None:
        threading.Thread(target=lease.release, name="headwater-release", daemon=True).start()
