"""Following one flow run's events and logs together, at Prefect's path
(`prefect.events.subscribers.FlowRunSubscriber`).

Two followers run on threads of their own and feed one queue:

- events: the events of the run and those that name it (its task runs' states, what
  it emitted), from a minute before subscribing (as Prefect's subscriber backfills),
  then as they are stored: the server's event stream (`/api/events/stream`) when
  `HEADWATER_API_URL` is set, else the database followed in-process (`EventTail`).
  Over the server the backfill is the stream's: the last page (50) of that minute.
- logs: the run's log lines stored after subscribing, read every 0.25 s in the order
  they were stored (`/api/logs/after`, by the line's number in the store, not its
  timestamp), so a line stored long after its own timestamp (a client that kept its
  logs while the server was away) is still delivered, once. Each read starts from
  where the reads of 10 s ago stood, for a line that committed after a later-numbered
  one (PostgreSQL).

When the run's own state event says it ended (Completed, Failed, Crashed, Cancelled),
the events stop; logs still come until none has come for `straggler_timeout` seconds.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from datetime import datetime, timedelta, timezone
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Union
from uuid import UUID

if TYPE_CHECKING:
    from headwater.client.schemas.objects import Log
    from headwater.client.transport import Transport
    from headwater.core.event_schemas import EventFilter, ReceivedEvent
    from headwater.core.schemas import LogInfo

__all__ = ["FlowRunSubscriber"]

_TERMINAL = frozenset({"COMPLETED", "FAILED", "CRASHED", "CANCELLED"})
_POLL_SECONDS = 0.25
_LOG_LOOKBACK = timedelta(seconds=10)
_BACKFILL = timedelta(minutes=1)

Item = Union["ReceivedEvent", "Log", Exception, None]


def _now() -> datetime:
    from headwater.core import clock

    return datetime.fromtimestamp(clock.now(), timezone.utc)


def _open() -> Transport:
    from headwater.client.transport import open_transport
    from headwater.core.settings import get_settings

    return open_transport(get_settings())


class _Logs:
    """The new log lines of one flow run, each once (see the module docstring)."""

    def __init__(self, transport: Transport, flow_run_id: UUID, start: datetime) -> None:
        from headwater.core.api_schemas import LogsAfterRequest

        self._transport = transport
        self._flow_run_id = flow_run_id
        self._request = LogsAfterRequest
        # Lines stored before this follower started but stamped after subscribing come first.
        self._pending: list[LogInfo] = []
        self._cursor = self._last_seq(start)
        # (when, cursor then): each read starts from the cursor of `_LOG_LOOKBACK` ago,
        # because on PostgreSQL a line with a lower number may commit after a higher one.
        self._marks: deque[tuple[float, int]] = deque([(time.monotonic(), self._cursor)])
        self._seen: set[int] = set()

    def _last_seq(self, start: datetime) -> int:
        """The number of the run's last line stored now (-1: none); those of its last
        lines stamped after `start` (stored since subscribing) are kept to come first."""
        newest = self._transport.logs_after(self._request(flow_run_id=self._flow_run_id, newest=1000))
        self._pending = [stored.log for stored in newest if stored.log.timestamp >= start]
        return newest[-1].seq if newest else -1

    def poll(self) -> list[LogInfo]:
        now = time.monotonic()
        marks = self._marks
        while len(marks) > 1 and marks[1][0] <= now - _LOG_LOOKBACK.total_seconds():
            marks.popleft()
        after = marks[0][1]
        fresh, self._pending = self._pending, []
        while True:
            page = self._transport.logs_after(self._request(flow_run_id=self._flow_run_id, after=after, limit=1000))
            for stored in page:
                if stored.seq not in self._seen:
                    self._seen.add(stored.seq)
                    fresh.append(stored.log)
                self._cursor = max(self._cursor, stored.seq)
            if len(page) < 1000:
                break
            after = page[-1].seq
        marks.append((now, self._cursor))
        oldest = marks[0][1]  # numbers at or below it are never read again
        self._seen = {seq for seq in self._seen if seq > oldest}
        return fresh


def _interrupt(response: Any) -> None:
    """End a read of `response` waiting on another thread: closing the response does
    not wake it, shutting its socket down does (httpx's `network_stream` extension)."""
    import socket

    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # closed already


class FlowRunSubscriber:
    """A flow run's events and log lines, interleaved as they come (see the module
    docstring): `async with FlowRunSubscriber(flow_run_id=...) as s: async for item in s`.

    Args:
        flow_run_id: the flow run to follow.
        straggler_timeout: after the run ended, how long to wait for more log lines.
        reconnection_attempts: accepted as Prefect's; a stream that breaks ends the
            iteration with the error.
    """

    def __init__(self, flow_run_id: UUID, straggler_timeout: int = 3, reconnection_attempts: int = 10) -> None:
        from headwater.core.event_schemas import EventAnyResourceFilter, EventFilter

        self._flow_run_id = flow_run_id
        self._straggler_timeout = straggler_timeout
        self._reconnection_attempts = reconnection_attempts
        self._event_filter: EventFilter = EventFilter(
            any_resource=EventAnyResourceFilter(id=[f"prefect.flow-run.{flow_run_id}"]))
        self._queue: asyncio.Queue[Item] = asyncio.Queue()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._transports: list[Transport] = []
        self._responses: list[Any] = []  # the open event stream of the server, to close when leaving
        self._flow_completed = False
        self._sentinels_received = 0

    async def __aenter__(self) -> FlowRunSubscriber:
        import anyio

        loop = asyncio.get_running_loop()
        self._stop.clear()
        start = _now()
        events, logs = await anyio.to_thread.run_sync(lambda: (_open(), _open()))
        self._transports = [events, logs]
        # Where the log lines begin is fixed before this returns: a line stored once the
        # caller holds the subscriber is delivered.
        try:
            log_lines = await anyio.to_thread.run_sync(lambda: _Logs(logs, self._flow_run_id, start))
        except BaseException:
            await self.__aexit__(None, None, None)
            raise

        def put(item: Item) -> None:
            loop.call_soon_threadsafe(self._queue.put_nowait, item)

        followers: list[Callable[[], None]] = [lambda: self._follow_events(events, start, put),
                                               lambda: self._follow_logs(log_lines, put)]
        self._threads = [threading.Thread(target=f, daemon=True, name="headwater-flow-run-subscriber")
                         for f in followers]
        for thread in self._threads:
            thread.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        import anyio

        self._stop.set()
        for response in self._responses:
            _interrupt(response)
        threads, transports, self._threads, self._transports = self._threads, self._transports, [], []

        def finish() -> None:
            for thread in threads:  # each sees the stop within a poll (0.25 s) or its stream's end
                thread.join(timeout=5)
            for transport in transports:
                transport.close()

        await anyio.to_thread.run_sync(finish)

    def _is_terminal_event(self, event: ReceivedEvent) -> bool:
        if event.resource.id != f"prefect.flow-run.{self._flow_run_id}":
            return False
        kind = event.resource.get("prefect.state-type")
        if not kind and isinstance(event.payload.get("validated_state"), dict):
            kind = event.payload["validated_state"].get("type")
        return kind in _TERMINAL

    def _follow_events(self, transport: Transport, start: datetime, put: Callable[[Item], None]) -> None:
        from headwater.core.event_schemas import EventOccurredFilter, EventOrder

        spec = self._event_filter.model_copy(update={
            "occurred": EventOccurredFilter(since=start - _BACKFILL, until=start + timedelta(days=365)),
            "order": EventOrder.ASC})
        ended = False
        try:
            for event in self._events(transport, spec):
                if self._stop.is_set():
                    return
                put(event)
                if self._is_terminal_event(event):
                    self._flow_completed = ended = True
                    return
            if not self._stop.is_set():
                put(ConnectionError("Flow run events stream closed unexpectedly"))
        except Exception as exc:
            if not self._stop.is_set():
                put(exc)
        finally:
            if ended or not self._stop.is_set():
                put(None)

    def _events(self, transport: Transport, spec: EventFilter) -> Any:
        """The matching events: the backfill, then new ones until stopped."""
        store = getattr(getattr(transport, "store", None), "events", None)
        if store is None:
            yield from self._server_events(transport, spec)
            return
        from headwater.store.events import EventTail

        tail = EventTail(store, spec=spec)  # made first: nothing stored from here on is missed
        seen = set()
        for event in store.query(spec, limit=1000)[0]:
            seen.add(event.id)
            yield event
        while not self._stop.is_set():
            for event in tail.poll():
                if event.id not in seen:
                    yield event
            self._stop.wait(_POLL_SECONDS)

    def _server_events(self, transport: Any, spec: EventFilter) -> Any:
        """The server's event stream (its backfill first), read line by line so that
        leaving ends it: the response is closed from `__aexit__`, and a quiet stream
        still sends a comment line every 15 s, after which the stop is seen."""
        import httpx

        from headwater.core.event_schemas import ReceivedEvent

        api = transport.api
        params = {"backfill": "true", "filter": spec.model_dump_json()}
        try:
            with api.open_stream("GET", "events/stream", params=params) as response:
                if response.status_code >= 300:
                    response.read()
                    api.check(response, "GET events/stream")
                self._responses.append(response)
                for line in response.iter_lines():
                    if self._stop.is_set():
                        return
                    if line.startswith("data: "):
                        yield ReceivedEvent.model_validate_json(line[6:])
        except httpx.TransportError as exc:
            if not self._stop.is_set():
                raise api.unreachable(exc) from None

    def _follow_logs(self, logs: _Logs, put: Callable[[Item], None]) -> None:
        from headwater.client.convert import to_log

        try:
            while not self._stop.is_set():
                for line in logs.poll():
                    put(to_log(line))
                self._stop.wait(_POLL_SECONDS)
        except Exception as exc:
            if not self._stop.is_set():
                put(exc)
                put(None)

    def __aiter__(self) -> FlowRunSubscriber:
        return self

    async def __anext__(self) -> ReceivedEvent | Log:
        while self._sentinels_received < len(self._threads):
            if self._flow_completed:
                try:
                    item = await asyncio.wait_for(self._queue.get(), timeout=self._straggler_timeout)
                except asyncio.TimeoutError:
                    raise StopAsyncIteration from None
            else:
                item = await self._queue.get()
            if item is None:
                self._sentinels_received += 1
                continue
            if isinstance(item, Exception):
                raise item
            return item
        raise StopAsyncIteration
