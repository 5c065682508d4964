"""SQLite specifics: settings, clear errors for unusable files, many processes at once."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import store_testkit

from headwater.core.settings import load_settings
from headwater.exceptions import StoreError
from headwater.store import Store, open_store


def test_file_and_folders_are_created_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "headwater.db"
    Store.open(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"flows", "flow_runs", "task_runs", "states", "logs", "task_run_inputs", "alembic_version"} <= tables


def test_open_store_uses_the_settings(tmp_path: Path) -> None:
    store = open_store(load_settings(home=tmp_path / "home"))
    try:
        assert store.url == f"sqlite:///{tmp_path / 'home' / 'headwater.db'}"
        assert store.history.counts()["flow_runs"] == 0
    finally:
        store.close()


def _assert_one_clear_line(error: StoreError, *fragments: str) -> None:
    message = str(error)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_a_file_that_is_not_a_database_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "headwater.db"
    path.write_bytes(b"this is certainly not a sqlite database, just some text " * 100)
    with pytest.raises(StoreError) as error:
        Store.open(f"sqlite:///{path}")
    _assert_one_clear_line(error.value, str(path), "file is not a database", "headwater database reset")


def test_unsupported_or_garbled_urls_are_refused() -> None:
    with pytest.raises(StoreError, match="SQLite or PostgreSQL"):
        Store.open("mysql://user:secret@localhost/db")
    with pytest.raises(StoreError, match="cannot parse the database URL"):
        Store.open("not a url at all")


def test_unreachable_postgres_names_the_masked_url_and_the_cause() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreError) as error:
        Store.open(f"postgresql://hw:s3cr3t-pw@127.0.0.1:{port}/history")
    message = str(error.value)
    _assert_one_clear_line(error.value, f"postgresql+psycopg://hw:***@127.0.0.1:{port}/history", "server is running")
    assert "s3cr3t-pw" not in message


def test_the_password_never_shows_in_the_store_url(postgres_url: str) -> None:
    store = Store.open(postgres_url.replace("postgres@", "postgres:hunter2@"))  # trust auth ignores it
    try:
        assert "hunter2" not in store.url and ":***@" in store.url
        assert "hunter2" not in repr(store)
    finally:
        store.close()


# Read-only files: root ignores permission bits, so when the tests run as root the
# child drops the capabilities that let it (setpriv, from util-linux).
_DROP_ROOT_POWERS = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def _open_in_child(url: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        "from headwater.exceptions import StoreError\n"
        "from headwater.store import Store\n"
        "try:\n"
        f"    store = Store.open({url!r})\n"
        "    store.history.counts()\n"  # a read-only file can still be read
        "    store.check_writable()\n"
        "except StoreError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(3)\n"
    )
    prefix = _DROP_ROOT_POWERS if os.geteuid() == 0 else []
    return subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


@pytest.fixture
def readonly_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="headwater-ro-"))
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755)
    subprocess.run(["rm", "-rf", str(folder)], check=True)


def test_a_read_only_database_gets_a_clear_error(readonly_dir: Path) -> None:
    path = readonly_dir / "headwater.db"
    Store.open(f"sqlite:///{path}").close()
    for leftover in readonly_dir.glob("headwater.db-*"):
        leftover.unlink()
    path.chmod(0o444)
    readonly_dir.chmod(0o555)
    result = _open_in_child(f"sqlite:///{path}")
    assert result.returncode == 3, result.stderr
    assert result.stdout.count("\n") == 1
    assert str(path) in result.stdout and "not writable" in result.stdout


def test_a_new_database_in_a_read_only_folder_gets_a_clear_error(readonly_dir: Path) -> None:
    readonly_dir.chmod(0o555)
    for target in (readonly_dir / "headwater.db", readonly_dir / "sub" / "headwater.db"):
        result = _open_in_child(f"sqlite:///{target}")
        assert result.returncode == 3, result.stderr
        assert result.stdout.count("\n") == 1
        assert "writable" in result.stdout and str(readonly_dir) in result.stdout


def test_processes_opening_a_fresh_file_at_once_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(6)
    children = [context.Process(target=store_testkit.open_fresh, args=(url, barrier)) for _ in range(6)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0] * 6
    store = Store.open(url)
    assert store.history.counts()["flow_runs"] == 0
    store.close()


def test_four_processes_writing_one_file_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    Store.open(url).close()
    tasks, workers = 2000, 4
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers)
    children = [
        # small batches: many short transactions contending for the lock
        context.Process(target=store_testkit.write_flow_with_tasks, args=(url, tasks, 250, barrier, worker))
        for worker in range(workers)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=240)
    assert [child.exitcode for child in children] == [0] * workers

    store = Store.open(url)
    try:
        edges = len(range(0, tasks, 7))
        assert store.history.counts() == {
            "flow_runs": workers,
            "task_runs": workers * tasks,
            "states": workers * (tasks * 3 + 2),
            "logs": workers * tasks,
            "task_run_inputs": workers * edges,
        }
        for run in store.flow_runs.list_flow_runs():
            assert run.state is not None and run.state.type == "COMPLETED"
            task_runs = store.history.read_task_runs(run.id)
            assert len(task_runs) == tasks
            assert all(t.state is not None and t.state.type == "COMPLETED" and t.run_count == 1 for t in task_runs)
    finally:
        store.close()


def test_a_write_waits_for_another_processs_lock_and_goes_on_when_it_is_released(tmp_path: Path) -> None:
    import threading

    from sqlite_holder import SqliteLockHolder, wait_until_in_begin

    path = tmp_path / "h.db"
    store = Store.open(f"sqlite:///{path}", busy_timeout_seconds=120)
    run_id = store_testkit.new_id()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            store.history.write([store_testkit.flow_run_created(run_id)])
        except BaseException as exc:  # reported to the test thread
            failures.append(exc)

    try:
        with SqliteLockHolder(path) as holder:  # another process's write transaction
            writer = threading.Thread(target=write)
            writer.start()
            wait_until_in_begin(writer)  # blocked in BEGIN IMMEDIATE while the other process holds the lock
            assert store.flow_runs.list_flow_runs() == []  # nothing written yet; reads are not blocked
            holder.release()
            writer.join(timeout=60)
        assert not writer.is_alive() and failures == []
        assert store.flow_runs.read_flow_run(run_id).id == run_id
    finally:
        store.close()