"""Prefect 1 control flow and building blocks in static flows: case, merge, switch, ifelse,
apply_map, flatten, resource_manager, executors, results, secrets, ShellTask."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from headwater import Flow, Parameter, apply_map, case, flatten, resource_manager, task, unmapped
from headwater.engine.results import LocalResult, PrefectResult
from headwater.executors import DaskExecutor, LocalDaskExecutor
from headwater.tasks.control_flow import ifelse, merge, switch
from headwater.tasks.secrets import EnvVarSecret, PrefectSecret
from headwater.tasks.shell import ShellTask


@task
def is_big(x: int) -> bool:
    return x > 2


@task
def label(kind: str, x: int) -> str:
    return f"{kind} {x}"


def test_case_and_merge_take_one_branch_and_skip_the_other(home: Path) -> None:
    with Flow("branch") as flow:
        x = Parameter("x")
        cond = is_big(x)
        with case(cond, True):
            big = label("big", x)
        with case(cond, False):
            small = label("small", x)
        merged = merge(big, small)

    for value, expected, skipped in ((3, "big 3", small), (1, "small 1", big)):
        state = flow.run(x=value)
        assert state.result[merged].result == expected
        assert state.result[skipped].is_skipped()
        assert state.is_successful()


def test_switch_and_ifelse_run_only_the_matching_task(home: Path) -> None:
    @task
    def a() -> str:
        return "A"

    @task
    def b() -> str:
        return "B"

    with Flow("switch") as flow:
        which = Parameter("which", default="b")
        switch(which, {"a": a, "b": b})

    state = flow.run()
    assert state.result[b].result == "B" and state.result[a].is_skipped()

    with Flow("ifelse") as flow2:
        ifelse(is_big(5), a, b)
    state2 = flow2.run()
    assert state2.result[a].result == "A" and state2.result[b].is_skipped()


def test_apply_map_maps_a_whole_function_including_its_case(home: Path) -> None:
    @task
    def is_even(x: int) -> bool:
        return x % 2 == 0

    @task
    def inc(x: int) -> int:
        return x + 1

    def inc_if_even(x: int) -> object:
        with case(is_even(x), True):
            return inc(x)

    with Flow("apply") as flow:
        out = apply_map(inc_if_even, [1, 2, 3, 4])

    state = flow.run()
    assert state.result[out].result == [None, 3, None, 5]
    assert [type(s).__name__ for s in state.result[out].map_states] == ["Skipped", "Success", "Skipped", "Success"]


def test_flatten_maps_over_a_list_of_lists_and_unmapped_passes_whole(home: Path) -> None:
    @task
    def nested() -> list[list[int]]:
        return [[1, 2], [3]]

    @task
    def add(x: int, y: int) -> int:
        return x + y

    with Flow("flatten") as flow:
        out = add.map(flatten(nested()), unmapped(10))

    assert flow.run().result[out].result == [11, 12, 13]


def test_resource_manager_sets_up_before_and_cleans_up_after_even_on_failure(home: Path) -> None:
    events: list[str] = []

    @resource_manager
    class Resource:
        def __init__(self, name: str) -> None:
            self.name = name

        def setup(self) -> str:
            events.append("setup")
            return f"res-{self.name}"

        def cleanup(self, resource: str) -> None:
            events.append(f"cleanup {resource}")

    @task
    def use(resource: str) -> None:
        events.append(f"use {resource}")
        raise ValueError("inside")

    with Flow("resource") as flow:
        with Resource("x") as resource:
            used = use(resource)

    state = flow.run()
    assert events == ["setup", "use res-x", "cleanup res-x"]
    assert state.is_failed() and state.result[used].is_failed()


@pytest.mark.parametrize("executor", [LocalDaskExecutor(num_workers=3),
                                      DaskExecutor(cluster_kwargs={"n_workers": 1, "threads_per_worker": 3})])
def test_parallel_executors_run_mapped_children_at_once(home: Path, executor: object) -> None:
    barrier = threading.Barrier(3, timeout=20)  # breaks, failing the runs, unless three run at once

    @task
    def meet(i: int) -> int:
        barrier.wait()
        return i

    with Flow("parallel", executor=executor) as flow:
        out = meet.map([1, 2, 3])

    state = flow.run()
    assert state.is_successful(), state.result[out].map_states
    assert state.result[out].result == [1, 2, 3]


def test_checkpointed_results_and_targets(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT__FLOWS__CHECKPOINTING", "true")
    calls: list[int] = []

    @task(target="{task_name}.out", checkpoint=True, result=LocalResult(dir=str(tmp_path / "out")))
    def produce() -> str:
        calls.append(1)
        return "payload"

    @task(result=PrefectResult(), checkpoint=True)
    def small() -> dict[str, int]:
        return {"a": 1}

    with Flow("results") as flow:
        p = produce()
        s = small()

    first, second = flow.run(), flow.run()
    assert calls == [1]
    assert type(second.result[p]).__name__ == "Cached" and second.result[p].result == "payload"
    assert os.listdir(tmp_path / "out") == ["produce.out"]
    assert first.result[s]._result.location == '{"a": 1}'


def test_secrets_and_shell_tasks(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT__CONTEXT__SECRETS__KEY", '{"user": "ann"}')
    monkeypatch.setenv("SOME_PORT", "80")

    @task
    def show(key: dict[str, str], port: int, echoed: list[str]) -> str:
        return f"{key['user']} {port} {echoed}"

    with Flow("secrets") as flow:
        out = show(PrefectSecret("KEY"), EnvVarSecret("SOME_PORT", cast=int),
                   ShellTask(return_all=True)(command='echo "$X"; echo two', env={"X": "one"}))
        failed = ShellTask()(command="exit 3")
        missing = PrefectSecret("ABSENT")()

    state = flow.run()
    assert state.result[out].result == "ann 80 ['one', 'two']"
    assert state.result[failed].message == "Command failed with exit code 3"
    assert "ABSENT" in str(state.result[missing].result)
