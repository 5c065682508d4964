"""Concurrency limits and rate limits that hold across processes and machines.

    from headwater.concurrency.sync import concurrency, rate_limit      # plain code
    from headwater.concurrency.asyncio import concurrency, rate_limit   # async code
    from headwater.concurrency import limits                            # create/read/update/delete

A limit is created once (`headwater gcl create github-api --limit 60
--slot-decay-per-second 0.016`, or `limits.create_limit`) and lives in the run-history
database, so every process sharing that database shares its slots. See docs/concurrency.md.
"""

from __future__ import annotations

from headwater.core.limits import (
    AcquireConcurrencySlotTimeoutError,
    ConcurrencyLimitError,
    ConcurrencyLimitInfo,
    ConcurrencySlotAcquisitionError,
)

__all__ = [
    "AcquireConcurrencySlotTimeoutError",
    "ConcurrencyLimitError",
    "ConcurrencyLimitInfo",
    "ConcurrencySlotAcquisitionError",
]
