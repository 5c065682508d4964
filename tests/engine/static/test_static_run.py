"""Running a static flow: flow.run(**parameters), its returned states, and its history."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import pytest

from headwater import Flow, Parameter, task, unmapped
from headwater.exceptions import ParameterValidationError, UpstreamTaskError


@task(log_stdout=True)
def say_hello(name):  # type: ignore[no-untyped-def]
    print("Hello, {}!".format(name))


@task
def extract(source: str) -> list[int]:
    return [1, 2, 3] if source == "db" else [10]


@task
def double(x: int) -> int:
    return 2 * x


@task
def total(values: list[int]) -> int:
    return sum(values)


@task
def explode(rows: list[int]) -> list[int]:
    raise RuntimeError(f"cannot handle {len(rows)} rows")


def test_the_blogs_hello_flow_prints_through_the_task_run_log(home: Path, capfd: pytest.CaptureFixture[str]) -> None:
    with Flow("My First Flow") as flow:
        name = Parameter("name")
        say_hello(name)

    first = flow.run(name="world")
    second = flow.run(name="Marvin")

    out = capfd.readouterr()
    text = out.out + out.err
    assert "Task run 'say_hello-" in text
    assert "- Hello, world!" in text and "- Hello, Marvin!" in text
    assert first.is_successful() and second.is_successful()
    assert first.result[say_hello].result is None
    assert first.result[name].result == "world"
    assert second.result["name"].result == "Marvin"


def test_results_are_reachable_by_placeholder_task_or_key(home: Path) -> None:
    with Flow("etl") as etl:
        source = Parameter("source", default="db")
        rows = extract(source)
        doubled = double.map(rows)
        summed = total(doubled)

    state = etl.run()

    assert state.is_successful(), state
    assert state.result[rows].result == [1, 2, 3]
    assert state.result[double].result == [2, 4, 6]
    assert state.result[double].is_mapped() and len(state.result[double].map_states) == 3
    assert state.result["total"].result == 12 == state.result[summed].result
    assert etl.run(parameters={"source": "api"}).result[summed].result == 20


def test_a_task_called_twice_is_looked_up_by_what_each_call_returned(home: Path) -> None:
    with Flow("twice") as twice:
        a = double(1)
        b = double(2)

    state = twice.run()

    assert (state.result[a].result, state.result[b].result, state.result["double-2"].result) == (2, 4, 4)
    with pytest.raises(KeyError, match=r"called 2 times .*'double', 'double-2'"):
        state.result[double]


def test_by_default_tasks_run_one_at_a_time_as_with_prefect1s_local_executor(home: Path) -> None:
    # Ordering events from one counter: each task run's start and end. Independent
    # branches that ran at the same time would interleave (a start between another's
    # start and end); run one after the other, each ends before the next starts. And all
    # run in the thread that called flow.run(), as Prefect 1's LocalExecutor runs them.
    sequence = itertools.count()
    events: list[tuple[int, str, str, int]] = []

    @task
    def branch(label: str) -> str:
        events.append((next(sequence), "start", label, threading.get_ident()))
        events.append((next(sequence), "end", label, threading.get_ident()))
        return label

    with Flow("sequential") as sequential:
        for i in range(4):
            branch(f"b{i}")

    assert sequential.run().is_successful()
    assert [kind for _, kind, _, _ in sorted(events)] == ["start", "end"] * 4
    labels = [label for _, _, label, _ in sorted(events)]
    assert [labels[i] for i in range(0, 8, 2)] == [labels[i] for i in range(1, 8, 2)]  # each ends before the next
    assert sorted(labels[::2]) == ["b0", "b1", "b2", "b3"]
    assert {thread for _, _, _, thread in events} == {threading.get_ident()}


def test_a_local_dask_executor_runs_independent_branches_at_the_same_time(home: Path) -> None:
    from headwater.executors import LocalDaskExecutor

    both_running = threading.Barrier(2, timeout=10)  # breaks (and the test fails) if run one after the other

    @task
    def branch(label: str) -> str:
        both_running.wait()
        return label

    with Flow("branches") as branches:
        left = branch("left")
        right = branch("right")
        joined = total.map([[1], [2]], upstream_tasks=[left, right])

    state = branches.run(executor=LocalDaskExecutor(num_workers=2))

    assert state.is_successful(), state
    assert (state.result[left].result, state.result[right].result, state.result[joined].result) == ("left", "right",
                                                                                                      [1, 2])


def test_upstream_tasks_order_without_passing_data(home: Path) -> None:
    seen: list[str] = []

    @task
    def step(label: str) -> None:
        seen.append(label)

    with Flow("ordered") as ordered:
        first = step("first")
        second = step("second", upstream_tasks=[first])
        step("third", upstream_tasks=[second])

    assert ordered.run().is_successful()
    assert seen == ["first", "second", "third"]


def test_a_failing_task_fails_the_run_without_raising_and_its_downstream_does_not_run(home: Path) -> None:
    with Flow("broken") as broken:
        rows = extract("db")
        bad = explode(rows)
        after = total(bad)
        mapped_after = double.map(bad)
        fine = double(5)

    state = broken.run()

    assert state.is_failed() and not state.is_successful()
    assert state.message == "Some reference tasks failed."
    assert isinstance(state.result[bad].result, RuntimeError)
    assert str(state.result[bad].result) == "cannot handle 3 rows"
    assert type(state.result[after]).__name__ == "TriggerFailed"
    assert state.result[mapped_after].message == "No upstream states can be mapped over."
    assert state.result[fine].result == 10


def test_getitem_and_unmapped_work_at_run_time(home: Path) -> None:
    @task
    def payload() -> dict[str, list[int]]:
        return {"items": [1, 2]}

    @task
    def scale(x: int, by: int) -> int:
        return x * by

    with Flow("items") as items:
        data = payload()
        factor = Parameter("factor", default=10)
        scaled = scale.map(data["items"], unmapped(factor))

    assert items.run().result[scaled].result == [10, 20]
    assert items.run(factor=3).result[scaled].result == [3, 6]


def test_a_missing_required_parameter_is_refused_before_anything_runs(home: Path, history) -> None:  # type: ignore[no-untyped-def]
    with Flow("greet") as greet:
        say_hello(Parameter("name"))

    with pytest.raises(ValueError, match=r"Flow.run did not receive the following required parameters: name"):
        greet.run()  # Prefect 1's exception and message
    assert history.store.flow_runs.list_flow_runs(limit=10) == []


def test_an_unknown_parameter_is_refused_naming_it_and_the_known_ones(home: Path) -> None:
    with Flow("greet") as greet:
        say_hello(Parameter("name"))

    with pytest.raises(ParameterValidationError, match=r"flow 'greet' has no Parameter 'nmae'; its Parameters are: 'name'"):
        greet.run(nmae="world")


def test_the_run_is_recorded_with_its_parameters_task_runs_and_edges(home: Path, history) -> None:  # type: ignore[no-untyped-def]
    @task
    def audit() -> None: ...

    with Flow("recorded") as recorded:
        source = Parameter("source", default="db")
        rows = extract(source)
        checked = audit(upstream_tasks=[rows])
        total(rows, upstream_tasks=[checked])

    state = recorded.run(source="db")

    run = history.flow_run(state.flow_run_id)
    assert run.flow_name == "recorded"
    assert run.parameters == {"source": "db"}
    assert run.state.type == "COMPLETED"
    task_runs = {t.task_name: t for t in history.store.history.read_task_runs(state.flow_run_id)}
    assert sorted(task_runs) == ["audit", "extract", "total"]
    assert task_runs["audit"].upstream == [task_runs["extract"].id]
    assert sorted(task_runs["total"].upstream) == sorted([task_runs["extract"].id, task_runs["audit"].id])
    assert all(history.states(t.id) == ["Pending", "Running", "Completed"] for t in task_runs.values())


def test_a_static_flow_called_like_a_flow_runs_its_graph(home: Path, history) -> None:  # type: ignore[no-untyped-def]
    with Flow("callable") as callable_flow:
        extract(Parameter("source"))

    callable_flow(source="db")  # what `headwater run FILE:flow -p source=db` does

    assert history.only_flow_run().parameters == {"source": "db"}


def test_a_map_over_lists_of_different_lengths_runs_as_many_times_as_the_shortest(home: Path) -> None:
    @task
    def pair(a: int, b: int) -> int:
        return a + b

    with Flow("uneven") as uneven:
        left = Parameter("left", default=[1, 2])
        sums = pair.map(left, [1, 2, 3])
        other = double(4)

    state = uneven.run()

    assert state.is_successful()
    assert state.result[sums].result == [2, 4]  # Prefect 1 zips to the shortest input
    assert state.result[other].result == 8
