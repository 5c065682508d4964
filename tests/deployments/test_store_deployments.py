"""Deployments in the store, on SQLite and PostgreSQL: re-deploying in place, the
scheduler's runs at the right instants (clock injected, across a DST change),
catch-up policies, backfills, parameter checks, and claims no two workers share."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from headwater.core.deployment_schemas import (
    ClaimRequest,
    DeploymentCreate,
    DeploymentRunCreate,
    ScheduleSpec,
    WorkerHeartbeat,
    WorkPoolCreate,
)
from headwater.core.schedules import iso
from headwater.exceptions import ObjectNotFound, ParameterValidationError
from headwater.store import Store

SCHEMA = {"type": "object", "properties": {"n": {"type": "integer"}, "label": {"type": "string"}},
          "required": ["n"], "additionalProperties": False}


def at(*fields: int) -> float:
    return datetime(*fields, tzinfo=timezone.utc).timestamp()  # type: ignore[misc]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def deploy(store: Store, name: str = "nightly", **fields: object) -> str:
    fields.setdefault("work_pool_name", "default")
    body = DeploymentCreate(name=name, flow_name="etl", entrypoint="flows.py:etl", **fields)  # type: ignore[arg-type]
    return store.deployments.upsert_deployment(body).id


def runs_of(store: Store, deployment_id: str) -> list[tuple[float, str, str]]:
    from sqlalchemy import select

    from headwater.store.tables import flow_runs

    rows = store.db.read(lambda conn: conn.execute(
        select(flow_runs.c.expected_start_time, flow_runs.c.state_type, flow_runs.c.state_name)
        .where(flow_runs.c.deployment_id == deployment_id).order_by(flow_runs.c.expected_start_time)).all())
    return [tuple(row) for row in rows]


def test_redeploying_updates_in_place_and_replaces_the_runs_scheduled_ahead(store: Store) -> None:
    first = deploy(store, parameters={"n": 1}, schedules=[ScheduleSpec(interval=3600)])
    ahead = runs_of(store, first)
    assert ahead and all(state == "SCHEDULED" for _, state, _ in ahead)
    again = deploy(store, parameters={"n": 2}, schedules=[ScheduleSpec(interval=3600)])
    assert again == first and runs_of(store, first) == ahead  # same schedules: the same runs
    deploy(store, parameters={"n": 2}, schedules=[ScheduleSpec(interval=1800)])
    info = store.deployments.read_deployment("etl/nightly")
    assert info.parameters == {"n": 2} and [s.schedule["interval"] for s in info.schedules] == [1800]
    assert len(runs_of(store, first)) == 2 * len(ahead)
    assert [d.full_name for d in store.deployments.list_deployments()] == ["etl/nightly"]


def test_the_scheduler_creates_runs_at_the_cron_instants_across_a_dst_change(store: Store) -> None:
    spec = ScheduleSpec(cron="30 2 * * *", timezone="America/New_York")
    deployment_id = deploy(store, schedules=[spec], paused=True)
    store.deployments.update_deployment(deployment_id, _update(paused=False))  # schedules from the real now: none yet due
    store.db.write(lambda conn: conn.exec_driver_sql(
        "UPDATE deployment_schedules SET scheduled_through = %s" % at(2024, 3, 8, 12)))
    _delete_runs(store, deployment_id)
    now = at(2024, 3, 8, 12)  # the clock, injected
    created = store.scheduling.schedule_runs(now, horizon_seconds=4 * 86400, late_after_seconds=15)
    due = [iso(t, "America/New_York") for t, _, _ in runs_of(store, deployment_id)]
    assert due == ["2024-03-09T02:30:00-05:00", "2024-03-10T03:00:00-04:00", "2024-03-11T02:30:00-04:00",
                   "2024-03-12T02:30:00-04:00"]
    assert created == 4
    # Another pass, or another scheduler beside this one, creates nothing twice.
    assert store.scheduling.schedule_runs(now, horizon_seconds=4 * 86400) == 0
    assert store.scheduling.schedule_runs(now + 3600, horizon_seconds=4 * 86400) == 0
    assert len(runs_of(store, deployment_id)) == 4


@pytest.mark.parametrize(("policy", "expected"), [("all", 6), ("latest", 1), ("skip", 1)])
def test_missed_instants_follow_the_catch_up_policy(store: Store, policy: str, expected: int) -> None:
    deployment_id = deploy(store, schedules=[ScheduleSpec(interval=600, anchor=datetime(2024, 1, 1, tzinfo=timezone.utc))],
                           catchup=policy, paused=True)
    store.deployments.update_deployment(deployment_id, _update(paused=False))
    _delete_runs(store, deployment_id)
    store.db.write(lambda conn: conn.exec_driver_sql(
        "UPDATE deployment_schedules SET scheduled_through = %s" % at(2024, 1, 1)))
    store.scheduling.schedule_runs(at(2024, 1, 1, 1, 0, 5), horizon_seconds=0, late_after_seconds=15)  # the scheduler was down an hour
    due = [t for t, _, _ in runs_of(store, deployment_id)]
    assert len(due) == expected and due[-1] == at(2024, 1, 1, 1)  # the run due 5 s ago is not late: it runs


def test_late_runs_are_skipped_per_policy_and_manual_runs_never_are(store: Store) -> None:
    deployment_id = deploy(store, catchup="latest", parameter_schema=None)
    store.db.write(lambda conn: _make_auto_runs(conn, store, deployment_id, [at(2024, 1, 1, h) for h in (1, 2, 3)]))
    manual = store.deployments.create_deployment_run(deployment_id, DeploymentRunCreate(
        scheduled_time=datetime(2024, 1, 1, 0, tzinfo=timezone.utc))).id
    skipped = store.scheduling.skip_late_runs(at(2024, 1, 1, 5), late_after_seconds=15)
    assert len(skipped) == 2 and manual not in skipped
    states = runs_of(store, deployment_id)
    assert [(name) for _, _, name in states] == ["Scheduled", "Skipped", "Skipped", "Scheduled"]
    assert store.flow_runs.read_flow_run_by_id(skipped[0]).state.message.startswith("skipped: due 2024-01-01")


def test_backfill_creates_the_missed_runs_once(store: Store) -> None:
    deployment_id = deploy(store, schedules=[ScheduleSpec(cron="0 * * * *")])
    result = store.deployments.backfill_deployment("etl/nightly", at(2024, 1, 1, 0), at(2024, 1, 1, 5))
    assert (result.created, result.existing) == (6, 0)
    again = store.deployments.backfill_deployment(deployment_id, at(2024, 1, 1, 3), at(2024, 1, 1, 7))
    assert (again.created, again.existing) == (2, 3)
    skipped = store.scheduling.skip_late_runs(at(2024, 2, 1), 15)
    assert not set(skipped) & set(result.flow_run_ids)  # backfilled runs are never skipped


def test_run_parameters_are_checked_against_the_schema_when_created(store: Store) -> None:
    deploy(store, parameters={"label": "x"}, parameter_schema=SCHEMA)
    run = store.deployments.create_deployment_run("etl/nightly", DeploymentRunCreate(parameters={"n": 3}))
    assert run.parameters == {"n": 3, "label": "x"} and run.state.type == "SCHEDULED"
    with pytest.raises(ParameterValidationError, match=r'parameters.n: "three" is not of type "integer"'):
        store.deployments.create_deployment_run("etl/nightly", DeploymentRunCreate(parameters={"n": "three"}))
    with pytest.raises(ParameterValidationError, match=r'parameters: "n" is a required property'):
        store.deployments.create_deployment_run("etl/nightly", DeploymentRunCreate(parameters={}))
    with pytest.raises(ObjectNotFound, match=r"no deployment 'etl/missing'.*etl/nightly"):
        store.deployments.read_deployment("etl/missing")


def test_missing_pools_and_projects_say_how_to_create_them(store: Store) -> None:
    with pytest.raises(ObjectNotFound, match="create it with `headwater work-pool create gpu`"):
        deploy(store, work_pool_name="gpu")
    with pytest.raises(ObjectNotFound, match="create it with `headwater project create analytics`"):
        deploy(store, project="analytics")
    with pytest.raises(ObjectNotFound, match="no work pool named 'gpu'"):
        store.workers.worker_heartbeat(WorkerHeartbeat(name="w", work_pool_name="gpu"))


def test_concurrent_claimers_never_take_the_same_run(store_url: str, store: Store) -> None:
    deployment_id = deploy(store)
    expected = {store.deployments.create_deployment_run(deployment_id, DeploymentRunCreate()).id for _ in range(120)}
    claimed: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def claimer(index: int) -> None:
        with Store.open(store_url) as own:  # its own connections: real contention in the database
            worker_id = own.workers.worker_heartbeat(WorkerHeartbeat(name=f"w{index}", work_pool_name="default")).worker_id
            start.wait(30)
            while True:
                got = own.workers.claim_runs(ClaimRequest(worker_id=worker_id, work_pool_name="default", limit=3))
                if not got:
                    return
                with lock:
                    claimed.extend(run.flow_run_id for run in got)

    threads = [threading.Thread(target=claimer, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(claimed) == sorted(expected)  # every run claimed, none twice


def test_pool_and_deployment_limits_bound_the_runs_claimed(store: Store) -> None:
    store.workers.create_work_pool(WorkPoolCreate(name="small", concurrency_limit=3))
    limited = deploy(store, "limited", work_pool_name="small", concurrency_limit=1)
    free = deploy(store, "free", work_pool_name="small")
    for deployment_id in (limited, limited, free, free, free, free):
        store.deployments.create_deployment_run(deployment_id, DeploymentRunCreate())
    claim = ClaimRequest(work_pool_name="small", limit=10)
    first = store.workers.claim_runs(claim)
    assert len(first) == 3 and sum(run.deployment_name == "limited" for run in first) == 1
    assert store.workers.claim_runs(claim) == []
    store.flow_runs.set_flow_run_state(first[0].flow_run_id, _type("CRASHED"))  # an end frees its slot
    assert len(store.workers.claim_runs(claim)) == 1


def test_claims_never_started_are_crashed_after_the_threshold(store: Store) -> None:
    deployment_id = deploy(store)
    run_id = store.deployments.create_deployment_run(deployment_id, DeploymentRunCreate()).id
    (claimed,) = store.workers.claim_runs(ClaimRequest(work_pool_name="default", limit=1))
    assert store.workers.crash_orphaned_claims(claimed.scheduled_time + 1, 30) == []
    assert store.workers.crash_orphaned_claims(claimed.scheduled_time + 3600, 30) == [run_id]
    assert store.flow_runs.read_flow_run_by_id(run_id).state.type == "CRASHED"


def _type(name: str):  # type: ignore[no-untyped-def]
    from headwater.core.states import StateType

    return StateType(name)


def _update(**fields: object):  # type: ignore[no-untyped-def]
    from headwater.core.deployment_schemas import DeploymentUpdate

    return DeploymentUpdate(**fields)  # type: ignore[arg-type]


def _delete_runs(store: Store, deployment_id: str) -> None:
    from sqlalchemy import delete, select

    from headwater.store.tables import flow_runs, states

    def action(conn):  # type: ignore[no-untyped-def]
        ids = list(conn.execute(select(flow_runs.c.id).where(flow_runs.c.deployment_id == deployment_id)).scalars())
        conn.execute(delete(states).where(states.c.flow_run_id.in_(ids)))
        conn.execute(delete(flow_runs).where(flow_runs.c.id.in_(ids)))

    store.db.write(action)


def _make_auto_runs(conn, store: Store, deployment_id: str, due: list[float]) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from headwater.store.deployments import AUTO_SCHEDULED_TAG, insert_scheduled_run, scheduled_run_id
    from headwater.store.tables import deployments

    row = conn.execute(select(deployments).where(deployments.c.id == deployment_id)).one()
    for t in due:
        insert_scheduled_run(conn, row, run_id=scheduled_run_id(deployment_id, t), due=t, now=t, parameters={},
                             tags=[AUTO_SCHEDULED_TAG])


def test_a_runs_own_retry_is_not_claimable_but_a_retry_asked_for_is(store: Store) -> None:
    from headwater.core import clock
    from headwater.orchestrator.records import StateChanged

    deployment_id = deploy(store)
    run_id = store.deployments.create_deployment_run(deployment_id, DeploymentRunCreate()).id
    claim = ClaimRequest(work_pool_name="default", limit=5)
    assert [r.flow_run_id for r in store.workers.claim_runs(claim)] == [run_id]
    # The run's engine retries it in its own process (flow retries=): AwaitingRetry, written as history.
    now = clock.now()
    store.history.write([StateChanged(run_id, False, "RUNNING", "Running", None, now, None),
                 StateChanged(run_id, False, "SCHEDULED", "AwaitingRetry", "boom", now, {"scheduled_time": now})])
    assert store.flow_runs.read_flow_run_by_id(run_id).state.name == "AwaitingRetry"
    assert store.workers.claim_runs(claim) == []  # still its process's: no second worker takes it
    store.history.write([StateChanged(run_id, False, "FAILED", "Failed", "boom", clock.now(), None)])
    store.flow_runs.retry_flow_run(run_id)  # `headwater flow-run retry`: a new due time, claimable again
    assert [r.flow_run_id for r in store.workers.claim_runs(claim)] == [run_id]
