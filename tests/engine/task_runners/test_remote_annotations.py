"""`allow_failure`, `quote` and `opaque` behave the same on every task runner.

The thread runner is the reference (its behaviour is Prefect 3's, see the parity programs
in tests/parity/prefect3/annotations/); the process pool and Dask runners resolve the
arguments in the parent and ship the values, and must give the task the same values,
running it where it belongs (a worker process, a Dask worker), never in the parent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

distributed = pytest.importorskip("distributed")

from headwater import allow_failure, flow, task  # noqa: E402
from headwater.dask import DaskTaskRunner  # noqa: E402
from headwater.futures import PrefectFuture  # noqa: E402
from headwater.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner  # noqa: E402
from headwater.utilities.annotations import opaque, quote  # noqa: E402

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def scheduler_address() -> Iterator[str]:
    """An in-process cluster: its workers are threads of this process, so where a
    task ran is told by `distributed.get_worker()`, not by the process id."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                           dashboard_address=":0")
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@pytest.fixture(params=["threads", "processes", "dask"])
def runner(request: pytest.FixtureRequest) -> Any:
    if request.param == "threads":
        return ThreadPoolTaskRunner(max_workers=2)
    if request.param == "processes":
        return ProcessPoolTaskRunner(max_workers=2)
    return DaskTaskRunner(address=request.getfixturevalue("scheduler_address"))


def _where() -> str | int:
    """"dask" on a Dask worker, else this process's id (a worker process imports this
    module anew, so the test's process id cannot be kept in a module global)."""
    try:
        distributed.get_worker()
        return "dask"
    except ValueError:
        return os.getpid()


@task
def broken() -> int:
    raise KeyError("k")


@task
def one() -> int:
    return 1


@task
def describe(value: Any) -> tuple[str, str | int]:
    if isinstance(value, BaseException):
        text = f"{type(value).__name__} {value}"
    elif isinstance(value, list):
        text = repr([type(v).__name__ if isinstance(v, BaseException) else v for v in value])
    else:
        text = repr(value)
    return text, _where()


@task
def takes_one(x: int) -> int:
    return x


def place(where: str | int) -> str:
    if where == "dask":
        return "dask"
    return "parent" if where == os.getpid() else "processes"


def expected_place(runner: Any) -> str:
    if isinstance(runner, ThreadPoolTaskRunner):
        return "parent"
    return "dask" if isinstance(runner, DaskTaskRunner) else "processes"


def test_annotations_give_each_runner_the_same_arguments(history, runner):
    @flow(task_runner=runner)
    def pipeline() -> list[tuple[str, str | int]]:
        failed, done = broken.submit(), one.submit()
        not_ready = takes_one.submit(failed)  # never runs: Pending, named NotReady
        return [
            describe.submit(allow_failure(failed)).result(),
            describe.submit(allow_failure(done)).result(),
            describe.submit([allow_failure(failed), done]).result(),
            describe.submit(allow_failure([failed, done])).result(),
            describe.submit(opaque(done)).result(),
            describe.submit(quote({"a": [1, 2]})).result(),
            describe.submit(quote(quote(3))).result(),  # one wrapper comes off, not two
            describe.submit(allow_failure(not_ready)).result(),  # a NotReady upstream passes its data
            describe.submit(5, wait_for=[allow_failure(failed)]).result(),
        ]

    where = expected_place(runner)
    assert [(text, place(ran)) for text, ran in pipeline()] == [
        ("KeyError 'k'", where),
        ("1", where),
        ("['KeyError', 1]", where),
        ("['KeyError', 1]", where),
        ("1", where),
        ("{'a': [1, 2]}", where),
        ("quote(3)", where),
        ("None", where),
        ("5", where),
    ]


def test_an_upstream_failure_without_allow_failure_leaves_the_run_not_ready(history, runner):
    @flow(task_runner=runner)
    def pipeline() -> list[tuple[str, str | None]]:
        failed = broken.submit()
        as_argument = describe.submit(failed)
        waiting = describe.submit(1, wait_for=[failed])
        inside = describe.submit([allow_failure(one.submit()), failed])  # allowed for one future only
        return [(f.final_state().type.value, f.final_state().name) for f in (as_argument, waiting, inside)]

    assert pipeline() == [("PENDING", "NotReady")] * 3
    names = {t.task_name for t in history.store.history.read_task_runs(history.only_flow_run().id)
             if t.state.type == "PENDING"}
    assert names == {"describe"}


@task
def is_future(value: Any) -> bool:
    return isinstance(value, PrefectFuture)


def test_a_quoted_future_is_passed_as_is_or_refused_by_name(history, runner):
    @flow(task_runner=runner)
    def pipeline() -> tuple[str, Any]:
        state = is_future.submit(quote(one.submit()), return_state=True)
        return state.type.value, state.result() if state.is_completed() else state.message

    kind, outcome = pipeline()
    if isinstance(runner, ThreadPoolTaskRunner):
        assert (kind, outcome) == ("COMPLETED", True)
        return
    # A future cannot travel to another process; the run fails saying so (on Prefect the
    # process pool fails pickling a lock, and prefect_dask passes something else).
    assert kind == "FAILED"
    assert "argument 'value' of task 'is_future' holds a future, which cannot be sent" in outcome
    assert "not inside quote(...)" in outcome
