"""Cache policies, as in `prefect.cache_policies`: recipes for a task run's cache key.

    INPUTS            the call's arguments (by value, stable across processes)
    TASK_SOURCE       the task function's source code
    FLOW_PARAMETERS   the parameters of the enclosing flow run
    RUN_ID            the flow run's id (the task run's own id outside a flow)
    DEFAULT           INPUTS + TASK_SOURCE + RUN_ID
    NONE, NO_CACHE    never cache

Policies compose with `+`, and `INPUTS - "client"` leaves an argument out of the key.
The implementation is `headwater.engine.cache_policies`; see docs/caching.md.

Example:
    >>> from datetime import timedelta
    >>> from headwater import task
    >>> from headwater.cache_policies import INPUTS, TASK_SOURCE
    >>> @task(cache_policy=INPUTS + TASK_SOURCE, cache_expiration=timedelta(days=1))
    ... def fetch(url: str) -> bytes: ...
"""

from headwater.engine.cache_policies import (
    DEFAULT,
    FLOW_PARAMETERS,
    INPUTS,
    NO_CACHE,
    NONE,
    RUN_ID,
    STABLE_TRANSFORMS,
    TASK_SOURCE,
    CacheKeyContext,
    CacheKeyFnPolicy,
    CachePolicy,
    CompoundCachePolicy,
    CompoundPolicy,
    FlowParameters,
    Inputs,
    RunId,
    TaskSource,
    UnhashableInput,
    task_input_hash,
)

__all__ = [
    "DEFAULT",
    "FLOW_PARAMETERS",
    "INPUTS",
    "NONE",
    "NO_CACHE",
    "RUN_ID",
    "STABLE_TRANSFORMS",
    "TASK_SOURCE",
    "CacheKeyContext",
    "CacheKeyFnPolicy",
    "CachePolicy",
    "CompoundCachePolicy",
    "CompoundPolicy",
    "FlowParameters",
    "Inputs",
    "RunId",
    "TaskSource",
    "UnhashableInput",
    "task_input_hash",
]
