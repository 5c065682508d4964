"""RayTaskRunner against plain Ray: N trivial tasks on the same local Ray (num_cpus=2).

    python bench/ray_overhead.py [--n 1000]

A fresh temporary $HEADWATER_HOME (history on, run logs at INFO to a file). In a
child process one local Ray (`ray.init(num_cpus=2)`) is started; on it, alternately,
three times each:

- plain: `ray.get([add_one.remote(i) for i in range(N)])`;
- headwater: a flow with `RayTaskRunner()` (it finds Ray running and uses it) mapping
  a trivial task over range(N) and waiting for all (each run recorded by the Ray
  worker that ran it).

Reported: the best of each, the per-task overhead of headwater over plain Ray in
microseconds, and the ratio of the two wall times (aim: under 3x). One JSON line.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import count_rows, emit, machine, run_child

CHILD = """
import json, time
import ray
from headwater import flow, task
from headwater.ray import RayTaskRunner

def add_one(x):
    return x + 1

tracked = task(add_one)

if __name__ == "__main__":
    N = {n}
    ray.init(num_cpus=2, log_to_driver=False)
    plain_remote = ray.remote(add_one)

    @flow(task_runner=RayTaskRunner())
    def mapped(n: int) -> None:
        tracked.map(range(n)).wait()

    ray.get([plain_remote.remote(i) for i in range(100)])  # warm up both paths
    mapped(10)
    plain, hw = [], []
    for _ in range(3):
        start = time.perf_counter()
        ray.get([plain_remote.remote(i) for i in range(N)])
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        mapped(N)
        hw.append(time.perf_counter() - start)
    ray.shutdown()
    print(json.dumps({{"plain": plain, "headwater": hw}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000, help="tasks per round (default 1000)")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")

    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        home = Path(tmp)
        script = home / "bench_ray_child.py"
        script.write_text(CHILD.format(n=args.n))
        t = run_child(f"import runpy; runpy.run_path({str(script)!r}, run_name='__main__')", home,
                      home / "run.log", timeout=900)
        recorded = count_rows(home / "headwater.db", "task_runs")

    plain_s, hw_s = min(t["plain"]), min(t["headwater"])
    emit(
        {
            "bench": "ray_overhead",
            "n": args.n,
            "num_cpus": 2,
            "plain_ray_remote_s": round(plain_s, 3),
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
