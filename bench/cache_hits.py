"""Cost of a cache hit: 1,000 cached task runs, read back in a new process.

    python bench/cache_hits.py [--n 1000]

A first child process runs a flow calling a task with `cache_policy=INPUTS` N
times with N different inputs, so N results are written to
$HEADWATER_HOME/storage (timed: `first_run_per_task_us`, compute + write). A second
child process, a new interpreter, runs the same flow: every call is a hit read from
local disk. Before timing, each child runs a one-task flow of an uncached task, so
that opening the database is not counted. The second child also times the same
loop over an uncached trivial task, for the engine's own per-task cost.

- `per_hit_us`: the second run's flow wall time / N, everything included (task
  run records, the cache key, the file read, the Cached state, logs at INFO).
- `per_hit_cache_us`: `per_hit_us` minus the uncached task's per-task time: what
  the cache itself adds.
- `per_hit_cpu_us`, `per_uncached_task_cpu_us`: the same over the process's CPU
  time (all threads), which the machine's load moves far less than wall time.
- `all_hits`: the task's function was not called in the second run, and the
  database holds N Cached task runs.

Prints one JSON line. Target: per_hit_us <= 200 on local disk.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

from _common import emit, machine, run_child

CHILD = """
import gc, json, time
from headwater import flow, task
from headwater.cache_policies import INPUTS

calls = 0

@task(cache_policy=INPUTS)
def square(x: int) -> int:
    global calls
    calls += 1
    return x * x

@task
def plain(x: int) -> int:
    return x * x

@flow
def squares(n: int) -> int:
    return sum(square(i) for i in range(n))

@flow
def plain_squares(n: int) -> int:
    return sum(plain(i) for i in range(n))

N = {n}
plain_squares(1)  # opens (and on the first run creates) the database: not timed
# Each timed loop starts right after a full collection: otherwise whether one (10 - 20 ms)
# falls inside it depends on what the process allocated since it started, which moves
# the figure by 10 - 20 us per call between commits that changed nothing on this path
# (seen with N = 1,000 plain tasks: aa06758 had no full collection in the loop, main one).
gc.collect(); cpu = time.process_time()
start = time.perf_counter(); squares(N); flow_s = time.perf_counter() - start
flow_cpu_s = time.process_time() - cpu
gc.collect(); cpu = time.process_time()
start = time.perf_counter(); plain_squares(N); plain_s = time.perf_counter() - start
plain_cpu_s = time.process_time() - cpu
print(json.dumps({{"flow_s": flow_s, "plain_s": plain_s, "flow_cpu_s": flow_cpu_s, "plain_cpu_s": plain_cpu_s,
                  "calls": calls}}))
"""


def count_cached(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM task_runs WHERE state_name = 'Cached'").fetchone()[0])
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="cached task calls (default 1000)")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")

    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        home = Path(tmp)
        code = CHILD.format(n=args.n)
        first = run_child(code, home, home / "first.log")
        second = run_child(code, home, home / "second.log")
        records = sum(1 for p in (home / "storage").rglob("*") if p.is_file() and ".locks" not in p.parts)
        cached = count_cached(home / "headwater.db")

    n = args.n
    per_hit_us = second["flow_s"] / n * 1e6
    per_plain_us = second["plain_s"] / n * 1e6
    emit(
        {
            "bench": "cache_hits",
            "n": n,
            "first_run_per_task_us": round(first["flow_s"] / n * 1e6, 1),
            "per_hit_us": round(per_hit_us, 1),
            "per_uncached_task_us": round(per_plain_us, 1),
            "per_hit_cache_us": round(per_hit_us - per_plain_us, 1),
            # CPU of all the process's threads: steadier than wall time on a shared machine.
            "per_hit_cpu_us": round(second["flow_cpu_s"] / n * 1e6, 1),
            "per_uncached_task_cpu_us": round(second["plain_cpu_s"] / n * 1e6, 1),
            "target_us": 200,
            "records": records,
            "calls_in_second_run": second["calls"],
            "cached_task_runs_in_db": cached,
            "all_hits": second["calls"] == 0 and cached == n,
            **machine(),
        }
    )


if __name__ == "__main__":
    main()
