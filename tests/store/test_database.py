"""The store's one transaction policy (store/database.py): every write takes it, and
under it two writers never interleave."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from headwater.exceptions import ObjectNotFound, StoreError
from headwater.store import Store, database

STORE_DIR = Path(database.__file__).parent

# Ways of opening a transaction (or a connection) other than Database.read/write.
_BYPASSES = re.compile(
    r"\.begin\(|\.begin_nested\(|\.connect\(|\.raw_connection\(|WRITE_OPTION|(?<!def )\bretry_on_lock\("
    r"|\bretry_locked\(|execution_options\("
)
_ALLOWED = {
    "database.py": "the policy itself",
    "connect.py": "defines the BEGIN hook and the lock retry the policy uses",
    "sqlite_sink.py": "the embedded hot path: stdlib sqlite3 without SQLAlchemy, same BEGIN IMMEDIATE and retry",
    "migrations/env.py": "Alembic run by hand with a URL; the store passes its own connection",
}


def _bypasses(path: Path) -> list[str]:
    return [f"{path.relative_to(STORE_DIR)}:{n}: {line.strip()}"
            for n, line in enumerate(path.read_text().splitlines(), 1) if _BYPASSES.search(line)]


def test_no_store_module_opens_a_transaction_but_through_the_database() -> None:
    found = []
    for path in sorted(STORE_DIR.rglob("*.py")):
        if str(path.relative_to(STORE_DIR)) not in _ALLOWED:
            found += _bypasses(path)
    assert found == [], "open transactions with Database.read / Database.write only:\n" + "\n".join(found)
    # The scan can fail: the policy's own module is what it looks for.
    assert any(".begin(" in line for line in _bypasses(STORE_DIR / "database.py"))


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    store = Store.open(sqlite_url)
    store.db.write(lambda conn: conn.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
    store.db.write(lambda conn: conn.exec_driver_sql("INSERT INTO counter VALUES (1, 0)"))
    yield store
    store.close()


def _read_counter(conn) -> int:  # type: ignore[no-untyped-def]
    return int(conn.exec_driver_sql("SELECT n FROM counter WHERE id = 1").scalar_one())


def test_writes_of_many_threads_never_interleave_on_sqlite(store: Store, sqlite_url: str) -> None:
    # Each write reads the counter, then writes it back plus one: any overlap would
    # lose an increment or show as an enter before the previous exit.
    other = Store.open(sqlite_url)  # a second store on the same file takes the same turns
    events: list[tuple[str, int]] = []
    start = threading.Barrier(4)

    def writer(index: int) -> None:
        target = other if index % 2 else store
        start.wait(timeout=30)
        for _ in range(25):
            def body(conn) -> None:  # type: ignore[no-untyped-def]
                events.append(("enter", index))
                value = _read_counter(conn)
                conn.exec_driver_sql("UPDATE counter SET n = ? WHERE id = 1", (value + 1,))
                events.append(("exit", index))

            target.db.write(body)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    other.close()
    assert store.db.read(_read_counter) == 100
    assert len(events) == 200
    for enter, exit_ in zip(events[::2], events[1::2]):
        assert (enter[0], exit_[0], enter[1]) == ("enter", "exit", exit_[1]), events


class _WatchedLock:
    """A lock that tells when a second thread had to wait for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.contended = threading.Event()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self._lock.acquire(blocking=False):
            return True
        self.contended.set()
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()


