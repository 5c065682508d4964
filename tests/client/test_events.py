"""Events through the client on both transports: emitting, reading pages, and the live
stream (the server's server-sent events, or the embedded file followed in-process)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest

from headwater.client.orchestration import SyncPrefectClient
from headwater.core.event_schemas import Event, EventFilter, EventNameFilter, EventOrder
from headwater.exceptions import ParameterValidationError


@pytest.fixture
def name() -> str:
    """An event name prefix no other test uses (the server is shared)."""
    return f"test.{uuid.uuid4().hex[:10]}"


def _emit(client: SyncPrefectClient, names: list[str]) -> None:
    client._ops().emit_events([Event(event=n, resource={"prefect.resource.id": f"r.{n}"}) for n in names])


def test_read_events_in_pages(client: SyncPrefectClient, name: str) -> None:
    _emit(client, [f"{name}.{i}" for i in range(60)])
    spec = EventFilter(event=EventNameFilter(prefix=[f"{name}."]), order=EventOrder.ASC)
    page = client.read_events(filter=spec)
    assert page.total == 60 and len(page.events) == 50 and page.next_page
    rest = client.read_events_page(page.next_page)
    assert [e.event for e in page.events + rest.events] == [f"{name}.{i}" for i in range(60)]
    assert rest.next_page is None
    with pytest.raises(ParameterValidationError):
        client.read_events_page("http://x/api/events/filter/next?page-token=bm90LWEtdG9rZW4=")


def test_count_by_event(client: SyncPrefectClient, name: str) -> None:
    _emit(client, [f"{name}.a", f"{name}.a", f"{name}.b"])
    counts = client._ops().count_events("event", EventFilter(event=EventNameFilter(prefix=[name])))
    assert [(c.value, c.count) for c in counts] == [(f"{name}.a", 2), (f"{name}.b", 1)]
    with pytest.raises(ParameterValidationError):
        client._ops().count_events("day")


def test_stream_delivers_new_events(client: SyncPrefectClient, name: str) -> None:
    spec = EventFilter(event=EventNameFilter(prefix=[f"{name}."]))
    received: list[str] = []
    subscribed = threading.Event()
    done = threading.Event()

    def follow() -> None:
        stream: Iterator = client._ops().stream_events(spec, backfill=False, stop_after=60)
        subscribed.set()
        for event in stream:
            received.append(event.event)
            if event.event.endswith(".last"):
                break
        done.set()

    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    assert subscribed.wait(10)
    # The stream is open once its first event could arrive; keep emitting until it does.
    for i in range(200):
        _emit(client, [f"{name}.{i}"])
        if received or done.wait(0.1):
            break
    _emit(client, [f"{name}.last"])
    assert done.wait(30), received
    assert received[-1] == f"{name}.last"
    assert len(received) == len(set(received))  # none twice


def test_read_events_by_text(client: SyncPrefectClient, name: str) -> None:
    from headwater.events.filters import EventTextFilter

    client._ops().emit_events([Event(event=f"{name}.{i}", resource={"prefect.resource.id": f"r.{i}"},
                                     payload={"note": "Timeout" if i % 2 else "ok"}) for i in range(110)])
    spec = EventFilter(event=EventNameFilter(prefix=[f"{name}."]), text=EventTextFilter(query="timeout -r.99"),
                       order=EventOrder.ASC)
    page = client.read_events(filter=spec)
    assert page.total == 54 and page.next_page  # the odd ones but r.99
    rest = client.read_events_page(page.next_page)
    assert [e.event for e in page.events + rest.events] == [f"{name}.{i}" for i in range(1, 98, 2)] + [
        f"{name}.{i}" for i in range(101, 110, 2)]
