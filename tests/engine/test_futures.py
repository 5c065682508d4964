import asyncio
import dataclasses
import threading
import time

import pytest

from headwater import flow, task
from headwater.engine.futures import as_completed, unmapped, wait
from headwater.exceptions import MappingLengthMismatch, MappingMissingIterable


@task
def double(x: int) -> int:
    return 2 * x


@task
def fail(x: int) -> int:
    raise ValueError(f"bad {x}")


def test_submit_returns_a_future_with_the_result_and_state(history):
    @flow
    def pipeline():
        future = double.submit(21)
        assert isinstance(future.task_run_id, str)
        value = future.result()
        return value, future.state.name

    assert pipeline() == (42, "Completed")


def test_futures_passed_to_tasks_are_resolved_and_become_edges(history):
    @dataclasses.dataclass
    class Pair:
        left: object
        right: object

    @task
    def combine(items: list, mapping: dict, pair: Pair) -> int:
        return sum(items) + sum(mapping.values()) + pair.left + pair.right

    @flow
    def pipeline():
        a, b, c, d, e = (double.submit(i) for i in range(1, 6))
        return combine.submit([a, b], {"c": c}, Pair(d, e)).result()

    assert pipeline() == 2 * (1 + 2 + 3 + 4 + 5)
    task_runs = history.store.history.read_task_runs(history.only_flow_run().id)
    combined = next(t for t in task_runs if t.task_name == "combine")
    assert set(combined.upstream) == {t.id for t in task_runs if t.task_name == "double"}


def test_wait_for_orders_without_passing_data(history):
    order = []

    @task
    def first():
        time.sleep(0.05)
        order.append("first")

    @task
    def second():
        order.append("second")

    @flow
    def pipeline():
        f = first.submit()
        second.submit(wait_for=[f]).wait()

    pipeline()
    assert order == ["first", "second"]
    task_runs = {t.task_name: t for t in history.store.history.read_task_runs(history.only_flow_run().id)}
    assert task_runs["second"].upstream == [task_runs["first"].id]


def test_failed_upstream_stops_the_downstream_but_not_the_flow(history):
    ran = []

    @task
    def downstream(x):
        ran.append(x)

    @flow
    def pipeline():
        downstream.submit(fail.submit(1))

    state = pipeline(return_state=True)
    assert state.is_completed()  # Prefect 3: what the flow returned (None) decides, not unobserved runs
    assert ran == []
    task_runs = {t.task_name: t for t in history.store.history.read_task_runs(history.only_flow_run().id)}
    assert (task_runs["downstream"].state.type, task_runs["downstream"].state.name) == ("PENDING", "NotReady")
    assert task_runs["fail"].name in task_runs["downstream"].state.message


def test_unobserved_failures_do_not_decide_the_flow_state(history):
    @flow
    def forgets():
        fail.submit(1)
        double.submit(1)
        return "done"

    state = forgets(return_state=True)
    assert state.is_completed() and state.result() == "done"
    task_runs = {t.task_name: t for t in history.store.history.read_task_runs(history.only_flow_run().id)}
    assert task_runs["fail"].state.type == "FAILED"  # it still ran, and failed, before the flow ended

    @flow
    def handles():
        future = fail.submit(1)
        return future.state.is_failed()

    assert handles() is True


def test_flow_waits_for_futures_it_never_awaited(history):
    done = []

    @task
    def slow():
        time.sleep(0.1)
        done.append(1)

    @flow
    def pipeline():
        for _ in range(3):
            slow.submit()

    pipeline()
    assert done == [1, 1, 1]


def test_returned_futures_become_their_final_states(history):
    @flow
    def pipeline():
        return {"a": double.submit(1), "b": [double.submit(2)]}

    returned = pipeline()
    assert returned["a"].result() == 2 and [s.result() for s in returned["b"]] == [4]

    @flow
    def failing():
        return [double.submit(1), fail.submit(1)]

    state = failing(return_state=True)
    assert state.is_failed() and state.message == "1/2 states failed."
    with pytest.raises(ValueError, match="bad 1"):
        state.result()


def test_map_with_unmapped_and_over_other_maps(history):
    @task
    def add(x: int, y: int) -> int:
        return x + y

    @flow
    def pipeline():
        doubled = double.map([1, 2, 3])
        added = add.map(doubled, unmapped(10))
        return added.result(), add.map(double.submit(1).result(), y=[5]).result()

    results, single = pipeline()
    assert results == [12, 14, 16]
    assert single == [7]


def test_map_over_a_future_of_a_list(history):
    @task
    def items():
        return [1, 2, 3]

    @flow
    def pipeline():
        return double.map(items.submit()).result()

    assert pipeline() == [2, 4, 6]


def test_map_errors_come_before_anything_runs(history):
    @task
    def add(x, y):
        return x + y

    @flow
    def mismatched():
        add.map([1, 2], [1, 2, 3])

    with pytest.raises(MappingLengthMismatch, match="argument 1 has 2, argument 2 has 3"):
        mismatched()
    with pytest.raises(MappingMissingIterable):
        add.map(1, 2)
    assert history.store.history.counts()["task_runs"] == 0


