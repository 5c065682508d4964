"""Prefect's client models at their paths: schedules, filters and enums, through the client
on the in-process transport (SQLite)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import headwater.client
from headwater.client.orchestration import SyncPrefectClient
from headwater.client.schemas.actions import DeploymentScheduleCreate
from headwater.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterConcurrencyLimit,
    DeploymentFilterWorkQueueName,
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterIdempotencyKey,
    LogFilter,
    LogFilterTextSearch,
    WorkerFilter,
    WorkerFilterStatus,
)
from headwater.client.schemas.objects import TERMINAL_STATES, DeploymentStatus, StateType
from headwater.client.schemas.schedules import (
    CronSchedule,
    IntervalSchedule,
    RRuleSchedule,
    construct_schedule,
    is_schedule_type,
)
from headwater.core.deployment_schemas import DeploymentCreate
from headwater.engine.deployments import build_schedules


@pytest.fixture(params=["embedded"])
def transport_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_schedules_package_is_reachable_as_attributes() -> None:
    assert headwater.client.schemas.schedules.IntervalSchedule is IntervalSchedule
    assert headwater.client.orchestration.DeploymentFilter is DeploymentFilter


def test_schedule_models_validate_with_named_errors() -> None:
    with pytest.raises(ValueError, match="invalid cron expression 'nope'"):
        CronSchedule(cron="nope")
    with pytest.raises(ValueError, match="interval\n  Input should be greater than 0"):
        IntervalSchedule(interval=timedelta(0))
    with pytest.raises(ValueError, match="rrule"):
        RRuleSchedule(rrule="FREQ=SOMETIMES")
    with pytest.raises(ValueError, match="only one of interval, cron or rrule"):
        construct_schedule(interval=60, cron="* * * * *")
    built = construct_schedule(interval=90, anchor_date=datetime(2024, 1, 1, tzinfo=timezone.utc))
    assert is_schedule_type(built) and isinstance(built, IntervalSchedule)
    assert built.interval == timedelta(seconds=90) and built.timezone == "UTC"


def test_schedules_reach_a_deployment(client: SyncPrefectClient, flow_name: str) -> None:
    specs = build_schedules(schedules=[
        IntervalSchedule(interval=timedelta(hours=2), anchor_date=datetime(2024, 1, 1, 6, tzinfo=timezone.utc)),
        DeploymentScheduleCreate(schedule=CronSchedule(cron="0 9 * * 1-5", timezone="Europe/Paris"), active=False),
    ])
    client.transport.upsert_deployment(DeploymentCreate(name="d", flow_name=flow_name, entrypoint="f.py:main",
                                                        schedules=specs, concurrency_limit=2))
    deployment = client.read_deployment_by_name(f"{flow_name}/d")
    stored = sorted((s.schedule.get("kind"), s.active) for s in client.read_deployment_schedules(deployment.id))
    assert stored == [("cron", False), ("interval", True)]
    with pytest.raises(ValueError, match="DeploymentScheduleCreate.parameters"):
        build_schedules(schedules=[DeploymentScheduleCreate(schedule=CronSchedule(cron="* * * * *"),
                                                            parameters={"x": 1})])
    assert deployment.status in {DeploymentStatus.READY, DeploymentStatus.NOT_READY}


def test_new_filter_criteria_are_evaluated_or_refused_by_name(client: SyncPrefectClient, flow_name: str) -> None:
    client.transport.upsert_deployment(DeploymentCreate(name="d", flow_name=flow_name, entrypoint="f.py:main",
                                                        concurrency_limit=2))
    by_flow = FlowFilter(name=FlowFilterName(any_=[flow_name]))

    def limited(**criterion: object) -> list[str]:
        spec = DeploymentFilter(concurrency_limit=DeploymentFilterConcurrencyLimit.model_validate(criterion))
        return [d.name for d in client.read_deployments(flow_filter=by_flow, deployment_filter=spec)]

    assert limited(ge_=2) == ["d"]
    assert limited(ge_=3) == []
    assert limited(is_null_=True) == []
    with pytest.raises(ValueError, match="deployment_filter.work_queue_name"):
        client.read_deployments(deployment_filter=DeploymentFilter(
            work_queue_name=DeploymentFilterWorkQueueName(any_=["default"])))
    with pytest.raises(ValueError, match="flow_run_filter.idempotency_key"):
        client.read_flow_runs(flow_run_filter=FlowRunFilter(idempotency_key=FlowRunFilterIdempotencyKey(any_=["k"])))
    with pytest.raises(ValueError, match="log_filter.text"):
        client.read_logs(log_filter=LogFilter(text=LogFilterTextSearch(query="boom")))


def test_worker_filter_is_applied(client: SyncPrefectClient) -> None:
    from headwater.client.schemas.actions import WorkPoolCreate

    client.create_work_pool(WorkPoolCreate(name="wf-pool"))
    online = WorkerFilter(status=WorkerFilterStatus(any_=["ONLINE"]))
    assert client.read_workers_for_work_pool("wf-pool", worker_filter=online) == []


def test_terminal_states() -> None:
    assert StateType.COMPLETED in TERMINAL_STATES and StateType.RUNNING not in TERMINAL_STATES
