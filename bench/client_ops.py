"""Per-call latency of the Python client: `read_flow_runs` with a filter and
`create_flow_run_from_deployment`, embedded (in-process over SQLite) and through a
server (`headwater server start` on its own SQLite home).

    python bench/client_ops.py [--calls 1000] [--history 2000]

Each mode gets a fresh home holding `--history` flow runs of two flows and one
deployment; then `--calls` filtered reads (the 50 newest COMPLETED runs of one flow)
and `--calls` runs created from the deployment, one call at a time through
`get_client(sync_client=True)`. Reports p50 / p99 / max milliseconds per call.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import emit, headwater_env, machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {"p50_ms": round(pick(0.50), 3), "p99_ms": round(pick(0.99), 3), "max_ms": round(ordered[-1] * 1000, 3)}


def _measure(calls: int, history: int) -> dict[str, Any]:
    """In this process, with the environment already pointing at the home or server."""
    from headwater.client.orchestration import get_client
    from headwater.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from headwater.client.schemas.objects import StateType
    from headwater.client.schemas.sorting import FlowRunSort
    from headwater.core.deployment_schemas import DeploymentCreate
    from headwater.states import Completed, Running

    with get_client(sync_client=True) as client:
        for i in range(history):
            run = client.create_flow_run("bench-a" if i % 2 else "bench-b", parameters={"i": i})
            if i % 3:
                client.set_flow_run_state(run.id, Running())
                client.set_flow_run_state(run.id, Completed())
        deployment = client.transport.upsert_deployment(
            DeploymentCreate(name="bench", flow_name="bench-a", entrypoint="bench.py:a", parameters={"x": 1}))
        flow_filter = FlowFilter(name=FlowFilterName(any_=["bench-a"]))
        run_filter = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED])))
        reads, creates = [], []
        for _ in range(calls):
            t0 = time.perf_counter()
            found = client.read_flow_runs(flow_filter=flow_filter, flow_run_filter=run_filter,
                                          sort=FlowRunSort.START_TIME_DESC, limit=50)
            reads.append(time.perf_counter() - t0)
        assert found, "the filter found no runs"
        for i in range(calls):
            t0 = time.perf_counter()
            client.create_flow_run_from_deployment(deployment.id, parameters={"x": i})
            creates.append(time.perf_counter() - t0)
    return {"read_flow_runs": _percentiles(reads), "create_flow_run_from_deployment": _percentiles(creates)}


def _child(mode_env: dict[str, str], calls: int, history: int) -> dict[str, Any]:
    import json

    code = (f"import sys, json; sys.path.insert(0, {str(Path(__file__).parent)!r}); import client_ops; "
            f"print(json.dumps(client_ops._measure({calls}, {history})))")
    result = subprocess.run([sys.executable, "-c", code], env=mode_env, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise SystemExit(f"client_ops child failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not become healthy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--history", type=int, default=2000)
    args = parser.parse_args()
    result: dict[str, Any] = {"benchmark": "client_ops", "calls": args.calls, "history": args.history,
                              "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="headwater-client-ops-") as tmp:
        quiet = {"HEADWATER_LOGGING_TO_CONSOLE": "false"}
        result["embedded"] = _child(headwater_env(Path(tmp) / "embedded", **quiet), args.calls, args.history)
        port = _free_port()
        server_home = Path(tmp) / "server"
        server_env = headwater_env(server_home, **quiet)
        exe = Path(sys.executable).with_name("headwater")
        with (Path(tmp) / "server.log").open("wb") as log:
            proc = subprocess.Popen([str(exe), "server", "start", "--port", str(port)], env=server_env,
                                    stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/api"
        try:
            _wait_healthy(url, proc)
            client_env = headwater_env(Path(tmp) / "client", HEADWATER_API_URL=url, **quiet)
            result["server"] = _child(client_env, args.calls, args.history)
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
    emit(result)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
