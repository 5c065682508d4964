"""Deployment triggers: `flow.deploy(triggers=[...])` (and `to_deployment`) make one
automation per trigger that runs the deployment, owned by it, replaced on re-deploy;
a malformed trigger is refused naming the field; and `Automation` from Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from headwater import flow
from headwater.automations import Automation
from headwater.client.orchestration import SyncPrefectClient
from headwater.events import DeploymentEventTrigger, EventTrigger, RunDeployment
from headwater.exceptions import InvalidDefinitionError, ParameterValidationError


@flow
def nightly(day: str = "monday") -> str:
    return day


def _automations() -> list[Automation]:
    with SyncPrefectClient() as client:
        return [Automation(**a.model_dump()) for a in client.read_automations()]


def test_deploy_with_triggers_makes_owned_automations(home: Path) -> None:
    trigger = DeploymentEventTrigger(expect={"order.shipped"}, match={"prefect.resource.id": "order.*"},
                                     parameters={"day": "{{ event.payload.day }}"})
    deployment_id = str(nightly.deploy("nightly", triggers=[trigger, {"expect": ["order.lost"], "name": "lost"}]))
    found = {a.name: a for a in _automations()}
    assert set(found) == {f"Automation for deployment {deployment_id}", "lost"}
    made = found[f"Automation for deployment {deployment_id}"]
    assert made.owner_resource == f"prefect.deployment.{deployment_id}"
    action = made.actions[0]
    assert isinstance(action, RunDeployment) and str(action.deployment_id) == deployment_id
    assert action.parameters == {"day": "{{ event.payload.day }}"}
    assert isinstance(made.trigger, EventTrigger) and made.trigger.expect == {"order.shipped"}

    nightly.deploy("nightly", triggers=[{"expect": ["order.lost"], "name": "lost only"}])
    assert [a.name for a in _automations()] == ["lost only"]


def test_a_malformed_trigger_is_refused_naming_the_field(home: Path) -> None:
    with pytest.raises(InvalidDefinitionError, match=r"triggers\[0\]\.event\.threshold"):
        nightly.to_deployment("bad", triggers=[{"expect": ["x"], "threshold": "many"}])


def test_automation_create_read_pause_update_delete(home: Path) -> None:
    deployment_id = nightly.deploy("plain")
    made = Automation(name="rerun", trigger=EventTrigger(expect={"prefect.flow-run.Failed"}),
                      actions=[RunDeployment(deployment_id=deployment_id)]).create()
    assert made.id is not None
    read = Automation.read(name="rerun")
    assert read.id == made.id and read.enabled
    assert Automation.read(id=made.id).disable() is True
    assert Automation.read(id=made.id).enabled is False
    read.description = "rerun failed runs"
    read.enabled = True
    read.update()
    assert Automation.read(id=made.id).description == "rerun failed runs"
    assert read.delete() is True
    assert read.delete() is False
    with pytest.raises(ValueError, match="not found"):
        Automation.read(name="rerun")


def test_an_action_naming_a_missing_deployment_is_refused(home: Path) -> None:
    with pytest.raises(ParameterValidationError, match=r"actions\[0\]\.deployment_id: no deployment"):
        Automation(name="x", trigger=EventTrigger(expect={"a"}),
                   actions=[RunDeployment(deployment_id="00000000-0000-0000-0000-000000000001")]).create()


def test_serve_with_triggers_makes_the_automations(home: Path) -> None:
    import time

    from headwater import serve

    deployment = nightly.to_deployment("served", triggers=[DeploymentEventTrigger(expect={"file.uploaded"},
                                                                                    name="on upload")])
    serve(deployment, until=time.monotonic() + 0.3)
    (made,) = _automations()
    assert made.name == "on upload" and made.owner_resource and made.owner_resource.startswith("prefect.deployment.")


def test_read_automations_in_each_automation_sort(home: Path) -> None:
    from headwater.client.schemas.sorting import AutomationSort
    from headwater.core.automation_schemas import AutomationCore

    with SyncPrefectClient() as client:
        for name in ("b", "c", "a"):
            client.create_automation(AutomationCore(name=name, trigger=EventTrigger(), actions=[]))
        client.update_automation(client.read_automations_by_name("b")[0].id,
                                 AutomationCore(name="b", trigger=EventTrigger(), actions=[]))

        def names(sort: AutomationSort | None) -> list[str]:
            return [a.name for a in client.read_automations(sort=sort)]

        assert names(None) == names(AutomationSort.NAME_ASC) == ["a", "b", "c"]
        assert names(AutomationSort.NAME_DESC) == ["c", "b", "a"]
        assert names(AutomationSort.CREATED_DESC) == ["a", "c", "b"]
        assert names(AutomationSort.UPDATED_DESC) == ["b", "a", "c"]
        assert [a.name for a in client.read_automations(sort=AutomationSort.NAME_ASC, limit=1, offset=1)] == ["b"]
