"""`EventOperations`: the events part of the control plane (`Operations` inherits it).

Storing events sent by clients, reading them a page at a time (a page token carries
the filter, so the next page sees the same time range), counting them, following new
ones, and the events of control-plane changes (deployments, work pools, workers).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.core.event_schemas import Event, EventCount, EventFilter, EventPage, ReceivedEvent
    from headwater.core.settings import Settings
    from headwater.store import Store

__all__ = ["EventOperations", "decode_page_token", "encode_page_token"]

log = logging.getLogger("headwater.operations")

COUNTABLES = ("event", "resource")


def encode_page_token(spec: EventFilter, limit: int, offset: int) -> str:
    """An opaque token for the page of `spec` starting at `offset`."""
    body = {"filter": spec.model_dump(mode="json"), "limit": limit, "offset": offset}
    return base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).decode()


def decode_page_token(token: str) -> tuple[EventFilter, int, int]:
    """The filter, page size and offset of a page token.

    Raises:
        ParameterValidationError: the token was not made by `encode_page_token`.
    """
    from headwater.core.event_schemas import EventFilter
    from headwater.exceptions import ParameterValidationError

    try:
        body = json.loads(base64.urlsafe_b64decode(token.encode()))
        return EventFilter.model_validate(body["filter"]), int(body["limit"]), int(body["offset"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ParameterValidationError(
            "page-token: not a page token of /api/events/filter; use the next_page link of a previous page"
        ) from None


class EventOperations:
    """Store, read, count and follow events; emit the control plane's own."""

    if TYPE_CHECKING:
        store: Store

        @property
        def settings(self) -> Settings: ...

    def emit_events(self, items: Sequence[Event]) -> int:
        """Store events sent by a client (an event already stored, by id, is kept); returns how many."""
        if not self.settings.events_enabled:
            return 0
        return self.store.events.write(items)

    def read_events(self, spec: EventFilter | None = None, limit: int = 50) -> EventPage:
        """The first page of the events matching `spec`; `next_page` is a page token or None."""
        from headwater.core.event_schemas import EventFilter

        return self._page(spec or EventFilter(), limit, 0)

    def read_events_page(self, token: str) -> EventPage:
        """The page a token from `read_events` or an earlier page names.

        Raises:
            ParameterValidationError: the token is not one.
        """
        spec, limit, offset = decode_page_token(token)
        return self._page(spec, limit, offset)

    def _page(self, spec: EventFilter, limit: int, offset: int) -> EventPage:
        from headwater.core.event_schemas import EventPage

        found, total = self.store.events.query(spec, limit=limit, offset=offset)
        following = offset + len(found)
        token = encode_page_token(spec, limit, following) if found and following < total else None
        return EventPage(events=found, total=total, next_page=token)

    def count_events(self, countable: str, spec: EventFilter | None = None) -> list[EventCount]:
        """The matching events counted by name (`event`) or resource id (`resource`).

        Raises:
            ParameterValidationError: another countable.
        """
        from headwater.core.event_schemas import EventCount, EventFilter
        from headwater.exceptions import ParameterValidationError

        if countable not in COUNTABLES:
            raise ParameterValidationError(
                f"countable: headwater counts events by {' or '.join(COUNTABLES)}, not {countable!r}"
            )
        counts = self.store.events.count_by(spec or EventFilter(), countable)

        def utc(ts: float) -> datetime:
            return datetime.fromtimestamp(ts, timezone.utc)

        return [EventCount(value=v, label=v, count=n, start_time=utc(a), end_time=utc(b)) for v, n, a, b in counts]

    def stream_events(self, spec: EventFilter | None = None, *, backfill: bool = True,
                      poll_seconds: float = 0.25, stop_after: float | None = None) -> Iterator[ReceivedEvent]:
        """Events as they are stored, matching `spec` (but for its time range); first the
        recent ones (up to a page, oldest first) when `backfill`. Ends after `stop_after`
        seconds if given, else never."""
        from headwater.core import clock
        from headwater.core.event_schemas import EventFilter, EventOrder
        from headwater.store.events import EventTail

        spec = (spec or EventFilter()).model_copy(update={"order": EventOrder.ASC})
        tail = EventTail(self.store.events, spec=spec)
        seen: set[str] = set()
        if backfill:
            recent, _ = self.store.events.query(spec.model_copy(update={"order": EventOrder.DESC}), limit=50)
            for event in reversed(recent):
                seen.add(str(event.id))
                yield event
        deadline = None if stop_after is None else clock.now() + stop_after
        while deadline is None or clock.now() < deadline:
            for event in tail.poll():
                if str(event.id) not in seen:
                    yield event
            time.sleep(poll_seconds)

    # -- the control plane's own events ---------------------------------------------------
    def emit_control_event(self, name: str, resource: dict[str, str], related: list[dict[str, str]] | None = None,
                           payload: dict[str, Any] | None = None) -> None:
        """Store an event of a control-plane change now (never fails the change itself)."""
        if not self.settings.events_enabled:
            return
        from headwater.core.event_schemas import Event

        try:
            self.store.events.write([Event(event=name, resource=resource, related=related or [],
                                           payload=payload or {})])
        except Exception as exc:  # the change happened; losing its event must not undo or fail it
            log.warning("could not store the event %s: %s", name, exc)

    def deployment_event(self, action: str, info: Any) -> None:
        """`prefect.deployment.<action>` for a deployment (created, updated, deleted, paused, resumed)."""
        resource = {"prefect.resource.id": f"prefect.deployment.{info.id}", "prefect.resource.name": info.name,
                    "prefect.flow.name": info.flow_name}
        if info.work_pool_name:
            resource["prefect.work-pool.name"] = info.work_pool_name
        self.emit_control_event(f"prefect.deployment.{action}", resource)

    def work_pool_event(self, action: str, info: Any) -> None:
        """`prefect.work-pool.<action>` for a work pool (created, updated, paused, resumed);
        its result storage block is a related resource (role `result-storage`), as in Prefect."""
        block_id = info.storage_configuration.default_result_storage_block_id
        related = [{"prefect.resource.id": f"prefect.block-document.{block_id}",
                    "prefect.resource.role": "result-storage"}] if block_id else []
        self.emit_control_event(f"prefect.work-pool.{action}",
                                {"prefect.resource.id": f"prefect.work-pool.{info.id}",
                                 "prefect.resource.name": info.name, "prefect.work-pool.type": info.type}, related)

    def worker_event(self, body: Any) -> None:
        """`prefect.worker.heartbeat` for a worker's heartbeat (its pool as a label)."""
        pool = body.work_pool_name or "default"
        self.emit_control_event("prefect.worker.heartbeat", {
            "prefect.resource.id": f"prefect.worker.{pool}.{body.name}", "prefect.resource.name": body.name,
            "prefect.work-pool.name": pool, "prefect.worker.host": body.host,
        })
