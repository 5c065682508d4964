"""Transactions, the model: a transaction's state, its children, its hooks, commit and
rollback. The public functions are in `headwater.transactions` (see its docstring for
how commits and rollbacks proceed); a task run's own transactions are opened and closed
by engine/task_transactions.py.
"""

from __future__ import annotations

import copy
import inspect
import logging
import uuid
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any

from headwater.engine.context import transaction_var
from headwater.exceptions import ConfigurationError, SerializationError

if TYPE_CHECKING:
    import contextvars

    from headwater.results import ResultRecord, ResultStore

__all__ = [
    "AsyncTransaction",
    "BaseTransaction",
    "CommitMode",
    "IsolationLevel",
    "Transaction",
    "TransactionState",
]

log = logging.getLogger("headwater.transactions")


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
        self.logger: Any = logger or log
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
        parent = transaction_var.get()
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
        self._token = transaction_var.set(self)

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
                transaction_var.reset(self._token)
            except ValueError:  # closed in another context than it was opened in (a thread)
                transaction_var.set(parent)
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
                from headwater.engine.drivers import run_awaitable_sync

                run_awaitable_sync(result)
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
