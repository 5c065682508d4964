"""Futures, as in `prefect.futures`."""

from headwater.engine.futures import (
    DoneAndNotDoneFutures,
    HeadwaterFuture,
    HeadwaterFutureList,
    as_completed,
    unmapped,
    wait,
)

__all__ = ["DoneAndNotDoneFutures", "HeadwaterFuture", "HeadwaterFutureList", "as_completed", "unmapped", "wait"]
