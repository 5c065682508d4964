"""Sending and following events from Python, at Prefect's path (`prefect.events.clients`).

`get_events_client()` gives an async context manager whose `emit(event)` stores an
event through the control plane (the embedded database or the server);
`get_events_subscriber(filter=None)` an async iterator over events as they are
stored (the server's `/api/events/stream`, or the database followed in-process).
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.core.event_schemas import Event, EventFilter, ReceivedEvent

__all__ = ["EventsClient", "PrefectEventSubscriber", "PrefectEventsClient", "get_events_client",
           "get_events_subscriber"]


def _transport() -> Transport:
    from headwater.client.transport import open_transport
    from headwater.core.settings import get_settings

    return open_transport(get_settings())


class PrefectEventsClient:
    """Sends events to the control plane; use as `async with get_events_client() as c:`."""

    def __init__(self, **options: Any) -> None:
        self._transport: Transport | None = None

    async def __aenter__(self) -> PrefectEventsClient:
        import anyio

        self._transport = await anyio.to_thread.run_sync(_transport)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    async def emit(self, event: Event) -> None:
        """Store `event` (an event whose id is stored already is kept as it was)."""
        import anyio

        if self._transport is None:
            raise RuntimeError("use the events client as `async with get_events_client() as client:`")
        transport = self._transport
        await anyio.to_thread.run_sync(lambda: transport.emit_events([event]))


EventsClient = PrefectEventsClient


def get_events_client(reconnection_attempts: int = 10, checkpoint_every: int = 700,
                      checkpoint_interval: float = 30.0) -> PrefectEventsClient:
    """A client that sends events (Prefect's arguments are accepted and not needed)."""
    return PrefectEventsClient()


class PrefectEventSubscriber:
    """Events as they are stored, matching a filter: `async with` it, then `async for`."""

    def __init__(self, filter: EventFilter | None = None, **options: Any) -> None:
        self._filter = filter
        self._transport: Transport | None = None
        self._events: Iterator[ReceivedEvent] | None = None

    async def __aenter__(self) -> PrefectEventSubscriber:
        import anyio

        self._transport = await anyio.to_thread.run_sync(_transport)
        self._events = self._transport.stream_events(self._filter, backfill=False)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def __aiter__(self) -> PrefectEventSubscriber:
        return self

    async def __anext__(self) -> ReceivedEvent:
        import anyio

        if self._events is None:
            raise RuntimeError("use the subscriber as `async with get_events_subscriber() as events:`")
        events = self._events
        found = await anyio.to_thread.run_sync(lambda: next(events, None), abandon_on_cancel=True)
        if found is None:
            raise StopAsyncIteration
        return found


def get_events_subscriber(filter: EventFilter | None = None, reconnection_attempts: int = 10,
                          reconnect_on_clean_close: bool = False) -> PrefectEventSubscriber:
    """A subscriber to new events matching `filter`."""
    return PrefectEventSubscriber(filter=filter)
