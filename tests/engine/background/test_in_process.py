"""Background task runs with the task worker in the same process (a thread), on the
embedded database: retries and history as any task run, `wait_for` ordering, large
arguments and results through the task scheduling storage, `PrefectTaskRunner` in a
flow, a task worker given something that is not a task, and a busy queue drained in
batch claims that carry the ends of the runs before them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from headwater import flow, task
from headwater.client.kept import close_kept_clients, kept_client
from headwater.core.background_schemas import INLINE_MAX_BYTES
from headwater.task_runners import PrefectTaskRunner
from headwater.task_worker import TaskWorker

calls: list[str] = []


@task(retries=2, retry_delay_seconds=0)
def flaky(name: str) -> str:
    calls.append(name)
    if calls.count(name) < 3:
        raise RuntimeError(f"attempt {calls.count(name)}")
    return f"{name} after {calls.count(name)} attempts"


@task
def note(name: str) -> str:
    calls.append(name)
    return name


@task
def echo(value: Any) -> Any:
    return value


@pytest.fixture
def serving(home: Path) -> Iterator[TaskWorker]:
    calls.clear()
    worker = TaskWorker(flaky, note, echo, limit=4)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    yield worker
    worker.stop()
    thread.join(30)
    close_kept_clients()


def test_retries_are_counted_and_recorded_as_for_any_task_run(serving: TaskWorker) -> None:
    future = flaky.delay("a")
    assert future.result(timeout=60) == "a after 3 attempts"
    ops = kept_client().transport
    run = ops.read_task_run(future.task_run_id)
    assert run.state is not None and (run.state.type, run.run_count) == ("COMPLETED", 3)
    names = [s.name for s in ops.read_task_run_states(future.task_run_id)]
    assert names[:2] == ["Scheduled", "Pending"] and names.count("AwaitingRetry") == 2 and names[-1] == "Completed"


def test_wait_for_orders_runs_and_large_values_go_through_storage(serving: TaskWorker, home: Path) -> None:
    first = flaky.delay("slow")
    second = note.apply_async(("after",), wait_for=[first])
    assert second.result(timeout=60) == "after"
    assert calls.index("after") > len(calls) - 2 and calls.count("slow") == 3
    big = "x" * (INLINE_MAX_BYTES * 2)
    assert echo.delay(big).result(timeout=60) == big
    stored = sorted(p.parent.name for p in (home / "storage").rglob("*") if p.is_file())
    assert stored == ["parameters", "results"]


def test_prefect_task_runner_hands_a_flows_tasks_to_task_workers(serving: TaskWorker) -> None:
    @flow(task_runner=PrefectTaskRunner())
    def fan_out() -> list[str]:
        futures = [note.submit(f"n{i}") for i in range(5)]
        return [f.result() for f in futures]

    assert fan_out() == [f"n{i}" for i in range(5)]
    assert sorted(calls) == [f"n{i}" for i in range(5)]


def test_a_task_worker_serves_tasks_only(home: Path) -> None:
    with pytest.raises(TypeError, match="serves tasks"):
        TaskWorker(note, print)  # type: ignore[arg-type]


def test_a_busy_worker_reports_ends_with_its_claims_and_runs_each_once(home: Path) -> None:
    calls.clear()
    futures = [note.delay(f"q{i}") for i in range(200)]  # queued before the worker starts: a busy queue
    transport = kept_client().transport
    counted = {"claims": 0, "finishes": 0, "carried": 0}
    claim, finish = transport.claim_background_task_runs, transport.finish_background_task_runs

    def counting_claim(body: Any, **options: Any) -> Any:
        counted["claims"] += 1
        counted["carried"] += len(body.ended)
        return claim(body, **options)

    def counting_finish(body: Any, **options: Any) -> Any:
        counted["finishes"] += 1
        return finish(body, **options)

    transport.claim_background_task_runs = counting_claim  # type: ignore[method-assign]  # counts, then the real call
    transport.finish_background_task_runs = counting_finish  # type: ignore[method-assign]  # as above
    worker = TaskWorker(note, limit=10)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        assert [f.result(timeout=120) for f in futures] == [f"q{i}" for i in range(200)]
    finally:
        worker.stop()
        thread.join(30)
        close_kept_clients()
    assert sorted(calls) == sorted(f"q{i}" for i in range(200))  # each run once
    # Claims of about the worker's free slots, each carrying the previous batch's ends;
    # the reporter writes on its own only for the last runs (or a claim that was slow).
    assert counted["claims"] <= 200 // 5 + 5
    assert counted["carried"] >= 150 and counted["finishes"] <= counted["claims"] // 4
