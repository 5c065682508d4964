"""The events table on SQLite and PostgreSQL: writing, filters, pages, following new
events, pruning, and the events the history writer derives from state changes."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from headwater.core import clock
from headwater.core.event_schemas import (
    Event,
    EventFilter,
    EventNameFilter,
    EventOccurredFilter,
    EventOrder,
    EventRelatedFilter,
    EventResourceFilter,
)
from headwater.operations import Operations
from headwater.orchestrator.records import EventEmitted, FlowRunCreated, StateChanged, TaskRunCreated
from headwater.store import Store
from headwater.store.events import EventTail


@pytest.fixture
def store(store_url: str):  # type: ignore[no-untyped-def]
    with Store.open(store_url) as opened:
        yield opened


def _event(name: str, resource_id: str, *, related: list[dict[str, str]] | None = None, ago: float = 0.0) -> Event:
    return Event(event=name, resource={"prefect.resource.id": resource_id}, related=related or [],
                 occurred=datetime.now(timezone.utc) - timedelta(seconds=ago))


def test_filters_by_name_resource_and_related(store: Store) -> None:
    tag = {"prefect.resource.id": "prefect.tag.t%_1", "prefect.resource.role": "tag"}
    other = {"prefect.resource.id": "prefect.tag.tX_1", "prefect.resource.role": "tag"}
    written = datetime.now(timezone.utc)
    store.events.write([
        _event("order.shipped", "order.1", related=[tag], ago=3),
        _event("order.paid", "order.2", related=[other], ago=2),
        _event("invoice.sent", "invoice.1", ago=1),
    ])

    def names(spec: EventFilter) -> list[str]:
        return [e.event for e in store.events.query(spec, limit=50)[0]]

    assert names(EventFilter()) == ["invoice.sent", "order.paid", "order.shipped"]  # newest first
    assert names(EventFilter(order=EventOrder.ASC)) == ["order.shipped", "order.paid", "invoice.sent"]
    assert names(EventFilter(event=EventNameFilter(prefix=["order."]))) == ["order.paid", "order.shipped"]
    assert names(EventFilter(event=EventNameFilter(exclude_prefix=["order."]))) == ["invoice.sent"]
    assert names(EventFilter(resource=EventResourceFilter(id=["order.2"]))) == ["order.paid"]
    assert names(EventFilter(resource=EventResourceFilter(id_prefix=["invoice"]))) == ["invoice.sent"]
    # LIKE wildcards in the id are matched literally
    assert names(EventFilter(related=EventRelatedFilter(id=["prefect.tag.t%_1"]))) == ["order.shipped"]
    assert names(EventFilter(related=EventRelatedFilter(role=["tag"]))) == ["order.paid", "order.shipped"]
    assert names(EventFilter(related=EventRelatedFilter(role=["flow"]))) == []
    assert names(EventFilter(occurred=EventOccurredFilter(since=written - timedelta(seconds=1.5)))) == ["invoice.sent"]


def test_headwater_names_read_as_prefect(store: Store) -> None:
    store.events.write([_event("prefect.flow-run.Completed", "prefect.flow-run.abc")])
    spec = EventFilter(event=EventNameFilter(prefix=["headwater.flow-run."]),
                       resource=EventResourceFilter(id=["headwater.flow-run.abc"]))
    assert [e.event for e in store.events.query(spec, limit=5)[0]] == ["prefect.flow-run.Completed"]


def test_pages_carry_the_filter(store: Store) -> None:
    store.events.write([_event(f"e.{i:02d}", f"r.{i}", ago=10 - i * 0.1) for i in range(7)])
    ops = Operations(store)
    page = ops.read_events(EventFilter(order=EventOrder.ASC), limit=3)
    seen = [e.event for e in page.events]
    assert page.total == 7
    while page.next_page:
        page = ops.read_events_page(page.next_page)
        seen += [e.event for e in page.events]
    assert seen == [f"e.{i:02d}" for i in range(7)]


def test_an_event_id_is_stored_once(store: Store) -> None:
    event = _event("x.y", "r.1")
    store.events.write([event])
    store.events.write([event])
    assert store.events.count() == 1


def test_prune_deletes_old_events_only(store: Store) -> None:
    store.events.write([_event("old", "r.1", ago=3 * 86400), _event("new", "r.2")])
    assert store.events.prune(clock.now() - 86400) == 1
    assert [e.event for e in store.events.query(EventFilter(), limit=5)[0]] == ["new"]


def test_tail_sees_each_new_event_once(store: Store) -> None:
    store.events.write([_event("before", "r.0")])
    before = store.events.query(EventFilter(), limit=1)[0][0].received.timestamp()
    tail = EventTail(store.events, start=before + 1e-6)
    assert tail.poll() == []
    store.events.write([_event("one", "r.1")])
    assert [e.event for e in tail.poll()] == ["one"]
    store.events.write([_event("two", "r.2")])
    assert [e.event for e in tail.poll()] == ["two"]
    assert tail.poll() == []


def test_state_changes_become_events_when_history_is_written(store: Store) -> None:
    flow_run, task_run, now = str(uuid.uuid4()), str(uuid.uuid4()), clock.now()
    store.history.write([
        FlowRunCreated(flow_run, "etl", "brave-fox", {}, ["nightly"], None, now),
        StateChanged(flow_run, False, "PENDING", "Pending", None, now, None),
        StateChanged(flow_run, False, "RUNNING", "Running", None, now + 0.001, None),
        TaskRunCreated(task_run, flow_run, "load-1", "load", "load-k", 0, ["db"], now + 0.002),
        StateChanged(task_run, True, "PENDING", "Pending", None, now + 0.002, None),
        StateChanged(task_run, True, "RUNNING", "Running", None, now + 0.003, None),
    ])
    # A later batch: the runs' rows are read back for what they are and the state they were in.
    store.history.write([
        StateChanged(task_run, True, "COMPLETED", "Completed", None, now + 0.004, None),
        EventEmitted(str(uuid.uuid4()), now + 0.005, "my.event", {"prefect.resource.id": "my.1"},
                     [{"prefect.resource.id": f"prefect.flow-run.{flow_run}", "prefect.resource.role": "flow-run"}],
                     {"a": 1}, None),
        StateChanged(flow_run, False, "COMPLETED", "Completed", "done", now + 0.006, None),
    ])
    later = EventOccurredFilter(until=datetime.now(timezone.utc) + timedelta(days=1))  # the records' times are ahead
    spec = EventFilter(order=EventOrder.ASC, occurred=later)
    found = store.events.query(spec, limit=50)[0]
    assert [e.event for e in found] == [
        "prefect.flow-run.Pending", "prefect.flow-run.Running", "prefect.task-run.Pending",
        "prefect.task-run.Running", "prefect.task-run.Completed", "my.event", "prefect.flow-run.Completed",
    ]
    by_name = {e.event: e for e in found}
    done = by_name["prefect.task-run.Completed"]
    assert done.resource.id == f"prefect.task-run.{task_run}"
    assert done.resource["prefect.run-count"] == "1" and done.resource["prefect.state-type"] == "COMPLETED"
    assert done.payload["intended"] == {"from": "RUNNING", "to": "COMPLETED"}
    assert done.follows == by_name["prefect.task-run.Running"].id
    roles = [(r.role, r.id) for r in done.related]
    flow_id = store.flow_runs.read_flow_run_by_id(flow_run).flow_id
    assert roles == [("tag", "prefect.tag.db"), ("flow-run", f"prefect.flow-run.{flow_run}"),
                     ("flow", f"prefect.flow.{flow_id}")]
    flow_done = by_name["prefect.flow-run.Completed"]
    assert flow_done.resource["prefect.state-message"] == "done"
    assert [(r.role, r.id) for r in flow_done.related] == [("flow", f"prefect.flow.{flow_id}"),
                                                            ("tag", "prefect.tag.nightly")]
    assert [r.role for r in by_name["my.event"].related] == ["flow-run", "flow", "tag"]
    in_role = EventRelatedFilter(resources_in_roles=[(f"prefect.flow-run.{flow_run}", "flow-run")])
    related = EventFilter(occurred=spec.occurred, related=in_role)
    assert len(store.events.query(related, limit=50)[0]) == 4


def _names(found: list) -> list[str]:  # type: ignore[type-arg]
    return [e.event for e in found]


def test_state_changes_outside_the_engine_have_events(store: Store) -> None:
    """Every state row is an event: here a run created, moved and cancelled through the
    control plane, with no history batch at all."""
    from headwater.core.api_schemas import FlowRunCreate, StateCreate
    from headwater.core.states import StateType

    ops = Operations(store)
    run = ops.create_flow_run(FlowRunCreate(flow_name="etl", name="api-run", tags=["b", "a"]))
    ops.set_flow_run_state(run.id, StateCreate(type=StateType.RUNNING))
    ops.cancel_flow_run(run.id)
    spec = EventFilter(order=EventOrder.ASC, resource=EventResourceFilter(id=[f"prefect.flow-run.{run.id}"]))
    found = store.events.query(spec, limit=50)[0]
    assert _names(found) == ["prefect.flow-run.Pending", "prefect.flow-run.Running", "prefect.flow-run.Cancelling"]
    cancelling = found[-1]
    assert cancelling.resource["prefect.resource.name"] == "api-run"
    assert cancelling.resource["prefect.run-count"] == "1"
    assert cancelling.payload["intended"] == {"from": "RUNNING", "to": "CANCELLING"}
    assert cancelling.follows == found[1].id and found[1].follows == found[0].id and found[0].follows is None
    assert [r.id for r in cancelling.related if r.role == "tag"] == ["prefect.tag.a", "prefect.tag.b"]
    # ids are stable: read again, and found by id
    again = store.events.query(spec, limit=50)[0]
    assert [e.id for e in again] == [e.id for e in found]
    by_id = EventFilter.model_validate({"id": {"id": [str(found[1].id)]}})
    assert _names(store.events.query(by_id, limit=5)[0]) == ["prefect.flow-run.Running"]


def test_filters_apply_to_state_events(store: Store) -> None:
    flow_run, task_run, now = str(uuid.uuid4()), str(uuid.uuid4()), clock.now() - 5
    store.history.write([
        FlowRunCreated(flow_run, "etl", "brave-fox", {}, ["nightly"], None, now),
        StateChanged(flow_run, False, "RUNNING", "Running", None, now, None),
        TaskRunCreated(task_run, flow_run, "load-1", "load", "load-k", 0, ["db"], now + 0.1),
        StateChanged(task_run, True, "RUNNING", "Running", None, now + 0.1, None),
        StateChanged(task_run, True, "COMPLETED", "Completed", None, now + 0.2, None),
        StateChanged(flow_run, False, "COMPLETED", "Completed", None, now + 0.3, None),
    ])
    store.events.write([_event("prefect.flow-run.Custom", f"prefect.flow-run.{flow_run}", ago=0)])

    def names(**kw: object) -> list[str]:
        return _names(store.events.query(EventFilter.model_validate({"order": "ASC", **kw}), limit=50)[0])

    assert names(event={"prefix": ["prefect.task-run."]}) == ["prefect.task-run.Running", "prefect.task-run.Completed"]
    assert names(event={"prefix": ["prefect.flow-run.C"]}) == ["prefect.flow-run.Completed", "prefect.flow-run.Custom"]
    assert names(event={"name": ["prefect.task-run.Completed"]}) == ["prefect.task-run.Completed"]
    assert names(event={"prefix": ["prefect."], "exclude_prefix": ["prefect.flow-run."]}) == [
        "prefect.task-run.Running", "prefect.task-run.Completed"]
    assert names(resource={"id_prefix": [f"prefect.task-run.{task_run[:8]}"]}) == [
        "prefect.task-run.Running", "prefect.task-run.Completed"]
    assert names(related={"id": [f"prefect.flow-run.{flow_run}"], "role": ["flow-run"]}) == [
        "prefect.task-run.Running", "prefect.task-run.Completed"]
    assert names(related={"id": ["prefect.tag.nightly"]}) == ["prefect.flow-run.Running", "prefect.flow-run.Completed"]
    assert names(related={"id": ["prefect.tag.db"]}) == ["prefect.task-run.Running", "prefect.task-run.Completed"]
    assert names(any_resource={"id": [f"prefect.flow-run.{flow_run}"]}) == [
        "prefect.flow-run.Running", "prefect.task-run.Running", "prefect.task-run.Completed",
        "prefect.flow-run.Completed", "prefect.flow-run.Custom"]
    since = datetime.fromtimestamp(now + 0.15, timezone.utc)
    until = datetime.fromtimestamp(now + 0.25, timezone.utc)
    assert names(occurred={"since": since.isoformat(), "until": until.isoformat()}) == ["prefect.task-run.Completed"]
    counts = dict((v, n) for v, n, _, _ in store.events.count_by(EventFilter(), "event"))
    assert counts == {"prefect.flow-run.Running": 1, "prefect.flow-run.Completed": 1, "prefect.task-run.Running": 1,
                      "prefect.task-run.Completed": 1, "prefect.flow-run.Custom": 1}
    by_resource = dict((v, n) for v, n, _, _ in store.events.count_by(EventFilter(), "resource"))
    assert by_resource == {f"prefect.flow-run.{flow_run}": 3, f"prefect.task-run.{task_run}": 2}


def test_pages_merge_stored_and_state_events(store: Store) -> None:
    flow_run, now = str(uuid.uuid4()), clock.now() - 10
    records: list[object] = [FlowRunCreated(flow_run, "etl", "r", {}, [], None, now)]
    records += [StateChanged(flow_run, False, "RUNNING", f"S{i}", None, now + i, None) for i in range(0, 8, 2)]
    store.history.write(records)
    store.events.write([_event(f"e.{i}", "r.1", ago=10 - i) for i in range(1, 8, 2)])
    ops = Operations(store)
    page = ops.read_events(EventFilter(order=EventOrder.ASC), limit=3)
    seen = _names(page.events)
    assert page.total == 8
    while page.next_page:
        page = ops.read_events_page(page.next_page)
        seen += _names(page.events)
    assert seen == ["prefect.flow-run.S0", "e.1", "prefect.flow-run.S2", "e.3", "prefect.flow-run.S4", "e.5",
                    "prefect.flow-run.S6", "e.7"]


def test_tail_follows_new_states(store: Store) -> None:
    from headwater.core.api_schemas import FlowRunCreate, StateCreate
    from headwater.core.states import StateType

    ops = Operations(store)
    before = ops.create_flow_run(FlowRunCreate(flow_name="etl"))
    tail = EventTail(store.events)
    assert tail.poll() == []
    ops.set_flow_run_state(before.id, StateCreate(type=StateType.RUNNING))
    assert _names(tail.poll()) == ["prefect.flow-run.Running"]
    assert tail.poll() == []
    ops.set_flow_run_state(before.id, StateCreate(type=StateType.COMPLETED))
    assert _names(tail.poll()) == ["prefect.flow-run.Completed"]


def test_time_ranges_find_states_through_the_writers_marks(store: Store) -> None:
    """States are found by time through `state_marks` (no index on their timestamp):
    a writer flushing once a minute for an hour, each batch with states taken up to
    50 s before it and one taken 5 minutes before; every range finds exactly the states
    whose timestamps are in it, and reads only ids near it."""
    from headwater.store.state_events import state_id_range

    start = clock.now() - 7200
    flow_run = str(uuid.uuid4())
    written: list[tuple[str, float]] = []
    for minute in range(60):
        at = start + 60 * minute
        batch: list[object] = [FlowRunCreated(flow_run, "etl", "r", {}, [], None, start)] if minute == 0 else []
        stamps = [at - 50, at - 10, at - 0.5] + ([at - 300] if minute % 7 == 3 else [])
        for n, ts in enumerate(stamps):
            name = f"M{minute}-{n}"
            batch.append(StateChanged(flow_run, False, "RUNNING", name, None, ts, None))
            written.append((name, ts))
        with clock.use_clock(lambda at=at: at):  # type: ignore[misc]
            store.history.write(batch)

    def found(since: float, until: float) -> set[str]:
        occurred = EventOccurredFilter(since=datetime.fromtimestamp(since, timezone.utc),
                                       until=datetime.fromtimestamp(until, timezone.utc))
        spec = EventFilter(occurred=occurred, event=EventNameFilter(prefix=["prefect.flow-run."]))
        events, total = store.events.query(spec, limit=1000)
        assert total == len(events)
        return {e.event.removeprefix("prefect.flow-run.") for e in events}

    for since_minute, until_minute in [(0, 60), (10, 11), (20, 35), (-5, 2), (58, 70), (30.2, 30.9)]:
        since, until = start + 60 * since_minute, start + 60 * until_minute
        assert found(since, until) == {name for name, ts in written if since <= ts <= until}, (since_minute,
                                                                                                until_minute)
    low, high = store.db.read(lambda conn: state_id_range(conn, start + 60 * 30, start + 60 * 31))
    assert low is not None and high is not None
    assert 0 < high - low < 3.8 * 14  # the minute, 1 + 1 before, 10 + 1 + 1 after, of 3.1 ids a minute


def test_artifacts_made_through_the_api_have_collection_events(store: Store) -> None:
    from headwater.core.artifact_schemas import ArtifactCreate

    ops = Operations(store)
    first = ops.create_artifact(ArtifactCreate(key="daily", type="markdown", data="# a"))
    ops.create_artifact(ArtifactCreate(key="daily", type="markdown", data="# b"))
    ops.create_artifact(ArtifactCreate(type="markdown", data="no key, no collection event"))
    spec = EventFilter(order=EventOrder.ASC, event=EventNameFilter(prefix=["prefect.artifact"]))
    found = store.events.query(spec, limit=10)[0]
    assert _names(found) == ["prefect.artifact-collection.created", "prefect.artifact-collection.updated"]
    assert found[0].related[0].id == f"prefect.artifact.{first.id}" and found[0].related[0].role == "latest"
    assert [e.payload["data"] for e in found] == ["# a", "# b"]


@pytest.mark.parametrize("writing", ["live", "backfill"])
def test_pages_of_many_states_in_time_order_whatever_their_ids(store: Store, writing: str) -> None:
    """More states than a page reads by id first: written live (batches a writer's clock
    apart, some late by minutes, some ahead by seconds of the writer's clock) or as a
    backfill (all now, in no time order). Each page, newest first and oldest first, is
    exactly the states in (timestamp, id) order."""
    import random

    rng = random.Random(17)
    flow_run, start = str(uuid.uuid4()), clock.now() - 3000
    expected: list[tuple[float, int, str]] = []
    for batch in range(15):
        at = start + 20 * batch if writing == "live" else clock.now()
        records: list[object] = [FlowRunCreated(flow_run, "etl", "r", {}, [], None, start)] if batch == 0 else []
        for n in range(100):
            if writing == "backfill":
                ts = start + rng.uniform(0, 300)
            else:
                kind = rng.random()
                ts = at - rng.uniform(60, 500) if kind < 0.1 else at + rng.uniform(0, 30) if kind < 0.2 else (
                    at - rng.uniform(0, 20))
            name = f"S{batch}-{n}"
            records.append(StateChanged(flow_run, False, "RUNNING", name, None, ts, None))
            expected.append((ts, len(expected), name))
        with clock.use_clock(lambda at=at: at):  # type: ignore[misc]
            store.history.write(records)
    since = datetime.fromtimestamp(start + 10, timezone.utc)
    in_range = sorted(e for e in expected if e[0] >= since.timestamp())
    for order, wanted in ((EventOrder.DESC, in_range[::-1]), (EventOrder.ASC, in_range)):
        spec = EventFilter(order=order, occurred=EventOccurredFilter(since=since),
                           event=EventNameFilter(prefix=["prefect.flow-run.S"]))
        for offset in (0, 50, 400):
            page, total = store.events.query(spec, limit=50, offset=offset)
            assert total == len(in_range)
            assert _names(page) == [f"prefect.flow-run.{name}" for _, _, name in wanted[offset:offset + 50]], (
                order, offset)


def test_prune_deletes_old_state_marks(store: Store) -> None:
    from sqlalchemy import func, select

    from headwater.store.tables import state_marks

    flow_run, now = str(uuid.uuid4()), clock.now()
    for ago in (10 * 86400, 9 * 86400, 60):
        with clock.use_clock(lambda ago=ago: now - ago):  # type: ignore[misc]
            store.history.write([FlowRunCreated(flow_run, "etl", "r", {}, [], None, now - ago),
                                 StateChanged(flow_run, False, "RUNNING", "Running", None, now - ago, None)])

    def marks() -> int:
        return int(store.db.read(lambda conn: conn.execute(select(func.count()).select_from(state_marks)).scalar_one()))

    assert marks() == 3
    store.events.prune(now - 7 * 86400)
    assert marks() == 1
