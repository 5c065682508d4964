"""Automation triggers, in Prefect 3's shape: what must (or must not) happen for an
automation to act.

- `EventTrigger`: reactive (fire when `threshold` matching events arrive within
  `within`) or proactive (fire when fewer than `threshold` arrive within `within`
  after the trigger opened: from start-up, or from an `after` event).
- `CompoundTrigger` (`require` any, all or a number of its triggers, within a time)
  and `SequenceTrigger` (its triggers in order).
- `MetricTrigger` is accepted and stored, as on Prefect, but headwater does not
  evaluate metric queries (a Prefect Cloud feature); the server refuses to create one.

Which events a trigger sees: `expect` and `after` name events (a trailing `*` is a
prefix); `match` selects the event's resource by labels and `match_related` its
related resources (`ResourceSpecification`: values may end in `*` or start with `!`).
Pure: no I/O. The evaluation lives in `server/services/automations.py`.
"""

from __future__ import annotations

import abc
import textwrap
from collections.abc import Iterable
from datetime import timedelta
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional, Union, cast
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    RootModel,
    Tag,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

if TYPE_CHECKING:
    from headwater.core.actions import ActionTypes
    from headwater.core.automation_schemas import AutomationCore
    from headwater.core.event_schemas import Resource

__all__ = [
    "CompositeTrigger",
    "CompoundTrigger",
    "EventTrigger",
    "MetricTrigger",
    "MetricTriggerOperator",
    "MetricTriggerQuery",
    "Posture",
    "PrefectMetric",
    "ResourceSpecification",
    "ResourceTrigger",
    "SequenceTrigger",
    "Trigger",
    "TriggerTypes",
    "event_name_matches",
    "matches",
    "trigger_discriminator",
]

_timedelta = TypeAdapter(timedelta)


class SchemaModel(BaseModel):
    """The base of the automation schemas: unknown fields ignored and durations as
    seconds in JSON, as Prefect's models."""

    model_config = ConfigDict(ser_json_timedelta="float", extra="ignore")


def matches(expected: str, value: Optional[str]) -> bool:
    """Whether `value` matches `expected`: equal, or a prefix when `expected` ends in
    `*`; a leading `!` negates. A missing value never matches."""
    if value is None:
        return False
    positive = not expected.startswith("!")
    if not positive:
        expected = expected[1:]
    found = value.startswith(expected[:-1]) if expected.endswith("*") else value == expected
    return found if positive else not found


def event_name_matches(patterns: Iterable[str], name: str) -> bool:
    """Whether an event name matches one of `patterns` (exact, or a prefix ending in `*`);
    `headwater.` names are read as `prefect.` on both sides."""
    from headwater.core.event_schemas import normalize_name

    name = normalize_name(name)
    for pattern in patterns:
        pattern = normalize_name(pattern)
        if pattern.endswith("*") and name.startswith(pattern[:-1]) or pattern == name:
            return True
    return False


