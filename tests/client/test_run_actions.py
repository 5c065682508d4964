"""Prefect's create/update bodies of flows, runs, states, deployments and tag limits,
through the client methods that send them, on every transport."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from headwater import flow, task
from headwater.client.orchestration import SyncPrefectClient, TaskRunCreate, TaskRunUpdate
from headwater.client.schemas.actions import (
    DeploymentScheduleCreate,
    FlowRunUpdate,
    StateCreate,
)
from headwater.client.schemas.objects import StateDetails, StateType, TaskRunResult
from headwater.client.schemas.schedules import CronSchedule, IntervalSchedule
from headwater.exceptions import ObjectNotFound
from headwater.states import Completed, Scheduled


@flow(name="run-actions-flow")
def named_flow(x: int = 1) -> int:
    return x


@task(tags=["t1"], version="7")
def a_task(x: int) -> int:
    return x


def test_create_flow_takes_a_flow_object(client: SyncPrefectClient) -> None:
    flow_id = client.create_flow(named_flow)
    assert client.read_flow(flow_id).name == "run-actions-flow"
    assert client.create_flow_from_name("run-actions-flow") == flow_id
    with pytest.raises(TypeError, match="create_flow_from_name"):
        client.create_flow("run-actions-flow")


def test_create_flow_run_and_update_it(client: SyncPrefectClient, flow_name: str) -> None:
    run = client.create_flow_run(flow_name, name="before", parameters={"x": 1}, tags=["a"])
    assert client.read_flow(run.flow_id).name == flow_name
    client.update_flow_run(run.id, name="after", parameters={"y": 2}, tags=["b", "c"])
    changed = client.read_flow_run(run.id)
    assert (changed.name, changed.parameters, sorted(changed.tags)) == ("after", {"y": 2}, ["b", "c"])
    client.update_flow_run(run.id, tags=[])
    again = client.read_flow_run(run.id)
    assert (again.name, again.parameters, again.tags) == ("after", {"y": 2}, [])
    with pytest.raises(ValueError, match="flow_version, job_variables"):
        client.update_flow_run(run.id, name="no", flow_version="2", job_variables={"a": 1})
    assert client.read_flow_run(run.id).name == "after"
    with pytest.raises(ObjectNotFound):
        client.update_flow_run(uuid.uuid4(), name="x")
    with pytest.raises(ValidationError):
        FlowRunUpdate(name="x", unknown=1)


def test_create_flow_run_takes_a_state_or_a_state_create(client: SyncPrefectClient, flow_name: str) -> None:
    due = datetime.now(timezone.utc) + timedelta(hours=1)
    run = client.create_flow_run(flow_name, state=StateCreate(
        type=StateType.SCHEDULED, name="Later", state_details=StateDetails(scheduled_time=due)))
    assert (run.state.type, run.state.name) == (StateType.SCHEDULED, "Later")
    assert abs((client.read_flow_run(run.id).expected_start_time - due).total_seconds()) < 1
    other = client.create_flow_run(flow_name, state=Scheduled(scheduled_time=due))
    assert other.state.type == StateType.SCHEDULED


def test_set_flow_run_state_takes_a_state_create(client: SyncPrefectClient, flow_name: str) -> None:
    run = client.create_flow_run(flow_name)
    result = client.set_flow_run_state(run.id, StateCreate(type="RUNNING"))
    assert (result.status.value, result.state.type) == ("ACCEPT", StateType.RUNNING)
    result = client.set_flow_run_state(run.id, StateCreate(type=StateType.COMPLETED, name="Done", message="ok"))
    assert (result.state.name, result.state.message) == ("Done", "ok")
    assert client.read_flow_run(run.id).state.name == "Done"
    refused = client.set_flow_run_state(run.id, StateCreate(type="RUNNING"))
    assert refused.status.value == "REJECT"
    assert client.set_flow_run_state(run.id, Completed(), force=True).status.value == "ACCEPT"


def test_create_and_rename_task_runs(client: SyncPrefectClient, flow_name: str) -> None:
    run = client.create_flow_run(flow_name)
    first = client.create_task_run(a_task, run.id, dynamic_key="0")
    assert (first.flow_run_id, first.task_key, first.dynamic_key, first.state.type) == (
        run.id, a_task.task_key, "0", StateType.PENDING)
    assert sorted(first.tags) == ["t1"]
    chosen = uuid.uuid4()
    second = client.create_task_run(a_task, run.id, dynamic_key="1", id=chosen, name="second", extra_tags=["x"],
                                    state=StateCreate(type="RUNNING"),
                                    task_inputs={"x": [TaskRunResult(id=first.id)]})
    assert (second.id, second.name, second.state.type, sorted(second.tags)) == (
        chosen, "second", StateType.RUNNING, ["t1", "x"])
    assert second.task_inputs["x"] == [TaskRunResult(id=first.id)]
    again = client.create_task_run(a_task, run.id, dynamic_key="1", id=chosen, name="ignored")
    assert again.name == "second"  # an id that exists: the existing task run
    client.update_task_run(second.id, name="renamed")
    assert client.read_task_run(second.id).name == "renamed"
    with pytest.raises(ObjectNotFound):
        client.update_task_run(uuid.uuid4(), name="x")
    with pytest.raises(ObjectNotFound):
        client.create_task_run(a_task, uuid.uuid4(), dynamic_key="0")
    with pytest.raises(ValueError, match="dynamic_key"):
        client.create_task_run(a_task, run.id, dynamic_key="abc")
    assert TaskRunUpdate(name="n").name == "n" and TaskRunCreate(task_key="k", dynamic_key="0").task_key == "k"


def test_create_deployment_with_schedules_and_update_one(client: SyncPrefectClient, flow_name: str) -> None:
    flow_id = client.create_flow_from_name(flow_name)
    deployment_id = client.create_deployment(
        flow_id, "sched", entrypoint="flows.py:main", tags=["d"], parameters={"x": 2},
        schedules=[DeploymentScheduleCreate(schedule=CronSchedule(cron="0 3 * * *"), active=False)])
    deployment = client.read_deployment(deployment_id)
    (schedule,) = deployment.schedules
    assert (schedule.active, deployment.tags, deployment.parameters) == (False, ["d"], {"x": 2})
    client.update_deployment_schedule(deployment_id, schedule.id, active=True)
    assert client.read_deployment_schedules(deployment_id)[0].active is True
    client.update_deployment_schedule(deployment_id, schedule.id, schedule=IntervalSchedule(interval=600))
    (changed,) = client.read_deployment_schedules(deployment_id)
    assert changed.active is True and (changed.schedule['kind'], changed.schedule['interval']) == ('interval', 600)
    with pytest.raises(ValueError, match="slug"):
        client.update_deployment_schedule(deployment_id, schedule.id, slug="s")
    with pytest.raises(ObjectNotFound):
        client.update_deployment_schedule(deployment_id, uuid.uuid4(), active=False)


def test_create_flow_run_from_deployment_takes_a_state_create(client: SyncPrefectClient, flow_name: str) -> None:
    flow_id = client.create_flow_from_name(flow_name)
    deployment_id = client.create_deployment(flow_id, "d", entrypoint="flows.py:main")
    due = datetime.now(timezone.utc) + timedelta(days=1)
    run = client.create_flow_run_from_deployment(
        deployment_id, state=StateCreate(type="SCHEDULED", state_details=StateDetails(scheduled_time=due)),
        idempotency_key="k1", tags=["t"])
    assert abs((run.expected_start_time - due).total_seconds()) < 1
    assert client.create_flow_run_from_deployment(deployment_id, idempotency_key="k1").id == run.id


def test_create_concurrency_limit_checks_its_body(client: SyncPrefectClient) -> None:
    tag = f"tag-{uuid.uuid4().hex[:8]}"
    limit_id = client.create_concurrency_limit(tag, 3)
    assert client.read_concurrency_limit_by_tag(tag).id == limit_id
    with pytest.raises(ValidationError):
        client.create_concurrency_limit(tag, "many")  # type: ignore[arg-type]
