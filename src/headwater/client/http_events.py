"""The HTTP transport's requests for events, composed into `HttpTransport`
(`client/http.py`): each method is one request to `server/api/events.py`.

Emitting is safe to send again (every event carries its id and the store keeps an id
once); the POSTed filters and counts are reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.client.http_resources import RequestBase, dump_body, path_segment

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from headwater.core.event_schemas import Event, EventCount, EventFilter, EventPage, ReceivedEvent

__all__ = ["EventRequests", "page_token"]


def page_token(link: str | None) -> str | None:
    """The page token of a `next_page` link (the operations pass tokens, the API links)."""
    if not link:
        return None
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(link).query).get("page-token", [None])[0]


class EventRequests(RequestBase):
    """Events (`server/api/events.py`)."""

    api: Any  # the transport's `ApiClient` (`orchestrator/http.py`), for the live stream

    def emit_events(self, items: Sequence[Event]) -> int:
        self._call("POST", "events", [dump_body(item) for item in items], idempotent=True)
        return len(items)

    def read_events(self, spec: EventFilter | None = None, limit: int = 50) -> EventPage:
        from headwater.core.event_schemas import EventPage

        body = {"filter": dump_body(spec) if spec is not None else None, "limit": limit}
        page = EventPage.model_validate(self._call("POST", "events/filter", body, idempotent=True))
        page.next_page = page_token(page.next_page)
        return page

    def read_events_page(self, token: str) -> EventPage:
        from headwater.core.event_schemas import EventPage

        page = EventPage.model_validate(self._call("GET", "events/filter/next", params={"page-token": token}))
        page.next_page = page_token(page.next_page)
        return page

    def count_events(self, countable: str, spec: EventFilter | None = None) -> list[EventCount]:
        from headwater.core.event_schemas import EventCount

        body = {"filter": dump_body(spec)} if spec is not None else {}
        found = self._call("POST", f"events/count-by/{path_segment(countable)}", body, idempotent=True)
        return [EventCount.model_validate(c) for c in found]

    def stream_events(self, spec: EventFilter | None = None, *, backfill: bool = True,
                      poll_seconds: float = 0.25, stop_after: float | None = None) -> Iterator[ReceivedEvent]:
        """Server-sent events of `GET /api/events/stream`, as they come."""
        import time

        import httpx

        from headwater.core.event_schemas import ReceivedEvent

        params = {"backfill": "true" if backfill else "false"}
        if spec is not None:
            params["filter"] = spec.model_dump_json()
        deadline = None if stop_after is None else time.monotonic() + stop_after
        try:
            with self.api.open_stream("GET", "events/stream", params=params) as response:
                if response.status_code >= 300:
                    response.read()
                    self.api.check(response, "GET events/stream")
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        yield ReceivedEvent.model_validate_json(line[6:])
                    if deadline is not None and time.monotonic() >= deadline:
                        return
        except httpx.TransportError as exc:
            raise self.api.unreachable(exc) from None
