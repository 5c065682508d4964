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

A file whose write lock another program holds does not hold up the flow: after about a
second `open` says so on stderr (naming the holder when Linux's /proc/locks tells) and
returns a sink that checks the file in the writer's thread, at its first write. A write
waits for the lock by trying again every few milliseconds at most (`begin_immediate`)
up to the busy timeout, so that `abandon()` (the process ending with history it cannot
write) stops a waiting write within milliseconds, and never while it commits.
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from headwater.exceptions import StoreError
from headwater.store.batches import plan_batch, write_plan
from headwater.store.event_rows import EventRows
from headwater.store.sqlite_statements import HEAD_REVISION, SCHEMA, STATEMENTS

if TYPE_CHECKING:
    from headwater.orchestrator.records import Record

__all__ = ["LOCK_RETRY_ATTEMPTS", "SqliteSink", "WriteAbandoned", "begin_immediate", "describe_sqlite_error",
           "retry_locked", "sqlite_file_of"]

T = TypeVar("T")

LOCK_RETRY_ATTEMPTS = 8
_STEP = 0.25  # seconds SQLite's own busy handler waits before the sink looks again
OPEN_WAIT_SECONDS = 1.0
"""How long opening waits for another program's write lock before saying so and going on."""


class WriteAbandoned(StoreError):
    """The sink was abandoned (the process is ending): nothing more is written."""


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


_FIRST_PAUSE = 0.0002  # seconds between the first two tries for the write lock
_LONGEST_PAUSE = 0.004  # ... doubling up to this


def begin_immediate(execute: Callable[[str], object], deadline: float, restore_busy_ms: int,
                    stop: Callable[[], bool] | None = None) -> None:
    """`BEGIN IMMEDIATE`, trying again for the write lock after 0.2 ms, doubling up to 4 ms,
    until `deadline` (a `time.monotonic()` instant) or `stop()`; then "database is locked".

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 ... 100 ms between tries,
    while headwater's write transactions hold the lock for about a millisecond or less:
    with several processes writing (task workers, their history writers, `delay()`
    callers), waiters asleep for tens of milliseconds leave the lock idle. Shorter
    steps than 0.2 ms cost measurable CPU on a loaded machine for no gain
    (bench/README.md, session 6). The handler is switched off for this one statement
    (busy timeout 0) and set back to `restore_busy_ms` for the statements that follow.

    Raises:
        sqlite3.OperationalError: the lock stayed taken until `deadline`, or another error.
    """
    execute("PRAGMA busy_timeout = 0")
    try:
        pause = _FIRST_PAUSE
        while True:
            try:
                execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                left = deadline - time.monotonic()
                if not _locked(exc) or left <= 0 or (stop is not None and stop()):
                    raise
            time.sleep(min(pause, left))
            pause = min(pause * 2, _LONGEST_PAUSE)
    finally:
        execute(f"PRAGMA busy_timeout = {int(restore_busy_ms)}")


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
        self._ready = False
        self._abandoned = False
        self._commit_guard = threading.Lock()
        self.flow_ids: dict[str, str] = {}
        self.events = EventRows()

    @classmethod
    def open(cls, url: str, busy_timeout_seconds: float, *,
             open_wait_seconds: float = OPEN_WAIT_SECONDS) -> SqliteSink | None:
        """The sink for `url` if it is a SQLite file, new or at this code's schema, and writable; else None.

        When another program holds the file's write lock for more than `open_wait_seconds`,
        says so on stderr and returns a sink that checks the file at its first write.
        """
        path = sqlite_file_of(url)
        if path is None:
            return None
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            connection = sqlite3.connect(path, timeout=min(_STEP, busy_timeout_seconds), isolation_level=None,
                                         check_same_thread=False)
        except (OSError, sqlite3.Error):
            return None
        sink = cls(connection, path, busy_timeout_seconds)
        try:
            ready = sink._prepare(time.monotonic() + min(open_wait_seconds, busy_timeout_seconds))
        except sqlite3.Error:
            ready = False
        if ready is None:
            sys.stderr.write(
                f"headwater: waiting for the history database {path}, locked by "
                f"{_holder(path)}; the flow starts now and its history is written when the lock is free.\n")
            sys.stderr.flush()
            return sink
        if not ready:
            connection.close()
            return None
        return sink

    def _prepare(self, deadline: float) -> bool | None:
        """Set up the connection and check (or create) the schema: True when ready, False
        when the file is for `Store.open`, None when still locked at `deadline`."""
        connection = self._connection

        def attempt() -> bool:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            # A read-only file or folder shows here, not at the first batch, where it
            # would be lost in the writer's thread. BEGIN alone is not enough: with
            # another process holding the file open, it succeeds read-only.
            connection.execute("BEGIN IMMEDIATE")
            try:
                return _ensure_schema(connection)
            finally:
                if connection.in_transaction:  # checked only: nothing to keep
                    connection.execute("ROLLBACK")

        while True:
            try:
                self._ready = attempt()
                return self._ready
            except sqlite3.OperationalError as exc:
                if not _locked(exc) or self._abandoned:
                    raise
                if time.monotonic() >= deadline:
                    return None
                time.sleep(0.01 * (1 + random.random()))

    def _become_ready(self) -> None:
        """For a sink opened while the file was locked: wait for it (up to the busy timeout)."""
        try:
            ready = self._prepare(time.monotonic() + self._busy_timeout)
        except sqlite3.Error as exc:
            raise describe_sqlite_error(_first_line(exc), self.path, self._busy_timeout) from None
        if ready is None:
            raise self._still_locked()
        if not ready:
            raise StoreError(
                f"the run-history database {self.path} is not at this headwater's schema; run "
                "`headwater database upgrade`, then `headwater database recover`.")

    def _still_locked(self) -> StoreError:
        return StoreError(
            f"the run-history database {self.path} stayed locked by {_holder(self.path)} for more than "
            f"{self._busy_timeout:g} s. Let that process finish or stop it, or raise "
            "HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS.")

    def _begin(self, deadline: float) -> None:
        """BEGIN IMMEDIATE, waiting for the lock in steps until `deadline` (or abandonment)."""
        if self._abandoned:
            raise WriteAbandoned("the history writer was stopped")
        try:
            begin_immediate(self._cursor.execute, deadline, int(min(_STEP, self._busy_timeout) * 1000),
                            lambda: self._abandoned)
        except sqlite3.OperationalError as exc:
            if not _locked(exc):
                raise
            if self._abandoned:
                raise WriteAbandoned("the history writer was stopped") from None
            raise self._still_locked() from None

    @property
    def ready(self) -> bool:
        """Whether the file was checked (False while opened without the lock it needed)."""
        return self._ready

    def abandon(self) -> None:
        """Write nothing more: a write waiting for the lock stops within a step, and one
        committing finishes before this returns."""
        with self._commit_guard:
            self._abandoned = True

    def write(self, records: Sequence[Record]) -> None:
        """Write a batch of engine records in one transaction.

        Raises:
            StoreError: the database refused the batch (nothing of it was written).
        """
        if not records:
            return
        if self._abandoned:
            raise WriteAbandoned("the history writer was stopped")
        if not self._ready:
            self._become_ready()
        plan = plan_batch(records)
        cursor = self._cursor
        deadline = time.monotonic() + self._busy_timeout

        def query(sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
            return cursor.execute(sql, params).fetchall()

        def transaction() -> dict[str, str]:
            self._begin(deadline)
            try:
                resolved = write_plan(STATEMENTS, plan, cursor.executemany, query, self.flow_ids, self.events)
                with self._commit_guard:
                    if self._abandoned:
                        raise WriteAbandoned("the history writer was stopped")
                    cursor.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    cursor.execute("ROLLBACK")
                raise
            return resolved

        try:
            resolved = retry_locked(transaction, _locked)
        except sqlite3.Error as exc:
            raise describe_sqlite_error(_first_line(exc), self.path, self._busy_timeout) from None
        if resolved:
            self.flow_ids.update(resolved)

    def recover(self, url: str, home: str, zombie_after_seconds: float) -> None:
        """In the writer's thread, before the first batch: write history spilled by
        earlier processes, then end Crashed the runs whose process is gone
        (store/spill.py, store/sqlite_recovery.py). Skipped when the file is still locked
        by another program (the sink was opened without it): this process's own history
        should not wait for it.

        Raises:
            StoreError: the database failed or stayed locked.
        """
        from pathlib import Path

        from headwater.core import clock
        from headwater.store.spill import replay_spills
        from headwater.store.sqlite_recovery import crash_dead_runs

        if not self._ready and not self._prepare(time.monotonic() + _STEP):
            return  # still locked by another program: the next process recovers; history goes first
        replay_spills(Path(home), url, self.write)
        deadline = time.monotonic() + self._busy_timeout
        try:
            crash_dead_runs(self._connection, clock.now(), zombie_after_seconds,
                            begin=lambda: self._begin(deadline))
        except sqlite3.Error as exc:
            raise describe_sqlite_error(_first_line(exc), self.path, self._busy_timeout) from None

    def close(self) -> None:
        self._connection.close()


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _holder(path: str) -> str:
    from headwater.store.processes import sqlite_lock_holders

    holders = sqlite_lock_holders(path)
    return ", ".join(holders) if holders else "another process"