class ResourceSpecification(RootModel[dict[str, Union[str, list[str]]]]):
    """Labels a resource must have: each label's value must match one of the given
    values (see `matches`)."""

    def matches_every_resource(self) -> bool:
        """True when it names no label."""
        return len(self.root) == 0

    def matches_every_resource_of_kind(self, prefix: str) -> bool:
        """True when it names no label, or only `prefect.resource.id` as `<prefix>.*`."""
        if self.matches_every_resource():
            return True
        if len(self.root) == 1 and "prefect.resource.id" in self.root:
            return any(value == f"{prefix}.*" for value in self["prefect.resource.id"])
        return False

    def includes(self, candidates: Iterable[Resource]) -> bool:
        """True when it matches every resource, or one of `candidates`."""
        return self.matches_every_resource() or any(self.matches(c) for c in candidates)

    def matches(self, resource: Resource) -> bool:
        """True when every label it names has a matching value on `resource`."""
        from headwater.core.event_schemas import normalize_name

        for label, expected in self.items():
            value = resource.get(label)
            if label == "prefect.resource.id" and value is not None:
                value, expected = normalize_name(value), [normalize_name(e) for e in expected]
            if not any(matches(candidate, value) for candidate in expected):
                return False
        return True

    def items(self) -> list[tuple[str, list[str]]]:
        """(label, values) pairs, a single value as a list of one."""
        return [(label, [value] if isinstance(value, str) else value) for label, value in self.root.items()]

    def __contains__(self, key: object) -> bool:
        return key in self.root

    def __getitem__(self, key: str) -> list[str]:
        value = self.root[key]
        return [] if not value else [value] if isinstance(value, str) else value

    def get(self, key: str, default: Optional[Union[str, list[str]]] = None) -> Optional[list[str]]:
        """The values of a label as a list ([] when absent)."""
        value = self.root.get(key, default)
        return [] if not value else [value] if isinstance(value, str) else value

    def pop(self, key: str, default: Optional[Union[str, list[str]]] = None) -> Optional[list[str]]:
        """Remove a label; its values as a list ([] when absent)."""
        value = self.root.pop(key, default)
        return [] if not value else [value] if isinstance(value, str) else value

    def __len__(self) -> int:
        return len(self.root)

    def deepcopy(self) -> ResourceSpecification:
        """An independent copy."""
        return ResourceSpecification(root={k: list(v) if isinstance(v, list) else v for k, v in self.root.items()})


class Posture(str, Enum):
    """Whether a trigger answers the presence (Reactive) or absence (Proactive) of events."""

    Reactive = "Reactive"
    Proactive = "Proactive"
    Metric = "Metric"

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.value}"

    def __str__(self) -> str:
        return f"{type(self).__name__}.{self.value}"


class Trigger(SchemaModel, abc.ABC):
    """What must be satisfied for an automation to act (the base of every trigger)."""

    type: str

    _deployment_id: Optional[UUID] = PrivateAttr(default=None)

    @abc.abstractmethod
    def describe_for_cli(self, indent: int = 0) -> str:
        """A description of the trigger for people, indented by `indent` levels."""

    def set_deployment_id(self, deployment_id: UUID) -> None:
        """The deployment this trigger runs when used as a deployment trigger."""
        self._deployment_id = deployment_id

    def owner_resource(self) -> Optional[str]:
        """The resource that owns the automation made from this trigger."""
        return f"prefect.deployment.{self._deployment_id}"

    def actions(self) -> list[ActionTypes]:
        """The actions of a deployment trigger: run its deployment."""
        from headwater.core.actions import RunDeployment

        if self._deployment_id is None:
            raise ValueError("set_deployment_id() first: this trigger runs no deployment yet")
        return [RunDeployment(source="selected", deployment_id=self._deployment_id,
                              parameters=getattr(self, "parameters", None),
                              job_variables=getattr(self, "job_variables", None),
                              schedule_after=getattr(self, "schedule_after", timedelta(0)))]

    def as_automation(self) -> AutomationCore:
        """The automation a deployment trigger stands for."""
        from headwater.core.automation_schemas import AutomationCore

        if self._deployment_id is None:
            raise ValueError("set_deployment_id() first: this trigger runs no deployment yet")
        trigger: Any = self
        plain = getattr(type(self), "trigger_type", None)
        if plain is not None:  # a Deployment*Trigger: its plain trigger, without the automation's fields
            trigger = plain(**self.model_dump())
        return AutomationCore(name=getattr(self, "name", None) or f"Automation for deployment {self._deployment_id}",
                              description=getattr(self, "description", ""), enabled=getattr(self, "enabled", True),
                              trigger=trigger, actions=list(self.actions()), owner_resource=self.owner_resource())


def _specification(value: Any) -> Any:
    return ResourceSpecification.model_validate(value) if isinstance(value, dict) else value