def test_one_failure_among_many_mapped_does_not_stop_the_others(history):
    @task
    def maybe(i: int) -> int:
        if i == 500:
            raise RuntimeError("one bad apple")
        return i

    @flow
    def pipeline():
        return maybe.map(range(1000))

    state = pipeline(return_state=True)
    assert state.is_failed()
    task_runs = history.store.history.read_task_runs(history.only_flow_run().id)
    assert len(task_runs) == 1000
    assert sum(t.state.type == "COMPLETED" for t in task_runs) == 999


def test_result_timeout_raises_timeout_error(history):
    release = threading.Event()

    @task
    def blocked():
        release.wait(10)

    @flow
    def pipeline():
        future = blocked.submit()
        with pytest.raises(TimeoutError):
            future.result(timeout=0.05)
        release.set()
        future.result()

    pipeline()


def test_wait_and_as_completed(history):
    @task
    def sleepy(seconds: float) -> float:
        time.sleep(seconds)
        return seconds

    @flow
    def pipeline():
        futures = [sleepy.submit(s) for s in (0.2, 0.0, 0.1)]
        order = [f.result() for f in as_completed(futures, timeout=10)]
        done, not_done = wait(futures, timeout=10)
        return order, len(done), len(not_done)

    order, done, not_done = pipeline()
    assert order == [0.0, 0.1, 0.2] and (done, not_done) == (3, 0)


def test_done_callbacks(history):
    seen = []
    finished = threading.Event()

    @flow
    def pipeline():
        future = double.submit(4)
        future.add_done_callback(lambda f: (seen.append(f.result()), finished.set()))
        finished.wait(10)

    pipeline()
    assert seen == [8]


def test_async_tasks_run_concurrently_on_one_loop(history):
    @task
    async def nap(i: int) -> int:
        await asyncio.sleep(0.2)
        return i

    @flow
    def pipeline():
        return [f.result() for f in [nap.submit(i) for i in range(20)]]

    started = time.monotonic()
    assert pipeline() == list(range(20))
    assert time.monotonic() - started < 2  # 20 x 0.2 s one after another would be 4 s


def test_threads_really_run_at_once(history):
    from headwater.task_runners import ThreadPoolTaskRunner

    barrier = threading.Barrier(8, timeout=10)

    @task
    def meet(i):
        barrier.wait()  # only passes if 8 run at the same time
        return True

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=8))
    def pipeline():
        return meet.map(range(8)).result()

    assert pipeline() == [True] * 8


def test_submit_outside_a_flow(history):
    assert double.submit(5).result() == 10


def test_direct_calls_resolve_futures_and_accept_wait_for(history):
    order = []

    @task
    def total(items: list) -> int:
        return sum(items)

    @task
    def first():
        time.sleep(0.05)
        order.append("first")

    @task
    def after():
        order.append("after")

    @flow
    def pipeline():
        futures = [double.submit(i) for i in range(3)]
        result = total(futures)
        after(wait_for=[first.submit()])
        return result

    assert pipeline() == 6
    assert order == ["first", "after"]
    task_runs = {t.task_name: t for t in history.store.history.read_task_runs(history.only_flow_run().id)}
    assert len(task_runs["total"].upstream) == 3
    assert task_runs["after"].upstream == [task_runs["first"].id]


def test_wait_and_as_completed_time_out_on_unfinished_runs(history):
    release = threading.Event()

    @task
    def blocked():
        release.wait(10)

    @flow
    def pipeline():
        futures = [blocked.submit(), double.submit(1)]
        futures[1].wait(10)
        done, not_done = wait(futures, timeout=0.05)
        seen = []
        with pytest.raises(TimeoutError, match="not all of 2"):
            for future in as_completed(futures, timeout=0.1):
                seen.append(future)
        release.set()
        ids = [f.task_run_id for f in futures]
        return [f.task_run_id for f in done], [f.task_run_id for f in not_done], [f.task_run_id for f in seen], ids

    done, not_done, seen, ids = pipeline()
    assert done == [ids[1]] and not_done == [ids[0]]
    assert seen == [ids[1]]


def test_a_failing_done_callback_is_logged_and_the_others_still_run(history, caplog):
    from headwater.engine.futures import FinalStateSlot
    from headwater.states import Completed

    outcome = FinalStateSlot()
    calls = []
    outcome.add_done_callback(lambda o: 1 / 0)
    outcome.add_done_callback(lambda o: calls.append(o.result().type))
    outcome.set_result(Completed())
    outcome.add_done_callback(lambda o: calls.append("late"))  # runs at once: already filled
    assert calls == [Completed().type, "late"]
    assert "a done-callback of a task run failed" in caplog.text
    with pytest.raises(RuntimeError, match="already set"):
        outcome.set_result(Completed())


def test_the_pool_adds_a_thread_only_when_none_is_idle(history):
    from headwater.task_runners import ThreadPoolTaskRunner

    def task_threads():
        return {t.name for t in threading.enumerate() if t.name.startswith("headwater-task")}

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=4))
    def pipeline():
        for i in range(20):
            double.submit(i).result()  # one at a time: one thread is enough
        one_at_a_time = len(task_threads())
        barrier = threading.Barrier(4, timeout=10)

        @task
        def meet(i):
            barrier.wait()
            return len(task_threads())

        return one_at_a_time, max(meet.map(range(8)).result())

    one_at_a_time, at_most = pipeline()
    assert one_at_a_time == 1
    assert at_most == 4
