"""Runs whose process died are retried by their deployment's `retries`, on SQLite and
PostgreSQL: Crashed, then AwaitingRetry due after the delay, until the retries are used;
reports sent twice or about an old claim change nothing (store/workers.py `crash_run`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from headwater.core import clock
from headwater.core.deployment_schemas import (
    ClaimedRun,
    ClaimRequest,
    CrashReport,
    DeploymentCreate,
    DeploymentRunCreate,
)
from headwater.core.states import StateType
from headwater.exceptions import ObjectNotFound
from headwater.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def deploy(store: Store, name: str, **fields: object) -> str:
    body = DeploymentCreate(name=name, flow_name="etl", entrypoint="flows.py:etl",  # type: ignore[arg-type]
                            work_pool_name="default", **fields)
    return store.deployments.upsert_deployment(body).id


def claim_one(store: Store) -> ClaimedRun:
    (claimed,) = store.workers.claim_runs(ClaimRequest(work_pool_name="default", limit=1))
    return claimed


def start(store: Store, run: ClaimedRun) -> None:
    store.flow_runs.set_flow_run_state(run.flow_run_id, StateType.RUNNING)


def crash(store: Store, run: ClaimedRun, **fields: object) -> str:
    report = CrashReport(flow_run_id=run.flow_run_id, message="exit code 137", claimed_start=run.scheduled_time,
                         **fields)  # type: ignore[arg-type]
    return store.workers.crash_flow_run(report).name


def history(store: Store, run_id: str) -> list[str]:
    return [s.name for s in store.history.read_states(run_id)]


def test_a_crashed_attempt_is_retried_after_the_delay_until_the_retries_are_used(store: Store) -> None:
    deployment = deploy(store, "r2", retries=2, retry_delay_seconds=[30, 60])
    run_id = store.deployments.create_deployment_run(deployment, DeploymentRunCreate()).id
    first = claim_one(store)
    start(store, first)
    before = clock.now()
    assert crash(store, first) == "AwaitingRetry"
    run = store.flow_runs.read_flow_run_by_id(run_id)
    assert run.run_count == 1 and run.state.type == "SCHEDULED"
    assert history(store, run_id)[-2:] == ["Crashed", "AwaitingRetry"]
    assert "retry 1/2" in run.state.message and "exit code 137" in run.state.message
    assert store.workers.claim_runs(ClaimRequest(work_pool_name="default", limit=1)) == []  # not due for 30 s
    due = store.workers.claim_runs(ClaimRequest(work_pool_name="default", limit=1, prefetch_seconds=3600))
    assert due[0].scheduled_time >= before + 30  # the first delay
    second = due[0]
    assert second.run_count == 1  # the run's process is told one attempt is used
    start(store, second)
    before = clock.now()
    assert crash(store, second) == "AwaitingRetry"
    third = store.workers.claim_runs(ClaimRequest(work_pool_name="default", limit=1, prefetch_seconds=3600))[0]
    assert third.scheduled_time >= before + 60  # the second delay
    start(store, third)
    assert crash(store, third) == "Crashed"  # two retries used: it stays Crashed
    run = store.flow_runs.read_flow_run_by_id(run_id)
    assert run.state.type == "CRASHED" and run.run_count == 3
    assert history(store, run_id).count("AwaitingRetry") == 2


def test_without_retries_a_crash_is_final(store: Store) -> None:
    deployment = deploy(store, "r0")
    run_id = store.deployments.create_deployment_run(deployment, DeploymentRunCreate()).id
    run = claim_one(store)
    start(store, run)
    assert crash(store, run) == "Crashed"
    assert store.flow_runs.read_flow_run_by_id(run_id).state.type == "CRASHED"
    assert "AwaitingRetry" not in history(store, run_id)


def test_a_report_sent_twice_or_about_an_old_claim_retries_once(store: Store) -> None:
    deployment = deploy(store, "twice", retries=3)
    run_id = store.deployments.create_deployment_run(deployment, DeploymentRunCreate()).id
    first = claim_one(store)
    start(store, first)
    assert crash(store, first) == "AwaitingRetry"
    assert crash(store, first) == "AwaitingRetry"  # re-sent: unchanged
    second = claim_one(store)
    start(store, second)
    assert crash(store, first) == "Running"  # about the first claim: the second attempt runs on
    assert history(store, run_id).count("AwaitingRetry") == 1
    assert store.flow_runs.read_flow_run_by_id(run_id).run_count == 2


def test_an_attempt_that_died_before_running_counts(store: Store) -> None:
    deployment = deploy(store, "early", retries=1)
    run_id = store.deployments.create_deployment_run(deployment, DeploymentRunCreate()).id
    assert crash(store, claim_one(store)) == "AwaitingRetry"  # died while PENDING
    assert store.flow_runs.read_flow_run_by_id(run_id).run_count == 1
    assert crash(store, claim_one(store)) == "Crashed"  # and again: no endless retries
    assert store.flow_runs.read_flow_run_by_id(run_id).run_count == 2


def test_engine_recorded_ends_decide_what_happens(store: Store) -> None:
    deployment = deploy(store, "ends", retries=1)
    completed = store.deployments.create_deployment_run(deployment, DeploymentRunCreate()).id
    run = claim_one(store)
    start(store, run)
    store.flow_runs.set_flow_run_state(completed, StateType.COMPLETED)
    assert crash(store, run) == "Completed"  # its engine recorded the end: nothing to do
    interrupted = store.deployments.create_deployment_run(deployment, DeploymentRunCreate()).id
    run = claim_one(store)
    start(store, run)
    store.flow_runs.set_flow_run_state(interrupted, StateType.CRASHED, message="SIGTERM")  # recorded by its engine
    assert crash(store, run) == "AwaitingRetry"  # the same retries apply
    cancelling = store.deployments.create_deployment_run(deployment, DeploymentRunCreate()).id
    run = claim_one(store)
    start(store, run)
    store.flow_runs.cancel_flow_run(cancelling)
    assert crash(store, run) == "Crashed"  # being cancelled: not retried


def test_a_worker_shutting_down_its_runs_does_not_retry_them(store: Store) -> None:
    deployment = deploy(store, "shutdown", retries=1)
    run_id = store.deployments.create_deployment_run(deployment, DeploymentRunCreate()).id
    run = claim_one(store)
    start(store, run)
    assert crash(store, run, retry=False) == "Crashed"
    assert store.flow_runs.read_flow_run_by_id(run_id).state.type == "CRASHED"


def test_orphaned_claims_get_the_same_retries(store: Store) -> None:
    deployment = deploy(store, "orphan", retries=1)
    run_id = store.deployments.create_deployment_run(deployment, DeploymentRunCreate()).id
    claimed = claim_one(store)
    later = claimed.scheduled_time + 3600
    assert store.workers.crash_orphaned_claims(later, 30) == [run_id]
    assert history(store, run_id)[-2:] == ["Crashed", "AwaitingRetry"]
    assert store.flow_runs.read_flow_run_by_id(run_id).run_count == 1


def test_a_crash_report_about_an_unknown_run_is_not_found(store: Store) -> None:
    with pytest.raises(ObjectNotFound):
        store.workers.crash_flow_run(CrashReport(flow_run_id="nope", message="gone"))


def test_a_zombie_run_of_a_deployment_gets_the_same_retries(store: Store) -> None:
    from headwater.orchestrator.records import Heartbeat

    retried = store.deployments.create_deployment_run(deploy(store, "z1", retries=1), DeploymentRunCreate()).id
    plain = store.deployments.create_deployment_run(deploy(store, "z0"), DeploymentRunCreate()).id
    (first, second) = store.workers.claim_runs(ClaimRequest(work_pool_name="default", limit=2))
    for run in (first, second):
        start(store, run)
    now = clock.now()
    store.history.write([Heartbeat(retried, now - 120), Heartbeat(plain, now - 120)])  # then silence: process and worker died
    assert sorted(store.maintenance.crash_zombie_runs(now, zombie_after_seconds=60)) == sorted([retried, plain])
    assert history(store, retried)[-2:] == ["Crashed", "AwaitingRetry"]
    assert store.flow_runs.read_flow_run_by_id(retried).state.type == "SCHEDULED"
    assert store.flow_runs.read_flow_run_by_id(plain).state.type == "CRASHED"  # no retries: it stays Crashed
