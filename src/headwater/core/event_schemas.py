"""Events: what happened to which resource, in Prefect 3's shape.

An event has a name (`prefect.flow-run.Completed`, `my.order.shipped`), the resource
it concerns (a dict of string labels with at least `prefect.resource.id`), related
resources (each with a `prefect.resource.role`), a JSON payload, an id, when it
occurred and optionally the id of the event it `follows`. `ReceivedEvent` adds when
the store received it. `EventFilter` is the body of `POST /api/events/filter`.

Names and resource ids written with a `headwater.` prefix are read as `prefect.`
in filters (`normalize_name`), so both spellings find the same events. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Annotated, Any, Optional, Union
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel, StringConstraints, model_validator

from headwater.core.api_schemas import FilterText

__all__ = [
    "EVENTS_PAGE_SIZE",
    "MAX_EVENT_BYTES",
    "Event",
    "EventAnyResourceFilter",
    "EventCount",
    "EventDataFilter",
    "EventFilter",
    "EventIDFilter",
    "EventNameFilter",
    "EventOccurredFilter",
    "EventOrder",
    "EventPage",
    "EventRelatedFilter",
    "EventResourceFilter",
    "EventTextFilter",
    "ReceivedEvent",
    "RelatedResource",
    "Resource",
    "new_event_id",
    "normalize_name",
    "searchable_text",
]

MAX_LABELS_PER_RESOURCE = 500
MAX_RELATED_RESOURCES = 100
MAX_EVENT_BYTES = 1_500_000
"""The largest event, as JSON (Prefect's default)."""
EVENTS_PAGE_SIZE = 50
"""Events per page of `/api/events/filter` at most (Prefect's interactive page size)."""


def new_event_id() -> UUID:
    """A new time-ordered event id (the store's one id generator)."""
    from headwater.core.ids import new_id

    return UUID(new_id())


def normalize_name(name: str) -> str:
    """`name` with a leading `headwater.` read as `prefect.` (event names, resource ids)."""
    return "prefect." + name[len("headwater."):] if name.startswith("headwater.") else name


class Resource(RootModel[dict[str, str]]):
    """A thing an event concerns: string labels, `prefect.resource.id` required."""

    @model_validator(mode="after")
    def _check(self) -> Resource:
        if len(self.root) > MAX_LABELS_PER_RESOURCE:
            raise ValueError(f"The maximum number of labels per resource is {MAX_LABELS_PER_RESOURCE}")
        if "prefect.resource.id" not in self.root:
            raise ValueError("Resources must include the prefect.resource.id label")
        if not self.root["prefect.resource.id"]:
            raise ValueError("The prefect.resource.id label must be non-empty")
        return self

    def __getitem__(self, label: str) -> str:
        return self.root[label]

    def __setitem__(self, label: str, value: str) -> None:
        self.root[label] = value

    def __contains__(self, label: object) -> bool:
        return label in self.root

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]  # a mapping's iteration, as Prefect's
        return iter(self.root)

    def get(self, label: str, default: Optional[str] = None) -> Optional[str]:
        """The value of `label`, or `default`."""
        return self.root.get(label, default)

    def keys(self) -> Any:
        """The labels."""
        return self.root.keys()

    def items(self) -> Any:
        """(label, value) pairs."""
        return self.root.items()

    @property
    def id(self) -> str:
        """The `prefect.resource.id` label."""
        return self.root["prefect.resource.id"]

    @property
    def name(self) -> Optional[str]:
        """The `prefect.resource.name` label, if any."""
        return self.root.get("prefect.resource.name")

    def prefect_object_id(self, kind: str) -> UUID:
        """The UUID at the end of a `<kind>.<uuid>` resource id.

        Raises:
            ValueError: the id is not of that kind.
        """
        prefix = kind if kind.endswith(".") else f"{kind}."
        if not self.id.startswith(prefix):
            raise ValueError(f"Resource ID {self.id} does not start with {prefix}")
        return UUID(self.id[len(prefix):])


class RelatedResource(Resource):
    """A resource playing a role in an event (`prefect.resource.role` required)."""

    @model_validator(mode="after")
    def _check_role(self) -> RelatedResource:
        if "prefect.resource.role" not in self.root:
            raise ValueError("Related Resources must include the prefect.resource.role label")
        if not self.root["prefect.resource.role"]:
            raise ValueError("The prefect.resource.role label must be non-empty")
        return self

    @property
    def role(self) -> str:
        """The `prefect.resource.role` label."""
        return self.root["prefect.resource.role"]


def _check_related(value: list[RelatedResource]) -> list[RelatedResource]:
    if len(value) > MAX_RELATED_RESOURCES:
        raise ValueError(f"The maximum number of related resources is {MAX_RELATED_RESOURCES}")
    return value


