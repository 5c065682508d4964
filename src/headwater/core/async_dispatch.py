"""Sync or async: how a function Prefect made dual (`Variable.get`, `Block.load`,
`State.result`, `create_*_artifact`, ...) decides whether to return a coroutine.

As Prefect decides it: inside a run, the innermost run's function says (an async flow
or task gets coroutines); outside any run, a running event loop in this thread does.
The engine is looked up in `sys.modules` rather than imported, so code that never ran
a flow pays no import for the answer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

__all__ = ["dispatch", "in_async_context"]


def in_async_context() -> bool:
    """Whether the caller is async code (see the module docstring)."""
    context = sys.modules.get("headwater.engine.context")
    if context is not None:
        run = context.task_run_var.get() or context.flow_run_var.get()
        if run is not None:
            return bool(getattr(run, "is_async", False))
    asyncio = sys.modules.get("asyncio")
    return asyncio is not None and asyncio.events._get_running_loop() is not None


def dispatch(sync_call: Callable[[], Any], async_call: Callable[[], Any], sync: bool | None) -> Any:
    """`sync_call()`, or `async_call()` (a coroutine) for async callers; `sync` (Prefect's
    `_sync=`) overrides the choice when it is not None."""
    run_sync = bool(sync) if sync is not None else not in_async_context()
    return sync_call() if run_sync else async_call()
