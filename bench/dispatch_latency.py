"""Dispatch latency and worker throughput: deployments' runs under real workers.

    python bench/dispatch_latency.py [--runs 20] [--throughput 200] [--postgres-url URL]

A server (fresh SQLite home, or the PostgreSQL database given) and workers started
with `headwater worker start` (default options: poll 0.5 s, claim 5 s ahead).

- `scheduled_p50_s` / `p90` / `max`: runs created due 2 s ahead, as a schedule
  makes them; latency = the time the flow's first line runs - the run's due time.
  Target: p50 <= 1 s (Prefect users report 5-7 s).
- `run_now_p50_s`: runs created due *now* (`deployment run`): first line - creation.
- `throughput_runs_per_min`: `--throughput` short runs (default 200) created at once,
  run by 2 workers (`--limit 4` each); from the first creation to the last Completed.

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

from _common import emit, headwater_env, machine

FLOW = '''
import time
from pathlib import Path
from headwater import flow
from headwater.runtime import flow_run

@flow
def first_line(out: str) -> None:
    started = time.time()
    Path(out, flow_run.id).write_text(f"{started:.6f}")
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


class Bench:
    def __init__(self, home: Path, database_url: str | None) -> None:
        self.home = home
        self.env = headwater_env(home, HEADWATER_LOGGING_TO_CONSOLE="false")
        if database_url:
            self.env["HEADWATER_DATABASE_URL"] = database_url
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.exe = str(Path(sys.executable).with_name("headwater"))
        self.procs: list[subprocess.Popen[bytes]] = []
        self.api = httpx.Client(base_url=self.url, timeout=30)

    def start(self, *args: str, client: bool = True) -> subprocess.Popen[bytes]:
        env = dict(self.env, HEADWATER_API_URL=self.url) if client else self.env
        log = open(self.home / f"proc-{len(self.procs)}.log", "ab")
        proc = subprocess.Popen([self.exe, *args], env=env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.api.request(method, path, **kwargs)
        if response.status_code >= 300:
            raise SystemExit(f"{method} {path} answered {response.status_code}: {response.text}")
        return response.json() if response.content else None

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.api.close()


def _run(bench: Bench, deployment_id: str, out: Path, due: float | None = None) -> str:
    body: dict[str, Any] = {"parameters": {"out": str(out)}}
    if due is not None:
        body["scheduled_time"] = datetime.fromtimestamp(due, timezone.utc).isoformat()
    return str(bench.call("POST", f"/deployments/{deployment_id}/create_flow_run", json=body)["id"])


def _first_lines(out: Path, ids: list[str], timeout: float) -> dict[str, float]:
    _wait(lambda: all((out / i).exists() and (out / i).read_text() for i in ids), timeout, "the runs' first lines")
    return {i: float((out / i).read_text()) for i in ids}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--throughput", type=int, default=200)
    parser.add_argument("--postgres-url", default=None)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="headwater-bench-dispatch-"))
    (home / "first_line.py").write_text(FLOW)
    bench = Bench(home, args.postgres_url)
    try:
        bench.start("server", "start", "--port", str(bench.port), client=False)
        _wait(lambda: _healthy(bench.url), 60, "the server")
        bench.call("POST", "/work_pools/", json={"name": "bench"})
        deployment = bench.call("POST", "/deployments/", json={
            "name": "bench", "flow_name": "first-line", "entrypoint": f"{home / 'first_line.py'}:first_line",
            "work_pool_name": "bench"})
        bench.start("worker", "start", "--pool", "bench", "--limit", "4", "--name", "w1")
        _wait(lambda: bench.call("GET", "/work_pools/bench")["workers_online"] == 1, 60, "the worker")

        out = home / "latency"
        out.mkdir()
        due = {}
        for k in range(args.runs):  # one every 0.5 s, each due 2 s after it is created
            at = time.time() + 2.0
            due[_run(bench, deployment["id"], out, at)] = at
            time.sleep(0.5)
        started = _first_lines(out, list(due), 120)
        scheduled = sorted(started[i] - due[i] for i in due)

        now_out = home / "now"
        now_out.mkdir()
        created = {}
        for _ in range(max(5, args.runs // 2)):
            t0 = time.time()
            run_id = _run(bench, deployment["id"], now_out)
            created[run_id] = t0
            _first_lines(now_out, [run_id], 60)
        run_now = sorted(_first_lines(now_out, list(created), 60)[i] - created[i] for i in created)

        bench.start("worker", "start", "--pool", "bench", "--limit", "4", "--name", "w2")
        _wait(lambda: bench.call("GET", "/work_pools/bench")["workers_online"] == 2, 60, "the second worker")
        many = home / "many"
        many.mkdir()
        t0 = time.time()
        ids = [_run(bench, deployment["id"], many) for _ in range(args.throughput)]
        final = {"flow_runs": {"id": {"any_": ids}, "state": {"type": {"any_": ["COMPLETED"]}}}}
        _wait(lambda: bench.call("POST", "/flow_runs/count", json=final) == len(ids), 1800, "the throughput runs")
        elapsed = time.time() - t0
        executed = len(list(many.iterdir()))
    finally:
        bench.stop()
        shutil.rmtree(home, ignore_errors=True)
    emit({
        "benchmark": "dispatch_latency",
        "database": "postgresql" if args.postgres_url else "sqlite",
        "scheduled_runs": len(scheduled),
        "scheduled_p50_s": round(statistics.median(scheduled), 3),
        "scheduled_p90_s": round(scheduled[int(0.9 * (len(scheduled) - 1))], 3),
        "scheduled_max_s": round(scheduled[-1], 3),
        "scheduled_min_s": round(scheduled[0], 3),
        "run_now_p50_s": round(statistics.median(run_now), 3),
        "run_now_max_s": round(run_now[-1], 3),
        "throughput_runs": args.throughput,
        "throughput_executed_once": executed == args.throughput,
        "throughput_seconds": round(elapsed, 2),
        "throughput_runs_per_min": round(args.throughput / elapsed * 60, 1),
        "load_average": os.getloadavg()[0],
        **machine(),
    })


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


if __name__ == "__main__":
    main()
