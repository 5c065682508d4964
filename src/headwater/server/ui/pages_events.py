"""The Events page: the events of a time range, newest first, filtered by name prefix
and by resource (the event's own or a related one, by id or id prefix), a page at a
time; and the same filter followed live.

The live part is the API's own stream (`GET /api/events/stream`, server-sent events)
at `/ui/api/events/stream` behind the UI's login: the page's script (static/events.js)
adds each new event at the top of the table, as text. Links go to the pages of the
resources the UI has (flow runs, task runs, deployments, assets).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from headwater.exceptions import ParameterValidationError
from headwater.server.api._deps import operations_of
from headwater.server.ui.templating import render

if TYPE_CHECKING:  # imported on first use: the event models are a twentieth of the server's start
    from headwater.core.event_schemas import EventFilter, EventPage

__all__ = ["RANGES", "resource_link", "router", "ui_filter"]

router = APIRouter(include_in_schema=False)

RANGES = {"15m": timedelta(minutes=15), "1h": timedelta(hours=1), "24h": timedelta(days=1),
          "7d": timedelta(days=7), "30d": timedelta(days=30)}
_PAGE = 50
_LINKS = (("prefect.flow-run.", "/runs/"), ("prefect.task-run.", "/task-runs/"),
          ("prefect.deployment.", "/deployments/"))


def resource_link(resource_id: str) -> str | None:
    """The UI page of a resource, when it has one."""
    for prefix, path in _LINKS:
        if resource_id.startswith(prefix) and len(resource_id) > len(prefix):
            return path + quote(resource_id[len(prefix):], safe="")
    if "://" in resource_id:  # an asset key
        return "/asset?" + urlencode({"key": resource_id})
    return None


def _moment(text: str, field: str) -> datetime | None:
    """A `datetime-local` value (UTC) or an ISO time; None when empty."""
    if not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ParameterValidationError(f"{field}: expected a time like 2026-01-31T12:00, got {text[:40]!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def ui_filter(prefix: str, resource: str, range_: str, since: str, until: str) -> EventFilter:
    """The `EventFilter` of the page's fields.

    Raises:
        ParameterValidationError: a time that is not one, or a range not offered.
    """
    if range_ and range_ not in RANGES:
        raise ParameterValidationError(f"range: one of {', '.join(RANGES)}, got {range_[:20]!r}")
    now = datetime.now(timezone.utc)
    start, end = _moment(since, "since"), _moment(until, "until")
    occurred: dict[str, Any] = {"since": start or now - RANGES[range_ or "24h"]}
    if end is not None:
        occurred["until"] = end
    body: dict[str, Any] = {"occurred": occurred}
    names = [p.strip() for p in prefix.split(",") if p.strip()]
    if names:
        body["event"] = {"prefix": names}
    if resource.strip():
        # an id matches itself and every id it starts: `prefect.flow-run.` finds all flow runs
        body["any_resource"] = {"id_prefix": [resource.strip()]}
    from headwater.core.event_schemas import EventFilter

    return EventFilter.model_validate(body)


def _view(page: EventPage) -> list[dict[str, Any]]:
    rows = []
    for event in page.events:
        resource = dict(event.resource.root)
        rows.append({
            "id": str(event.id), "event": event.event, "occurred": event.occurred,
            "resource_id": event.resource.id, "resource_name": resource.get("prefect.resource.name", ""),
            "resource_link": resource_link(event.resource.id),
            "related": [{"id": r.id, "role": r.role, "link": resource_link(r.id)} for r in event.related],
            "payload": json.dumps(event.payload, indent=1, ensure_ascii=False) if event.payload else "",
        })
    return rows


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, prefix: str = Query("", max_length=1000),
                resource: str = Query("", max_length=1000), range: str = Query("", max_length=20),  # noqa: A002
                since: str = Query("", max_length=40), until: str = Query("", max_length=40),
                page: str = Query("", max_length=100_000)) -> HTMLResponse:
    """The events of the filter, newest first, with a link to the next page."""
    ops = operations_of(request)
    shown = {"prefix": prefix, "resource": resource, "range": range, "since": since, "until": until}
    problem = ""
    spec: EventFilter | None = None
    try:
        spec = ui_filter(prefix, resource, range, since, until)
        found = ops.read_events_page(page) if page else ops.read_events(spec, _PAGE)
    except ParameterValidationError as exc:
        from headwater.core.event_schemas import EventPage

        problem, found = str(exc), EventPage(events=[], total=0, next_page=None)
    query = {k: v for k, v in shown.items() if v}
    next_link = "/events?" + urlencode({**query, "page": found.next_page}) if found.next_page else None
    live = spec.model_dump_json(include={"event", "any_resource"}, exclude_none=True) if spec and not page else ""
    return render(request, "events.html", {
        "events": _view(found), "total": found.total, "shown": shown, "ranges": list(RANGES), "problem": problem,
        "next_link": next_link, "live_filter": live, "paged": bool(page),
    })


@router.get("/ui/api/events/stream")
async def events_stream(request: Request, filter: str = Query(max_length=100_000)  # noqa: A002
                        ) -> Response:
    """The API's live stream of events (`GET /api/events/stream`, without the backfill)
    for the Events page, which always gives its filter (`{}` for every event)."""
    from headwater.server.api.events import stream_events

    return await stream_events(request, operations_of(request), filter, backfill=False)
