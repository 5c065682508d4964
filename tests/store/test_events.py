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
    assert names(EventFilter(occurred=EventOccurredFilter(since=datetime.now(timezone.utc) - timedelta(seconds=1.5)))
                 ) == ["invoice.sent"]


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
