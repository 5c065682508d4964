"""Each attempt of a task run is a child transaction of the transaction it runs in.

The engine calls `open_task_transaction`, `end_task_attempt`, `defer_write` and
`close_task_transactions` (engine/task_runs.py, engine/caching.py) only for task runs
inside a transaction (`transaction_var` is set) or with commit/rollback hooks: other
task runs pay one context-variable read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from headwater.core.states import StateType
from headwater.engine.context import task_run_var, transaction_var
from headwater.engine.transactions import BaseTransaction, Transaction

if TYPE_CHECKING:
    from headwater.engine.task_runs import TaskRun

__all__ = ["add_task_hook", "close_task_transactions", "current_transaction", "defer_write", "end_task_attempt",
           "open_task_transaction"]


def current_transaction() -> BaseTransaction | None:
    """The innermost transaction open here (inside a task run: the task run's own), or None."""
    txn = transaction_var.get()
    if txn is None:
        # Every task run is a transaction; those that did not need one (no hooks, no
        # enclosing transaction) get theirs when they first ask for it.
        run = task_run_var.get()
        if run is not None and run.txn is None and run.state is not None and run.state.type is StateType.RUNNING:
            open_task_transaction(run)
            txn = run.txn
    return txn


def open_task_transaction(run: TaskRun) -> None:
    """Open the transaction of the task run's next attempt (it is the current one while
    the task's function runs)."""
    cache = run.cache
    txn = Transaction(key=getattr(cache, "cache_key", None), logger=run.logger)
    txn._open()
    run.txn = txn


def end_task_attempt(run: TaskRun, state: Any, retrying: bool) -> None:
    """Close the attempt's transaction: a completed attempt stages its hooks (committed
    now, or by the parent); a failed one rolls back, and its parent with it. A retried
    run gets a new transaction for its next attempt."""
    txn = run.txn
    if txn is None or txn._token is None:
        return
    options = run.task.options
    if state.type is StateType.COMPLETED:
        txn.stage(state.data, on_rollback_hooks=list(options.on_rollback), on_commit_hooks=list(options.on_commit))
        txn._close(None)
    else:
        if not isinstance(state.data, BaseException):
            # A returned Failed state (not a raised exception) rolls back what it staged,
            # the task's own rollback hooks included.
            txn.stage(state.data, on_rollback_hooks=list(options.on_rollback))
        txn._writes.clear()
        txn.rollback()
        txn._reset()
    if retrying:
        open_task_transaction(run)


def close_task_transactions(run: TaskRun) -> None:
    """At the end of the run: drop the transaction opened for an attempt that never came."""
    txn, run.txn = run.txn, None
    if txn is not None and txn._token is not None:
        try:
            transaction_var.reset(txn._token)
        except ValueError:
            transaction_var.set(txn._parent)
        txn._token = None


def defer_write(run: TaskRun, write: Callable[[], Any]) -> bool:
    """Keep a task run's record write for its transaction's commit, if the transaction
    has a parent (which may still roll back). Returns whether it was deferred."""
    txn = run.txn
    if txn is None or txn._parent is None:
        return False
    txn._writes.append(write)
    return True


def add_task_hook(task: Any, kind: str, hook: Callable[..., Any]) -> Callable[..., Any]:
    """`@my_task.on_commit` / `@my_task.on_rollback`: add `hook` to the task's options."""
    import dataclasses

    if not callable(hook):
        raise TypeError(f"@{task.name}.{kind} needs a function (transaction) -> None, got {hook!r}")
    task.options = dataclasses.replace(task.options, **{kind: (*getattr(task.options, kind), hook)})
    task.uses_transactions = True
    return hook
