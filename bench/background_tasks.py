"""Background task runs: `task.delay()` to 4 task-worker processes on this machine.

    python bench/background_tasks.py [--tasks 3000] [--latency-runs 60] [--server] [--workers 4]

A fresh home (embedded SQLite; with `--server`, a `headwater server start` on it and
everything through HTTP) and `--workers` processes started with
`headwater task-worker start bench_tasks:noop bench_tasks:stamp --limit 10`.

- `delay_to_start_p50_ms` / `p90` / `max`: with the workers idle, one `stamp.delay()`
  at a time; latency = the time the task's body starts - the time `delay()` was called
  (same clock). Target: p50 <= 50 ms.
- `throughput_tasks_per_s`: `--tasks` trivial runs queued by this process as fast as
  it can (`delay_per_s`) while the workers run them; from the first `delay()` to the
  last run DONE. Target: >= 1,000/s in total.
- `drain_tasks_per_s`: the same number queued while no worker runs, then the workers
  started on a full queue; from their start to the last run DONE (the workers' own rate).
  `drain_running_tasks_per_s`: the same runs over the time from the first run's start
  to the last run DONE, read from the database (without the workers' start-up, which
  on a loaded machine is a good part of the first figure).
- `worker_cpu_ms_per_task`: the CPU time (user + system) of the worker processes, from
  their start to their stop, per run they ran (start-up included: about 1 s each).

Every wait is bounded (`--timeout`, default 300 s). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import emit, headwater_env, machine

TASKS = '''
import time
from headwater import task

@task
def noop(i):
    return i

@task
def stamp(i):
    return time.time()
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.01)


def _start_workers(n: int, env: dict[str, str], cwd: Path, logs: Path) -> list[subprocess.Popen[bytes]]:
    exe = str(Path(sys.executable).with_name("headwater"))
    return [subprocess.Popen([exe, "task-worker", "start", "bench_tasks:noop", "bench_tasks:stamp", "--limit", "10"],
                             env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=(logs / f"worker-{i}.log").open("wb"), start_new_session=True)
            for i in range(n)]


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGINT)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def _all_done(ids: list[str]) -> Any:
    """A condition: every run of `ids` is DONE (asks about the newest not known DONE,
    every 50 ms: the bench must not load the database it measures)."""
    from headwater.client.kept import kept_client
    from headwater.core.background_schemas import BackgroundStatusRequest

    transport = kept_client().transport
    pending = list(ids)

    def check() -> bool:
        time.sleep(0.05)
        while pending:
            found = transport.read_background_task_runs(BackgroundStatusRequest(ids=pending[-500:]))
            done = {s.task_run_id for s in found if s.status == "DONE"}
            if len(done) < min(len(pending), 500):
                pending[:] = [i for i in pending if i not in done]
                return False
            del pending[-500:]
        return True

    return check


def _running_span(home: Path, ids: list[str]) -> float:
    """Seconds from the first of `ids` starting to the last being DONE, from the database."""
    import sqlite3

    with sqlite3.connect(home / "headwater.db") as db:
        db.execute("CREATE TEMP TABLE wanted (id TEXT PRIMARY KEY)")
        db.executemany("INSERT INTO wanted VALUES (?)", [(i,) for i in ids])
        first = db.execute("SELECT min(start_time) FROM task_runs WHERE id IN (SELECT id FROM wanted)").fetchone()[0]
        last = db.execute("SELECT max(updated) FROM background_task_runs WHERE id IN (SELECT id FROM wanted)"
                          ).fetchone()[0]
    return float(last - first)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--latency-runs", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server", action="store_true", help="through a server instead of embedded")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="hw-bench-bg-"))
    (home / "bench_tasks.py").write_text(TASKS)
    extra: dict[str, str] = {}
    server = None
    if args.server:
        port = _free_port()
        extra["HEADWATER_API_URL"] = f"http://127.0.0.1:{port}/api"
        server = subprocess.Popen([str(Path(sys.executable).with_name("headwater")), "server", "start", "--port",
                                   str(port)], env=headwater_env(home), cwd=home, stdout=subprocess.DEVNULL,
                                  stderr=(home / "server.log").open("wb"), start_new_session=True)
    env = headwater_env(home, **extra)
    os.environ.update({k: v for k, v in env.items() if k.startswith("HEADWATER_")})
    sys.path.insert(0, str(home))
    from headwater.client.kept import kept_client

    import bench_tasks  # type: ignore[import-not-found]  # written above

    workers: list[subprocess.Popen[bytes]] = []
    try:
        if server is not None:
            def answers() -> bool:
                try:
                    kept_client().transport.list_task_workers()
                    return True
                except Exception:
                    return False
            _until(answers, 60, "the server")
        # The queue filled with no worker: the workers' own rate.
        queued = [bench_tasks.noop.delay(i).task_run_id for i in range(args.tasks)]
        workers.extend(_start_workers(args.workers, env, home, home))
        started = time.perf_counter()
        _until(_all_done(queued), args.timeout, "the full queue to drain")
        drain_s = time.perf_counter() - started
        drain_running_s = _running_span(home, queued)
        transport = kept_client().transport
        _until(lambda: sum(1 for w in transport.list_task_workers() if w.status == "ONLINE") >= args.workers,
               60, "the workers to register")
        # Latency with idle workers.
        latencies = []
        for i in range(args.latency_runs):
            before = time.time()
            began = bench_tasks.stamp.delay(i).result(timeout=args.timeout)
            latencies.append((began - before) * 1000)
            time.sleep(0.02)
        # Throughput: queued while the workers run.
        first = time.perf_counter()
        ids = [bench_tasks.noop.delay(i).task_run_id for i in range(args.tasks)]
        delayed_s = time.perf_counter() - first
        _until(_all_done(ids), args.timeout, "the runs to finish")
        total_s = time.perf_counter() - first
    finally:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        _stop(workers)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if server is not None:
            _stop([server])
    latencies.sort()
    emit({
        "bench": "background_tasks",
        "mode": "server" if args.server else "embedded",
        "workers": args.workers,
        "tasks": args.tasks,
        "delay_to_start_p50_ms": round(statistics.median(latencies), 1),
        "delay_to_start_p90_ms": round(latencies[int(len(latencies) * 0.9) - 1], 1),
        "delay_to_start_max_ms": round(latencies[-1], 1),
        "delay_per_s": round(args.tasks / delayed_s),
        "throughput_tasks_per_s": round(args.tasks / total_s),
        "drain_tasks_per_s": round(args.tasks / drain_s),
        "drain_running_tasks_per_s": round(args.tasks / drain_running_s),
        "worker_cpu_ms_per_task": round((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                                        * 1000 / (2 * args.tasks + args.latency_runs), 3),
        "machine": machine(),
    })


if __name__ == "__main__":
    main()
