"""Transactions: groups of work that commit together or roll back together, as in
`prefect.transactions`.

    with transaction():          # a user's transaction
        write_file(contents)     # each task run opens a child transaction and stages
        quality_test()           # its result and its on_commit / on_rollback hooks

    commit: children first, then on_commit hooks, then the staged record is written
    rollback: on_rollback hooks (last staged first), then the children, newest first

A task run that fails rolls its own transaction back and, with it, the transaction it
runs in: the rollback hooks of the tasks that completed before it run at once (also
when the failed attempt is retried, as in Prefect). A child transaction hands its
fate to its parent; the outermost one commits when its block ends (`CommitMode.LAZY`,
the default), at once (`EAGER`), or never (`OFF`: it rolls back unless committed).

With a `key`, the transaction is about one record of a `ResultStore`: if the record
exists when the block starts, the transaction is already committed
(`txn.is_committed()`: the work was done before); on commit the staged value is
written there. `isolation_level=SERIALIZABLE` holds the record's lock (the store needs
a lock manager, see headwater.locking) from the start of the block to its end.

The model is engine/transactions.py; a task run's own transactions are opened and
closed by engine/task_transactions.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any

from headwater.engine.task_transactions import current_transaction
from headwater.engine.transactions import (
    AsyncTransaction,
    BaseTransaction,
    CommitMode,
    IsolationLevel,
    Transaction,
    TransactionState,
    log,
)

if TYPE_CHECKING:
    from headwater.results import ResultStore

__all__ = [
    "AsyncTransaction",
    "BaseTransaction",
    "CommitMode",
    "IsolationLevel",
    "Transaction",
    "TransactionState",
    "atransaction",
    "get_transaction",
    "transaction",
]


def get_transaction() -> BaseTransaction | None:
    """The innermost transaction open here (inside a task run: the task run's own), or None."""
    return current_transaction()


def _options(key: str | None, store: Any, logger: Any) -> tuple[Any, Any]:
    if key and store is None:
        from headwater.results import get_result_store

        store = get_result_store()
    if logger is None:
        from headwater.engine.context import current_run

        run = current_run()
        logger = run.logger if run is not None else log
    return store, logger


@contextmanager
def transaction(key: str | None = None, store: ResultStore | None = None, commit_mode: CommitMode | None = None,
                isolation_level: IsolationLevel | None = None, overwrite: bool = False,
                write_on_commit: bool = True, logger: Any = None) -> Iterator[Transaction]:
    """Open a transaction for the block.

    Args:
        key: the record the transaction is about (None: no record).
        store: where that record lives (default: the run's result storage).
        commit_mode: EAGER, LAZY or OFF (default: the parent's, else LAZY).
        isolation_level: READ_COMMITTED or SERIALIZABLE (default: the parent's, else READ_COMMITTED).
        overwrite: write the record even if it exists (the transaction does not start committed).
        write_on_commit: write the staged value to the record on commit.

    Example:
        >>> with transaction() as txn:  # doctest: +SKIP
        ...     write_file("data")       # rolled back if the next task fails
        ...     check_file()
    """
    store, logger = _options(key, store, logger)
    with Transaction(key, store, commit_mode, isolation_level, overwrite, write_on_commit, logger) as txn:
        yield txn


@asynccontextmanager
async def atransaction(key: str | None = None, store: ResultStore | None = None,
                       commit_mode: CommitMode | None = None, isolation_level: IsolationLevel | None = None,
                       overwrite: bool = False, write_on_commit: bool = True,
                       logger: Any = None) -> AsyncIterator[AsyncTransaction]:
    """`transaction()` for `async with`."""
    store, logger = _options(key, store, logger)
    async with AsyncTransaction(key, store, commit_mode, isolation_level, overwrite, write_on_commit,
                                logger) as txn:
        yield txn
