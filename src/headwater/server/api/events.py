"""Events at Prefect's paths: `POST /api/events` (store a batch), `POST /api/events/filter`
(first page), `GET /api/events/filter/next?page-token=` (the next pages),
`POST /api/events/count-by/{countable}` (by `event` or `resource`), and the live
stream `GET /api/events/stream` as server-sent events (Prefect streams over a
websocket at `/api/events/out`; see docs/events.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Optional

import anyio
from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from headwater.core.event_schemas import EVENTS_PAGE_SIZE, Event, EventCount, EventFilter, EventOrder, EventPage
from headwater.exceptions import ParameterValidationError
from headwater.server.api._deps import OpsDep

__all__ = ["router"]

router = APIRouter(prefix="/events", tags=["events"])

_KEEPALIVE_S = 15.0
_POLL_S = 0.25


def _with_link(request: Request, page: EventPage) -> EventPage:
    if page.next_page:
        page.next_page = f"{request.base_url}api/events/filter/next?page-token={page.next_page}"
    return page


@router.post("", status_code=204, response_class=Response, summary="Store a batch of events")
def create_events(events: list[Event], ops: OpsDep) -> Response:
    """Store events (an event whose id is stored already is kept as it was)."""
    ops.emit_events(events)
    return Response(status_code=204)


@router.post("/filter", summary="Read events")
def read_events(
    request: Request,
    ops: OpsDep,
    filter: Optional[EventFilter] = Body(default=None, description="Which events; all of the last 180 days if none."),
    limit: int = Body(default=EVENTS_PAGE_SIZE, ge=0, le=EVENTS_PAGE_SIZE, embed=True,
                      description="Events per page."),
) -> EventPage:
    """The first page of the matching events, how many match, and the next page's link."""
    return _with_link(request, ops.read_events(filter, limit))


@router.get("/filter/next", summary="Read the next page of events")
def read_events_page(request: Request, ops: OpsDep,
                     page_token: str = Query(alias="page-token", max_length=100_000)) -> EventPage:
    """The page a `next_page` link names."""
    return _with_link(request, ops.read_events_page(page_token))


@router.post("/count-by/{countable}", summary="Count events by name or resource")
def count_events(countable: str, ops: OpsDep, filter: EventFilter = Body(default_factory=EventFilter, embed=True)
                 ) -> list[EventCount]:
    """How many matching events each name (`event`) or resource id (`resource`) has."""
    return ops.count_events(countable, filter)


@router.get("/stream", summary="Follow new events (server-sent events)")
async def stream_events(
    request: Request,
    ops: OpsDep,
    filter: Optional[str] = Query(default=None, max_length=100_000, description="An EventFilter as JSON."),
    backfill: bool = Query(default=True, description="Send the last page of matching events first."),
) -> StreamingResponse:
    """A `text/event-stream`: each matching event as it is stored, one `data:` line of
    JSON per event; a comment line every 15 s keeps idle connections open."""
    try:
        spec = EventFilter.model_validate_json(filter) if filter else EventFilter()
    except ValidationError as exc:
        raise ParameterValidationError(f"filter: not an event filter: {exc.errors()[0]['msg']}") from None
    spec.order = EventOrder.ASC

    from headwater.store.events import EventTail

    tail = EventTail(ops.store.events, spec=spec)  # made now: nothing stored from here on is missed

    async def body() -> AsyncIterator[bytes]:
        seen: set[str] = set()
        if backfill:
            desc = spec.model_copy(update={"order": EventOrder.DESC})
            recent, _ = await anyio.to_thread.run_sync(lambda: ops.store.events.query(desc, limit=EVENTS_PAGE_SIZE))
            for event in reversed(recent):
                seen.add(str(event.id))
                yield f"data: {event.model_dump_json()}\n\n".encode()
        yield b": ready\n\n"
        idle = 0.0
        while not await request.is_disconnected():
            fresh = await anyio.to_thread.run_sync(tail.poll)
            for event in fresh:
                if str(event.id) not in seen:
                    yield f"data: {event.model_dump_json()}\n\n".encode()
            idle = 0.0 if fresh else idle + _POLL_S
            if idle >= _KEEPALIVE_S:
                idle = 0.0
                yield b": keep-alive\n\n"
            await anyio.sleep(_POLL_S)

    return StreamingResponse(body(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
