"""The events of a real flow run: state changes in order with Prefect's names and
resources, and `emit_event` from inside the flow, related to its run."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from headwater import flow, tags, task
from headwater.core.event_schemas import EventFilter, EventOccurredFilter, EventOrder
from headwater.core.settings import reset_settings
from headwater.events import Event, emit_event


def test_flow_run_events(history, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    @task
    def add(x: int) -> int:
        return x + 1

    @flow
    def adding() -> Event | None:
        with tags("t1"):
            add(1)
        return emit_event(event="my.event", resource={"prefect.resource.id": "my.1"}, payload={"a": 1})

    emitted = adding()
    assert emitted is not None and emitted.event == "my.event"
    run = history.only_flow_run()
    store = history.store
    until = EventOccurredFilter(until=datetime.now(timezone.utc) + timedelta(seconds=5))
    found = store.events.query(EventFilter(order=EventOrder.ASC, occurred=until), limit=50)[0]
    names = [e.event for e in found if e.event != "prefect.flow-run.heartbeat"]
    assert names == ["prefect.flow-run.Pending", "prefect.flow-run.Running", "prefect.task-run.Pending",
                     "prefect.task-run.Running", "prefect.task-run.Completed", "my.event",
                     "prefect.flow-run.Completed"]
    task_done = next(e for e in found if e.event == "prefect.task-run.Completed")
    assert [(r.role, r.id) for r in task_done.related] == [
        ("tag", "prefect.tag.t1"), ("flow-run", f"prefect.flow-run.{run.id}"), ("flow", f"prefect.flow.{run.flow_id}")]
    mine = next(e for e in found if e.event == "my.event")
    assert mine.id == emitted.id and mine.payload == {"a": 1}
    assert [r.role for r in mine.related] == ["flow-run", "flow"]

    monkeypatch.setenv("HEADWATER_EVENTS_ENABLED", "false")
    reset_settings()
    assert emit_event(event="x", resource={"prefect.resource.id": "y"}) is None
