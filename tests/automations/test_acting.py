"""The actions themselves (server/services/acting.py), on SQLite and PostgreSQL: each
carried out on the object named or the one the triggering event concerns, templates
rendered with the event, and each claimed once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from support import wait_until

from headwater.core.actions import (
    CancelFlowRun,
    ChangeFlowRunState,
    PauseAutomation,
    PauseDeployment,
    ResumeDeployment,
    ResumeFlowRun,
    RunDeployment,
    SuspendFlowRun,
)
from headwater.core.api_schemas import FlowRunCreate, StateCreate
from headwater.core.automation_schemas import AutomationCore
from headwater.core.deployment_schemas import DeploymentCreate, DeploymentRunCreate
from headwater.core.event_schemas import ReceivedEvent
from headwater.core.settings import load_settings
from headwater.core.states import StateType
from headwater.core.triggers import EventTrigger
from headwater.operations import Operations
from headwater.server.services.acting import ActionRunner
from headwater.server.services.triggers import Firing
from headwater.store import open_store


@pytest.fixture
def ops(store_url: str, tmp_path: Path) -> Iterator[Operations]:
    settings = load_settings(home=str(tmp_path / "home"), database_url=store_url)
    store = open_store(settings)
    yield Operations(store, settings)
    store.close()


def _take(ops: Operations, actions: list[Any], event: ReceivedEvent) -> list[Any]:
    automation = ops.create_automation(AutomationCore(name="acts", trigger=EventTrigger(), actions=actions))
    runner = ActionRunner(ops)
    try:
        assert runner.fire(automation, Firing(str(event.id), event)) == len(actions)
        assert runner.fire(automation, Firing(str(event.id), event)) == 0  # the same firing again: nothing
        wait_until(lambda: all(a.status != "running" for a in ops.automation_actions(str(automation.id))), 30,
                   "the actions to finish")
    finally:
        runner.close()
    return sorted(ops.automation_actions(str(automation.id)), key=lambda a: a.action_index)


def test_actions_on_named_and_inferred_objects(ops: Operations) -> None:
    deployment = ops.upsert_deployment(DeploymentCreate(name="d", flow_name="f", entrypoint="f.py:f",
                                                        parameters={"n": 0, "who": "x"}))
    run = ops.create_deployment_run(deployment.id, DeploymentRunCreate())
    now = datetime.now(timezone.utc)
    event = ReceivedEvent(event="prefect.flow-run.Failed", occurred=now, received=now, payload={"n": 41},
                          resource={"prefect.resource.id": f"prefect.flow-run.{run.id}",
                                    "prefect.resource.name": run.name},
                          related=[{"prefect.resource.id": f"prefect.deployment.{deployment.id}",
                                    "prefect.resource.role": "deployment"}])
    other = ops.create_automation(AutomationCore(name="other", trigger=EventTrigger(), actions=[]))
    taken = _take(ops, [
        PauseDeployment(source="inferred"),
        RunDeployment(deployment_id=deployment.id, parameters={"n": "{{ event.payload.n + 1 }}",
                                                               "who": "run {{ flow_run.name }}"}),
        PauseAutomation(automation_id=other.id),
        CancelFlowRun(),
    ], event)
    assert [(a.action_type, a.status) for a in taken] == [
        ("pause-deployment", "succeeded"), ("run-deployment", "succeeded"), ("pause-automation", "succeeded"),
        ("cancel-flow-run", "succeeded")], [a.detail for a in taken]
    assert ops.read_deployment(deployment.id).paused is True
    made = ops.read_flow_run(taken[1].detail.split()[-1])
    assert made.parameters == {"n": 42, "who": f"run {run.name}"} and made.deployment_id == deployment.id
    assert ops.read_automation(str(other.id)).enabled is False
    assert str(ops.read_flow_run(run.id).state.type) in ("CANCELLED", "CANCELLING")

    second = ReceivedEvent(event="x", occurred=now, received=now,
                           resource={"prefect.resource.id": f"prefect.flow-run.{run.id}"})
    taken = _take(ops, [ResumeDeployment(deployment_id=deployment.id),
                        ChangeFlowRunState(state="FAILED", message="by automation", force=True),
                        PauseDeployment(source="inferred")], second)
    assert [a.status for a in taken] == ["succeeded", "succeeded", "failed"]
    assert "concerns no deployment" in (taken[2].detail or "")
    assert ops.read_deployment(deployment.id).paused is False
    assert ops.read_flow_run(run.id).state.message == "by automation"


def test_old_actions_are_pruned_and_refused_actions_named(ops: Operations) -> None:
    from headwater.core import clock
    from headwater.core.actions import DeclareIncident
    from headwater.exceptions import ParameterValidationError

    first = ops.store.automations.claim_action("a1", "event-1", 0, "do-nothing")
    assert first is not None
    assert ops.store.automations.prune_actions(clock.now() - 60) == 0
    assert ops.store.automations.prune_actions(clock.now() + 1) == 1
    with pytest.raises(ParameterValidationError, match=r"actions\[0\]\.type: 'declare-incident' is not supported"):
        ops.create_automation(AutomationCore(name="s", trigger=EventTrigger(), actions=[DeclareIncident()]))


def _flow_run_event(run_id: str) -> ReceivedEvent:
    now = datetime.now(timezone.utc)
    return ReceivedEvent(event="prefect.flow-run.Running", occurred=now, received=now,
                         resource={"prefect.resource.id": f"prefect.flow-run.{run_id}"})


def test_suspend_and_resume_the_flow_run_of_the_event(ops: Operations) -> None:
    deployment = ops.upsert_deployment(DeploymentCreate(name="d", flow_name="f", entrypoint="f.py:f"))
    run = ops.create_deployment_run(deployment.id, DeploymentRunCreate())
    ops.set_flow_run_state(run.id, StateCreate(type=StateType.RUNNING))
    [suspended] = _take(ops, [SuspendFlowRun()], _flow_run_event(run.id))
    assert suspended.status == "succeeded", suspended.detail
    state = ops.read_flow_run_states(run.id)[-1]
    assert (state.type, state.name) == (StateType.PAUSED, "Suspended")
    assert state.message and state.message.startswith("Suspended by Automation ")
    assert state.details["pause_reschedule"] is True and state.details["pause_key"]
    timeout = datetime.fromisoformat(state.details["pause_timeout"]) - datetime.now(timezone.utc)
    assert timedelta(minutes=59) < timeout <= timedelta(hours=1)

    [resumed] = _take(ops, [ResumeFlowRun()], _flow_run_event(run.id))
    assert resumed.status == "succeeded", resumed.detail
    state = ops.read_flow_run(run.id).state
    assert (state.type, state.name) == (StateType.SCHEDULED, "Resuming")  # a worker runs it again


def test_suspend_and_resume_that_cannot_happen_fail_with_the_reason(ops: Operations) -> None:
    deployment = ops.upsert_deployment(DeploymentCreate(name="d", flow_name="f", entrypoint="f.py:f"))
    scheduled = ops.create_deployment_run(deployment.id, DeploymentRunCreate())
    bare = ops.create_flow_run(FlowRunCreate(flow_name="f"))
    ops.set_flow_run_state(bare.id, StateCreate(type=StateType.RUNNING))
    taken = _take(ops, [SuspendFlowRun(), ResumeFlowRun()], _flow_run_event(scheduled.id))
    assert [a.status for a in taken] == ["failed", "failed"]
    assert "Cannot suspend flows that are not currently running" in (taken[0].detail or "")
    assert "Failed to resume flow run" in (taken[1].detail or "")
    [without_deployment] = _take(ops, [SuspendFlowRun()], _flow_run_event(bare.id))
    assert "Cannot suspend flows without a deployment" in (without_deployment.detail or "")
    assert ops.read_flow_run(bare.id).state.type == "RUNNING"
    assert ops.read_flow_run(scheduled.id).state.type == "SCHEDULED"


def test_a_proactive_firing_names_the_flow_run_by_its_bucket(ops: Operations) -> None:
    deployment = ops.upsert_deployment(DeploymentCreate(name="d", flow_name="f", entrypoint="f.py:f"))
    run = ops.create_deployment_run(deployment.id, DeploymentRunCreate())
    ops.set_flow_run_state(run.id, StateCreate(type=StateType.RUNNING))
    automation = ops.create_automation(AutomationCore(name="quiet", trigger=EventTrigger(), actions=[SuspendFlowRun()]))
    runner = ActionRunner(ops)
    try:  # no event: the trigger fired because one did not come, in the bucket of this run
        assert runner.fire(automation, Firing("quiet-1", None, {"prefect.resource.id": f"prefect.flow-run.{run.id}"}))
        wait_until(lambda: all(a.status != "running" for a in ops.automation_actions(str(automation.id))), 30,
                   "the action to finish")
    finally:
        runner.close()
    [taken] = ops.automation_actions(str(automation.id))
    assert taken.status == "succeeded", taken.detail
    assert ops.read_flow_run(run.id).state.name == "Suspended"
