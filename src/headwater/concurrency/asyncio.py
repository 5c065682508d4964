"""`concurrency` and `rate_limit` for async code: waiting never blocks the event loop.

Example:
    >>> from headwater.concurrency.asyncio import concurrency, rate_limit
    >>> async with concurrency("database", occupy=2):
    ...     await run_query()
    >>> await rate_limit("github-api")
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from headwater.engine.concurrency import SlotRequest, describe_lease_holder, take_slots_async

if TYPE_CHECKING:
    from headwater.client.schemas.objects import ConcurrencyLeaseHolder

__all__ = ["concurrency", "rate_limit"]


@contextlib.asynccontextmanager
async def concurrency(
    names: str | list[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    strict: bool = False,
    lease_duration: float | None = None,
    holder: ConcurrencyLeaseHolder | None = None,
) -> AsyncIterator[None]:
    """Hold `occupy` slots of each named limit for the duration of the block.

    The same as `headwater.concurrency.sync.concurrency` (see there), awaited.
    """
    request = SlotRequest.build(names, occupy, rate=False, timeout_seconds=timeout_seconds, strict=strict,
                                lease_duration=lease_duration)
    request.holder.update(describe_lease_holder(holder))
    lease = await take_slots_async(request)
    try:
        yield
    finally:
        if lease is not None:
            await asyncio.to_thread(lease.release)


async def rate_limit(
    names: str | list[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    strict: bool = False,
) -> None:
    """Take `occupy` slots of each named limit and let them decay back on their own.

    The same as `headwater.concurrency.sync.rate_limit` (see there), awaited.
    """
    await take_slots_async(SlotRequest.build(names, occupy, rate=True, timeout_seconds=timeout_seconds,
                                             strict=strict))
