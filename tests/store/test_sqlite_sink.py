"""The embedded writer without SQLAlchemy: same SQL, same rows, and it steps aside
for every database it should not handle."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy.dialects import sqlite
from store_testkit import flow_run_created, new_id, state, task_run

from headwater.orchestrator.records import LogEmitted, TaskInputsRecorded
from headwater.store import Store, schema, sqlite_statements
from headwater.store.sqlite_sink import SqliteSink, sqlite_file_of
from headwater.store.writes import compile_statements, render_sqlite_statements


def test_the_generated_sql_is_what_the_tables_compile_to() -> None:
    # If this fails after a change to store/tables/ or a new migration: run
    # scripts/regen-sqlite-statements and commit the file it writes.
    assert sqlite_statements.STATEMENTS == compile_statements(sqlite.dialect())
    assert sqlite_statements.HEAD_REVISION == schema.HEAD_REVISION
    assert Path(sqlite_statements.__file__).read_text() == render_sqlite_statements()


def records(flow_run_id: str, upstream_id: str) -> list:
    downstream = task_run(flow_run_id, 1, 103.0)
    return [
        flow_run_created(flow_run_id, flow="etl", parameters={"n": 3}, tags=["a"]),
        state(flow_run_id, "RUNNING", 101.0, task=False),
        *task_run(flow_run_id, 0, 102.0, task_run_id=upstream_id),
        *downstream,
        TaskInputsRecorded(downstream[0].id, (("rows", upstream_id, "data"),)),
        LogEmitted(flow_run_id, None, 20, "headwater.flow_runs", "hello", 104.0),
        state(flow_run_id, "COMPLETED", 105.0, task=False),
    ]


def dump(path: Path) -> dict[str, list]:
    with sqlite3.connect(path) as conn:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in ("flow_runs", "task_runs", "states", "logs", "task_run_inputs")
        }


def test_the_sink_writes_the_same_rows_as_the_store(tmp_path: Path) -> None:
    flow_run_id, upstream_id = new_id(), new_id()
    batch = records(flow_run_id, upstream_id)
    by_store, by_sink = tmp_path / "store.db", tmp_path / "sink.db"
    for path in (by_store, by_sink):
        Store.open(f"sqlite:///{path}").close()  # creates the schema
    with Store.open(f"sqlite:///{by_store}") as store:
        store.history.write(batch)
    sink = SqliteSink.open(f"sqlite:///{by_sink}", busy_timeout_seconds=5)
    assert sink is not None
    sink.write(batch)
    sink.write(batch)  # a re-sent batch: runs and edges are not doubled
    sink.close()
    with Store.open(f"sqlite:///{by_store}") as store:
        store.history.write(batch)

    def without_flow_ids(rows: dict[str, list]) -> dict[str, list]:
        # flow ids are random per database; everything else must match
        return {**rows, "flow_runs": [row[:1] + row[2:] for row in rows["flow_runs"]]}

    assert without_flow_ids(dump(by_sink)) == without_flow_ids(dump(by_store))
    with Store.open(f"sqlite:///{by_sink}") as store:
        run = store.flow_runs.read_flow_run(flow_run_id)
        assert run.state is not None and run.state.type == "COMPLETED"
        assert [t.upstream for t in store.history.read_task_runs(flow_run_id)] == [[], [upstream_id]]


def schema_of(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()


def test_a_new_database_gets_the_schema_the_store_creates(tmp_path: Path) -> None:
    by_store, by_sink = tmp_path / "store.db", tmp_path / "new" / "sink.db"
    Store.open(f"sqlite:///{by_store}").close()
    sink = SqliteSink.open(f"sqlite:///{by_sink}", 5)
    assert sink is not None
    sink.close()
    assert schema_of(by_sink) == schema_of(by_store)
    assert len(schema_of(by_sink)) > 20
    with sqlite3.connect(by_sink) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(schema.HEAD_REVISION,)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    with Store.open(f"sqlite:///{by_sink}") as store:  # the store finds it current: nothing to migrate
        assert store.history.counts()["flow_runs"] == 0


def test_the_sink_steps_aside_for_what_the_store_must_handle(tmp_path: Path) -> None:
    assert SqliteSink.open("sqlite://", 5) is None
    assert SqliteSink.open("postgresql+psycopg://u@localhost/db", 5) is None

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    assert SqliteSink.open(f"sqlite:///{garbage}", 5) is None

    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE mine (x)")
    assert SqliteSink.open(f"sqlite:///{foreign}", 5) is None

    home_is_a_file = tmp_path / "file"
    home_is_a_file.write_text("not a folder")
    assert SqliteSink.open(f"sqlite:///{home_is_a_file / 'headwater.db'}", 5) is None

    older = tmp_path / "older.db"
    Store.open(f"sqlite:///{older}").close()
    with sqlite3.connect(older) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert SqliteSink.open(f"sqlite:///{older}", 5) is None

    # A read-only home, with and without a database in it: tests/engine/test_history.py


def test_sqlite_file_of_urls() -> None:
    assert sqlite_file_of("sqlite:////abs/h.db") == "/abs/h.db"
    assert sqlite_file_of("sqlite:///rel.db") == os.path.abspath("rel.db")
    assert sqlite_file_of("sqlite:///h.db?mode=ro") is None
    assert sqlite_file_of("sqlite:///:memory:") is None


def test_a_flow_does_not_import_sqlalchemy(tmp_path: Path) -> None:
    script = tmp_path / "one.py"
    script.write_text(textwrap.dedent("""
        import sys
        from headwater import flow, task

        @task
        def inc(x):
            return x + 1

        @flow
        def one():
            return inc(1)

        assert one() == 2
        print("sqlalchemy" in sys.modules)
    """))
    env = {**os.environ, "HEADWATER_HOME": str(tmp_path / "home")}
    first = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)
    second = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert (first.stdout.strip(), second.stdout.strip()) == ("False", "False")  # a new home, then an existing one
    with sqlite3.connect(tmp_path / "home" / "headwater.db") as conn:
        assert conn.execute("SELECT count(*), min(state_type) FROM task_runs").fetchone() == (2, "COMPLETED")
