"""Futures, as in `prefect.futures`.

Prefect's class names are aliases of headwater's: code that annotates or checks with
`PrefectFuture` / `PrefectFutureList` (or the concrete Prefect future classes) keeps working.
"""

from headwater.engine.futures import (
    DoneAndNotDoneFutures,
    HeadwaterFuture,
    HeadwaterFutureList,
    as_completed,
    futures_to_states,
    resolve_futures,
    unmapped,
    wait,
)

PrefectFuture = HeadwaterFuture
PrefectFutureList = HeadwaterFutureList
# Prefect's concrete futures (thread pool, wrapped, distributed, by task run id) are
# all one class here: every task runner returns a HeadwaterFuture.
PrefectConcurrentFuture = PrefectWrappedFuture = PrefectDistributedFuture = PrefectTaskRunFuture = HeadwaterFuture

resolve_futures_to_states = futures_to_states
"""Replace the futures inside a value (lists, tuples, sets, dicts, dataclasses) by their
final states, waiting for them."""

resolve_futures_to_results = resolve_futures
"""Replace the futures inside a value by their results, waiting for them."""

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
    "resolve_futures_to_results",
    "resolve_futures_to_states",
    "unmapped",
    "wait",
]
