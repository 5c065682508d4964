"""`run_deployment`: at once (timeout=0), waiting for a real served run, as a subflow,
in-process (SQLite and PostgreSQL) and through a server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import child_env, wait_for

from headwater import orchestrator
from headwater.client.orchestration import SyncPrefectClient
from headwater.core import settings as settings_module
from headwater.exceptions import ObjectNotFound

SERVED = '''
from headwater import flow

@flow
def doubler(x: int = 1) -> int:
    return x * 2

if __name__ == "__main__":
    doubler.serve(name="served")
'''


@pytest.fixture
def env(transport_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """This process and a served flow's, on one database (SQLite or PostgreSQL) or one server."""
    home = tmp_path / "home"
    extra = {"HEADWATER_WRITER_FLUSH_INTERVAL_SECONDS": "0.05", "HEADWATER_WORKER_POLL_INTERVAL_SECONDS": "0.1",
             **transport_env}
    for key, value in {"HEADWATER_HOME": str(home), **extra}.items():
        monkeypatch.setenv(key, value)
    # The process's orchestrator follows the settings of the moment it was made.
    orchestrator.shutdown()
    settings_module.reset_settings()
    yield child_env(home, **extra)
    orchestrator.shutdown()
    settings_module.reset_settings()


@pytest.fixture
def served(env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """A process serving `doubler/served` until the test ends; the deployment's name."""
    flow_dir = tmp_path / f"flows-{os.getpid()}"
    flow_dir.mkdir()
    (flow_dir / "serve_it.py").write_text(SERVED)
    proc = subprocess.Popen([sys.executable, "serve_it.py"], cwd=flow_dir, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        with SyncPrefectClient() as client:
            def ready() -> bool:
                try:
                    return client.read_deployment_by_name("doubler/served").status == "READY"
                except ObjectNotFound:
                    return False
            wait_for(ready, 60, "the served deployment to be ready", interval=0.1)
        yield "doubler/served"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(20)


def test_waits_for_the_run_and_returns_it_finished(served: str) -> None:
    from headwater.deployments import run_deployment

    run = run_deployment(served, parameters={"x": 21}, timeout=60, poll_interval=0.1)
    assert run.state is not None and run.state.is_completed(), run.state
    assert run.parameters == {"x": 21}


def test_timeout_zero_returns_the_scheduled_run_at_once(served: str) -> None:
    from headwater.deployments import run_deployment

    run = run_deployment(served, timeout=0, flow_run_name="right-away", tags=["adhoc"])
    assert (run.name, run.state_type.value if run.state_type else None) == ("right-away", "SCHEDULED")
    assert "adhoc" in run.tags


def test_as_subflow_links_to_the_calling_flow_run(served: str) -> None:
    from headwater import flow
    from headwater.deployments import run_deployment
    from headwater.runtime import flow_run

    @flow
    def parent() -> tuple[str, object]:
        child = run_deployment(served, timeout=60, poll_interval=0.1)
        return flow_run.id, child

    parent_id, child = parent()
    assert child.parent_task_run_id is not None and child.state.is_completed()
    with SyncPrefectClient() as client:
        link = client.read_task_run(child.parent_task_run_id)
        assert (str(link.flow_run_id), link.name) == (parent_id, "doubler/served")
    detached = run_deployment(served, timeout=0, as_subflow=False)
    assert detached.parent_task_run_id is None


def test_an_unknown_deployment_is_object_not_found(env: dict[str, str]) -> None:
    from headwater.deployments import run_deployment

    with pytest.raises(ObjectNotFound, match="nope/nothing"):
        run_deployment("nope/nothing", timeout=0)
    with pytest.raises(ValueError, match="negative"):
        run_deployment("nope/nothing", timeout=-1)


def test_async_callers_await_it(served: str) -> None:
    import asyncio

    from headwater.deployments import run_deployment

    async def main() -> object:
        return await run_deployment(served, timeout=0)

    run = asyncio.run(main())
    assert run.state is not None and run.state.is_scheduled()


