"""Event filters at Prefect's path (`prefect.events.filters`)."""

from __future__ import annotations

from headwater.core.automation_schemas import (
    AutomationFilter,
    AutomationFilterCreated,
    AutomationFilterId,
    AutomationFilterName,
    AutomationFilterTags,
)
from headwater.core.event_schemas import (
    EventAnyResourceFilter,
    EventDataFilter,
    EventFilter,
    EventIDFilter,
    EventNameFilter,
    EventOccurredFilter,
    EventOrder,
    EventRelatedFilter,
    EventResourceFilter,
    EventTextFilter,
)

__all__ = [
    "AutomationFilter",
    "AutomationFilterCreated",
    "AutomationFilterId",
    "AutomationFilterName",
    "AutomationFilterTags",
    "EventAnyResourceFilter",
    "EventDataFilter",
    "EventFilter",
    "EventIDFilter",
    "EventNameFilter",
    "EventOccurredFilter",
    "EventOrder",
    "EventRelatedFilter",
    "EventResourceFilter",
    "EventTextFilter",
]
