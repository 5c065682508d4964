"""`concurrency` over tag limits for async code, as in `prefect.concurrency.v1.asyncio`.

Example:
    >>> async with concurrency("database", task_run_id=task_run_id):
    ...     ...
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from uuid import UUID

from headwater.concurrency.v1.slots import tag_slot_request
from headwater.engine.concurrency import take_slots_async

__all__ = ["concurrency"]


@contextlib.asynccontextmanager
async def concurrency(names: str | list[str], task_run_id: UUID,
                      timeout_seconds: float | None = None) -> AsyncIterator[None]:
    """Hold one slot of each named tag limit for the block; waiting does not block the loop.

    Raises:
        TimeoutError: the slots were not free in time (`AcquireConcurrencySlotTimeoutError`).
        ConcurrencyLimitError: a tag's limit is 0.
    """
    request = tag_slot_request(names, task_run_id, timeout_seconds)
    lease = await take_slots_async(request) if request is not None else None
    try:
        yield
    finally:
        if lease is not None:
            lease.release()
