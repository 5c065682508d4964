"""The harness shared by the cluster task runner benchmarks (`dask_overhead.py`, `ray_overhead.py`).

In a child process with a fresh temporary $HEADWATER_HOME (history on, run logs at
INFO to a file), one cluster is started; on it, after a warm-up, alternately three
times each: the cluster's own way of running `add_one` over range(N) ("plain"), and a
flow mapping a trivial headwater task over range(N) with the runner under test and
waiting for all (each task run recorded by the worker that ran it). The best round of
each (least disturbed by other work on the machine) is reported, with the per-task
overhead of headwater over plain in microseconds and the ratio of the wall times
(aim: under 3x), as one JSON line.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from _common import count_rows, emit, machine, run_child

__all__ = ["ClusterBench", "run_cluster_bench"]

CHILD = """
import json, time
{imports}
from headwater import flow, task

def add_one(x):
    return x + 1

tracked = task(add_one)

if __name__ == "__main__":
    N = {n}
{setup}

    @flow(task_runner={runner})
    def mapped(n: int) -> None:
        tracked.map(range(n)).wait()

    plain(100)  # warm up both paths
    mapped(10)
    plain_s, hw_s = [], []
    for _ in range(3):
        start = time.perf_counter()
        plain(N)
        plain_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        mapped(N)
        hw_s.append(time.perf_counter() - start)
{teardown}
    print(json.dumps({{"plain": plain_s, "headwater": hw_s}}))
"""


@dataclasses.dataclass(frozen=True)
class ClusterBench:
    """One cluster's benchmark: how its child program starts, runs plainly and stops.

    `setup` (child code at the level of `if __name__ == "__main__":`) starts the
    cluster and defines `plain(n)`, which runs `add_one` over range(n) on it and waits;
    `runner` is the task runner expression for the flow; `teardown` stops the cluster.
    `cluster_fields` are the JSON fields that describe the cluster, and `plain_key`
    names the plain wall time in the JSON line.
    """

    name: str
    default_n: int
    imports: str
    setup: str
    runner: str
    teardown: str
    cluster_fields: dict[str, Any]
    plain_key: str
    timeout: float = 1800


def child_program(bench: ClusterBench, n: int) -> str:
    """The child's program text for `n` tasks a round."""
    return CHILD.format(imports=bench.imports, n=n, runner=bench.runner,
                        setup=textwrap.indent(textwrap.dedent(bench.setup).strip("\n"), "    "),
                        teardown=textwrap.indent(textwrap.dedent(bench.teardown).strip("\n"), "    "))


def run_cluster_bench(bench: ClusterBench, description: str) -> None:
    """Parse `--n`, run the child, print the JSON line."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--n", type=int, default=bench.default_n,
                        help=f"tasks per round (default {bench.default_n})")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")

    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        home = Path(tmp)
        script = home / f"bench_{bench.name}_child.py"  # a file, so worker processes can import it
        script.write_text(child_program(bench, args.n))
        t = run_child(f"import runpy; runpy.run_path({str(script)!r}, run_name='__main__')", home,
                      home / "run.log", timeout=bench.timeout)
        recorded = count_rows(home / "headwater.db", "task_runs")

    plain_s, hw_s = min(t["plain"]), min(t["headwater"])
    emit(
        {
            "bench": f"{bench.name}_overhead",
            "n": args.n,
            **bench.cluster_fields,
            bench.plain_key: round(plain_s, 3),
            "plain_per_task_us": round(plain_s / args.n * 1e6, 1),
            "headwater_s": round(hw_s, 3),
            "headwater_per_task_us": round(hw_s / args.n * 1e6, 1),
            "overhead_per_task_us": round((hw_s - plain_s) / args.n * 1e6, 1),
            "ratio": round(hw_s / plain_s, 2),
            "target_ratio": 3,
            "all_rounds_s": {"plain": [round(x, 3) for x in t["plain"]],
                             "headwater": [round(x, 3) for x in t["headwater"]]},
            "task_runs_in_db": recorded,
            "all_task_runs_recorded": recorded == 10 + 3 * args.n,
            **machine(),
        }
    )