def _utc_now() -> datetime:
    from headwater.core import clock

    return datetime.fromtimestamp(clock.now(), timezone.utc)


class Event(BaseModel):
    """Something that happened to a resource, as its sender saw it."""

    model_config = ConfigDict(extra="ignore")

    occurred: datetime = Field(default_factory=_utc_now, description="When it happened (sender's clock).")
    event: str = Field(description="The event's name.")
    resource: Resource = Field(description="The resource the event concerns.")
    related: Annotated[list[RelatedResource], AfterValidator(_check_related)] = Field(
        default_factory=list, description="Other resources involved, each with a role."
    )
    payload: dict[str, Any] = Field(default_factory=dict, description="What happened, as JSON.")
    id: UUID = Field(default_factory=new_event_id, description="The sender's id of the event.")
    follows: Optional[UUID] = Field(default=None, description="An event known to have happened before this one.")

    @property
    def size_bytes(self) -> int:
        """The event's size as JSON."""
        return len(self.model_dump_json().encode())

    @property
    def involved_resources(self) -> Sequence[Resource]:
        """The resource, then the related resources."""
        return [self.resource, *self.related]

    @property
    def resource_in_role(self) -> Mapping[str, RelatedResource]:
        """The first related resource in each role."""
        return {related.role: related for related in reversed(self.related)}

    @property
    def resources_in_role(self) -> Mapping[str, Sequence[RelatedResource]]:
        """The related resources of each role."""
        roles: dict[str, list[RelatedResource]] = {}
        for related in self.related:
            roles.setdefault(related.role, []).append(related)
        return roles

    def find_resource_label(self, label: str) -> Optional[str]:
        """A label of the resource, or of the first related resource of a role with
        `related:<role>:<label>`."""
        directive, _, related_label = label.rpartition(":")
        directive, _, role = directive.partition(":")
        if directive == "related":
            for related in self.related:
                if related.role == role:
                    return related.get(related_label)
        return self.resource.get(label)


class ReceivedEvent(Event):
    """An event as stored: with when the store received it."""

    received: datetime = Field(description="When the store received the event.")


# -- reading: the filter of POST /api/events/filter ---------------------------------------


class EventDataFilter(BaseModel):
    """What every event filter is: a model of criteria, each of its fields that is a
    filter (or a list of them) one more criterion that must hold. `includes` checks an
    event in Python, as the store's query does in SQL."""

    model_config = ConfigDict(extra="forbid")

    def get_filters(self) -> list[EventDataFilter]:
        """The filters among this one's fields, lists flattened (all must hold)."""
        found: list[EventDataFilter] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            found += [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, EventDataFilter)]
        return found

    def includes(self, event: Event) -> bool:
        """Whether the event meets every criterion of this filter."""
        return all(part.includes(event) for part in self.get_filters())

    def excludes(self, event: Event) -> bool:
        """Whether the event fails a criterion of this filter."""
        return not self.includes(event)


def _default_since() -> datetime:
    today = _utc_now().replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=180)


class EventOccurredFilter(EventDataFilter):
    """When events occurred: from `since` to `until`, both inclusive."""

    since: datetime = Field(default_factory=_default_since, description="Only events at or after this time.")
    until: datetime = Field(default_factory=_utc_now, description="Only events at or before this time.")

    def includes(self, event: Event) -> bool:
        """Whether the event occurred in the range."""
        return self.since <= event.occurred <= self.until


def _normalized(values: Optional[list[str]]) -> Optional[list[str]]:
    return None if values is None else [normalize_name(v) for v in values]


class EventNameFilter(EventDataFilter):
    """Event names: prefixes and exact names to include or exclude."""

    prefix: Optional[list[FilterText]] = Field(default=None, description="Only names starting with one of these.")
    exclude_prefix: Optional[list[FilterText]] = Field(default=None, description="No names starting with these.")
    name: Optional[list[FilterText]] = Field(default=None, description="Only these names.")
    exclude_name: Optional[list[FilterText]] = Field(default=None, description="None of these names.")

    @model_validator(mode="after")
    def _normalize(self) -> EventNameFilter:
        self.prefix, self.exclude_prefix = _normalized(self.prefix), _normalized(self.exclude_prefix)
        self.name, self.exclude_name = _normalized(self.name), _normalized(self.exclude_name)
        return self

    def includes(self, event: Event) -> bool:
        """Whether the event's name passes every list given."""
        name = normalize_name(event.event)
        return ((not self.prefix or any(name.startswith(p) for p in self.prefix))
                and not any(name.startswith(p) for p in self.exclude_prefix or ())
                and (not self.name or name in self.name) and name not in (self.exclude_name or ()))


