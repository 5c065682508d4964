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


def test_artifact_and_asset_events(history) -> None:  # type: ignore[no-untyped-def]
    """A keyed artifact made twice, and a `@materialize` task: the events Prefect's
    server and engine emit for them, related to the runs."""
    from headwater.artifacts import create_markdown_artifact
    from headwater.assets import Asset, AssetProperties, add_asset_metadata, materialize

    report = Asset(key="s3://lake/report.csv", properties=AssetProperties(name="Report", owners=["finance"]))

    @materialize(report, asset_deps=["postgres://db/orders"], by="pandas")
    def build() -> int:
        add_asset_metadata(report, {"rows": 3})
        return 3

    @flow
    def reporting() -> None:
        create_markdown_artifact("# one", key="summary")
        build()
        create_markdown_artifact("# two", key="summary", description="second")

    reporting()
    run = history.only_flow_run()
    until = EventOccurredFilter(until=datetime.now(timezone.utc) + timedelta(seconds=5))
    spec = EventFilter(order=EventOrder.ASC, occurred=until,
                       event={"prefix": ["prefect.artifact-collection.", "prefect.asset."]})
    found = history.store.events.query(spec, limit=50)[0]
    assert [e.event for e in found] == ["prefect.artifact-collection.created", "prefect.asset.referenced",
                                        "prefect.asset.materialization.succeeded",
                                        "prefect.artifact-collection.updated"]
    created, referenced, made, updated = found
    assert created.resource.id == updated.resource.id and created.resource.id.startswith(
        "prefect.artifact-collection.")
    assert created.resource["prefect.resource.name"] == "summary"
    assert created.payload == {"key": "summary", "type": "markdown", "data": "# one", "description": None}
    assert updated.payload["description"] == "second"
    assert [r.role for r in created.related][:2] == ["latest", "flow-run"]
    assert created.related[1].id == f"prefect.flow-run.{run.id}"
    assert referenced.resource.id == "postgres://db/orders"
    assert made.resource.id == "s3://lake/report.csv"
    assert made.resource["prefect.resource.name"] == "Report"
    assert made.resource["prefect.asset.owners"] == '["finance"]'
    assert made.payload == {"rows": 3}
    assert [(r.role, r.id) for r in made.related][:3] == [("asset", "postgres://db/orders"),
                                                          ("asset-materialized-by", "pandas"),
                                                          ("flow-run", f"prefect.flow-run.{run.id}")]
    assert made.related[3].role == "task-run"


def test_failed_materialization_event(history) -> None:  # type: ignore[no-untyped-def]
    from headwater.assets import materialize

    @materialize("s3://lake/broken.csv")
    def broken() -> None:
        raise ValueError("boom")

    @flow
    def breaking() -> str:
        return broken(return_state=True).type.value

    assert breaking() == "FAILED"
    until = EventOccurredFilter(until=datetime.now(timezone.utc) + timedelta(seconds=5))
    spec = EventFilter(occurred=until, event={"prefix": ["prefect.asset."]})
    found = history.store.events.query(spec, limit=10)[0]
    assert [(e.event, e.resource.id) for e in found] == [("prefect.asset.materialization.failed", "s3://lake/broken.csv")]
