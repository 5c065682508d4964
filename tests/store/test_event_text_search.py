"""Text search over events (`EventFilter.text`, Prefect's query syntax) on SQLite and
PostgreSQL: stored events by their name, resource, related resources and payload; the
events of state changes by their name and what their run is and relates to; pages,
counts and the live tail alike; and `EventTextFilter.includes` agreeing in Python."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from headwater.core import clock
from headwater.core.event_schemas import Event, EventFilter, EventTextFilter
from headwater.orchestrator.records import FlowRunCreated, StateChanged, TaskRunCreated
from headwater.store import Store
from headwater.store.events import EventTail


@pytest.fixture
def store(store_url: str):  # type: ignore[no-untyped-def]
    with Store.open(store_url) as opened:
        yield opened


def _event(name: str, resource_name: str, payload: dict[str, Any], ago: float) -> Event:
    return Event(event=name, resource={"prefect.resource.id": f"thing.{uuid.uuid4().hex[:6]}",
                                       "prefect.resource.name": resource_name},
                 related=[{"prefect.resource.id": "prefect.tag.ops", "prefect.resource.role": "tag"}],
                 payload=payload, occurred=datetime.now(timezone.utc) - timedelta(seconds=ago))


STORED = [
    _event("app.error", "checkout", {"detail": "Connection timeout after 5s"}, 6),
    _event("app.debug", "checkout", {"detail": "error while retrying"}, 5),
    _event("app.info", "billing", {"detail": "50% done", "who": "café"}, 4),
    _event("app.info", "search", {"detail": "connection  reset"}, 3),
]


def _search(store: Store, query: str, **more: Any) -> list[str]:
    spec = EventFilter.model_validate({"order": "ASC", "text": {"query": query}, **more})
    found, total = store.events.query(spec, limit=50)
    assert total == len(found)
    return [f"{e.event}:{e.resource.get('prefect.resource.name')}" for e in found]


def test_stored_events_by_text(store: Store) -> None:
    store.events.write(STORED)
    assert _search(store, "error") == ["app.error:checkout", "app.debug:checkout"]  # name or payload
    assert _search(store, "error -debug") == ["app.error:checkout"]
    assert _search(store, "error !debug") == ["app.error:checkout"]
    assert _search(store, '"connection timeout"') == ["app.error:checkout"]  # a phrase, ignoring case
    assert _search(store, "CONNECTION") == ["app.error:checkout", "app.info:search"]
    assert _search(store, "+checkout +retrying") == ["app.debug:checkout"]
    assert _search(store, "billing search") == ["app.info:billing", "app.info:search"]  # OR
    assert _search(store, "50%") == ["app.info:billing"]  # LIKE's wildcards are plain text
    assert _search(store, "50_") == []
    assert _search(store, "café") == ["app.info:billing"]
    assert _search(store, "prefect.tag.ops -info") == ["app.error:checkout", "app.debug:checkout"]
    assert len(_search(store, "   ")) == 4  # no terms: no condition
    assert _search(store, "error", event={"prefix": ["app.debug"]}) == ["app.debug:checkout"]
    counts = {v: n for v, n, _, _ in store.events.count_by(
        EventFilter(text=EventTextFilter(query="checkout")), "event")}
    assert counts == {"app.error": 1, "app.debug": 1}


def test_includes_agrees_with_the_store(store: Store) -> None:
    store.events.write(STORED)
    every = store.events.query(EventFilter(), limit=50)[0]
    for query in ("error", "error -debug", '"connection timeout"', "+checkout +retrying", "50%", "café",
                  "billing search", "-checkout"):
        spec = EventTextFilter(query=query)
        assert {str(e.id) for e in every if spec.includes(e)} == {
            str(e.id) for e in store.events.query(EventFilter(text=spec), limit=50)[0]}, query
        assert EventFilter(text=spec).includes(every[0]) is spec.includes(every[0])


def test_state_events_by_their_run_and_what_it_relates_to(store: Store) -> None:
    flow_run, task_run, now = str(uuid.uuid4()), str(uuid.uuid4()), clock.now() - 5
    store.history.write([
        FlowRunCreated(flow_run, "etl", "brave-fox", {}, ["nightly"], None, now),
        StateChanged(flow_run, False, "RUNNING", "Running", None, now, None),
        TaskRunCreated(task_run, flow_run, "load-1", "load", "load-k", 0, ["db"], now + 0.1),
        StateChanged(task_run, True, "RUNNING", "Running", None, now + 0.1, None),
        StateChanged(task_run, True, "FAILED", "Failed", "Disk FULL on /data", now + 0.2, None),
        StateChanged(flow_run, False, "FAILED", "Failed", "1/1 states failed.", now + 0.3, None),
    ])
    store.events.write([_event("app.note", "brave-fox notes", {}, 0)])
    assert _search(store, "load-1") == ["prefect.task-run.Running:load-1", "prefect.task-run.Failed:load-1"]
    assert _search(store, '"disk full"') == ["prefect.task-run.Failed:load-1"]  # the state's message
    assert _search(store, "brave-fox -app.note") == [  # the flow run's name, on its task runs' events too
        "prefect.flow-run.Running:brave-fox", "prefect.task-run.Running:load-1", "prefect.task-run.Failed:load-1",
        "prefect.flow-run.Failed:brave-fox"]
    assert _search(store, "prefect.flow-run.failed") == ["prefect.flow-run.Failed:brave-fox"]
    assert _search(store, "nightly") == ["prefect.flow-run.Running:brave-fox", "prefect.flow-run.Failed:brave-fox"]
    assert _search(store, "+etl +failed") == ["prefect.task-run.Failed:load-1", "prefect.flow-run.Failed:brave-fox"]
    assert _search(store, task_run[:13]) == ["prefect.task-run.Running:load-1", "prefect.task-run.Failed:load-1"]
    counts = {v: n for v, n, _, _ in store.events.count_by(EventFilter(text=EventTextFilter(query="failed")),
                                                           "event")}
    assert counts == {"prefect.task-run.Failed": 1, "prefect.flow-run.Failed": 1}


def test_the_tail_follows_matching_events_only(store: Store) -> None:
    from headwater.core.api_schemas import FlowRunCreate, StateCreate
    from headwater.core.states import StateType
    from headwater.operations import Operations

    ops = Operations(store)
    run = ops.create_flow_run(FlowRunCreate(flow_name="etl", name="quiet-owl"))
    tail = EventTail(store.events, spec=EventFilter(text=EventTextFilter(query="timeout -debug")))
    store.events.write(STORED)
    ops.set_flow_run_state(run.id, StateCreate(type=StateType.FAILED, message="a timeout"))
    ops.set_flow_run_state(run.id, StateCreate(type=StateType.RUNNING, message="again"), force=True)
    assert sorted(e.event for e in tail.poll()) == ["app.error", "prefect.flow-run.Failed"]


def test_bad_queries_are_refused() -> None:
    with pytest.raises(ValidationError, match="at most 200 characters"):
        EventFilter.model_validate({"text": {"query": "x" * 201}})
    with pytest.raises(ValidationError, match="query"):
        EventFilter.model_validate({"text": {"query": "a\x00b"}})
    with pytest.raises(ValidationError, match="Extra inputs"):
        EventFilter.model_validate({"text": {"query": "a", "mode": "regex"}})