class ResourceTrigger(Trigger, abc.ABC):
    """A trigger that selects events by the labels of their resources."""

    type: str
    match: ResourceSpecification = Field(
        default_factory=lambda: ResourceSpecification.model_validate({}),
        description="Labels for resources which this trigger will match.")
    match_related: Union[ResourceSpecification, list[ResourceSpecification]] = Field(
        default_factory=lambda: ResourceSpecification.model_validate({}),
        description="Labels for related resources which this trigger will match.")

    @field_validator("match", mode="before")
    @classmethod
    def _coerce_match(cls, value: Any) -> Any:
        return _specification(value)

    @field_validator("match_related", mode="before")
    @classmethod
    def _coerce_match_related(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_specification(item) for item in value]
        return _specification(value)

    def selects(self, resource: Resource, related: Iterable[Resource]) -> bool:
        """Whether an event about `resource` with these related resources is one this
        trigger looks at."""
        if not self.match.matches(resource):
            return False
        related = list(related)
        specs = self.match_related if isinstance(self.match_related, list) else [self.match_related]
        return all(spec.includes(related) for spec in specs)


class EventTrigger(ResourceTrigger):
    """Fires on the presence (Reactive) or absence (Proactive) of events within a period."""

    type: Literal["event"] = "event"
    after: set[str] = Field(default_factory=set, description=(
        "The event(s) which must first been seen to fire this trigger. If empty, then fire this trigger "
        "immediately. Events may include trailing wildcards, like `prefect.flow-run.*`"))
    expect: set[str] = Field(default_factory=set, description=(
        "The event(s) this trigger is expecting to see. If empty, this trigger will match any event. "
        "Events may include trailing wildcards, like `prefect.flow-run.*`"))
    for_each: set[str] = Field(default_factory=set, description=(
        "Evaluate the trigger separately for each distinct value of these labels on the resource "
        "(`related:<role>:<label>` for a related resource's label)."))
    posture: Literal[Posture.Reactive, Posture.Proactive] = Field(default=Posture.Reactive, description=(
        "Reactive triggers respond to the presence of the expected events, Proactive ones to their absence."))
    threshold: int = Field(default=1, description=(
        "The number of events required for this trigger to fire (Reactive), or expected (Proactive)"))
    within: timedelta = Field(default=timedelta(seconds=0), ge=timedelta(seconds=0),
                              json_schema_extra={"minimum": 0}, description=(
        "The time period over which the events must occur (at least 10 seconds for Proactive triggers)"))

    @model_validator(mode="before")
    @classmethod
    def _proactive_within(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if "within" in data and data["within"] is None:
            raise ValueError("`within` should be a valid timedelta")
        within = data.get("within")
        if within is not None and not isinstance(within, timedelta):
            try:
                within = _timedelta.validate_python(within)
            except ValidationError:
                return data  # the field's own validation names the bad value
        if data.get("posture") == Posture.Proactive:
            if not within:
                within = timedelta(seconds=10.0)
            elif within < timedelta(seconds=10.0):
                raise ValueError("`within` for Proactive triggers must be greater than or equal to 10 seconds")
        return {**data, "within": within} if within else data

    def describe_for_cli(self, indent: int = 0) -> str:
        """A description of the trigger for people, indented by `indent` levels."""
        if self.posture == Posture.Reactive:
            text = f"Reactive: expecting {self.threshold} of {self.expect}"
        else:
            text = f"Proactive: expecting {self.threshold} {self.expect} event within {self.within}"
        return textwrap.indent(text, prefix="  " * indent)


class MetricTriggerOperator(Enum):
    """How a metric is compared with its threshold."""

    LT = "<"
    LTE = "<="
    GT = ">"
    GTE = ">="


class PrefectMetric(Enum):
    """The metrics a metric trigger may query."""

    lateness = "lateness"
    duration = "duration"
    successes = "successes"


def _at_least_five_minutes(value: timedelta) -> timedelta:
    if value < timedelta(seconds=300):
        raise ValueError("The minimum range is 300 seconds (5 minutes)")
    return value


class MetricTriggerQuery(SchemaModel):
    """The query and breaching condition of a metric trigger."""

    name: Union[PrefectMetric, str] = Field(..., union_mode="left_to_right", description="The metric to query.")
    threshold: float = Field(..., description="The value the query's result is compared with.")
    operator: MetricTriggerOperator = Field(..., description="The comparison (LT / LTE / GT / GTE).")
    range: timedelta = Field(timedelta(seconds=300), json_schema_extra={"minimum": 300},
                             description="The lookback of the query (at least 300 seconds).")
    firing_for: timedelta = Field(timedelta(seconds=300), json_schema_extra={"minimum": 300},
                                  description="How long the query must breach before firing (at least 300 s).")

    @field_validator("range", "firing_for")
    @classmethod
    def _minimum(cls, value: timedelta) -> timedelta:
        return _at_least_five_minutes(value)


class MetricTrigger(ResourceTrigger):
    """Fires on the result of a metric query (stored, not evaluated by headwater)."""

    type: Literal["metric"] = "metric"
    posture: Literal[Posture.Metric] = Field(Posture.Metric, description="Periodically evaluate the query.")
    metric: MetricTriggerQuery = Field(..., description="The metric query to evaluate for this trigger.")

    def describe_for_cli(self, indent: int = 0) -> str:
        """A description of the trigger for people, indented by `indent` levels."""
        m = self.metric
        name = m.name.value if isinstance(m.name, PrefectMetric) else m.name
        return textwrap.indent(f"Metric: {name} {m.operator.value} {m.threshold} for {m.range}", prefix="  " * indent)


class CompositeTrigger(Trigger, abc.ABC):
    """A trigger made of other triggers, which must fire within a period."""

    type: Literal["compound", "sequence"]
    triggers: list[TriggerTypes]
    within: Optional[timedelta] = Field(None, description="The time period over which the triggers must fire.")

    def _describe(self, heading: str, indent: int) -> str:
        inner = "\n".join(trigger.describe_for_cli(indent=indent + 1) for trigger in self.triggers)
        return textwrap.indent(f"{heading}\n{inner}", prefix="  " * indent)


class CompoundTrigger(CompositeTrigger):
    """Fires when `require` (any, all, or a number) of its triggers fired within the period."""

    type: Literal["compound"] = "compound"
    require: Union[int, Literal["any", "all"]]

    @model_validator(mode="after")
    def _check_require(self) -> CompoundTrigger:
        if isinstance(self.require, int):
            if self.require < 1:
                raise ValueError("require must be at least 1")
            if self.require > len(self.triggers):
                raise ValueError("require must be less than or equal to the number of triggers")
        return self

    def describe_for_cli(self, indent: int = 0) -> str:
        """A description of the trigger for people, indented by `indent` levels."""
        return self._describe(f"{str(self.require).capitalize()} of:", indent)


class SequenceTrigger(CompositeTrigger):
    """Fires when its triggers fired in order within the period."""

    type: Literal["sequence"] = "sequence"

    def describe_for_cli(self, indent: int = 0) -> str:
        """A description of the trigger for people, indented by `indent` levels."""
        return self._describe("In this order:", indent)


def trigger_discriminator(value: Any) -> str:
    """The kind of a trigger given as a dict or object ('event' when nothing says)."""
    if isinstance(value, dict):
        if "type" in value:
            return cast(str, value["type"])
        if "triggers" in value:
            return "compound" if "require" in value else "sequence"
        if value.get("posture") == "Metric":
            return "metric"
        return "event"
    return cast(str, getattr(value, "type", "event"))


TriggerTypes = Annotated[
    Union[
        Annotated[EventTrigger, Tag("event")],
        Annotated[MetricTrigger, Tag("metric")],
        Annotated[CompoundTrigger, Tag("compound")],
        Annotated[SequenceTrigger, Tag("sequence")],
    ],
    Discriminator(trigger_discriminator),
]
"""Every trigger a user may create."""

CompoundTrigger.model_rebuild()
SequenceTrigger.model_rebuild()
