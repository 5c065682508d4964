"""The embedded history writer: engine records into an existing SQLite file, with
the standard library's sqlite3 and no SQLAlchemy.

`python flow.py` on a new home, or one whose database is at this code's schema, needs
nothing from the store but writing batches. Importing SQLAlchemy for that cost about
a third of a one-task flow's whole process, so this path opens the file with sqlite3,
checks the schema revision with one query, and writes with the same planning code
and SQL text as `Store.write` (store/batches.py, store/sqlite_statements.py). It
sets up the connection as store/connect.py does: WAL, `synchronous=NORMAL`, the busy
timeout, and `BEGIN IMMEDIATE` for each batch.

A new (empty) file gets the schema from the same kept text. Anything else (an older
or newer database, a file that is not a database, an unusable folder, another URL)
is left to `Store.open`, which upgrades, refuses, or reports one clear error;
`SqliteSink.open` then returns None.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from headwater.exceptions import StoreError
from headwater.store.batches import plan_batch, write_plan
from headwater.store.event_rows import EventRows
from headwater.store.sqlite_statements import HEAD_REVISION, SCHEMA, STATEMENTS

if TYPE_CHECKING:
    from headwater.orchestrator.records import Record

__all__ = ["LOCK_RETRY_ATTEMPTS", "SqliteSink", "describe_sqlite_error", "retry_locked", "sqlite_file_of"]

T = TypeVar("T")

LOCK_RETRY_ATTEMPTS = 8


def sqlite_file_of(url: str) -> str | None:
    """The file of a plain `sqlite:///path` URL, or None for anything else (memory, options, other databases)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix):]
    if path in ("", ":memory:"):
        return None
    return os.path.abspath(os.path.expanduser(path))


def retry_locked(action: Callable[[], T], is_locked: Callable[[BaseException], bool],
                 attempts: int = LOCK_RETRY_ATTEMPTS, first_delay: float = 0.02, max_delay: float = 2.0) -> T:
    """Run `action` (one whole transaction), again with jittered backoff while `is_locked(error)`.

    SQLite's busy timeout absorbs almost all waiting; this catches what escapes it.
    """
    delay = first_delay
    for attempt in range(attempts):
        try:
            return action()
        except Exception as exc:
            if not is_locked(exc) or attempt == attempts - 1:
                raise
        time.sleep(delay * (1 + random.random()))
        delay = min(delay * 2, max_delay)
    raise AssertionError("unreachable")  # pragma: no cover


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def describe_sqlite_error(cause: str, where: str, busy_timeout_seconds: float) -> StoreError:
    """One line naming the SQLite file, the cause and what to do about it."""
    lowered = cause.lower()
    if "not a database" in lowered or "malformed" in lowered or "disk i/o" in lowered:
        return StoreError(
            f"the run-history database {where} is not a usable SQLite database ({cause}). "
            "Move it away or run `headwater database reset` to start a new one."
        )
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered or "permission" in lowered:
        return StoreError(
            f"cannot write the run-history database {where} ({cause}): the file or its folder is not "
            "writable. Make them writable, or point HEADWATER_HOME / HEADWATER_DATABASE_URL elsewhere."
        )
    if "locked" in lowered:
        return StoreError(
            f"the run-history database {where} stayed locked by another process for more than "
            f"{busy_timeout_seconds:g} s ({cause}). Stop the process holding it or raise "
            "HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS."
        )
    return StoreError(f"the run-history database {where} failed: {cause}.")


def _ensure_schema(connection: sqlite3.Connection) -> bool:
    """Inside BEGIN IMMEDIATE: create the schema in an empty database (and commit), or
    check a database is at HEAD_REVISION and writable. False: leave it to `Store.open`."""
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:  # new: as Store.open would create it (the SQL is kept equal by a test)
        for statement in SCHEMA:
            connection.execute(statement)
        connection.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (HEAD_REVISION,))
        connection.execute("COMMIT")
        return True
    if "alembic_version" not in tables:
        return False  # not a headwater database
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is None or row[0] != HEAD_REVISION:
        return False  # older (to upgrade) or newer (to refuse): the store's work
    connection.execute("UPDATE alembic_version SET version_num = version_num")  # fails if read-only
    return True


class SqliteSink:
    """Writes record batches into one SQLite file (see the module docstring).

    Use `SqliteSink.open`; the connection is then used by one thread at a time (the
    history writer's), not necessarily the one that opened it.
    """

    def __init__(self, connection: sqlite3.Connection, path: str, busy_timeout_seconds: float) -> None:
        self._connection = connection
        self._cursor = connection.cursor()
        self.path = path
        self._busy_timeout = busy_timeout_seconds
        self.flow_ids: dict[str, str] = {}
        self.events = EventRows()

    @classmethod
    def open(cls, url: str, busy_timeout_seconds: float) -> SqliteSink | None:
        """The sink for `url` if it is a SQLite file, new or at this code's schema, and writable; else None."""
        path = sqlite_file_of(url)
        if path is None:
            return None
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            connection = sqlite3.connect(path, timeout=busy_timeout_seconds, isolation_level=None,
                                         check_same_thread=False)
        except (OSError, sqlite3.Error):
            return None
        try:
            # Switching a fresh file to WAL needs a moment of exclusive access; two
            # processes opening a new file at once can see it locked.
            retry_locked(lambda: connection.execute("PRAGMA journal_mode=WAL"), _locked,
                         first_delay=0.01, max_delay=1.0)
            connection.execute("PRAGMA synchronous=NORMAL")
            # A read-only file or folder shows here, not at the first batch, where it
            # would be lost in the writer's thread. BEGIN alone is not enough: with
            # another process holding the file open, it succeeds read-only.
            connection.execute("BEGIN IMMEDIATE")
            try:
                ready = _ensure_schema(connection)
            finally:
                if connection.in_transaction:  # checked only: nothing to keep
                    connection.execute("ROLLBACK")
        except sqlite3.Error:
            ready = False
        if not ready:
            connection.close()
            return None
        return cls(connection, path, busy_timeout_seconds)

    def write(self, records: Sequence[Record]) -> None:
        """Write a batch of engine records in one transaction.

        Raises:
            StoreError: the database refused the batch (nothing of it was written).
        """
        if not records:
            return
        plan = plan_batch(records)
        cursor = self._cursor

        def query(sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
            return cursor.execute(sql, params).fetchall()

        def transaction() -> dict[str, str]:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                resolved = write_plan(STATEMENTS, plan, cursor.executemany, query, self.flow_ids, self.events)
                cursor.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    cursor.execute("ROLLBACK")
                raise
            return resolved

        try:
            resolved = retry_locked(transaction, _locked)
        except sqlite3.Error as exc:
            cause = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise describe_sqlite_error(cause, self.path, self._busy_timeout) from None
        if resolved:
            self.flow_ids.update(resolved)

    def close(self) -> None:
        self._connection.close()
