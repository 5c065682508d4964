"""DaskTaskRunner on real distributed.LocalCluster instances."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from headwater import flow, get_run_logger, task  # noqa: E402
from headwater.cache_policies import INPUTS  # noqa: E402
from headwater.dask import DaskTaskRunner  # noqa: E402
from headwater.engine.task_runners.dask import DaskResult  # noqa: E402
from headwater.exceptions import UnfinishedRun  # noqa: E402

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def scheduler_address() -> Iterator[str]:
    """One in-process cluster (2 workers, threads) shared by the tests that connect by address."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=False,
                                           dashboard_address=":0")
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@task
def square(x: int) -> int:
    get_run_logger().info("squaring %d", x)
    return x * x


@task
def total(values: list[int]) -> int:
    return sum(values)


@task
def boom() -> int:
    raise ValueError("boom")


@task
def takes(anything: object) -> None:
    return None


@task(retries=2)
def flaky(marker: str) -> str:
    path = Path(marker)
    attempts = int(path.read_text()) if path.exists() else 0
    path.write_text(str(attempts + 1))
    if attempts == 0:
        raise ValueError("first attempt fails")
    return f"ok after {attempts + 1}"


@task
async def async_double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


@task
def pid(_: int) -> int:
    return os.getpid()


@task
def dies() -> None:
    os._exit(13)


@task(retries=1)
def dies_once(marker: str) -> str:
    path = Path(marker)
    if not path.exists():
        path.write_text("died")
        os._exit(13)
    return "second life"


def test_starts_a_local_cluster_and_closes_it_after(history):
    runners = []

    @flow(task_runner=DaskTaskRunner(cluster_kwargs={"n_workers": 2, "processes": False,
                                                     "dashboard_address": ":0"}))
    def pipeline() -> int:
        from headwater.engine.context import flow_run_var

        runner = flow_run_var.get().task_runner()
        runners.append(runner)
        assert len(runner.client.scheduler_info()["workers"]) == 2
        return square.submit(7).result()

    assert pipeline() == 49
    assert runners[0].client is None  # closed with the flow run
    task_run = history.store.history.read_task_runs(history.only_flow_run().id)[0]
    assert history.states(task_run.id) == ["Pending", "Running", "Completed"]


def test_data_stays_on_the_cluster_between_tasks(history, scheduler_address):
    @flow(task_runner=DaskTaskRunner(address=scheduler_address))
    def pipeline():
        squares = square.map(range(10))
        summed = total.submit(squares)
        return summed.result(), [f.final_state().data for f in squares]

    result, upstream_data = pipeline()
    assert result == sum(i * i for i in range(10))
    # The flow never asked for the squares: they were passed worker to worker.
    assert all(isinstance(d, DaskResult) and not d._loaded for d in upstream_data)

    flow_run = history.only_flow_run()
    task_runs = {t.name: t for t in history.store.history.read_task_runs(flow_run.id)}
    assert len(task_runs) == 11
    summed = next(t for t in task_runs.values() if t.task_name == "total")
    assert len(summed.upstream) == 10
    for task_run in task_runs.values():
        assert task_run.state.type == "COMPLETED"
        assert history.states(task_run.id) == ["Pending", "Running", "Completed"]
    square_run = next(t for t in task_runs.values() if t.task_name == "square")
    assert any("squaring" in line.message for line in history.store.history.read_logs(task_run_id=square_run.id))


def test_failures_and_upstream_failures(history, scheduler_address):
    @flow(task_runner=DaskTaskRunner(address=scheduler_address))
    def pipeline() -> None:
        failed = boom.submit()
        downstream = total.submit([failed])
        with pytest.raises(ValueError, match="boom"):
            failed.result()
        with pytest.raises(UnfinishedRun):  # Prefect 3: it never ran; it stays Pending (NotReady)
            downstream.result()

    assert pipeline(return_state=True).is_completed()
    task_runs = {t.task_name: t for t in history.store.history.read_task_runs(history.only_flow_run().id)}
    assert task_runs["boom"].state.type == "FAILED"
    assert (task_runs["total"].state.type, task_runs["total"].state.name) == ("PENDING", "NotReady")
    assert task_runs["boom"].name in task_runs["total"].state.message


def test_retries_and_async_tasks_run_on_workers(history, scheduler_address, tmp_path):
    @flow(task_runner=DaskTaskRunner(address=scheduler_address))
    def pipeline():
        return flaky.submit(str(tmp_path / "n")).result(), async_double.submit(21).result()

    assert pipeline() == ("ok after 2", 42)
    flaky_run = next(t for t in history.store.history.read_task_runs(history.only_flow_run().id) if t.task_name == "flaky")
    assert history.states(flaky_run.id) == ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]


@task(cache_policy=INPUTS)
def cached_square(x: int) -> int:
    return x * x


def test_caching_works_on_workers(history, scheduler_address):
    @flow(task_runner=DaskTaskRunner(address=scheduler_address))
    def pipeline() -> tuple[list[str], list[int]]:
        futures = cached_square.map(range(3))
        futures.wait()
        return [f.state.name for f in futures], futures.result()

    assert pipeline() == (["Completed"] * 3, [0, 1, 4])
    assert pipeline() == (["Cached"] * 3, [0, 1, 4])


def test_a_non_picklable_argument_fails_cleanly(history, scheduler_address):
    @flow(task_runner=DaskTaskRunner(address=scheduler_address))
    def pipeline():
        return takes.submit(threading.Lock())  # returned: its failure is the flow's

    state = pipeline(return_state=True)
    assert state.is_failed()
    task_run = history.store.history.read_task_runs(history.only_flow_run().id)[0]
    assert history.states(task_run.id) == ["Pending", "Failed"]
    assert "argument 'anything' of task 'takes' cannot be sent to a Dask worker" in task_run.state.message


def test_worker_processes_and_a_worker_dying_mid_task(history, tmp_path):
    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True,
                                            "dashboard_address": ":0"})

    @flow(task_runner=runner)
    def pipeline():
        pids = {f.result() for f in pid.map(range(4))}
        crashing = dies.submit()
        crashing.wait(60)
        retried = dies_once.submit(str(tmp_path / "marker")).result(timeout=60)
        return pids, crashing.state.type.value, crashing.state.message, retried

    pids, crashed, message, retried = pipeline()
    assert os.getpid() not in pids
    assert crashed == "CRASHED" and "died or was lost" in message
    assert retried == "second life"
    task_runs = {t.task_name: t for t in history.store.history.read_task_runs(history.only_flow_run().id)}
    assert task_runs["dies"].state.type == "CRASHED"
    assert task_runs["dies_once"].state.type == "COMPLETED"
    assert "AwaitingRetry" in history.states(task_runs["dies_once"].id)


def test_bad_configuration_is_refused():
    from headwater.exceptions import InvalidDefinitionError

    with pytest.raises(InvalidDefinitionError, match="not both"):
        DaskTaskRunner(address="tcp://127.0.0.1:1", cluster_kwargs={"n_workers": 1})
    with pytest.raises(InvalidDefinitionError, match="cluster_kwargs must be a dict"):
        DaskTaskRunner(cluster_kwargs=[1])  # type: ignore[arg-type]


def test_the_prefect_dask_alias():
    import headwater_dask

    assert headwater_dask.DaskTaskRunner is DaskTaskRunner
