import threading

import pytest

from headwater import flow, tags, task
from headwater.runtime import flow_run as runtime_flow_run
from headwater.runtime import task_run as runtime_task_run


def test_task_outside_a_flow_is_a_standalone_task_run(history):
    @task
    def add(a: int, b: int) -> int:
        return a + b

    assert add(1, 2) == 3
    state = add(2, 2, return_state=True)
    assert state.is_completed() and state.result() == 4
    store = history.store
    assert store.history.counts()["task_runs"] == 2
    assert store.history.counts()["flow_runs"] == 0


def test_task_inside_a_task_is_recorded_in_the_same_flow_run(history):
    @task
    def inner(x):
        return x + 1

    @task
    def outer(x):
        return inner(x) * 2

    @flow
    def pipeline():
        return outer(1)

    assert pipeline() == 4
    run = history.only_flow_run()
    assert sorted(t.task_name for t in history.store.history.read_task_runs(run.id)) == ["inner", "outer"]


def test_runtime_exposes_the_current_runs(history):
    seen = {}

    @task(task_run_name="get-{item}")
    def get(item: str, n: int = 2):
        seen["task"] = (runtime_task_run.name, runtime_task_run.task_name, runtime_task_run.parameters,
                        runtime_task_run.run_count, runtime_task_run.flow_run_id)
        return item

    @flow
    def pipeline():
        seen["flow"] = (runtime_flow_run.id, runtime_flow_run.flow_name, runtime_flow_run.parameters)
        get("a")

    pipeline()
    flow_id = seen["flow"][0]
    assert seen["flow"][1:] == ("pipeline", {})
    assert seen["task"] == ("get-a", "get", {"item": "a", "n": 2}, 1, flow_id)
    assert runtime_flow_run.id is None and runtime_task_run.parameters == {}


def test_tags_from_decorator_and_context(history):
    @task(tags=["db"])
    def load():
        return 1

    @flow
    def pipeline():
        with tags("nightly"):
            load()

    pipeline()
    (task_run,) = history.store.history.read_task_runs(history.only_flow_run().id)
    assert task_run.tags == ["db", "nightly"]


def test_tasks_called_from_threads_in_a_flow_share_the_flow_run(history):
    import contextvars

    @task
    def work(i):
        return i

    @flow
    def pipeline():
        results = []
        threads = []
        for i in range(4):
            ctx = contextvars.copy_context()
            t = threading.Thread(target=lambda i=i, ctx=ctx: results.append(ctx.run(work, i)))
            threads.append(t)
            t.start()
        for t in threads:
            t.join()
        return sorted(results)

    assert pipeline() == [0, 1, 2, 3]
    task_runs = history.store.history.read_task_runs(history.only_flow_run().id)
    assert sorted(t.dynamic_key for t in task_runs) == [0, 1, 2, 3]


def test_keyboard_interrupt_crashes_the_run_and_propagates(history):
    @task
    def interrupted():
        raise KeyboardInterrupt

    @flow
    def pipeline():
        interrupted()

    with pytest.raises(KeyboardInterrupt):
        pipeline()
    run = history.only_flow_run()
    assert run.state.type == "CRASHED"
    assert "interrupt" in run.state.message
    (task_run,) = history.store.history.read_task_runs(run.id)
    assert task_run.state.type == "CRASHED"
