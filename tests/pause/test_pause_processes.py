"""Pause in one process, resume from another: embedded (the same SQLite file) and
through a real server, with the CLI as the other process. Bad input is refused with
the field's problem and no traceback, and the run stays paused."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import ServerProcess, child_env, wait_for

from headwater.client.orchestration import SyncPrefectClient
from headwater.core.settings import load_settings
from headwater.exceptions import ObjectNotFound

FLOWS = Path(__file__).with_name("flows.py")
HEADWATER = str(Path(sys.executable).with_name("headwater"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("pause-server"), HEADWATER_LOGGING_TO_CONSOLE="false").start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(params=["embedded", "server"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    extra = {"HEADWATER_LOGGING_TO_CONSOLE": "false"}
    if request.param == "server":
        extra["HEADWATER_API_URL"] = request.getfixturevalue("server").url
    return child_env(tmp_path / "home", **extra)


def client_for(env: dict[str, str]) -> SyncPrefectClient:
    return SyncPrefectClient(load_settings(home=env["HEADWATER_HOME"], api_url=env.get("HEADWATER_API_URL")))


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HEADWATER, *args], env=env, capture_output=True, text=True, timeout=120)


def wait_paused_for_input(client: SyncPrefectClient, flow_run_id: str) -> Any:
    def ready() -> Any:
        try:
            run = client.read_flow_run(flow_run_id)
        except ObjectNotFound:  # the flow's process has not sent its run yet
            return None
        if run.state is None or not run.state.is_paused():
            return None
        keyset = run.state.state_details.run_input_keyset
        try:
            return keyset if keyset and client.read_flow_run_input(flow_run_id, keyset["schema"]) else None
        except ObjectNotFound:
            return None

    return wait_for(ready, 60, f"flow run {flow_run_id} to pause for input")


def test_pause_in_one_process_resume_from_another(env: dict[str, str]) -> None:
    with subprocess.Popen([sys.executable, str(FLOWS), "0.2"], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as proc:
        try:
            follow_pause(env, proc)
        finally:
            if proc.poll() is None:
                proc.kill()


def follow_pause(env: dict[str, str], proc: subprocess.Popen[str]) -> None:
    """Drive the paused flow `proc` from this process and the CLI, checking each step."""
    assert proc.stdout is not None
    first = proc.stdout.readline().split()
    assert first[0] == "id", first
    flow_run_id = first[1]
    with client_for(env) as client:
        keyset = wait_paused_for_input(client, flow_run_id)
        assert keyset["response"] == "paused-1-response"
        run = client.read_flow_run(flow_run_id)
        assert (run.state.type.value, run.state.name) == ("PAUSED", "Paused")

        refused = cli(env, "flow-run", "resume", flow_run_id, "-i", "approved=maybe")
        assert refused.returncode == 1, refused
        assert "run_input.approved" in refused.stderr and "boolean" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr + refused.stdout
        assert client.read_flow_run(flow_run_id).state.is_paused()

        resumed = cli(env, "flow-run", "resume", flow_run_id, "-i", "approved=true", "-i", "note=007")
        assert resumed.returncode == 0, resumed
        assert "Running" in resumed.stdout
        line = proc.stdout.readline().split()
        assert line[0] == "continued" and line[2:] == ["True", "'007'"], line
        assert proc.wait(60) == 0, proc.stderr.read() if proc.stderr else ""
        final = client.read_flow_run(flow_run_id)
        assert final.state.is_completed()
        names = [s.name for s in client.read_flow_run_states(flow_run_id)]
        assert names[-4:] == ["Running", "Paused", "Running", "Completed"], names

        again = cli(env, "flow-run", "resume", flow_run_id)
        assert again.returncode == 1 and "is not paused" in again.stderr, again
        assert "Traceback" not in again.stderr
