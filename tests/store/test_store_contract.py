"""The store contract: the same tests on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from store_testkit import flow_run_created, new_id, state, task_run

from headwater.exceptions import ObjectNotFound, StoreError
from headwater.orchestrator.records import Heartbeat, LogEmitted, TaskInputsRecorded, TaskRunCreated
from headwater.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    store = Store.open(store_url, busy_timeout_seconds=10)
    yield store
    store.close()


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


def test_every_record_kind_round_trips(store: Store) -> None:
    flow_run_id, upstream_id, downstream_id = new_id(), new_id(), new_id()
    store.history.write(
        [
            flow_run_created(
                flow_run_id, flow="etl", name="brave-otter", parameters={"n": 3, "s": "x"}, tags=["a", "b"]
            ),
            state(flow_run_id, "RUNNING", 101.0, task=False),
            *task_run(flow_run_id, 0, 102.0, task_run_id=upstream_id),
            TaskRunCreated(downstream_id, flow_run_id, "load-abc", "load", "mod.load", 4, ["t"], 103.0),
            state(downstream_id, "FAILED", 104.0, message="boom", details={"retries": 0}),
            TaskInputsRecorded(downstream_id, (("rows", upstream_id, "data"), ("_wait", upstream_id, "wait_for"))),
            LogEmitted(flow_run_id, None, 40, "headwater.flow_runs", "flow says hi", 104.5),
            Heartbeat(flow_run_id, 104.7),
            state(flow_run_id, "FAILED", 105.0, task=False, message="1 task failed"),
        ]
    )

    run = store.flow_runs.read_flow_run(flow_run_id)
    assert (run.id, run.name, run.flow_name) == (flow_run_id, "brave-otter", "etl")
    assert run.parameters == {"n": 3, "s": "x"}
    assert run.tags == ["a", "b"]
    assert run.state is not None
    assert (run.state.type, run.state.name, run.state.message) == ("FAILED", "Failed", "1 task failed")
    assert run.state.timestamp == utc(105.0)
    assert (run.created, run.start_time, run.end_time, run.heartbeat) == (utc(100), utc(101), utc(105), utc(104.7))
    assert run.run_count == 1
    assert run.duration_s == pytest.approx(4.0)

    upstream, downstream = store.history.read_task_runs(flow_run_id)
    assert upstream.id == upstream_id and upstream.upstream == []
    assert upstream.state is not None and upstream.state.type == "COMPLETED"
    assert (upstream.start_time, upstream.end_time, upstream.run_count) == (utc(102.2), utc(102.3), 1)
    assert downstream.upstream == [upstream_id]
    assert (downstream.name, downstream.task_name, downstream.task_key) == ("load-abc", "load", "mod.load")
    assert (downstream.dynamic_key, downstream.tags, downstream.run_count) == (4, ["t"], 0)
    assert downstream.start_time is None and downstream.end_time == utc(104.0)
    assert store.history.read_task_run(downstream_id) == downstream

    assert [(s.type, s.message, s.details) for s in store.history.read_states(downstream_id)] == [
        ("FAILED", "boom", {"retries": 0})
    ]
    assert [s.type for s in store.history.read_states(upstream_id)] == ["PENDING", "RUNNING", "COMPLETED"]
    assert [s.type for s in store.history.read_states(flow_run_id)] == ["RUNNING", "FAILED"]

    logs = store.history.read_logs(flow_run_id=flow_run_id)
    assert [(entry.message, entry.level, entry.task_run_id) for entry in logs] == [
        ("task 0 done", 20, upstream_id),
        ("flow says hi", 40, None),
    ]
    assert logs[0].timestamp == utc(102.25)
    assert store.history.counts() == {"flow_runs": 1, "task_runs": 2, "states": 6, "logs": 2, "task_run_inputs": 2}


RETRY_SEQUENCE = [
    ("PENDING", "Pending", 1.0),
    ("RUNNING", "Running", 2.0),
    ("SCHEDULED", "AwaitingRetry", 3.0),
    ("RUNNING", "Retrying", 4.0),
    ("COMPLETED", "Completed", 5.0),
    ("SCHEDULED", "Scheduled", 6.0),  # rerun of a finished run: end_time must clear
    ("RUNNING", "Running", 7.0),
    ("FAILED", "Failed", 8.0),
]


def _expected_after(steps: int) -> tuple[Any, ...]:
    seen = RETRY_SEQUENCE[:steps]
    running = [ts for type_, _, ts in seen if type_ == "RUNNING"]
    last_type, last_name, last_ts = seen[-1]
    final = last_type in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")
    return (
        last_type,
        last_name,
        len(running),
        utc(running[0]) if running else None,
        utc(last_ts) if final else None,
    )


@pytest.mark.parametrize("is_task", [True, False], ids=["task_run", "flow_run"])
@pytest.mark.parametrize("batches", [[8], [1, 7], [3, 5], [2, 1, 1, 4], [1, 1, 1, 1, 1, 1, 1, 1], [5, 3]])
def test_state_changes_coalesce_the_same_in_any_batching(store: Store, is_task: bool, batches: list[int]) -> None:
    flow_run_id = new_id()
    run_id = new_id() if is_task else flow_run_id
    created: list[Any] = [flow_run_created(flow_run_id, created=0.5)]
    if is_task:
        created.append(TaskRunCreated(run_id, flow_run_id, "t-1", "t", "m.t", 0, [], 0.5))
    changes = [state(run_id, type_, ts, task=is_task, name=name) for type_, name, ts in RETRY_SEQUENCE]
    pending = created + changes
    position = 0
    for size in batches:
        # the first batch also carries the creation records
        take = size + (len(created) if position == 0 else 0)
        store.history.write(pending[:take])
        pending = pending[take:]
        position += size
        run = store.history.read_task_run(run_id) if is_task else store.flow_runs.read_flow_run(run_id)
        assert run.state is not None
        assert (run.state.type, run.state.name, run.run_count, run.start_time, run.end_time) == _expected_after(
            position
        )
    assert [s.name for s in store.history.read_states(run_id)] == [name for _, name, _ in RETRY_SEQUENCE]


def test_writing_a_batch_twice_does_not_fail_or_duplicate_runs(store: Store) -> None:
    flow_run_id = new_id()
    batch = [flow_run_created(flow_run_id), *task_run(flow_run_id, 0, 101.0), *task_run(flow_run_id, 1, 102.0)]
    batch.append(TaskInputsRecorded(batch[-5].id, (("x", batch[1].id, "data"),)))
    store.history.write(batch)
    store.history.write(batch)
    counts = store.history.counts()
    assert (counts["flow_runs"], counts["task_runs"], counts["task_run_inputs"]) == (1, 2, 1)
    assert [t.state.type for t in store.history.read_task_runs(flow_run_id) if t.state] == ["COMPLETED", "COMPLETED"]


def test_task_run_outside_any_flow(store: Store) -> None:
    records = task_run(None, 0, 50.0)
    store.history.write(records)
    run = store.history.read_task_run(records[0].id)
    assert run.flow_run_id is None and run.state is not None and run.state.type == "COMPLETED"
    assert store.history.read_logs(task_run_id=run.id)[0].flow_run_id is None


def test_read_flow_run_by_id_prefix_and_name(store: Store) -> None:
    older, newer = "aaaa1111-0000-4000-8000-000000000001", "aaaa2222-0000-4000-8000-000000000002"
    store.history.write(
        [
            flow_run_created(older, name="same-name", created=1.0),
            flow_run_created(newer, name="same-name", created=2.0),
        ]
    )
    assert store.flow_runs.read_flow_run(older).id == older
    assert store.flow_runs.read_flow_run("aaaa1").id == older
    assert store.flow_runs.read_flow_run("AAAA2222").id == newer
    assert store.flow_runs.read_flow_run("same-name").id == newer  # the newest with that name

    with pytest.raises(ObjectNotFound, match="ambiguous") as ambiguous:
        store.flow_runs.read_flow_run("aaaa")
    assert older in str(ambiguous.value) and newer in str(ambiguous.value)
    with pytest.raises(ObjectNotFound, match="no flow run with id, id prefix or name 'aaa'"):
        store.flow_runs.read_flow_run("aaa")  # too short to be a prefix
    with pytest.raises(ObjectNotFound, match="'missing-run'.*headwater flow-run ls"):
        store.flow_runs.read_flow_run("missing-run")
    with pytest.raises(ObjectNotFound, match="no task run with id 'nope'"):
        store.history.read_task_run("nope")


def test_list_flow_runs_filters_and_pages(store: Store) -> None:
    ids = [f"{i:08x}-0000-4000-8000-000000000000" for i in range(6)]
    records: list[Any] = []
    for i, run_id in enumerate(ids):
        records.append(flow_run_created(run_id, flow="even" if i % 2 == 0 else "odd", name=f"run-{i}", created=i))
        records.append(state(run_id, "COMPLETED" if i < 4 else "FAILED", i + 0.5, task=False))
    store.history.write(records)

    assert [r.name for r in store.flow_runs.list_flow_runs()] == [f"run-{i}" for i in (5, 4, 3, 2, 1, 0)]
    assert [r.name for r in store.flow_runs.list_flow_runs(newest_first=False, limit=2)] == ["run-0", "run-1"]
    assert [r.name for r in store.flow_runs.list_flow_runs(limit=2, offset=2)] == ["run-3", "run-2"]
    assert [r.name for r in store.flow_runs.list_flow_runs(state_types=["FAILED"])] == ["run-5", "run-4"]
    assert [r.name for r in store.flow_runs.list_flow_runs(state_types=["failed", "COMPLETED"], limit=3)] == [
        "run-5",
        "run-4",
        "run-3",
    ]
    assert [r.name for r in store.flow_runs.list_flow_runs(flow_name="even")] == ["run-4", "run-2", "run-0"]
    assert [r.name for r in store.flow_runs.list_flow_runs(flow_name="odd", state_types=["COMPLETED"])] == ["run-3", "run-1"]
    assert store.flow_runs.list_flow_runs(flow_name="nothing") == []


def test_read_logs_filters_and_pages(store: Store) -> None:
    flow_run_id, task_run_id = new_id(), new_id()
    store.history.write(
        [flow_run_created(flow_run_id)]
        + [
            LogEmitted(flow_run_id, task_run_id if i % 2 else None, 10 * (i % 5), "lg", f"m{i}", 200.0 + i)
            for i in range(10)
        ]
    )
    assert [entry.message for entry in store.history.read_logs(flow_run_id=flow_run_id)] == [f"m{i}" for i in range(10)]
    assert [entry.message for entry in store.history.read_logs(task_run_id=task_run_id)] == ["m1", "m3", "m5", "m7", "m9"]
    assert [entry.message for entry in store.history.read_logs(flow_run_id=flow_run_id, min_level=30)] == [
        "m3",
        "m4",
        "m8",
        "m9",
    ]
    assert [entry.message for entry in store.history.read_logs(flow_run_id=flow_run_id, limit=3, offset=4)] == [
        "m4",
        "m5",
        "m6",
    ]
    assert [entry.message for entry in store.history.read_logs(flow_run_id=flow_run_id, offset=8)] == ["m8", "m9"]


def test_runs_of_the_same_flow_share_one_flow_row(store_url: str) -> None:
    first, second = Store.open(store_url), Store.open(store_url)  # separate flow id caches
    try:
        first.history.write([flow_run_created(new_id(), flow="shared")])
        second.history.write([flow_run_created(new_id(), flow="shared")])
        first.history.write([flow_run_created(new_id(), flow="shared")])
    finally:
        first.close()
        second.close()
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM flows")).scalar() == 1
        assert conn.execute(text("SELECT count(DISTINCT flow_id) FROM flow_runs")).scalar() == 1
    engine.dispose()


def test_reset_empties_the_database_and_keeps_it_usable(store: Store) -> None:
    flow_run_id = new_id()
    store.history.write([flow_run_created(flow_run_id), *task_run(flow_run_id, 0, 101.0)])
    store.reset()
    assert store.history.counts() == {"flow_runs": 0, "task_runs": 0, "states": 0, "logs": 0, "task_run_inputs": 0}
    store.history.write([flow_run_created(flow_run_id)])  # the flow row is created again
    assert store.flow_runs.read_flow_run(flow_run_id).flow_name == "etl"


def test_database_from_a_newer_headwater_is_refused(store_url: str) -> None:
    Store.open(store_url).close()
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="revision '9999', newer than this headwater knows.*Upgrade headwater"):
        Store.open(store_url)


def test_nul_characters_in_messages_are_stored_visibly(store: Store) -> None:
    # PostgreSQL cannot store NUL in text; a batch holding one must not fail for ever.
    flow_run_id = new_id()
    store.history.write([
        flow_run_created(flow_run_id),
        state(flow_run_id, "FAILED", 101.0, task=False, message="bad \x00 byte"),
        LogEmitted(flow_run_id, None, 40, "headwater.flow_runs", "log \x00 line", 101.5),
    ])
    assert store.flow_runs.read_flow_run(flow_run_id).state.message == "bad \\x00 byte"
    assert [log.message for log in store.history.read_logs(flow_run_id=flow_run_id)] == ["log \\x00 line"]
