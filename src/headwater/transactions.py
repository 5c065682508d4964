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

The engine calls `open_task_transaction`, `end_task_attempt`, `defer_write` and
`close_task_transactions` (engine/task_runs.py, engine/caching.py) only for task runs
inside a transaction or with commit/rollback hooks: other task runs pay nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import inspect
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Any

from headwater.exceptions import ConfigurationError, SerializationError

if TYPE_CHECKING:
    from headwater.engine.task_runs import TaskRun
    from headwater.results import ResultRecord, ResultStore

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

_log = logging.getLogger("headwater.transactions")


class _NamedEnum(str, Enum):
    """An enum whose values are its names, printed as `Class.NAME` (as Prefect's are)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.value}"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return format(repr(self), spec)


class IsolationLevel(_NamedEnum):
    """How a keyed transaction shares its record: READ_COMMITTED, or SERIALIZABLE (locked)."""

    READ_COMMITTED = "READ_COMMITTED"
    SERIALIZABLE = "SERIALIZABLE"


class CommitMode(_NamedEnum):
    """When a transaction commits: EAGER (when its block ends, even nested), LAZY (when
    the outermost block ends), OFF (never by itself: rolled back unless committed)."""

    EAGER = "EAGER"
    LAZY = "LAZY"
    OFF = "OFF"


class TransactionState(_NamedEnum):
    """Where a transaction is in its life."""

    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    STAGED = "STAGED"
    COMMITTED = "COMMITTED"
    ROLLED_BACK = "ROLLED_BACK"


_S = TransactionState
_NOT_SET = object()
_current: contextvars.ContextVar[BaseTransaction | None] = contextvars.ContextVar(
    "headwater_transaction", default=None)


def get_transaction() -> BaseTransaction | None:
    """The innermost transaction open here (inside a task run: the task run's own), or None."""
    txn = _current.get()
    if txn is None:
        # Every task run is a transaction; those that did not need one (no hooks, no
        # enclosing transaction) get theirs when they first ask for it.
        from headwater.engine.context import task_run_var

        run = task_run_var.get()
        if run is not None and run.txn is None and run.state is not None and run.state.type.value == "RUNNING":
            open_task_transaction(run)
            txn = run.txn
    return txn


class BaseTransaction:
    """The state of a transaction and what commits and rollbacks do; see the module docstring.

    Attributes:
        key: the record this transaction is about, or None.
        store: the `ResultStore` holding that record.
        state: a `TransactionState`.
        children: the transactions that finished inside this one, oldest first.
    """

    def __init__(self, key: str | None = None, store: ResultStore | None = None,
                 commit_mode: CommitMode | None = None, isolation_level: IsolationLevel | None = None,
                 overwrite: bool = False, write_on_commit: bool = True,
                 logger: logging.Logger | logging.LoggerAdapter[Any] | None = None) -> None:
        self.key = key
        self.store = store
        self.commit_mode = CommitMode(commit_mode) if commit_mode is not None else None
        self.isolation_level = IsolationLevel(isolation_level) if isolation_level is not None else None
        self.overwrite = overwrite
        self.write_on_commit = write_on_commit
        self.logger: Any = logger or _log
        self.state = _S.PENDING
        self.children: list[BaseTransaction] = []
        self.on_commit_hooks: list[Callable[..., Any]] = []
        self.on_rollback_hooks: list[Callable[..., Any]] = []
        self._stored_values: dict[str, Any] = {}
        self._staged_value: Any = None
        self._writes: list[Callable[[], Any]] = []  # task records written on commit (engine/caching.py)
        self._holder = str(uuid.uuid4())
        self._token: contextvars.Token[BaseTransaction | None] | None = None
        self._parent: BaseTransaction | None = None

    # -- values shared with hooks and child transactions ------------------------------
    def set(self, name: str, value: Any) -> None:
        """Keep `value` under `name` for later reads in this transaction, its children and hooks."""
        self._stored_values[name] = value

    def get(self, name: str, default: Any = _NOT_SET) -> Any:
        """A copy of the value set under `name` here or in a parent transaction.

        Raises:
            ValueError: nothing is set under `name` and no default was given.
        """
        if name in self._stored_values:
            return copy.deepcopy(self._stored_values[name])
        parent = self.get_parent()
        if parent is not None:
            return parent.get(name, default)
        if default is not _NOT_SET:
            return default
        raise ValueError(f"Could not retrieve value for unknown key: {name}")

    # -- state ---------------------------------------------------------------------------
    def is_committed(self) -> bool:
        return self.state is _S.COMMITTED

    def is_rolled_back(self) -> bool:
        return self.state is _S.ROLLED_BACK

    def is_staged(self) -> bool:
        return self.state is _S.STAGED

    def is_pending(self) -> bool:
        return self.state is _S.PENDING

    def is_active(self) -> bool:
        return self.state is _S.ACTIVE

    def get_parent(self) -> BaseTransaction | None:
        """The transaction this one was opened in, or None."""
        return self._parent

    def add_child(self, transaction: BaseTransaction) -> None:
        self.children.append(transaction)

    def stage(self, value: Any, on_rollback_hooks: list[Callable[..., Any]] | None = None,
              on_commit_hooks: list[Callable[..., Any]] | None = None) -> None:
        """Keep `value` (written to the record on commit) and hooks to run on commit or rollback."""
        if self.state is _S.COMMITTED:
            return
        self._staged_value = value
        self.on_rollback_hooks += on_rollback_hooks or []
        self.on_commit_hooks += on_commit_hooks or []
        self.state = _S.STAGED

    # -- opening and closing -----------------------------------------------------------
    def _open(self) -> None:
        if self._token is not None:
            raise RuntimeError("Context already entered. Context enter calls cannot be nested.")
        parent = _current.get()
        if self.commit_mode is None:
            self.commit_mode = parent.commit_mode if parent is not None else CommitMode.LAZY
        level = self.isolation_level
        if level is None:  # inherited from the parent, whose own was set when it opened
            level = self.isolation_level = (parent.isolation_level if parent is not None else None) \
                or IsolationLevel.READ_COMMITTED
        if self.store is not None and self.key and not self.store.supports_isolation_level(level):
            raise ConfigurationError(
                f"isolation level {level.name} needs a lock manager: create the store with "
                "ResultStore(lock_manager=MemoryLockManager()) (headwater.locking.memory) or FileSystemLockManager"
            )
        self.state = _S.ACTIVE
        locked = self._lock_target()
        if locked is not None:
            self.logger.debug("Acquiring lock for transaction %r", self.key)
            store, key = locked
            store.acquire_lock(key, holder=self._holder)
        if not self.overwrite and self.store is not None and self.key and self.store.exists(self.key):
            self.state = _S.COMMITTED
        self._parent = parent
        self._token = _current.set(self)

    def _close(self, error: BaseException | None) -> None:
        if self._token is None:
            raise RuntimeError("Asymmetric use of context. Context exit called without an enter.")
        if error is not None:
            self.rollback()
            self._reset()
            return
        if self.commit_mode is CommitMode.EAGER:
            self.commit()
        if self._parent is not None:
            self._reset()  # the parent decides
            return
        if self.commit_mode is CommitMode.OFF:
            self.rollback()  # nobody committed it
        elif self.commit_mode is CommitMode.LAZY:
            self.commit()
        self._reset()

    def _reset(self) -> None:
        parent = self._parent
        if parent is not None:
            parent.add_child(self)
        if self._token is not None:
            try:
                _current.reset(self._token)
            except ValueError:  # closed in another context than it was opened in (a thread)
                _current.set(parent)
            self._token = None
        if parent is not None and self.state is _S.ROLLED_BACK:
            parent.rollback()

    def _lock_target(self) -> tuple[ResultStore, str] | None:
        """The store and key this transaction locks (SERIALIZABLE with a key), or None."""
        if self.store is not None and self.key and self.isolation_level is IsolationLevel.SERIALIZABLE:
            return self.store, self.key
        return None

    def _release(self) -> None:
        locked = self._lock_target()
        if locked is not None and locked[0].is_lock_holder(locked[1], self._holder):
            self.logger.debug("Releasing lock for transaction %r", self.key)
            locked[0].release_lock(locked[1], holder=self._holder)

    def read(self) -> ResultRecord | None:
        """The record this transaction is about, if it has a key and a store."""
        if self.store is not None and self.key:
            return self.store.read(self.key, holder=self._holder)
        return None

    # -- commit and rollback ------------------------------------------------------------
    def commit(self) -> bool:
        """Commit children, run on_commit hooks, write the staged value; True if this committed.

        A hook or write that fails rolls the transaction back instead (logged)."""
        if self.state in (_S.ROLLED_BACK, _S.COMMITTED):
            self._release()
            return False
        try:
            for child in self.children:
                child.commit()
            for hook in self.on_commit_hooks:
                self.run_hook(hook, "commit")
            for write in self._writes:
                write()
            if self.store is not None and self.key and self.write_on_commit:
                self.store.write(key=self.key, obj=self._staged_value, holder=self._holder)
            self.state = _S.COMMITTED
            self._release()
            return True
        except SerializationError as exc:
            self.logger.warning("The result of transaction %r cannot be serialized: %s. It is not committed.",
                                self.key, exc)
        except Exception:
            self.logger.exception("Committing transaction %r failed; rolling it back", self.key)
        self.rollback()
        return False

    def rollback(self) -> bool:
        """Run on_rollback hooks (newest first), then roll the children back; True if this rolled back."""
        if self.state in (_S.ROLLED_BACK, _S.COMMITTED):
            return False
        try:
            for hook in reversed(self.on_rollback_hooks):
                self.run_hook(hook, "rollback")
            self.state = _S.ROLLED_BACK
            for child in reversed(self.children):
                child.rollback()
            return True
        except Exception:
            self.logger.exception("Rolling back transaction %r failed", self.key)
            return False
        finally:
            self._release()

    def run_hook(self, hook: Callable[..., Any], kind: str) -> None:
        """Call `hook(self)` (awaiting it if it is async); its errors propagate, logged."""
        name = getattr(hook, "__name__", repr(hook))
        log = getattr(hook, "log_on_run", True)
        if log:
            self.logger.info("Running %s hook %r", kind, name)
        try:
            result = hook(self)
            if inspect.isawaitable(result):
                _run_awaitable(result)
        except Exception:
            if log:
                self.logger.error("The %s hook %r raised an error", kind, name)
            raise
        if log:
            self.logger.info("%s hook %r finished", kind.capitalize(), name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key={self.key!r}, state={self.state!r})"


class Transaction(BaseTransaction):
    """A transaction used with `with` (see `transaction()`)."""

    def __enter__(self) -> Transaction:
        self._open()
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self._close(exc)


class AsyncTransaction(BaseTransaction):
    """A transaction used with `async with` (see `atransaction()`). Its hooks may be async."""

    async def __aenter__(self) -> AsyncTransaction:
        self._open()
        return self

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self._close(exc)

    def __enter__(self) -> Any:
        raise TypeError("AsyncTransaction is used with `async with`; use transaction() for `with`")

    def __exit__(self, *exc_info: Any) -> None:
        raise TypeError("AsyncTransaction is used with `async with`")


def _run_awaitable(awaitable: Any) -> None:
    """Run an async hook to its end from sync code, beside a running loop if there is one."""
    async def wait() -> Any:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(wait())
        return
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="headwater-hook") as pool:
        pool.submit(asyncio.run, wait()).result()


def _options(key: str | None, store: Any, logger: Any) -> tuple[Any, Any]:
    if key and store is None:
        from headwater.results import get_result_store

        store = get_result_store()
    if logger is None:
        from headwater.engine.context import current_run

        run = current_run()
        logger = run.logger if run is not None else _log
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


# -- the engine's side: each attempt of a task run is a child transaction -----------------

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
    if state.type.value == "COMPLETED":
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
            _current.reset(txn._token)
        except ValueError:
            _current.set(txn._parent)
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
