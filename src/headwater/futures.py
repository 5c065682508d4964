"""Futures, as in `prefect.futures`.

Prefect's class names are aliases of headwater's: a `PrefectFuture` (or
`PrefectConcurrentFuture`, the kind a thread pool gives) is a `HeadwaterFuture`.
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
PrefectTaskRunFuture = HeadwaterFuture
PrefectWrappedFuture = HeadwaterFuture
PrefectConcurrentFuture = HeadwaterFuture
PrefectFutureList = HeadwaterFutureList

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
