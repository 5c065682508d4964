"""Which flow run and task run are executing, per thread and per asyncio task."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.engine.runs import FlowRun, Run, TaskRun
    from headwater.engine.transactions import BaseTransaction

__all__ = [
    "adopted_flow_run_var",
    "current_flow_run",
    "current_run",
    "current_task_run",
    "flow_run_var",
    "tags",
    "tags_var",
    "task_run_var",
    "transaction_var",
]

flow_run_var: contextvars.ContextVar[FlowRun | None] = contextvars.ContextVar("headwater_flow_run", default=None)
task_run_var: contextvars.ContextVar[TaskRun | None] = contextvars.ContextVar("headwater_task_run", default=None)
transaction_var: contextvars.ContextVar[BaseTransaction | None] = contextvars.ContextVar(
    "headwater_transaction", default=None)
"""The innermost open transaction (engine/transactions.py). A task run reads it when it
begins: one read, instead of importing the transactions module to ask."""


def current_flow_run() -> FlowRun | None:
    """The flow run executing here, or None."""
    return flow_run_var.get()


def current_task_run() -> TaskRun | None:
    """The task run executing here, or None."""
    return task_run_var.get()


def current_run() -> Run | None:
    """The innermost run executing here: the task run if any, else the flow run."""
    return task_run_var.get() or flow_run_var.get()


tags_var: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("headwater_tags", default=frozenset())


@contextlib.contextmanager
def tags(*names: str) -> Iterator[frozenset[str]]:
    """Add tags to every flow run and task run created inside the block.

    Example:
        >>> with tags("nightly", "db"):
        ...     pipeline()
    """
    current = tags_var.get() | frozenset(names)
    token = tags_var.set(current)
    try:
        yield current
    finally:
        tags_var.reset(token)


adopted_flow_run_var: contextvars.ContextVar[tuple[str, str | None] | None] = contextvars.ContextVar(
    "headwater_adopted_flow_run", default=None
)
"""(id, name or None) of a flow run created elsewhere (a deployment's run, by the server) that
the next top-level flow run in this context should *be*, instead of a new run.

Set once by a worker's child process (headwater/worker/child.py) before it calls the
flow; the flow run clears it when it adopts the id, so only that one run adopts it.
"""
