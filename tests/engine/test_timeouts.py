import asyncio
import threading
import time

import pytest

from headwater import flow, task
from headwater.exceptions import FlowRunTimeoutError, TaskRunTimeoutError


def test_sync_task_timeout_interrupts_a_sleep_in_the_main_thread(history):
    @task(timeout_seconds=0.2)
    def slow():
        time.sleep(30)

    started = time.monotonic()
    state = slow(return_state=True)
    assert time.monotonic() - started < 5
    assert state.name == "TimedOut" and state.type.value == "FAILED"
    assert state.message == "Task run exceeded timeout of 0.2 second(s)"
    with pytest.raises(TaskRunTimeoutError):
        state.result()


def test_timeout_cannot_be_swallowed_by_except_exception(history):
    @task(timeout_seconds=0.2)
    def stubborn():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                time.sleep(0.05)
            except Exception:
                pass

    assert stubborn(return_state=True).name == "TimedOut"


def test_sync_task_timeout_in_another_thread(history):
    @task(timeout_seconds=0.2)
    def busy():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(0.01)

    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("state", busy(return_state=True)))
    thread.start()
    thread.join(10)
    assert result["state"].name == "TimedOut"


def test_async_task_timeout(history):
    @task(timeout_seconds=0.1)
    async def slow():
        await asyncio.sleep(30)

    @flow
    async def pipeline():
        state = await slow(return_state=True)
        return state.name

    assert asyncio.run(pipeline()) == "TimedOut"


def test_timed_out_task_is_retried(history):
    calls = []

    @task(timeout_seconds=0.2, retries=1)
    def slow_once():
        calls.append(1)
        if len(calls) == 1:
            time.sleep(30)
        return "ok"

    assert slow_once() == "ok"


def test_flow_timeout_fails_the_flow(history):
    @task
    def step():
        time.sleep(30)

    @flow(timeout_seconds=0.3)
    def pipeline():
        step()

    with pytest.raises(FlowRunTimeoutError, match="Flow run exceeded timeout of 0.3 second"):
        pipeline()
    run = history.only_flow_run()
    assert run.state.name == "TimedOut"
    (task_run,) = history.store.history.read_task_runs(run.id)
    assert task_run.state.type == "CRASHED"  # interrupted by its flow's time limit


def test_nested_limits_inner_fires_first(history):
    @task(timeout_seconds=0.2)
    def inner():
        time.sleep(30)

    @flow(timeout_seconds=20)
    def pipeline():
        return inner(return_state=True).name

    assert pipeline() == "TimedOut"
    assert history.only_flow_run().state.type == "COMPLETED"
