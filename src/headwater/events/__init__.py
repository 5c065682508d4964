"""Events, at Prefect's paths: `emit_event`, `Event`, `Resource`, `RelatedResource`.

    from headwater.events import emit_event

    emit_event(event="order.shipped", resource={"prefect.resource.id": "order.42"}, payload={"items": 3})

Every state change of a flow run or task run is an event as well
(`prefect.flow-run.Completed`, ...), recorded without a call. See docs/events.md.
"""

from __future__ import annotations

from headwater.core.event_schemas import ReceivedEvent, RelatedResource, Resource
from headwater.events.clients import get_events_client, get_events_subscriber
from headwater.events.filters import EventFilter
from headwater.events.schemas.events import Event
from headwater.events.utilities import emit_event

__all__ = [
    "Event",
    "EventFilter",
    "ReceivedEvent",
    "RelatedResource",
    "Resource",
    "emit_event",
    "get_events_client",
    "get_events_subscriber",
]
