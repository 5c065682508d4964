"""The client's methods against both transports (in-process on SQLite and PostgreSQL, and a server)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from headwater.client.orchestration import PrefectClient, SyncPrefectClient, get_client
from headwater.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate, WorkPoolCreate
from headwater.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterName,
    FlowFilter,
    FlowFilterId,
    FlowFilterName,
    FlowFilterTags,
    FlowRunFilter,
    FlowRunFilterName,
    FlowRunFilterState,
    FlowRunFilterStateName,
    FlowRunFilterStateType,
    FlowRunFilterTags,
    LogFilter,
    LogFilterFlowRunId,
    TaskRunFilter,
)
from headwater.client.schemas.objects import FlowRun, StateType
from headwater.client.schemas.responses import SetStateStatus
from headwater.client.schemas.sorting import FlowRunSort
from headwater.core.deployment_schemas import DeploymentCreate
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound, ParameterValidationError
from headwater.states import Completed, Failed, Running, Scheduled


def _by_flow(name: str) -> FlowFilter:
    return FlowFilter(name=FlowFilterName(any_=[name]))


def _runs(client: SyncPrefectClient, flow_name: str, n: int, **kwargs: object) -> list[FlowRun]:
    return [client.create_flow_run(flow_name, name=f"run-{i}", parameters={"i": i}, **kwargs) for i in range(n)]


def test_create_and_read_a_flow_run(client: SyncPrefectClient, flow_name: str) -> None:
    run = client.create_flow_run(flow_name, name="first", parameters={"x": 1}, tags=["a"])
    assert isinstance(run.id, uuid.UUID)
    again = client.read_flow_run(run.id)
    assert (again.name, again.parameters, again.tags, again.state_type) == ("first", {"x": 1}, ["a"],
                                                                            StateType.PENDING)
    assert again.flow_id == client.read_flow_by_name(flow_name).id
    assert client.read_flow(again.flow_id).name == flow_name


def test_read_flow_runs_filters_sorts_and_pages(client: SyncPrefectClient, flow_name: str) -> None:
    runs = _runs(client, flow_name, 5)
    client.set_flow_run_state(runs[1].id, Running())
    client.set_flow_run_state(runs[1].id, Completed())
    client.create_flow_run(f"{flow_name}-other", name="elsewhere")
    mine = client.read_flow_runs(flow_filter=_by_flow(flow_name), sort=FlowRunSort.NAME_ASC)
    assert [r.name for r in mine] == [f"run-{i}" for i in range(5)]
    page = client.read_flow_runs(flow_filter=_by_flow(flow_name), sort=FlowRunSort.NAME_DESC, limit=2, offset=1)
    assert [r.name for r in page] == ["run-3", "run-2"]
    done = client.read_flow_runs(flow_filter=_by_flow(flow_name), flow_run_filter=FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))))
    assert [(r.name, r.state.is_completed(), r.state_name) for r in done] == [("run-1", True, "Completed")]
    named = client.read_flow_runs(flow_run_filter=FlowRunFilter(
        name=FlowRunFilterName(any_=["run-4"]), state=FlowRunFilterState(name=FlowRunFilterStateName(
            any_=["Pending"]))), flow_filter=_by_flow(flow_name))
    assert [r.name for r in named] == ["run-4"]
    assert client.count_flow_runs(flow_filter=_by_flow(flow_name)) == 5


def test_tags_filter(client: SyncPrefectClient, flow_name: str) -> None:
    client.create_flow_run(flow_name, name="tagged", tags=["etl", "daily"])
    client.create_flow_run(flow_name, name="plain")
    found = client.read_flow_runs(flow_filter=_by_flow(flow_name),
                                  flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=["etl"])))
    assert [r.name for r in found] == ["tagged"]


def test_an_unsupported_criterion_is_refused_by_name(client: SyncPrefectClient) -> None:
    with pytest.raises(ValueError, match="tags.any_ with several tags"):
        client.read_flow_runs(flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(any_=["a", "b"])))


def test_set_state_is_rejected_when_the_table_forbids_it(client: SyncPrefectClient, flow_name: str) -> None:
    run = client.create_flow_run(flow_name, state=Running())
    assert client.set_flow_run_state(run.id, Completed()).status is SetStateStatus.ACCEPT
    result = client.set_flow_run_state(run.id, Running())
    assert result.status is SetStateStatus.REJECT and result.state is not None and result.state.is_completed()
    forced = client.set_flow_run_state(run.id, Failed(message="by hand"), force=True)
    assert forced.status is SetStateStatus.ACCEPT and forced.state is not None and forced.state.is_failed()
    assert [s.type for s in client.read_flow_run_states(run.id)] == [StateType.RUNNING, StateType.COMPLETED,
                                                                     StateType.FAILED]


def test_delete_flow_run_then_it_is_not_found(client: SyncPrefectClient, flow_name: str) -> None:
    run = client.create_flow_run(flow_name)
    client.delete_flow_run(run.id)
    with pytest.raises(ObjectNotFound, match=str(run.id)):
        client.read_flow_run(run.id)
    with pytest.raises(ObjectNotFound):
        client.delete_flow_run(run.id)


def test_missing_flow_is_object_not_found_naming_it(client: SyncPrefectClient) -> None:
    with pytest.raises(ObjectNotFound, match="no-such-flow"):
        client.read_flow_by_name("no-such-flow")


def test_task_runs_and_logs_of_nothing_are_empty(client: SyncPrefectClient, flow_name: str) -> None:
    run = client.create_flow_run(flow_name)
    from headwater.client.schemas.filters import TaskRunFilterFlowRunId

    assert client.read_task_runs(task_run_filter=TaskRunFilter(flow_run_id=TaskRunFilterFlowRunId(
        any_=[run.id]))) == []
    assert client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id]))) == []


def test_deployments_run_pause_resume(client: SyncPrefectClient, flow_name: str) -> None:
    client.transport.upsert_deployment(DeploymentCreate(
        name="nightly", flow_name=flow_name, entrypoint="flows.py:main", parameters={"x": 1, "y": 2},
        parameter_schema={"type": "object", "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}}},
        schedules=[{"interval": 3600}]))
    deployment = client.read_deployment_by_name(f"{flow_name}/nightly")
    assert (deployment.name, deployment.flow_name, deployment.parameters) == ("nightly", flow_name, {"x": 1, "y": 2})
    assert client.read_deployment(deployment.id).id == deployment.id
    run = client.create_flow_run_from_deployment(deployment.id, parameters={"y": 5}, tags=["manual"])
    assert (run.deployment_id, run.parameters, run.state_type) == (deployment.id, {"x": 1, "y": 5},
                                                                   StateType.SCHEDULED)
    assert "manual" in run.tags
    same = client.create_flow_run_from_deployment(deployment.id, idempotency_key="k1")
    assert client.create_flow_run_from_deployment(deployment.id, idempotency_key="k1").id == same.id
    with pytest.raises(ParameterValidationError, match="x"):
        client.create_flow_run_from_deployment(deployment.id, parameters={"x": "not a number"})
    of_deployment = client.read_flow_runs(deployment_filter=DeploymentFilter(id={"any_": [deployment.id]}))
    assert run.id in {r.id for r in of_deployment}
    assert {d.name for d in client.read_deployments(flow_filter=_by_flow(flow_name))} == {"nightly"}
    assert client.read_deployments(deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["x"])),
                                   flow_filter=_by_flow(flow_name)) == []
    client.pause_deployment(deployment.id)
    assert client.read_deployment(deployment.id).paused is True
    client.resume_deployment(deployment.id)
    assert client.read_deployment(deployment.id).paused is False
    assert len(client.read_deployment_schedules(deployment.id)) == 1
    with pytest.raises(ObjectNotFound, match="nope"):
        client.read_deployment_by_name(f"{flow_name}/nope")


def test_read_deployments_carries_each_flow_s_id_and_filters_by_it(client: SyncPrefectClient, flow_name: str) -> None:
    other = f"{flow_name}-other"
    for flow in (flow_name, other):
        client.transport.upsert_deployment(DeploymentCreate(name="d", flow_name=flow, entrypoint="flows.py:main"))
    # Registered before their flows ever ran: the flows are created, as Prefect always has one.
    both = client.read_deployments(flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name, other])))
    flow_id = client.read_flow_by_name(flow_name).id
    assert {(d.flow_name, d.flow_id) for d in both} == {(flow_name, flow_id), (other, client.read_flow_by_name(other).id)}
    by_id = client.read_deployments(flow_filter=FlowFilter(id=FlowFilterId(any_=[flow_id])))
    assert [(d.flow_name, d.flow_id) for d in by_id] == [(flow_name, flow_id)]
    with pytest.raises(ValueError, match="deployment_filter.operator=or_"):
        client.read_deployments(deployment_filter=DeploymentFilter(operator="or_", name=DeploymentFilterName(any_=["d"])))
    with pytest.raises(ValueError, match="flow_filter.tags"):
        client.read_deployments(flow_filter=FlowFilter(tags=FlowFilterTags(all_=["x"])))


def test_work_pools(client: SyncPrefectClient) -> None:
    name = f"pool-{uuid.uuid4().hex[:8]}"
    pool = client.create_work_pool(WorkPoolCreate(name=name, concurrency_limit=3))
    assert (pool.name, pool.type, pool.concurrency_limit) == (name, "process", 3)
    with pytest.raises(ObjectAlreadyExists, match=name):
        client.create_work_pool(WorkPoolCreate(name=name))
    assert client.create_work_pool(WorkPoolCreate(name=name, concurrency_limit=5), overwrite=True) \
        .concurrency_limit == 5
    assert name in {p.name for p in client.read_work_pools()}
    assert client.read_workers_for_work_pool(name) == []
    with pytest.raises(ObjectNotFound):
        client.read_work_pool("no-such-pool")


def test_global_and_tag_limits(client: SyncPrefectClient) -> None:
    name = f"gcl-{uuid.uuid4().hex[:8]}"
    limit_id = client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=3))
    read = client.read_global_concurrency_limit_by_name(name)
    assert (read.id, read.limit, read.active, read.active_slots) == (limit_id, 3, True, 0)
    with pytest.raises(ObjectAlreadyExists, match=name):
        client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1))
    client.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(limit=7))
    assert client.read_global_concurrency_limit_by_name(name).limit == 7
    client.upsert_global_concurrency_limit_by_name(name, 9)
    assert client.read_global_concurrency_limit_by_name(name).limit == 9
    client.delete_global_concurrency_limit_by_name(name)
    with pytest.raises(ObjectNotFound):
        client.read_global_concurrency_limit_by_name(name)
    tag = f"tag-{uuid.uuid4().hex[:6]}"
    tag_id = client.create_concurrency_limit(tag, 2)
    assert client.create_concurrency_limit(tag, 4) == tag_id
    got = client.read_concurrency_limit_by_tag(tag)
    assert (got.tag, got.concurrency_limit, got.active_slots) == (tag, 4, [])
    assert tag in {lim.tag for lim in client.read_concurrency_limits(limit=100, offset=0)}
    client.reset_concurrency_limit_by_tag(tag)
    client.delete_concurrency_limit_by_tag(tag)
    with pytest.raises(ObjectNotFound):
        client.read_concurrency_limit_by_tag(tag)


def test_scheduled_state_keeps_its_time(client: SyncPrefectClient, flow_name: str) -> None:
    from datetime import datetime, timezone

    due = datetime(2030, 1, 1, tzinfo=timezone.utc)
    run = client.create_flow_run(flow_name, state=Scheduled(scheduled_time=due.isoformat()))
    assert client.read_flow_run(run.id).expected_start_time == due


def test_async_client_is_the_same_api(transport_env: dict[str, str], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, flow_name: str) -> None:
    from headwater.core import settings as settings_module

    for name, value in {"HEADWATER_HOME": str(tmp_path / "home"), **transport_env}.items():
        monkeypatch.setenv(name, value)
    settings_module.reset_settings()
    try:
        async def main() -> list[str]:
            async with get_client() as client:
                assert isinstance(client, PrefectClient)
                await client.create_flow_run(flow_name, name="async-run")
                return [r.name for r in await client.read_flow_runs(flow_filter=_by_flow(flow_name))]

        assert asyncio.run(main()) == ["async-run"]
        with get_client(sync_client=True) as sync:
            assert isinstance(sync, SyncPrefectClient)
            assert sync.count_flow_runs(flow_filter=_by_flow(flow_name)) == 1
    finally:
        settings_module.reset_settings()


def test_async_client_refuses_plain_with() -> None:
    with pytest.raises(RuntimeError, match="sync_client=True"), get_client():
        pass


def test_headwater_get_client_is_the_same() -> None:
    import headwater
    import headwater.client.orchestration as orchestration

    assert headwater.get_client is orchestration.get_client
