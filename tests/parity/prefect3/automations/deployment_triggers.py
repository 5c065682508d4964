"""Deployment triggers as the "Deployment triggers" docs declare them: built from
keyword arguments or dicts, dumped to JSON, and turned into the automation that runs
the deployment (`set_deployment_id`, `as_automation`, `actions`)."""

import json
from datetime import timedelta
from uuid import UUID

from pydantic import TypeAdapter, ValidationError

from prefect.events import DeploymentCompoundTrigger, DeploymentEventTrigger, DeploymentTriggerTypes
from prefect.events.schemas.deployment_triggers import DeploymentSequenceTrigger

trigger = DeploymentEventTrigger(
    name="rerun on failure",
    expect={"prefect.flow-run.Failed"},
    match_related={"prefect.resource.id": "prefect.flow.etl", "prefect.resource.role": "flow"},
    parameters={"run": "{{ event.resource.id }}"},
    schedule_after=timedelta(seconds=30),
)
print(json.dumps(trigger.model_dump(mode="json")))
print(trigger.describe_for_cli())

trigger.set_deployment_id(UUID(int=7))
automation = trigger.as_automation()
print(type(automation).__name__, type(automation.trigger).__name__)
print(json.dumps(automation.model_dump(mode="json")))
print(trigger.owner_resource())
print([type(a).__name__ for a in trigger.actions()])

adapter = TypeAdapter(DeploymentTriggerTypes)
for raw in [
    {"expect": ["order.shipped"], "within": 60, "threshold": 2},
    {"posture": "Proactive", "expect": ["heartbeat"], "for_each": ["prefect.resource.id"]},
    {"require": "any", "triggers": [{"expect": ["a"]}, {"expect": ["b"]}]},
    {"triggers": [{"expect": ["a"]}, {"expect": ["b"]}], "within": 120},
]:
    made = adapter.validate_python(raw)
    print(type(made).__name__, json.dumps(made.model_dump(mode="json")))

for raw in [
    {"posture": "Proactive", "expect": ["x"], "within": 5},
    {"require": 3, "triggers": [{"expect": ["a"]}]},
    {"expect": ["x"], "threshold": "many"},
]:
    try:
        adapter.validate_python(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        print("refused:", first["type"], first["msg"])

compound = DeploymentCompoundTrigger(require="all", triggers=[{"expect": ["a"]}, {"expect": ["b"]}], name="both")
compound.set_deployment_id(UUID(int=9))
print(compound.as_automation().name, type(compound.as_automation().trigger).__name__)
print(compound.describe_for_cli())
sequence = DeploymentSequenceTrigger(triggers=[{"expect": ["a"]}, {"expect": ["b"]}])
print(sequence.describe_for_cli(indent=1))
