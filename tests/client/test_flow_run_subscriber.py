"""`FlowRunSubscriber` on both transports: a flow run's events (the last minute's first)
and its log lines written after subscribing come interleaved as they happen; the run's
end stops the events, and log lines still come until none has for the straggler
timeout."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from support import wait_until

from headwater.client.orchestration import SyncPrefectClient
from headwater.client.schemas.objects import Log
from headwater.core.api_schemas import FlowRunCreate, LogCreate, StateCreate
from headwater.core.event_schemas import Event
from headwater.core.settings import reset_settings
from headwater.core.states import StateType
from headwater.events import FlowRunSubscriber


@pytest.fixture
def chosen(transport_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The subscriber's settings (from the environment) are the client's."""
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    for name in ("HEADWATER_API_URL", "HEADWATER_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in transport_env.items():
        monkeypatch.setenv(name, value)
    reset_settings()
    yield
    reset_settings()


def _log(run_id: str, message: str) -> LogCreate:
    return LogCreate(name="test", level=20, message=message, timestamp=datetime.now(timezone.utc),
                     flow_run_id=run_id)  # type: ignore[arg-type]


def test_a_flow_runs_events_and_logs_interleaved(client: SyncPrefectClient, chosen: Any) -> None:
    ops = client._ops()
    run = ops.create_flow_run(FlowRunCreate(flow_name="followed"))
    other = ops.create_flow_run(FlowRunCreate(flow_name="not-followed"))
    ops.write_logs([_log(run.id, "before subscribing")])
    subscribed = threading.Event()
    items: list[str] = []

    def drive() -> None:
        assert subscribed.wait(30)
        ops.set_flow_run_state(run.id, StateCreate(type=StateType.RUNNING))
        ops.write_logs([_log(run.id, "one"), _log(other.id, "another run's")])
        ops.emit_events([Event(event="order.shipped", resource={"prefect.resource.id": "order.1"},
                               related=[{"prefect.resource.id": f"prefect.flow-run.{run.id}",
                                         "prefect.resource.role": "flow-run"}])])
        ops.set_flow_run_state(other.id, StateCreate(type=StateType.RUNNING))
        wait_until(lambda: "log:one" in items, 30, "the first log line")
        ops.set_flow_run_state(run.id, StateCreate(type=StateType.COMPLETED))
        wait_until(lambda: "prefect.flow-run.Completed" in items, 30, "the run's end")
        ops.write_logs([_log(run.id, "straggler")])

    async def follow() -> None:
        async with FlowRunSubscriber(flow_run_id=run.id, straggler_timeout=2) as subscriber:
            subscribed.set()
            async for item in subscriber:
                items.append(f"log:{item.message}" if isinstance(item, Log) else item.event)

    driver = threading.Thread(target=drive, daemon=True)
    driver.start()
    asyncio.run(asyncio.wait_for(follow(), 60))
    driver.join(30)
    events = [i for i in items if not i.startswith("log:")]
    # (one poll of the store gives its stored events before its state events)
    assert events[0] == "prefect.flow-run.Pending" and events[-1] == "prefect.flow-run.Completed", items
    assert sorted(events[1:-1]) == ["order.shipped", "prefect.flow-run.Running"], items
    assert [i for i in items if i.startswith("log:")] == ["log:one", "log:straggler"], items
    assert items.index("log:straggler") > items.index("prefect.flow-run.Completed")



def test_leaving_before_the_run_ends_stops_both_followers(client: SyncPrefectClient, chosen: Any) -> None:
    run = client._ops().create_flow_run(FlowRunCreate(flow_name="left"))

    async def follow() -> list[threading.Thread]:
        subscriber = FlowRunSubscriber(flow_run_id=run.id)
        async with subscriber:
            threads = list(subscriber._threads)
            first = await subscriber.__anext__()  # the backfill: the run's Pending
            assert not isinstance(first, Log) and first.event == "prefect.flow-run.Pending"
        return threads

    started = time.monotonic()
    threads = asyncio.run(asyncio.wait_for(follow(), 30))
    assert len(threads) == 2 and not any(t.is_alive() for t in threads)
    assert time.monotonic() - started < 5  # a stream waiting for the server's next line is ended, not waited out


def test_a_line_stored_long_after_its_timestamp_comes_once(client: SyncPrefectClient, chosen: Any) -> None:
    """A client that kept its lines while the server was away stores them late: a line
    stamped 30 s before it is stored is still delivered, and only once."""
    ops = client._ops()
    run = ops.create_flow_run(FlowRunCreate(flow_name="late-lines"))
    subscribed = threading.Event()
    items: list[str] = []

    def drive() -> None:
        assert subscribed.wait(30)
        late = _log(run.id, "kept 30 s")
        late.timestamp = datetime.fromtimestamp(time.time() - 30, timezone.utc)
        ops.write_logs([late])
        ops.write_logs([_log(run.id, "on time")])
        wait_until(lambda: "log:on time" in items and "log:kept 30 s" in items, 30, "both lines")
        ops.set_flow_run_state(run.id, StateCreate(type=StateType.COMPLETED))

    async def follow() -> None:
        async with FlowRunSubscriber(flow_run_id=run.id, straggler_timeout=1) as subscriber:
            subscribed.set()
            async for item in subscriber:
                if isinstance(item, Log):
                    items.append(f"log:{item.message}")

    driver = threading.Thread(target=drive, daemon=True)
    driver.start()
    asyncio.run(asyncio.wait_for(follow(), 60))
    driver.join(30)
    assert sorted(items) == ["log:kept 30 s", "log:on time"], items
