"""`concurrency` over tag limits for plain code, as in `prefect.concurrency.v1.sync`.

Example:
    >>> with concurrency("database", task_run_id=task_run_id, timeout_seconds=30):
    ...     ...   # holds one slot of the `database` tag limit, if it has one
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from uuid import UUID

from headwater.concurrency.v1.slots import tag_slot_request
from headwater.engine.concurrency import take_slots

__all__ = ["concurrency"]


@contextlib.contextmanager
def concurrency(names: str | list[str], task_run_id: UUID, timeout_seconds: float | None = None) -> Iterator[None]:
    """Hold one slot of each named tag limit for the block (tags without a limit take none).

    Args:
        names: one tag or a list of them.
        task_run_id: the task run the slots are held for (shown as the holder).
        timeout_seconds: give up after this long (None: wait as long as it takes).

    Raises:
        TimeoutError: the slots were not free in time (`AcquireConcurrencySlotTimeoutError`).
        ConcurrencyLimitError: a tag's limit is 0.
    """
    request = tag_slot_request(names, task_run_id, timeout_seconds)
    lease = take_slots(request) if request is not None else None
    try:
        yield
    finally:
        if lease is not None:
            lease.release()
