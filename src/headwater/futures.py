"""Futures, as in `prefect.futures`.

Prefect's class names are aliases of headwater's: code that annotates or checks with
`PrefectFuture` / `PrefectFutureList` (or the concrete Prefect future classes) keeps working.
"""

from headwater.engine.futures import (
    DoneAndNotDoneFutures,
    HeadwaterFuture,
    HeadwaterFutureList,
    as_completed,
    unmapped,
    wait,
)

PrefectFuture = HeadwaterFuture
PrefectFutureList = HeadwaterFutureList
# Prefect's concrete futures (thread pool, wrapped, distributed, by task run id) are
# all one class here: every task runner returns a HeadwaterFuture.
PrefectConcurrentFuture = PrefectWrappedFuture = PrefectDistributedFuture = PrefectTaskRunFuture = HeadwaterFuture

__all__ = [
    "DoneAndNotDoneFutures",
    "HeadwaterFuture",
    "HeadwaterFutureList",
    "PrefectConcurrentFuture",
    "PrefectDistributedFuture",
    "PrefectFuture",
    "PrefectFutureList",
    "PrefectTaskRunFuture",
    "PrefectWrappedFuture",
    "as_completed",
    "unmapped",
    "wait",
]