def test_a_second_writer_waits_for_the_first_to_commit(store: Store, sqlite_url: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    watched = _WatchedLock()
    # The file's turns are a module global: replaced for this test only.
    monkeypatch.setitem(database._turns_by_file, sqlite_url.removeprefix("sqlite:///"), watched)
    other = Store.open(sqlite_url)
    order: list[str] = []
    first_inside = threading.Event()

    def first(conn) -> None:  # type: ignore[no-untyped-def]
        order.append("first begins")
        first_inside.set()
        assert watched.contended.wait(timeout=30), "the second writer never reached the lock"
        conn.exec_driver_sql("UPDATE counter SET n = 41 WHERE id = 1")
        order.append("first commits")

    def second(conn) -> None:  # type: ignore[no-untyped-def]
        order.append(f"second begins and reads {_read_counter(conn)}")
        conn.exec_driver_sql("UPDATE counter SET n = n + 1 WHERE id = 1")

    thread = threading.Thread(target=store.db.write, args=(first,))
    thread.start()
    assert first_inside.wait(timeout=30)
    other.db.write(second)
    thread.join(timeout=30)
    other.close()
    assert order == ["first begins", "first commits", "second begins and reads 41"]
    assert store.db.read(_read_counter) == 42


def test_waiting_for_another_thread_of_this_process_is_bounded_too(sqlite_url: str) -> None:
    # The first writer holds the file's turn (inside its transaction) until told to finish;
    # the second, with a busy timeout of 0.2 s, gives up on its turn instead of waiting on.
    with Store.open(sqlite_url, busy_timeout_seconds=0.2) as first, \
            Store.open(sqlite_url, busy_timeout_seconds=0.2) as second:
        inside, finish = threading.Event(), threading.Event()

        def hold(conn) -> None:  # type: ignore[no-untyped-def]
            inside.set()
            assert finish.wait(timeout=60)

        thread = threading.Thread(target=first.db.write, args=(hold,))
        thread.start()
        try:
            assert inside.wait(timeout=30)
            with pytest.raises(StoreError, match=r"stayed busy for more than 0\.2 s: another thread of this process"):
                second.db.write(lambda conn: conn.exec_driver_sql("SELECT 1"))
        finally:
            finish.set()
            thread.join(timeout=30)
        second.db.write(lambda conn: conn.exec_driver_sql("SELECT 1"))  # its turn comes once the first is done


def test_a_sqlite_write_holds_the_write_lock_from_its_start(store: Store, sqlite_url: str) -> None:
    # BEGIN IMMEDIATE: even before the body writes anything, another process's writer is refused.
    outcome: list[str] = []

    def body(conn) -> None:  # type: ignore[no-untyped-def]
        _read_counter(conn)
        outsider = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            outsider.execute("BEGIN IMMEDIATE")
            outcome.append("outsider got the lock")
        except sqlite3.OperationalError as exc:
            outcome.append(str(exc))
        finally:
            outsider.close()

    store.db.write(body)
    assert outcome == ["database is locked"]


def test_a_write_inside_a_write_is_refused(store: Store, sqlite_url: str) -> None:
    with pytest.raises(RuntimeError, match="inside another write"):
        store.db.write(lambda conn: store.db.write(_read_counter))
    with Store.open(sqlite_url) as other, pytest.raises(RuntimeError, match="inside another write"):
        store.db.write(lambda conn: other.db.write(_read_counter))  # would wait for itself on the file's lock
    store.db.write(lambda conn: conn.exec_driver_sql("UPDATE counter SET n = 5"))  # the flag was cleared
    assert store.db.read(_read_counter) == 5


def test_a_locked_database_is_retried_and_other_failures_are_not(store: Store) -> None:
    calls: list[int] = []
    busy_ms: list[int] = []

    def busy_timeout(conn) -> int:  # type: ignore[no-untyped-def]
        return int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one())

    def locked_once(conn) -> int:  # type: ignore[no-untyped-def]
        calls.append(1)
        busy_ms.append(busy_timeout(conn))
        conn.exec_driver_sql("UPDATE counter SET n = n + 1 WHERE id = 1")
        if len(calls) == 1:
            raise OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))
        return _read_counter(conn)

    assert store.db.write(locked_once) == 1  # the first attempt was rolled back
    assert len(calls) == 2
    # The retry waits only for what is left of the one bound (30 s); the next write gets all of it again.
    assert busy_ms[0] == 30_000 and 0 < busy_ms[1] < 30_000, busy_ms
    assert store.db.write(busy_timeout) == 30_000

    def missing(conn) -> None:  # type: ignore[no-untyped-def]
        calls.append(1)
        conn.exec_driver_sql("UPDATE counter SET n = 99 WHERE id = 1")
        raise ObjectNotFound("no such thing")

    with pytest.raises(ObjectNotFound):
        store.db.write(missing)
    assert len(calls) == 3
    assert store.db.read(_read_counter) == 1


def test_database_failures_are_one_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no such table"):
        store.db.write(lambda conn: conn.exec_driver_sql("UPDATE nowhere SET n = 1"))


def test_writes_use_read_committed_on_postgresql_and_commit_or_roll_back(store_url: str) -> None:
    with Store.open(store_url) as store:
        db = store.db
        db.write(lambda conn: conn.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        db.write(lambda conn: conn.exec_driver_sql("INSERT INTO counter VALUES (1, 7)"))
        if db.dialect_name == "postgresql":
            assert db.write(lambda conn: conn.get_isolation_level()) == "READ COMMITTED"
            assert db.read(lambda conn: conn.get_isolation_level()) == "READ COMMITTED"

        def fails(conn) -> None:  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("UPDATE counter SET n = 8 WHERE id = 1")
            raise ObjectNotFound("stop")

        with pytest.raises(ObjectNotFound):
            db.write(fails)
        assert db.read(_read_counter) == 7
        db.check_writable()
        db.ping()


def test_the_store_composes_repositories_that_share_one_database(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        assert Store.__mro__ == (Store, object)
        for area in ("flow_runs", "history", "deployments", "scheduling", "workers", "limits", "ui", "maintenance"):
            repository = getattr(store, area)
            assert type(repository).__mro__ == (type(repository), object), area  # no inheritance between areas
            assert repository._db is store.db, area