class EventResourceFilter(EventDataFilter):
    """The event's own resource: by id or id prefix."""

    id: Optional[list[FilterText]] = Field(default=None, description="Only events of resources with these ids.")
    id_prefix: Optional[list[FilterText]] = Field(default=None, description="Only resources whose id starts so.")

    @model_validator(mode="after")
    def _normalize(self) -> EventResourceFilter:
        self.id, self.id_prefix = _normalized(self.id), _normalized(self.id_prefix)
        return self

    def includes(self, event: Event) -> bool:
        """Whether the event's resource has one of the ids and one of the id prefixes given."""
        return self._matches(event.resource)

    def _matches(self, resource: Resource) -> bool:
        rid = normalize_name(resource.id)
        return (not self.id or rid in self.id) and (not self.id_prefix or any(rid.startswith(p) for p in self.id_prefix))


class EventAnyResourceFilter(EventResourceFilter):
    """The resource or any related resource: by id or id prefix."""

    def includes(self, event: Event) -> bool:
        """Whether the resource or a related resource has one of the ids and prefixes given."""
        return any(self._matches(resource) for resource in event.involved_resources)


class EventRelatedFilter(EventDataFilter):
    """Related resources: ids, roles, or (id, role) pairs, one related resource matching all."""

    id: Optional[list[FilterText]] = Field(default=None, description="Related resources with these ids.")
    role: Optional[list[FilterText]] = Field(default=None, description="Related resources in these roles.")
    resources_in_roles: Optional[list[tuple[FilterText, FilterText]]] = Field(
        default=None, description="Related resources with this id in this role."
    )

    @model_validator(mode="after")
    def _normalize(self) -> EventRelatedFilter:
        self.id = _normalized(self.id)
        if self.resources_in_roles is not None:
            self.resources_in_roles = [(normalize_name(i), r) for i, r in self.resources_in_roles]
        return self

    def includes(self, event: Event) -> bool:
        """Whether related resources have the ids, roles and (id, role) pairs given."""
        pairs = [(normalize_name(r.id), r.role) for r in event.related]
        return ((not self.id or any(i in self.id for i, _ in pairs))
                and (not self.role or any(r in self.role for _, r in pairs))
                and (not self.resources_in_roles or any(tuple(p) in pairs for p in self.resources_in_roles)))


class EventIDFilter(EventDataFilter):
    """Event ids."""

    id: Optional[list[UUID]] = Field(default=None, description="Only events with these ids.")

    def includes(self, event: Event) -> bool:
        """Whether the event has one of the ids (when any are given)."""
        return not self.id or event.id in self.id


class EventTextFilter(EventDataFilter):
    """Text search over an event's name, resource, related resources and payload, in
    Prefect's query syntax (`headwater.core.text_search`): `error -debug`,
    `"connection timeout"`, `+required`; ignoring case."""

    query: Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")] = Field(
        description="Text search query string", examples=["error", "error -debug", '"connection timeout"'])

    def includes(self, event: Event) -> bool:
        """Whether the event's text satisfies the query."""
        from headwater.core.text_search import parse_text_query

        return parse_text_query(self.query).matches(searchable_text(event))


def searchable_text(event: Event) -> str:
    """The text a text filter searches: the name, the values of the resource's and
    related resources' labels, and the payload."""
    parts = [event.event, *event.resource.root.values()]
    for related in event.related:
        parts += related.root.values()
    parts.append(str(event.payload))
    return " ".join(parts)


class EventOrder(str, Enum):
    """Oldest first (ASC) or newest first (DESC, the default)."""

    ASC = "ASC"
    DESC = "DESC"


class EventFilter(EventDataFilter):
    """Which events to read (every criterion given must hold)."""

    occurred: EventOccurredFilter = Field(default_factory=EventOccurredFilter)
    event: Optional[EventNameFilter] = None
    resource: Optional[EventResourceFilter] = None
    related: Optional[Union[EventRelatedFilter, list[EventRelatedFilter]]] = None
    any_resource: Optional[Union[EventAnyResourceFilter, list[EventAnyResourceFilter]]] = None
    id: EventIDFilter = Field(default_factory=EventIDFilter)
    text: Optional[EventTextFilter] = Field(default=None, description="Text search across the events' content.")
    order: EventOrder = EventOrder.DESC


class EventPage(BaseModel):
    """One page of events, how many match in all, and the link to the next page."""

    events: list[ReceivedEvent]
    total: int
    next_page: Optional[str] = None


class EventCount(BaseModel):
    """How many events share a value (`POST /api/events/count-by/{countable}`)."""

    value: str
    label: str
    count: int
    start_time: datetime
    end_time: datetime
