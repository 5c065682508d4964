"""`Event`, `ReceivedEvent`, `Resource`, `RelatedResource` at Prefect's path
(`prefect.events.schemas.events`)."""

from __future__ import annotations

from headwater.core.event_schemas import Event, ReceivedEvent, RelatedResource, Resource
from headwater.core.triggers import ResourceSpecification, matches

__all__ = ["Event", "ReceivedEvent", "RelatedResource", "Resource", "ResourceSpecification", "matches"]
