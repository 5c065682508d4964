"""Opening a database: the engine, SQLite's settings, and errors people can act on.

SQLite is set up for many processes writing one file: WAL (readers never block the
writer), `synchronous=NORMAL` (no fsync per commit; WAL keeps the file consistent),
a busy timeout, and write transactions that start with `BEGIN IMMEDIATE` so a writer
takes the lock up front instead of failing to upgrade a read lock half-way (the
pysqlite event recipe from SQLAlchemy's SQLite documentation). That BEGIN waits for
the lock by trying again every 0.2 to 4 ms (`sqlite_sink.begin_immediate`), not with
SQLite's own handler, whose sleeps of 10 - 100 ms leave the lock idle. `retry_on_lock` covers
the rare "database is locked" that still escapes, within the same bound: a write never
waits for a lock longer than the busy timeout in all (`HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS`),
and when it gives up the error names the file and, where the system tells (Linux's
/proc/locks), the process holding its write lock.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from headwater.core.json_depth import bounded_loads  # a stored value of any depth reads back
from headwater.exceptions import StoreError
from headwater.store.processes import sqlite_lock_holders
from headwater.store.sqlite_sink import LOCK_RETRY_ATTEMPTS, begin_immediate, describe_sqlite_error, retry_locked

__all__ = [
    "WRITE_OPTION",
    "create_read_only_engine",
    "create_store_engine",
    "describe_error",
    "is_sqlite",
    "mask_url",
    "parse_url",
    "read_only_reason",
    "describe_sqlite_lock",
    "retry_on_lock",
    "sqlite_lock_holders",
]

T = TypeVar("T")

WRITE_OPTION = "headwater_write"
"""Execution option that makes a SQLite transaction start with BEGIN IMMEDIATE."""

_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # PostgreSQL serialization failure, deadlock

# The busy timeout (ms) the next BEGIN on this thread must use instead of the engine's:
# set by `retry_on_lock` for a retry, so the retries share one bound (read by the begin hook).
_attempt = threading.local()


def parse_url(url: str) -> URL:
    """Parse a database URL; plain `postgresql://` and `postgres://` mean psycopg 3.

    Raises:
        StoreError: the URL cannot be parsed.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"cannot parse the database URL {url!r}: expected e.g. sqlite:///path/to/headwater.db "
            "or postgresql+psycopg://user:password@host:5432/dbname. Fix HEADWATER_DATABASE_URL."
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def mask_url(url: URL) -> str:
    """Render a URL for people to read: the password, if any, is `***`; a SQLite file's
    path as written (not URL-encoded)."""
    if is_sqlite(url) and url.database and not url.query:
        return f"{url.drivername}:///{url.database}"
    return url.render_as_string(hide_password=True)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"


def read_only_reason(url: URL) -> str | None:
    """Why the existing SQLite file of `url` can be read but not written (a read-only
    file system, or a file or folder without write permission); None when it can be
    written, does not exist, or is not a SQLite file."""
    if not is_sqlite(url) or _is_memory(url):
        return None
    assert url.database is not None
    path = os.path.abspath(os.path.expanduser(url.database))
    if not os.path.isfile(path):
        return None
    folder = os.path.dirname(path)
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "its file system is mounted read-only"
    except OSError:
        return None
    if not os.access(folder, os.W_OK) or not os.access(path, os.W_OK):
        return "the file or its folder is not writable"
    return None


def create_read_only_engine(url: URL) -> Engine:
    """An engine that only reads the SQLite file of `url` (see `read_only_reason`).

    Opened `immutable`: SQLite then takes no lock and needs no `-shm` file beside it,
    which a read-only place cannot hold; a writer elsewhere is not seen mid-transaction.
    """
    import sqlite3
    from urllib.parse import quote

    assert url.database is not None
    path = os.path.abspath(os.path.expanduser(url.database))
    uri = f"file:{quote(path)}?mode=ro&immutable=1"
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
                           json_deserializer=bounded_loads)
    _install_sqlite_hooks(engine, wal=False, busy_ms=0)
    return engine


def create_store_engine(url: URL, busy_timeout_seconds: float) -> Engine:
    """Create the engine for `url`, with headwater's SQLite settings when it is SQLite.

    Raises:
        StoreError: the driver is missing or the SQLite file's folder cannot be created.
    """
    if not is_sqlite(url):
        try:
            # READ COMMITTED whatever the server's default: the store's writes lock the rows
            # they change and rely on each statement seeing what committed before it
            # (store/database.py).
            return create_engine(url, isolation_level="READ COMMITTED", json_deserializer=bounded_loads,
                                 connect_args={"connect_timeout": 10} if "psycopg" in url.drivername else {})
        except (NoSuchModuleError, ImportError) as exc:
            raise StoreError(
                f"cannot use the database {mask_url(url)}: no driver for {url.drivername!r} ({exc}). "
                "For PostgreSQL install `headwater[postgres]` and use a postgresql+psycopg:// URL."
            ) from None
    if _is_memory(url):
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False},
                               json_deserializer=bounded_loads)
    else:
        assert url.database is not None
        path = os.path.abspath(os.path.expanduser(url.database))
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder of the run-history database {path} ({exc.strerror or exc}). "
                "Make it writable, or point HEADWATER_HOME / HEADWATER_DATABASE_URL at a writable place."
            ) from None
        engine = create_engine(url.set(database=path), connect_args={"timeout": busy_timeout_seconds},
                               json_deserializer=bounded_loads)
    _install_sqlite_hooks(engine, wal=not _is_memory(url), busy_ms=_milliseconds(busy_timeout_seconds))
    return engine


def _milliseconds(seconds: float) -> int:
    return max(0, int(seconds * 1000))


