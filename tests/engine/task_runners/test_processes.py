"""ProcessPoolTaskRunner with real worker processes writing into the same history."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from headwater import flow, get_run_logger, task
from headwater.cache_policies import INPUTS
from headwater.exceptions import UnfinishedRun
from headwater.task_runners import ProcessPoolTaskRunner

pytestmark = pytest.mark.timeout(120)

RUNNER = ProcessPoolTaskRunner(max_workers=2)


@task
def square(x: int) -> tuple[int, int]:
    get_run_logger().info("squaring %d", x)
    return x * x, os.getpid()


@task(retries=2)
def flaky(marker: str) -> str:
    path = Path(marker)
    attempts = int(path.read_text()) if path.exists() else 0
    path.write_text(str(attempts + 1))
    if attempts == 0:
        raise ValueError("first attempt fails")
    return f"ok after {attempts + 1}"


@task
def boom(x: int) -> int:
    raise ValueError(f"bad {x}")


@task
def add(x: int, y: int) -> int:
    return x + y


@task
def takes(anything: object, label: str = "") -> str:
    return label


@task(timeout_seconds=0.2)
def sleeps() -> None:
    import time

    time.sleep(5)


@task(retries=1)
def dies_once(marker: str) -> str:
    path = Path(marker)
    if not path.exists():
        path.write_text("died")
        os._exit(13)
    return "second life"


@task
def dies() -> None:
    os._exit(13)


class NeedsTwoArguments(Exception):
    def __init__(self, code: int, text: str) -> None:
        super().__init__(f"{code}: {text}")


@task
def raises_unpicklable() -> None:
    raise NeedsTwoArguments(7, "custom")


def test_runs_in_other_processes_and_records_history_there(history):
    @flow(task_runner=RUNNER)
    def pipeline() -> list:
        return [f.result() for f in square.map(range(4))]

    results = pipeline()
    assert [value for value, _ in results] == [0, 1, 4, 9]
    assert all(pid != os.getpid() for _, pid in results)

    flow_run = history.only_flow_run()
    assert flow_run.state.type == "COMPLETED"
    task_runs = history.store.history.read_task_runs(flow_run.id)
    assert len(task_runs) == 4
    for task_run in task_runs:
        assert task_run.flow_run_id == flow_run.id
        assert history.states(task_run.id) == ["Pending", "Running", "Completed"]
        assert task_run.run_count == 1
        messages = [line.message for line in history.store.history.read_logs(task_run_id=task_run.id)]
        assert any(m.startswith("squaring ") for m in messages), messages


def test_retries_happen_in_the_worker(history, tmp_path):
    @flow(task_runner=RUNNER)
    def pipeline() -> str:
        return flaky.submit(str(tmp_path / "attempts")).result()

    assert pipeline() == "ok after 2"
    task_run = history.store.history.read_task_runs(history.only_flow_run().id)[0]
    assert history.states(task_run.id) == ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]
    assert task_run.run_count == 2


def test_failures_come_back_as_the_original_exception_and_stop_downstream(history):
    @flow(task_runner=RUNNER)
    def pipeline() -> None:
        failed = boom.submit(1)
        downstream = add.submit(failed, 1)
        with pytest.raises(ValueError, match="bad 1"):
            failed.result()
        with pytest.raises(UnfinishedRun):  # Prefect 3: it never ran; it stays Pending (NotReady)
            downstream.result()

    assert pipeline(return_state=True).is_completed()
    task_runs = {t.task_name: t for t in history.store.history.read_task_runs(history.only_flow_run().id)}
    assert task_runs["boom"].state.type == "FAILED"
    assert (task_runs["add"].state.type, task_runs["add"].state.name) == ("PENDING", "NotReady")
    assert task_runs["boom"].name in task_runs["add"].state.message
    assert task_runs["add"].upstream == [task_runs["boom"].id]


def test_futures_passed_between_process_tasks(history):
    @flow(task_runner=RUNNER)
    def pipeline() -> int:
        first = add.submit(1, 2)
        return add.submit(first, [first][0]).result()

    assert pipeline() == 6


def test_a_non_picklable_argument_fails_the_task_run_naming_it(history):
    @flow(task_runner=RUNNER)
    def pipeline():
        return takes.submit(threading.Lock(), label="x")  # returned: its failure is the flow's

    state = pipeline(return_state=True)
    assert state.is_failed()
    task_run = history.store.history.read_task_runs(history.only_flow_run().id)[0]
    assert history.states(task_run.id) == ["Pending", "Failed"]
    message = task_run.state.message
    assert "argument 'anything' of task 'takes' cannot be sent to a worker process" in message
    assert "lock" in message


def test_a_non_picklable_function_fails_naming_the_task(history):
    lock = threading.Lock()

    @task
    def holds_lock() -> bool:
        return lock.locked()

    @flow(task_runner=RUNNER)
    def pipeline():
        return holds_lock.submit()

    state = pipeline(return_state=True)
    assert state.is_failed()
    task_run = history.store.history.read_task_runs(history.only_flow_run().id)[0]
    assert "task 'holds_lock' cannot be sent to a worker process" in task_run.state.message


def test_time_outs_apply_in_the_worker(history):
    @flow(task_runner=RUNNER)
    def pipeline():
        future = sleeps.submit()
        future.wait()
        return future.state.name

    assert pipeline() == "TimedOut"


def test_an_exception_that_cannot_travel_is_described(history):
    @flow(task_runner=RUNNER)
    def pipeline():
        return raises_unpicklable.submit().result(raise_on_failure=False)

    error = pipeline()
    assert "NeedsTwoArguments: 7: custom" in str(error)


def test_a_dying_worker_crashes_the_run_or_retries_it(history, tmp_path):
    @flow(task_runner=ProcessPoolTaskRunner(max_workers=1))
    def pipeline():
        crashing = dies.submit()
        crashing.wait()
        crashed = crashing.state
        retried = dies_once.submit(str(tmp_path / "marker")).result()
        return crashed.type.value, crashed.message, retried

    crashed, message, retried = pipeline()
    assert crashed == "CRASHED" and "died" in message
    assert retried == "second life"
    task_runs = {t.task_name: t for t in history.store.history.read_task_runs(history.only_flow_run().id)}
    assert task_runs["dies"].state.type == "CRASHED"
    assert task_runs["dies_once"].state.type == "COMPLETED"
    assert "AwaitingRetry" in history.states(task_runs["dies_once"].id)


@task(cache_policy=INPUTS)
def cached_square(x: int) -> int:
    return x * x


def test_caching_works_across_worker_processes(history):
    @flow(task_runner=RUNNER)
    def pipeline() -> tuple[list[str], list[int]]:
        futures = cached_square.map(range(3))
        futures.wait()
        return [f.state.name for f in futures], futures.result()

    assert pipeline() == (["Completed"] * 3, [0, 1, 4])
    assert pipeline() == (["Cached"] * 3, [0, 1, 4])


@task(tags=["proc-limited"])
def holds_slot(out: str) -> None:
    import time

    start = time.time()
    time.sleep(0.2)
    with open(out, "a") as f:
        f.write(f"{start} {time.time()}\n")


def test_a_tag_limit_holds_across_worker_processes_and_its_slots_come_back(history, tmp_path):
    # A shipped run's end (which gives its tag slots back) used to be skipped: its
    # finish read an attribute the flow's stand-in lacked, so the next run waited for ever.
    from headwater.concurrency.limits import create_limit

    create_limit("proc-limited", 1, kind="tag")
    out = tmp_path / "spans"

    @flow(task_runner=ProcessPoolTaskRunner(max_workers=2))
    def limited() -> None:
        for future in [holds_slot.submit(str(out)) for _ in range(2)]:
            future.wait()

    limited()
    spans = sorted(tuple(map(float, line.split())) for line in out.read_text().splitlines())
    assert len(spans) == 2 and spans[0][1] <= spans[1][0]
