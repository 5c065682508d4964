"""`headwater_dask` (prefect_dask's names): Dask clients inside flows and tasks and
`PrefectDaskClient`, on a real distributed.LocalCluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from headwater import flow, task  # noqa: E402
from headwater.core.settings import reset_settings  # noqa: E402
from headwater.orchestrator import get_orchestrator, set_orchestrator, shutdown  # noqa: E402
from headwater_dask import DaskTaskRunner, PrefectDaskClient, get_dask_client  # noqa: E402
from headwater_dask.task_runners import PrefectDaskFuture  # noqa: E402

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HEADWATER_LOGGING_TO_CONSOLE", "false")
    reset_settings()
    set_orchestrator(None)
    yield tmp_path
    shutdown()
    reset_settings()


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0") as c:
        yield c


@task
def add(x: int, y: int = 1) -> int:
    return x + y


@task
def sum_with_dask(n: int) -> int:
    import dask.bag

    with get_dask_client() as client:
        return int(client.compute(dask.bag.from_sequence(range(n), npartitions=2).sum()).result())


def test_a_task_on_the_dask_runner_gets_a_client_of_its_cluster(home: Path, cluster: object) -> None:
    @flow(task_runner=DaskTaskRunner(address=cluster.scheduler_address))  # type: ignore[attr-defined]
    def pipeline() -> tuple[bool, int, int]:
        future = sum_with_dask.submit(10)
        with get_dask_client() as client:  # in the flow: the same cluster
            on_cluster = client.submit(lambda: 5).result()
        return isinstance(future, PrefectDaskFuture), future.result(), on_cluster

    assert pipeline() == (True, 45, 5)


def test_prefect_dask_client_runs_tasks_as_task_runs(home: Path, cluster: object) -> None:
    with PrefectDaskClient(cluster) as client:
        assert client.submit(add, 1, 2).result() == 3
        assert [f.result() for f in client.map(add, [1, 2, 3])] == [2, 3, 4]
        assert client.submit(lambda: 7).result() == 7  # anything else goes to Dask as usual
        state = client.submit(add, 5, return_type="state").result()
    assert state.is_completed() and state.result() == 6
    orchestrator = get_orchestrator()
    assert orchestrator.flush(timeout=10)
    from headwater import get_client

    with get_client(sync_client=True) as reader:
        runs = reader.read_task_runs()
    assert sorted(run.name.rsplit("-", 1)[0] for run in runs) == ["add"] * 5
    assert all(run.state.is_completed() for run in runs)