def _install_sqlite_hooks(engine: Engine, *, wal: bool, busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):  # type: ignore[no-untyped-def]  # sqlite3's objects, as SQLAlchemy's event passes them
        # Take BEGIN away from sqlite3 so the "begin" hook below decides its kind.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if wal:
                # Switching a fresh file to WAL needs a moment of exclusive access; two
                # processes opening a new file at once can see it locked.
                _retry_sqlite_locked(lambda: cursor.execute("PRAGMA journal_mode=WAL"))
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        statement = "BEGIN IMMEDIATE" if write else "BEGIN"
        driver = conn.connection.driver_connection
        # A retry waits only for what is left of the first attempt's bound; the next
        # transaction on this connection gets the engine's busy timeout back.
        info = conn.connection.info
        wanted = getattr(_attempt, "busy_ms", None) or busy_ms
        if info.get("busy_ms", busy_ms) != wanted:
            driver.execute(f"PRAGMA busy_timeout = {int(wanted)}")  # type: ignore[union-attr]  # a checked-out connection has its driver's
            info["busy_ms"] = wanted
        # Straight to the driver: this runs for every transaction, and SQLAlchemy's
        # statement machinery would cost more than the BEGIN itself. Its errors are
        # wrapped as SQLAlchemy's own would be ("database is locked" is retried).
        try:
            if write and wal:  # a file other processes write too: wait for its lock briefly and often
                begin_immediate(driver.execute, time.monotonic() + wanted / 1000, wanted)  # type: ignore[union-attr]  # as below
            else:
                driver.execute(statement)  # type: ignore[union-attr]  # a checked-out connection has its driver's
        except conn.dialect.loaded_dbapi.Error as error:
            raise DBAPIError.instance(statement, None, error, conn.dialect.loaded_dbapi.Error,
                                      dialect=conn.dialect) from error


def _retry_sqlite_locked(action: Callable[[], object]) -> None:
    # sqlite3.OperationalError; the driver module is not imported here
    retry_locked(action, lambda exc: "locked" in str(exc), first_delay=0.01, max_delay=1.0)


def _is_retryable(exc: BaseException) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _RETRYABLE_SQLSTATES:
        return True
    return _is_locked(orig)


def _is_locked(exc: BaseException | None) -> bool:
    text = str(exc)
    return "database is locked" in text or "database table is locked" in text


def retry_on_lock(action: Callable[[], T], *, deadline: float | None = None,
                  attempts: int = LOCK_RETRY_ATTEMPTS) -> T:
    """Run `action` (one whole transaction), again with backoff if the database was locked.

    SQLite's busy timeout absorbs almost all waiting; this catches what escapes it, and
    PostgreSQL's serialization failures and deadlocks. With a `deadline` (a
    `time.monotonic()` instant), a locked SQLite database is tried again only until
    then, each retry's busy timeout cut to the time left, so the whole call waits at
    most until the deadline. Other errors propagate at once.
    """
    delay = 0.02
    try:
        for attempt in range(attempts):
            try:
                return action()
            except Exception as exc:
                if not _is_retryable(exc) or attempt == attempts - 1:
                    raise
                if deadline is not None and _is_locked(getattr(exc, "orig", None)):
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise
                    time.sleep(min(delay * (1 + random.random()), left))
                    _attempt.busy_ms = max(1, _milliseconds(deadline - time.monotonic()))
                else:
                    time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")  # pragma: no cover
    finally:
        _attempt.busy_ms = None


def _first_line(exc: BaseException, url: URL) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if url.password:
        text = text.replace(str(url.password), "***")
    return text


def describe_error(exc: BaseException, url: URL, busy_timeout_seconds: float) -> StoreError:
    """Turn a database failure into one line naming the database, the cause and the remedy."""
    cause = _first_line(exc, url)
    if is_sqlite(url):
        where = url.database or ":memory:"
        if where != ":memory:" and os.path.isdir(os.path.expanduser(where)):
            return StoreError(
                f"the run-history database {where} is a directory, not a SQLite file. Move the directory away, "
                "or point HEADWATER_HOME / HEADWATER_DATABASE_URL at another place.")
        if _is_locked(getattr(exc, "orig", None) or exc) and not _is_memory(url):
            return describe_sqlite_lock(where, cause, busy_timeout_seconds)
        return describe_sqlite_error(cause, where, busy_timeout_seconds)
    masked = mask_url(url)
    if (isinstance(exc, DBAPIError) and exc.connection_invalidated) or _is_connect_failure(exc):
        return StoreError(
            f"cannot connect to the database {masked} ({cause}). "
            "Check that the server is running and HEADWATER_DATABASE_URL is right."
        )
    if isinstance(exc, SQLAlchemyError) or isinstance(exc, OSError):
        return StoreError(f"the database {masked} failed: {cause}.")
    return StoreError(f"the database {masked} failed: {type(exc).__name__}: {cause}.")


def describe_sqlite_lock(path: str, cause: str, waited_seconds: float) -> StoreError:
    """The error for a SQLite file whose write lock stayed taken past the bound: the file,
    the holder when the system tells, and what to do."""
    holders = sqlite_lock_holders(os.path.abspath(os.path.expanduser(path)))
    held_by = f"held by {', '.join(holders)}" if holders else "held by another process"
    return StoreError(
        f"the run-history database {path} stayed locked for more than {waited_seconds:g} s ({cause}; "
        f"{held_by}). Let that process finish or stop it, or raise HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS."
    )


def _is_connect_failure(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return any(
        marker in text
        for marker in (
            "connection refused",
            "could not connect",
            "connection failed",
            "resolve host",
            "could not translate",
            "timeout",
        )
    )
