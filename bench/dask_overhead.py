"""DaskTaskRunner against plain Dask: N trivial tasks on the same LocalCluster of 2 workers.

    python bench/dask_overhead.py [--n 2000]

A fresh temporary $HEADWATER_HOME (history on, run logs at INFO to a file). In a
child process one `distributed.LocalCluster(n_workers=2, threads_per_worker=1)` (worker
processes) is started; on it, alternately, three times each:

- plain: `client.gather(client.map(add_one, range(N), pure=False))`;
- headwater: a flow with `DaskTaskRunner(address=...)` mapping a trivial task over
  range(N) and waiting for all (each task run recorded by the worker that ran it).

Reported: the best of each (least disturbed by other work on the machine), the
per-task overhead of headwater over plain Dask in microseconds, and the ratio of the
two wall times (aim: under 3x). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import count_rows, emit, machine, run_child

CHILD = """
import json, time
import distributed
from headwater import flow, task
from headwater.dask import DaskTaskRunner

def add_one(x):
    return x + 1

tracked = task(add_one)

if __name__ == "__main__":
    N = {n}
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    client = distributed.Client(cluster)

    @flow(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
    def mapped(n: int) -> None:
        tracked.map(range(n)).wait()

    client.gather(client.map(add_one, range(100), pure=False))  # warm up both paths
    mapped(10)
    plain, hw = [], []
    for _ in range(3):
        start = time.perf_counter()
        client.gather(client.map(add_one, range(N), pure=False))
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        mapped(N)
        hw.append(time.perf_counter() - start)
    client.close()
    cluster.close()
    print(json.dumps({{"plain": plain, "headwater": hw}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2_000, help="tasks per round (default 2000)")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")

    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        home = Path(tmp)
        script = home / "bench_dask_child.py"  # a file, so worker processes can import it
        script.write_text(CHILD.format(n=args.n))
        t = run_child(f"import runpy; runpy.run_path({str(script)!r}, run_name='__main__')", home,
                      home / "run.log")
        recorded = count_rows(home / "headwater.db", "task_runs")

    plain_s, hw_s = min(t["plain"]), min(t["headwater"])
    emit(
        {
            "bench": "dask_overhead",
            "n": args.n,
            "workers": 2,
            "plain_client_map_s": round(plain_s, 3),
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


if __name__ == "__main__":
    main()
