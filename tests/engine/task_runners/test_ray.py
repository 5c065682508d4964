"""The Ray task runner on a real local Ray (`num_cpus=2`): a local Ray started and shut
down for the flow when no address is given; with Ray running, results that stay in
Ray's object store until asked for (and feed downstream tasks there); retries,
caching, tag limits and history as with the other runners; failures as exceptions.

Ray takes seconds to start, so all but the first test share one Ray (module scope).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    import ray
except ImportError:  # the `ray` extra: .ci/run installs it, so CI must not skip these
    if os.environ.get("CI"):
        pytest.fail("ray is not installed: pip install -e '.[ray]' (CI is set, so the Ray tests must run)",
                    pytrace=False)
    pytest.skip("ray is not installed: pip install -e '.[ray]'", allow_module_level=True)

import cloudpickle  # noqa: E402

from headwater import flow, task  # noqa: E402
from headwater.concurrency.limits import create_limit  # noqa: E402
from headwater.engine.task_runners.ray import RayResult  # noqa: E402
from headwater.ray import RayTaskRunner  # noqa: E402
from headwater_ray import RayTaskRunner as AliasedRunner  # noqa: E402

from support import History  # noqa: E402

pytestmark = pytest.mark.timeout(300)

# Ray workers cannot import this test module: its functions travel by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@task
def inc(x: int) -> int:
    return x + 1


@task(retries=1, retry_delay_seconds=0)
def fails_once(marker: str) -> str:
    path = Path(marker)
    if not path.exists():
        path.write_text("attempt 1")
        raise RuntimeError("first attempt fails")
    return "second attempt"


@task(cache_key_fn=lambda context, parameters: f"ray-{parameters['x']}", persist_result=True)
def cached(x: int, marker: str) -> int:
    with open(marker, "a") as f:
        f.write("ran\n")
    return x * 100


@task(tags=["ray-limited"])
def hold(out: str) -> None:
    start = time.time()
    time.sleep(0.3)
    with open(out, "a") as f:
        f.write(f"{start} {time.time()}\n")


@task
def refuse() -> None:
    raise ValueError("not on this cluster")


def test_without_an_address_a_local_ray_runs_for_the_flow_only(home: Path) -> None:
    assert not ray.is_initialized()

    @flow(task_runner=AliasedRunner(init_kwargs={"num_cpus": 2}))
    def small() -> int:
        return inc.submit(inc.submit(1)).result()

    assert small() == 3
    assert not ray.is_initialized()  # shut down with the flow run


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, log_to_driver=False)
    yield
    ray.shutdown()


def test_results_stay_on_the_cluster_until_asked_for(home: Path, local_ray: None) -> None:
    @flow(task_runner=RayTaskRunner())
    def chain() -> tuple[bool, int]:
        first = inc.submit(1)
        second = inc.submit(first)  # fed from the object store, not through the flow
        data = second.final_state().data
        return isinstance(data, RayResult), second.result()

    assert chain() == (True, 3)


def test_retries_caching_limits_and_history_as_with_other_runners(home: Path, local_ray: None,
                                                                   history: History, tmp_path: Path) -> None:
    create_limit("ray-limited", 1, kind="tag")
    marker, ran, held = tmp_path / "marker", tmp_path / "ran", tmp_path / "held"

    @flow(task_runner=RayTaskRunner())
    def mixed() -> tuple[str, list[int], str]:
        retried = fails_once.submit(str(marker))
        values = [cached.submit(7, str(ran)).result() for _ in range(2)]
        holds = [hold.submit(str(held)) for _ in range(2)]
        for h in holds:
            h.wait()
        second = cached.submit(7, str(ran), return_state=True)
        return retried.result(), values, second.name

    result, values, second_state = mixed()
    assert (result, values, second_state) == ("second attempt", [700, 700], "Cached")
    assert ran.read_text() == "ran\n"  # computed once, then a cache hit on the workers
    spans = sorted(tuple(map(float, line.split())) for line in held.read_text().splitlines())
    assert len(spans) == 2 and spans[0][1] <= spans[1][0]  # the tag limit of 1 kept them apart
    flow_run = history.only_flow_run()
    runs = history.store.history.read_task_runs(flow_run.id)
    assert len(runs) == 6 and all(r.state.type == "COMPLETED" for r in runs)
    retried = next(r for r in runs if r.name.startswith("fails_once"))
    assert retried.run_count == 2 and "AwaitingRetry" in history.states(retried.id)


def test_a_failure_is_raised_where_the_result_is_asked_for(home: Path, local_ray: None) -> None:
    @flow(task_runner=RayTaskRunner())
    def failing() -> str:
        try:
            refuse.submit().result()
        except ValueError as exc:
            return str(exc)
        return "no error"

    assert failing() == "not on this cluster"
