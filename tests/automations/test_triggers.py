"""Trigger evaluation (server/services/triggers.py), fed events and time by hand:
reactive thresholds and windows, `after`, `for_each`, proactive absence, compound and
sequence triggers, and resource matching."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from headwater.core.event_schemas import ReceivedEvent
from headwater.core.triggers import CompoundTrigger, EventTrigger, ResourceSpecification, SequenceTrigger
from headwater.server.services.triggers import trigger_state


def event(name: str, at: float, resource: str = "order.1", related: list[dict[str, str]] | None = None,
          **labels: str) -> ReceivedEvent:
    when = datetime.fromtimestamp(at, timezone.utc)
    return ReceivedEvent(event=name, occurred=when, received=when,
                         resource={"prefect.resource.id": resource, **labels}, related=related or [])


def feed(state: Any, *events: ReceivedEvent) -> list[str]:
    return [f.event.event if f.event else "absent" for e in events for f in state.on_event(e, e.occurred.timestamp())]


def test_reactive_threshold_within_a_window() -> None:
    state = trigger_state(EventTrigger(expect={"order.*"}, threshold=3, within=10), 0.0)
    assert feed(state, event("order.placed", 1), event("order.placed", 2)) == []
    assert feed(state, event("order.placed", 30)) == []  # the first two are out of the window
    assert feed(state, event("order.placed", 31), event("order.paid", 32)) == ["order.paid"]
    assert feed(state, event("order.placed", 33)) == []  # counting starts again after a firing


def test_reactive_matches_resources_and_names() -> None:
    state = trigger_state(EventTrigger(expect={"prefect.flow-run.Failed"},
                                       match={"prefect.resource.id": "prefect.flow-run.*"},
                                       match_related={"prefect.resource.role": "flow",
                                                      "prefect.resource.id": "prefect.flow.f1"}), 0.0)
    flow = [{"prefect.resource.id": "prefect.flow.f1", "prefect.resource.role": "flow"}]
    other = [{"prefect.resource.id": "prefect.flow.f2", "prefect.resource.role": "flow"}]
    assert feed(state, event("prefect.flow-run.Failed", 1, "prefect.flow-run.a", other)) == []
    assert feed(state, event("prefect.flow-run.Completed", 2, "prefect.flow-run.a", flow)) == []
    assert feed(state, event("headwater.flow-run.Failed", 3, "headwater.flow-run.a", flow)) == [
        "headwater.flow-run.Failed"]


def test_after_opens_and_for_each_separates() -> None:
    state = trigger_state(EventTrigger(after={"order.placed"}, expect={"order.paid"}, for_each={"order"}), 0.0)
    assert feed(state, event("order.paid", 1, order="a")) == []  # nothing opened it
    assert feed(state, event("order.placed", 2, order="a"), event("order.paid", 3, order="b")) == []
    assert feed(state, event("order.paid", 4, order="a")) == ["order.paid"]
    assert feed(state, event("order.paid", 5, order="a")) == []  # closed again after firing


def test_proactive_fires_when_events_are_missing() -> None:
    state = trigger_state(EventTrigger(posture="Proactive", expect={"heartbeat"}, within=10), 0.0)
    assert state.on_time(5.0) == []
    feed(state, event("heartbeat", 6))
    assert state.on_time(12.0) == []  # the period to 10 was satisfied at 6: the next runs to 20
    assert state.on_time(16.5) == []
    fired = state.on_time(20.5)
    assert len(fired) == 1 and fired[0].event is None and fired[0].key == "proactive::20.000"
    assert state.on_time(21.0) == []


def test_proactive_periods_follow_the_automations_grid_and_a_missed_stretch_fires_once() -> None:
    """Periods start where the automation was created (the anchor), not where evaluation
    began, so a server that starts again finds the same periods (and firing keys)."""
    trigger = EventTrigger(posture="Proactive", expect={"heartbeat"}, within=10)
    first = trigger_state(trigger, 3.0, anchor=0.0)
    again = trigger_state(trigger, 14.0, anchor=0.0)
    assert [f.key for f in first.on_time(10.5)] == ["proactive::10.000"]
    assert [f.key for f in again.on_time(20.5)] == ["proactive::20.000"]
    assert [f.key for f in first.on_time(20.5)] == ["proactive::20.000"]
    # a server away from 21 to 55 fires once for the periods it missed, then at 60
    assert [f.key for f in first.on_time(55.0)] == ["proactive::30.000"]
    assert first.on_time(59.0) == [] and [f.key for f in first.on_time(60.0)] == ["proactive::60.000"]


def test_compound_and_sequence() -> None:
    compound = trigger_state(CompoundTrigger(require="all", within=60, triggers=[
        EventTrigger(expect={"a"}), EventTrigger(expect={"b"})]), 0.0)
    assert feed(compound, event("a", 1)) == []
    assert feed(compound, event("b", 2)) == ["b"]
    assert feed(compound, event("b", 3)) == []
    sequence = trigger_state(SequenceTrigger(triggers=[EventTrigger(expect={"a"}), EventTrigger(expect={"b"})]), 0.0)
    assert feed(sequence, event("b", 1), event("a", 2)) == []
    assert feed(sequence, event("b", 3)) == ["b"]


def test_resource_specification_negation_and_prefix() -> None:
    spec = ResourceSpecification({"prefect.resource.id": ["order.*"], "env": "!test"})
    from headwater.core.event_schemas import Resource

    assert spec.matches(Resource({"prefect.resource.id": "order.9", "env": "prod"}))
    assert not spec.matches(Resource({"prefect.resource.id": "order.9", "env": "test"}))
    assert not spec.matches(Resource({"prefect.resource.id": "invoice.9", "env": "prod"}))
