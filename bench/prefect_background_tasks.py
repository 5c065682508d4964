"""Prefect 3's background tasks, measured as bench/background_tasks.py measures headwater's.

    python bench/prefect_background_tasks.py [--prefect /work/prefect/p3/bin/python] [--tasks 1000]

Starts `prefect server start` on a free 127.0.0.1 port with a temporary PREFECT_HOME,
`--workers` processes running `prefect.task_worker.serve(noop, stamp, limit=10)`, then
from this script's child (the Prefect interpreter): `delay_to_start_*` (one
`stamp.delay()` at a time, idle workers) and `throughput_tasks_per_s` (`--tasks` runs
delayed as fast as possible, from the first `delay()` to the last result). Every wait
is bounded. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TASKS = '''
import time
from prefect import task

@task
def noop(i):
    return i

@task
def stamp(i):
    return time.time()
'''

WORKER = "import bench_tasks as t\nfrom prefect.task_worker import serve\nserve(t.noop, t.stamp, limit=10)\n"

PRODUCER = '''
import json, statistics, time
import bench_tasks as t
N, RUNS = {n}, {runs}
latencies = []
for i in range(RUNS):
    before = time.time()
    latencies.append((t.stamp.delay(i).result(timeout=120) - before) * 1000)
    time.sleep(0.02)
first = time.perf_counter()
futures = [t.noop.delay(i) for i in range(N)]
delayed = time.perf_counter() - first
for f in futures:
    f.result(timeout=300)
total = time.perf_counter() - first
latencies.sort()
print(json.dumps({{"p50": statistics.median(latencies), "p90": latencies[int(len(latencies) * 0.9) - 1],
                  "delay_per_s": N / delayed, "throughput": N / total}}))
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prefect", default="/work/prefect/p3/bin/python")
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--latency-runs", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="prefect-bench-bg-"))
    (home / "bench_tasks.py").write_text(TASKS)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HEADWATER_"))}
    env.update(PREFECT_HOME=str(home / "prefect-home"), PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING", PYTHONPATH=str(home))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        server = subprocess.Popen([args.prefect, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port",
                                   str(port)], env=env, cwd=home, stdout=(home / "server.log").open("wb"),
                                  stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(server)
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the Prefect server did not start; see " + str(home / "server.log"))
            time.sleep(0.2)
        for i in range(args.workers):
            procs.append(subprocess.Popen([args.prefect, "-c", WORKER], env=env, cwd=home,
                                          stdout=(home / f"worker-{i}.log").open("wb"), stderr=subprocess.STDOUT,
                                          start_new_session=True))
        time.sleep(5)  # Prefect's workers connect their websockets; no API says when
        done = subprocess.run([args.prefect, "-c", PRODUCER.format(n=args.tasks, runs=args.latency_runs)],
                              env=env, cwd=home, capture_output=True, timeout=900)
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode()[-3000:])
        got = json.loads(done.stdout.decode().strip().splitlines()[-1])
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
    print(json.dumps({"bench": "prefect_background_tasks", "workers": args.workers, "tasks": args.tasks,
                      "delay_to_start_p50_ms": round(got["p50"], 1), "delay_to_start_p90_ms": round(got["p90"], 1),
                      "delay_per_s": round(got["delay_per_s"]), "throughput_tasks_per_s": round(got["throughput"]),
                      "python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
