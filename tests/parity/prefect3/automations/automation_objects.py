"""Automation objects as the "Automations and triggers" docs build them in Python:
triggers, actions, `Automation`, their JSON, their validation errors, and resource
specifications matching resources (no server needed)."""

import json
from datetime import timedelta
from uuid import UUID

from pydantic import ValidationError

from prefect.automations import Automation, CallWebhook, CompoundTrigger, EventTrigger, RunDeployment
from prefect.events import (
    CancelFlowRun,
    ChangeFlowRunState,
    PauseAutomation,
    PauseDeployment,
    PauseWorkPool,
    Posture,
    ResourceSpecification,
    SendNotification,
    SequenceTrigger,
)
from prefect.events.actions import DoNothing, ResumeFlowRun, SuspendFlowRun
from prefect.events.schemas.automations import AutomationCore
from prefect.events.schemas.events import Resource, matches

automation = Automation(
    name="woodchonk",
    description="watch the marmots",
    trigger=EventTrigger(
        expect={"animal.walked"},
        match={"genus": "Marmota", "species": "monax"},
        posture="Reactive",
        threshold=3,
        within=timedelta(seconds=10),
    ),
    actions=[CancelFlowRun(), RunDeployment(deployment_id=UUID(int=1), parameters={"n": "{{ event.payload.n }}"})],
)
print(automation.id)
print(json.dumps(automation.model_dump(mode="json")))
print(automation.trigger.describe_for_cli())
print([a.describe_for_cli() for a in automation.actions])
print(repr(automation.trigger.posture), automation.trigger.posture == "Reactive", Posture.Proactive.value)

core = AutomationCore.model_validate({
    "name": "from json",
    "trigger": {"posture": "Proactive", "expect": ["heartbeat"], "within": 60},
    "actions": [
        {"type": "pause-deployment", "source": "inferred"},
        {"type": "call-webhook", "block_document_id": str(UUID(int=3)), "payload": "{{ event.id }}"},
        {"type": "send-notification", "block_document_id": str(UUID(int=4)), "body": "late"},
        {"type": "change-flow-run-state", "state": "FAILED", "message": "gave up"},
        {"type": "brand-new-action", "extra": 1},
    ],
})
print(type(core.trigger).__name__, core.trigger.within, core.trigger.posture.value)
print([type(a).__name__ for a in core.actions])
print(core.actions[4].model_dump())
print(json.dumps(core.model_dump(mode="json")["actions"][:4]))

for build in [
    lambda: RunDeployment(),
    lambda: PauseDeployment(source="inferred", deployment_id=UUID(int=1)),
    lambda: PauseAutomation(),
    lambda: EventTrigger(posture="Proactive", within=5),
    lambda: EventTrigger(within=-1),
    lambda: CompoundTrigger(require=0, triggers=[EventTrigger()]),
    lambda: CallWebhook(),
    lambda: ChangeFlowRunState(state="NOT_A_STATE"),
    lambda: AutomationCore(name="x", trigger={"expect": ["a"]}),
]:
    try:
        build()
        print("built")
    except ValidationError as exc:
        first = exc.errors()[0]
        message = "" if first["type"] == "enum" else first["msg"]  # (the order of the states listed is not fixed)
        print("refused:", ".".join(str(p) for p in first["loc"]), first["type"], message)

print(PauseWorkPool(source="inferred").work_pool_id, DoNothing().type, ResumeFlowRun().type, SuspendFlowRun().type)
print(SendNotification(block_document_id=UUID(int=5), body="hi").subject)

seq = SequenceTrigger(triggers=[EventTrigger(expect={"a"}), EventTrigger(expect={"b"})], within=30)
print(json.dumps(seq.model_dump(mode="json")))
print(CompoundTrigger(require="any", triggers=[{"expect": ["a"]}]).describe_for_cli())

spec = ResourceSpecification({"prefect.resource.id": ["order.*", "!order.9"], "env": "prod"})
for labels in [{"prefect.resource.id": "order.1", "env": "prod"}, {"prefect.resource.id": "order.9", "env": "prod"},
               {"prefect.resource.id": "order.2", "env": "test"}, {"prefect.resource.id": "invoice.1", "env": "prod"}]:
    print(labels["prefect.resource.id"], labels["env"], spec.matches(Resource(labels)))
print(spec.get("env"), spec["prefect.resource.id"], len(spec), "env" in spec)
print(spec.matches_every_resource(), ResourceSpecification({}).matches_every_resource(),
      ResourceSpecification({"prefect.resource.id": "prefect.flow-run.*"}).matches_every_resource_of_kind("prefect.flow-run"))
print(matches("abc*", "abcdef"), matches("!abc", "abc"), matches("x", None))
