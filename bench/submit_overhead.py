"""Concurrent task runs on the thread runner: per-task cost of .submit and .map, and real concurrency.

    python bench/submit_overhead.py [--n 10000]

History is on (a fresh temporary $HEADWATER_HOME), run logs at INFO go to a file
(the child's stderr). In a child process, after a one-task flow that creates the
database:

- `submit`: a flow submits N trivial tasks with `.submit` to the default
  ThreadPoolTaskRunner and waits for them all; per-task microseconds end to end
  (flow wall time including its history flush, divided by N). Target <= 100 us.
- `map`: the same N tasks with one `.map` call. Target <= 100 us.
- `submit_peak_rss_mb`: the child's peak resident memory after the `submit` flow
  (N futures held at once); `--n 5000` compares with Prefect's 410 - 430 MB.
- `sleep`: 200 tasks that each sleep 0.1 s on ThreadPoolTaskRunner(max_workers=200);
  flow wall time. Target < 0.5 s (serially it would be 20 s).

After the child has exited, the task runs in the database are counted. Prints one
JSON line.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import count_rows, emit, machine, run_child

CHILD = """
import json, resource, time
from headwater import flow, task, wait
from headwater.task_runners import ThreadPoolTaskRunner

@task
def add_one(x: int) -> int:
    return x + 1

@task
def nap(i: int) -> int:
    time.sleep(0.1)
    return i

@flow
def submitted(n: int) -> None:
    wait([add_one.submit(i) for i in range(n)])

@flow
def mapped(n: int) -> None:
    add_one.map(range(n)).wait()

@flow(task_runner=ThreadPoolTaskRunner(max_workers=200))
def sleepers(n: int) -> list:
    return nap.map(range(n)).result()

N = {n}
start = time.perf_counter(); submitted(1); first_flow_s = time.perf_counter() - start
timings = {{"first_flow_s": first_flow_s}}
for name, fn, n in (("submit", submitted, N), ("map", mapped, N), ("sleep", sleepers, 200)):
    cpu = time.process_time()
    start = time.perf_counter()
    fn(n)
    timings[name + "_s"] = time.perf_counter() - start
    timings[name + "_cpu_s"] = time.process_time() - cpu
    if name == "submit":  # the process's peak so far: N futures submitted and held at once
        timings["submit_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(timings))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="tasks submitted / mapped (default 10000)")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")

    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        home = Path(tmp)
        t = run_child(CHILD.format(n=args.n), home, home / "run.log")
        recorded = count_rows(home / "headwater.db", "task_runs")

    expected = 1 + 2 * args.n + 200
    emit(
        {
            "bench": "submit_overhead",
            "n": args.n,
            "first_flow_s": round(t["first_flow_s"], 4),
            "submit_flow_s": round(t["submit_s"], 3),
            "submit_per_task_us": round(t["submit_s"] / args.n * 1e6, 1),
            "submit_cpu_per_task_us": round(t["submit_cpu_s"] / args.n * 1e6, 1),
            "map_flow_s": round(t["map_s"], 3),
            "map_per_task_us": round(t["map_s"] / args.n * 1e6, 1),
            "map_cpu_per_task_us": round(t["map_cpu_s"] / args.n * 1e6, 1),
            "submit_peak_rss_mb": round(t["submit_peak_rss_mb"], 1),
            "target_per_task_us": 100,
            "sleep_200x0.1s_wall_s": round(t["sleep_s"], 3),
            "sleep_target_s": 0.5,
            "task_runs_in_db": recorded,
            "all_task_runs_recorded": recorded == expected,
            **machine(),
        }
    )


if __name__ == "__main__":
    main()
