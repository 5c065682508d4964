"""`Database`: the store's engine and the one rule every transaction follows.

Every repository of the store (flow runs, history, deployments, workers, limits,
the UI's queries, maintenance) is handed one `Database` and reaches the database
only through `Database.read` and `Database.write`; a test (tests/store/test_database.py)
fails if a store module opens a transaction any other way. The rule a write gets:

1. **One writer per SQLite file in this process at a time.** Threads of one process
   writing the same SQLite file take turns through a Python lock (one per file) before
   they touch SQLite. SQLite admits one writer anyway; waiting on a Python lock wakes
   the next writer at once, while SQLite's busy handler polls with sleeps of up to
   100 ms, which showed as latency spikes. PostgreSQL needs no such lock.
2. **The write lock is taken up front.** On SQLite a write transaction starts with
   `BEGIN IMMEDIATE` (store/connect.py), so a writer waits for other processes at its
   start instead of failing to upgrade a read lock half-way through. On PostgreSQL a
   write is a plain transaction at READ COMMITTED (set on the engine, so a server
   whose default isolation differs changes nothing): what must not interleave takes
   row locks (`SELECT ... FOR UPDATE`, `SKIP LOCKED` for claims), and each statement
   sees the rows committed before it, which is what those lock-then-read steps need.
3. **A whole transaction is retried when the database was locked**: SQLite's "database
   is locked" that escapes the busy timeout, PostgreSQL's serialization failures and
   deadlocks (`retry_on_lock`, with backoff). That is why `write` takes the body as a
   function rather than being a `with` block: a `with` block cannot be run again.
   **The wait is bounded:** on SQLite a write waits for a lock at most the busy timeout
   (`HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS`) in all, its turn among this process's
   threads, SQLite's busy handler and the retries together; then it fails with a
   `StoreError` naming the file and, on Linux, the process holding the lock.
4. **Failures reach callers as one `StoreError`** naming the database, the cause and
   what to do; headwater's own exceptions raised by the body (`ObjectNotFound`, ...)
   pass through unchanged, and the transaction is rolled back.
5. **Writes do not nest.** A write started inside another one on the same thread (of
   this or another `Database`) would wait for itself (SQLite) or see the uncommitted
   rows of neither; it raises at once.

Reads (`Database.read`) are one short transaction each (`BEGIN` on SQLite, READ
COMMITTED on PostgreSQL) with the same error translation and no lock.

The embedded hot path (store/sqlite_sink.py) writes with the standard library's sqlite3
instead, so that `python flow.py` never imports SQLAlchemy; it follows the same rules 2
and 3 (BEGIN IMMEDIATE per batch, retried when locked).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from sqlalchemy.engine import URL, Connection, Dialect, Engine
from sqlalchemy.exc import SQLAlchemyError

from headwater.exceptions import StoreError
from headwater.store.connect import WRITE_OPTION, describe_error, is_sqlite, mask_url, retry_on_lock

__all__ = ["Database"]

T = TypeVar("T")

_turns_by_file: dict[str, threading.Lock] = {}
_turns_guard = threading.Lock()
_writing = threading.local()  # this thread is inside a write (of any Database)


def _reset_turns_after_fork() -> None:
    # A lock held by another thread when the process forked would stay held for ever.
    global _turns_guard
    _turns_guard = threading.Lock()
    _turns_by_file.clear()


os.register_at_fork(after_in_child=_reset_turns_after_fork)


class _Rollback(Exception):
    """Raised inside a write to undo it (the writability probe)."""


class Database:
    """One database: its engine, dialect and write-transaction policy (see the module docstring).

    Args:
        engine: the engine from `store.connect.create_store_engine`.
        url: the database URL (a password in it is never shown).
        busy_timeout_seconds: how long a SQLite writer waits for another process.

    Attributes:
        url: the database URL, with any password shown as `***`.
        dialect: the engine's SQLAlchemy dialect.
        dialect_name: "sqlite" or "postgresql".
    """

    url: str
    dialect: Dialect
    dialect_name: str

    def __init__(self, engine: Engine, url: URL, busy_timeout_seconds: float) -> None:
        self._engine = engine
        self._write_engine = engine.execution_options(**{WRITE_OPTION: True})
        self._url = url
        self._busy_timeout = busy_timeout_seconds
        self.url = mask_url(url)
        self.dialect = engine.dialect
        self.dialect_name = str(engine.dialect.name)
        self._sqlite = is_sqlite(url)
        self._turns_key: str | None = None
        self._own_turns: threading.Lock | None = None
        if self._sqlite:
            database = url.database or ""
            if database in ("", ":memory:") or url.query.get("mode") == "memory":
                self._own_turns = threading.Lock()  # a private in-memory database: its own turns
            else:
                self._turns_key = os.path.abspath(os.path.expanduser(database))

    def _turns(self) -> threading.Lock | None:
        if self._turns_key is None:
            return self._own_turns
        lock = _turns_by_file.get(self._turns_key)
        if lock is None:
            with _turns_guard:
                lock = _turns_by_file.setdefault(self._turns_key, threading.Lock())
        return lock

    def _take_turn(self, lock: threading.Lock, deadline: float) -> None:
        """Wait for this thread's turn to write the SQLite file, at most until `deadline`."""
        if not lock.acquire(timeout=max(deadline - time.monotonic(), 0.0)):
            raise StoreError(
                f"the run-history database {self._url.database} stayed busy for more than {self._busy_timeout:g} s: "
                "another thread of this process is writing it (and may itself be waiting for another process). "
                "Raise HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS if such waits are expected."
            )

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Turn a SQLAlchemy failure inside the block into one `StoreError` line."""
        try:
            yield
        except SQLAlchemyError as exc:
            raise describe_error(exc, self._url, self._busy_timeout) from None

    def read(self, query: Callable[[Connection], T]) -> T:
        """Run `query` in one short read transaction and return what it returns.

        Raises:
            StoreError: the database failed.
        """
        with self.errors(), self._engine.begin() as conn:
            return query(conn)

    def write(self, body: Callable[[Connection], T]) -> T:
        """Run `body` in one write transaction under the store's policy (module docstring).

        The transaction commits when `body` returns and rolls back when it raises; it is
        run again, whole, if the database was locked, so `body` must not have effects
        outside the database.

        Raises:
            StoreError: the database failed or stayed locked.
            RuntimeError: called inside another write on the same thread.
        """
        if getattr(_writing, "active", False):
            raise RuntimeError(
                "a store write was started inside another write transaction; finish the first "
                "(one Database.write per unit of work)"
            )

        def transaction() -> T:
            with self._write_engine.begin() as conn:
                return body(conn)

        # One bound for the whole wait (module docstring, rule 3); on PostgreSQL the
        # retries of deadlocks are counted instead.
        deadline = time.monotonic() + self._busy_timeout
        turn = self._turns()
        _writing.active = True
        try:
            with self.errors():
                if turn is None:
                    return retry_on_lock(transaction)
                if not turn.acquire(blocking=False):  # uncontended: no clock read
                    self._take_turn(turn, deadline)
                try:
                    return retry_on_lock(transaction, deadline=deadline)
                finally:
                    turn.release()
        finally:
            _writing.active = False

    def check_writable(self) -> None:
        """Fail now, with one clear error, if the database refuses writes.

        (On SQLite, opening a read-only file that another process holds open succeeds,
        and so does BEGIN: only a write statement tells.) The probe is rolled back.

        Raises:
            StoreError: the database is read-only or refuses writes.
        """

        def probe(conn: Connection) -> None:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
            raise _Rollback

        with contextlib.suppress(_Rollback):
            self.write(probe)

    def ping(self) -> None:
        """Check that the database answers, with one trivial query.

        Raises:
            StoreError: it cannot be reached or used.
        """
        self.read(lambda conn: conn.exec_driver_sql("SELECT 1"))

    def dispose(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __repr__(self) -> str:
        return f"<Database {self.url}>"
