"""Background task runs with the task worker in the same process (a thread), on the
embedded database: retries and history as any task run, `wait_for` ordering, large
arguments and results through the task scheduling storage, `PrefectTaskRunner` in a
flow, and a task worker given something that is not a task."""

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
