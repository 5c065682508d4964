"""`emit_event` at Prefect's path (`prefect.events.utilities`)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from headwater.core.event_schemas import MAX_EVENT_BYTES, Event, RelatedResource
from headwater.exceptions import EventTooLarge

__all__ = ["emit_event"]

log = logging.getLogger("headwater.events")

_TIGHT = timedelta(minutes=5)


def _run_related() -> list[dict[str, str]]:
    """The flow run and task run executing here, as related resources (the store adds
    the flow run's own: its flow, deployment, pool and tags)."""
    from headwater.engine.context import current_flow_run, current_task_run

    related = []
    task_run = current_task_run()
    if task_run is not None:
        related.append({"prefect.resource.id": f"prefect.task-run.{task_run.id}", "prefect.resource.role": "task-run",
                        "prefect.resource.name": task_run.name})
    flow_run = current_flow_run()
    if flow_run is not None:
        related.append({"prefect.resource.id": f"prefect.flow-run.{flow_run.id}", "prefect.resource.role": "flow-run",
                        "prefect.resource.name": flow_run.name})
    return related


def emit_event(
    event: str,
    resource: dict[str, str],
    occurred: datetime | None = None,
    related: list[dict[str, str]] | list[RelatedResource] | None = None,
    payload: dict[str, Any] | None = None,
    id: UUID | None = None,
    follows: Event | None = None,
    **kwargs: Any,
) -> Event | None:
    """Record an event; it is stored with the run history, off the caller's path.

    Args:
        event: the event's name, e.g. `order.shipped`.
        resource: the resource it concerns: labels, `prefect.resource.id` required.
        occurred: when it happened (default: now).
        related: other resources involved, each with a `prefect.resource.role`.
        payload: JSON data about what happened.
        id: the event's id (default: a new one).
        follows: the event this one is known to come after; kept only when the two
            occurred within 5 minutes of each other.

    Returns:
        The event, or None when events are off (`HEADWATER_EVENTS_ENABLED=false`) or
        the event is invalid (the error is logged, as Prefect does).

    Raises:
        EventTooLarge: the event is larger than 1.5 MB as JSON.
    """
    from headwater.core.settings import get_settings

    if not get_settings().events_enabled:
        return None
    try:
        fields: dict[str, Any] = {"event": event, "resource": resource, **kwargs}
        fields["occurred"] = occurred if occurred is not None else datetime.now(timezone.utc)
        if related is not None:
            fields["related"] = related
        if payload is not None:
            fields["payload"] = payload
        if id is not None:
            fields["id"] = id
        if follows is not None and -_TIGHT < (fields["occurred"] - follows.occurred) < _TIGHT:
            fields["follows"] = follows.id
        emitted = Event(**fields)
        size = emitted.size_bytes
        if size > MAX_EVENT_BYTES:
            raise EventTooLarge(size, MAX_EVENT_BYTES)
        _send(emitted)
        return emitted
    except EventTooLarge:
        raise
    except Exception:
        log.exception("Error emitting event: %s", event)
        return None


def _send(emitted: Event) -> None:
    from headwater.orchestrator import get_orchestrator
    from headwater.orchestrator.records import EventEmitted

    occurred = emitted.occurred if emitted.occurred.tzinfo else emitted.occurred.replace(tzinfo=timezone.utc)
    related = [dict(r.root) for r in emitted.related]
    known = {r["prefect.resource.id"] for r in related}
    related += [r for r in _run_related() if r["prefect.resource.id"] not in known]
    get_orchestrator().emit(EventEmitted(
        str(emitted.id), occurred.timestamp(), emitted.event, dict(emitted.resource.root), related,
        emitted.payload, str(emitted.follows) if emitted.follows else None,
    ))
