"""Background services on both databases: Late runs, zombies, retention; start and stop."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.core.api_schemas import FlowRunCreate, StateCreate
from headwater.core.settings import Settings, load_settings
from headwater.core.states import StateType
from headwater.orchestrator.records import FlowRunCreated, Heartbeat, StateChanged, TaskRunCreated
from headwater.server.services import LateRuns, Retention, ZombieRuns
from headwater.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(home=tmp_path, late_run_after_seconds=10, zombie_after_seconds=60, retention_days=1)


def test_scheduled_runs_past_due_become_late(store: Store, settings: Settings) -> None:
    now = time.time()
    due = store.flow_runs.create_flow_run(FlowRunCreate(flow_name="f", state=StateCreate(type=StateType.SCHEDULED)),
                                expected_start=now - 60)
    later = store.flow_runs.create_flow_run(FlowRunCreate(flow_name="f", state=StateCreate(type=StateType.SCHEDULED)),
                                  expected_start=now + 3600)
    assert LateRuns(store, settings).run_once(now) == 1
    assert store.flow_runs.read_flow_run_by_id(due.id).state.name == "Late"  # type: ignore[union-attr]
    assert store.flow_runs.read_flow_run_by_id(later.id).state.name == "Scheduled"  # type: ignore[union-attr]
    assert LateRuns(store, settings).run_once(now) == 0  # Late once


def _running_flow(store: Store, heartbeat: float) -> tuple[str, str]:
    flow_run, task_run = str(uuid.uuid4()), str(uuid.uuid4())
    store.history.write([
        FlowRunCreated(flow_run, "f", "r", {}, [], None, heartbeat),
        StateChanged(flow_run, False, "RUNNING", "Running", None, heartbeat, None),
        Heartbeat(flow_run, heartbeat),
        TaskRunCreated(task_run, flow_run, "t", "t", "k", 0, [], heartbeat),
        StateChanged(task_run, True, "RUNNING", "Running", None, heartbeat, None),
    ])
    return flow_run, task_run


def test_silent_running_flow_runs_are_crashed(store: Store, settings: Settings) -> None:
    now = time.time()
    dead, dead_task = _running_flow(store, heartbeat=now - 120)
    alive, alive_task = _running_flow(store, heartbeat=now - 5)
    service = ZombieRuns(store, settings)
    service.started_at = now - 1
    assert service.run_once(now) == 0  # just started: judges nobody yet
    service.started_at = now - 100
    assert service.run_once(now) == 1
    crashed = store.flow_runs.read_flow_run_by_id(dead)
    assert crashed.state.type == "CRASHED" and "heartbeats" in (crashed.state.message or "")  # type: ignore[union-attr]
    assert store.history.read_task_run(dead_task).state.type == "CRASHED"  # type: ignore[union-attr]
    assert store.flow_runs.read_flow_run_by_id(alive).state.type == "RUNNING"  # type: ignore[union-attr]
    assert store.history.read_task_run(alive_task).state.type == "RUNNING"  # type: ignore[union-attr]


def test_zombies_are_not_judged_right_after_the_server_process_did_not_run(store: Store, settings: Settings) -> None:
    # Frozen (SIGSTOP) or suspended: the engines' heartbeats went unheard meanwhile.
    now = time.time()
    dead, _ = _running_flow(store, heartbeat=now - 200)
    service = ZombieRuns(store, settings, interval=5)
    service.started_at = now - 1000
    assert service.run_once(now - 100) == 1 and store.flow_runs.read_flow_run_by_id(dead).state.type == "CRASHED"  # type: ignore[union-attr]
    silent, _ = _running_flow(store, heartbeat=now - 90)
    assert service.run_once(now) == 0  # 100 s since the last pass: judges nobody yet
    assert [service.run_once(now + t) for t in range(5, 60, 5)] == [0] * 11  # passes every 5 s
    assert service.run_once(now + 61) == 1  # a full zombie_after_seconds of hearing later
    assert store.flow_runs.read_flow_run_by_id(silent).state.type == "CRASHED"  # type: ignore[union-attr]


def test_zombies_are_not_judged_right_after_the_database_came_back(
        store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from headwater.exceptions import StoreError

    now = time.time()
    silent, _ = _running_flow(store, heartbeat=now - 120)  # its engine may hold newer ones, unsent
    service = ZombieRuns(store, settings, interval=5)
    service.started_at = now - 1000

    def unreachable(*args: object, **kwargs: object) -> list[str]:
        raise StoreError("cannot connect to the database")

    with monkeypatch.context() as patched:
        patched.setattr(store.maintenance, "crash_zombie_runs", unreachable)
        patched.setattr(store.db, "ping", unreachable)
        with pytest.raises(StoreError):
            service.run_once(now)
        with pytest.raises(StoreError):
            service.run_once(now + 5)  # still away
    # Back at now + 10: the engines get zombie_after_seconds to resend what they kept.
    assert [service.run_once(now + t) for t in range(10, 70, 5)] == [0] * 12
    assert store.flow_runs.read_flow_run_by_id(silent).state.type == "RUNNING"  # type: ignore[union-attr]
    assert service.run_once(now + 71) == 1


def test_retention_deletes_old_finished_runs_in_batches(store: Store, settings: Settings) -> None:
    now = time.time()
    old = [store.flow_runs.create_flow_run(FlowRunCreate(flow_name="f", state=StateCreate(type=StateType.COMPLETED))).id
           for _ in range(3)]
    store.history.write([FlowRunCreated(str(uuid.uuid4()), "f", "old-running", {}, [], None, now - 5 * 86400),
                 StateChanged("x", False, "RUNNING", "Running", None, now, None)])
    removed = Retention(store, settings).run_once(now + 2 * 86400)
    assert removed == 3
    for run_id in old:
        with pytest.raises(Exception):
            store.flow_runs.read_flow_run_by_id(run_id)
    assert store.flow_runs.count_flow_runs(_everything()) == 1  # the unfinished one stays


def _everything():  # type: ignore[no-untyped-def]
    from headwater.core.api_schemas import FlowRunFilterRequest

    return FlowRunFilterRequest()


def test_services_start_and_stop_promptly(store: Store, settings: Settings) -> None:
    services = [LateRuns(store, settings, interval=3600), ZombieRuns(store, settings, interval=3600)]
    for service in services:
        service.start()
    started = time.monotonic()
    for service in services:
        service.stop(timeout=10)
    assert time.monotonic() - started < 5
    assert all(not s._thread.is_alive() for s in services)  # type: ignore[union-attr]


@pytest.mark.parametrize("strategy", ["ENQUEUE", "CANCEL_NEW"])
def test_a_run_going_late_while_its_cancel_new_deployment_is_full_is_cancelled(
        store: Store, settings: Settings, strategy: str) -> None:
    from datetime import datetime, timezone

    from headwater.core.deployment_schemas import ConcurrencyOptions, DeploymentCreate, DeploymentRunCreate
    from headwater.operations import Operations

    ops = Operations(store, settings)
    deployment = ops.upsert_deployment(DeploymentCreate(
        name=f"limited-{strategy}", flow_name="f", entrypoint="flows.py:f", concurrency_limit=1,
        concurrency_options=ConcurrencyOptions(collision_strategy=strategy), create_project=True))
    now = time.time()
    running = ops.create_deployment_run(deployment.id, DeploymentRunCreate())
    store.flow_runs.set_flow_run_state(running.id, StateType.RUNNING, force=True)
    waiting = ops.create_deployment_run(deployment.id, DeploymentRunCreate(
        scheduled_time=datetime.fromtimestamp(now - 60, timezone.utc)))
    LateRuns(store, settings).run_once(now)
    state = store.flow_runs.read_flow_run_by_id(waiting.id).state
    assert state is not None
    if strategy == "CANCEL_NEW":
        assert (state.type, state.name, state.message) == ("CANCELLED", "Cancelled",
                                                           "Deployment concurrency limit reached.")
    else:
        assert (state.type, state.name) == ("SCHEDULED", "Late")
