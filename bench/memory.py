"""Memory: 100,000 sequential tasks in one flow.

    python bench/memory.py [--n 100000]

Runs the flow in a child process with history on (fresh temporary $HEADWATER_HOME)
and INFO run logs to a file. Reports the child's peak RSS (getrusage ru_maxrss) and
its resident memory after 20% of the tasks and after all of them: task runs whose
results nobody holds must not make memory grow. Prints one JSON line.
Target: peak RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import count_rows, emit, machine, run_child

CHILD = """
import json, resource
from headwater import flow, task

def rss_mb() -> float:
    # Current resident set size (Linux); ru_maxrss would only ever rise.
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20

@task
def square(x: int) -> int:
    return x * x

N = {n}
CHECKPOINT = N // 5
rss = {{}}

@flow
def many_tasks(n: int) -> None:
    for i in range(1, n + 1):
        square(i)
        if i == CHECKPOINT or i == n:
            rss[i] = rss_mb()

many_tasks(N)
rss["after_flow"] = rss_mb()
print(json.dumps({{
    "rss_at_checkpoint_mb": rss[CHECKPOINT],
    "rss_at_end_mb": rss[N],
    "rss_after_flow_mb": rss["after_flow"],
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="task calls in the flow (default 100000)")
    args = parser.parse_args()
    if args.n < 5:
        parser.error("--n must be at least 5")

    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        home = Path(tmp)
        figures = run_child(CHILD.format(n=args.n), home, home / "run.log")
        recorded = count_rows(home / "headwater.db", "task_runs")

    emit(
        {
            "bench": "memory",
            "n": args.n,
            "peak_rss_mb": round(figures["peak_rss_mb"], 1),
            "target_peak_rss_mb": 300,
            f"rss_at_{args.n // 5}_tasks_mb": round(figures["rss_at_checkpoint_mb"], 1),
            f"rss_at_{args.n}_tasks_mb": round(figures["rss_at_end_mb"], 1),
            "rss_growth_mb": round(figures["rss_at_end_mb"] - figures["rss_at_checkpoint_mb"], 1),
            "rss_after_flow_mb": round(figures["rss_after_flow_mb"], 1),
            "task_runs_in_db": recorded,
            **machine(),
        }
    )


if __name__ == "__main__":
    main()
