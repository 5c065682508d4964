"""Per-task overhead: a flow calling a trivial task N times, one after another.

    python bench/task_overhead.py [--n 10000]

History is on (a fresh temporary $HEADWATER_HOME), run logs at INFO go to a file
(the child's stderr). The flow runs in a child process, after a one-task flow run
that creates the database (timed apart as `first_flow_s`); the flow's wall time,
including the flush of its history at flow end, minus the same loop calling the
plain function, divided by N, is the per-task overhead. After the child has exited, the task runs in $HEADWATER_HOME/headwater.db are counted:
every one must be there. Prints one JSON line. Target: <= 50 us per task.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import count_rows, emit, machine, run_child

CHILD = """
import json, time
from headwater import flow, task

def add_one(x: int) -> int:
    return x + 1

tracked_add_one = task(add_one)

@flow
def many_tasks(n: int) -> int:
    total = 0
    for i in range(n):
        total += tracked_add_one(i)
    return total

def plain_loop(n: int) -> int:
    total = 0
    for i in range(n):
        total += add_one(i)
    return total

N = {n}
# The first flow run of a process on a fresh home creates and migrates the
# database; that one-time cost is timed apart so it does not count per task.
start = time.perf_counter(); many_tasks(1); first_flow_s = time.perf_counter() - start
start = time.perf_counter(); plain_loop(N); plain_s = time.perf_counter() - start
cpu_start = time.process_time()
start = time.perf_counter(); many_tasks(N); flow_s = time.perf_counter() - start
flow_cpu_s = time.process_time() - cpu_start
print(json.dumps({{"first_flow_s": first_flow_s, "plain_loop_s": plain_s, "flow_s": flow_s, "flow_cpu_s": flow_cpu_s}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="task calls in the flow (default 10000)")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")

    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        home = Path(tmp)
        log_file = home / "run.log"
        timings = run_child(CHILD.format(n=args.n), home, log_file)
        recorded = count_rows(home / "headwater.db", "task_runs")
        log_lines = sum(1 for _ in log_file.open(errors="replace"))

    overhead_us = (timings["flow_s"] - timings["plain_loop_s"]) / args.n * 1e6
    emit(
        {
            "bench": "task_overhead",
            "n": args.n,
            "first_flow_s": round(timings["first_flow_s"], 4),
            "flow_s": round(timings["flow_s"], 4),
            "plain_loop_s": round(timings["plain_loop_s"], 6),
            "per_task_overhead_us": round(overhead_us, 1),
            # CPU of all the process's threads (the writer's too): steadier than wall
            # time when other work shares the machine.
            "per_task_cpu_us": round((timings["flow_cpu_s"] - timings["plain_loop_s"]) / args.n * 1e6, 1),
            "target_us": 50,
            "task_runs_in_db": recorded,
            "task_runs_expected": args.n + 1,
            "all_task_runs_recorded": recorded == args.n + 1,  # + the first flow's one
            "log_lines": log_lines,
            **machine(),
        }
    )


if __name__ == "__main__":
    main()
