"""`concurrency` and `rate_limit` for plain (non-async) code.

Example:
    >>> from headwater.concurrency.sync import concurrency, rate_limit
    >>> for repo in repos:
    ...     rate_limit("github-api")          # take a slot; it decays back on its own
    ...     futures.append(fetch_stats.submit(repo))
    >>> with concurrency("database", occupy=2, timeout_seconds=30):
    ...     ...                               # hold 2 slots; released on exit
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from typing import TYPE_CHECKING

from headwater.engine.concurrency import SlotRequest, describe_lease_holder, take_slots

if TYPE_CHECKING:
    from headwater.client.schemas.objects import ConcurrencyLeaseHolder

__all__ = ["concurrency", "rate_limit"]


@contextlib.contextmanager
def concurrency(
    names: str | list[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    strict: bool = False,
    lease_duration: float | None = None,
    holder: ConcurrencyLeaseHolder | None = None,
) -> Iterator[None]:
    """Hold `occupy` slots of each named limit for the duration of the block.

    Several names take slots from all of them or from none. Waits while any of the
    limits is full, logging once what it waits for. The slots are a lease renewed in
    the background; if the process dies they come back when the lease expires.

    Args:
        names: one limit name or a list of them.
        occupy: slots to take from each limit.
        timeout_seconds: give up after this long (None: wait as long as it takes).
        strict: raise instead of warning when a named limit does not exist.
        lease_duration: seconds a lease lasts without renewal; default
            `settings.concurrency_lease_seconds` (60).
        holder: who holds the slots (a `ConcurrencyLeaseHolder`: a flow run, task run or
            deployment by id), shown with the lease; default: this process and run.

    Raises:
        AcquireConcurrencySlotTimeoutError: `timeout_seconds` passed (a TimeoutError).
        ConcurrencySlotAcquisitionError: strict, and a limit does not exist.
        ConcurrencyLimitError: bad arguments, or `occupy` greater than a limit.
    """
    request = SlotRequest.build(names, occupy, rate=False, timeout_seconds=timeout_seconds, strict=strict,
                                lease_duration=lease_duration)
    request.holder.update(describe_lease_holder(holder))
    lease = take_slots(request)
    try:
        yield
    finally:
        if lease is not None:
            lease.release()


def rate_limit(
    names: str | list[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    strict: bool = False,
) -> None:
    """Take `occupy` slots of each named limit and let them decay back on their own.

    The limits must have a `slot_decay_per_second` > 0: a limit of 60 decaying at
    1/60 per second allows bursts of 60 and then one call a second. Waits while a
    limit is full.

    Raises:
        AcquireConcurrencySlotTimeoutError: `timeout_seconds` passed (a TimeoutError).
        ConcurrencySlotAcquisitionError: strict, and a limit does not exist.
        ConcurrencyLimitError: bad arguments, a limit without decay, or `occupy`
            greater than a limit.
    """
    take_slots(SlotRequest.build(names, occupy, rate=True, timeout_seconds=timeout_seconds, strict=strict))
