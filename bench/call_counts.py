"""Work per task, counted rather than timed: Python calls, C calls, SQL statements, collections.

    python bench/call_counts.py [--mode hit|plain|submit|map] [--n 1000] [--no-gc]

Wall time swings with the machine's load; these counts do not, so two commits can be
compared on a busy machine: run the script in each checkout and compare the lines.
In a child process (fresh temporary $HEADWATER_HOME, run logs at INFO), after a flow
that opens the database and one that runs the measured path 5 times (imports, first
calls), a flow runs the path N times and another 2N times. The figures per task are
(2N run - N run) / N, which cancels each flow's own fixed cost:

- `hit`: a task with `cache_policy=INPUTS` whose 3N + 5 results an earlier child
  process wrote, so every call is a cache hit read from local disk (`cache_hits.py`).
- `plain`: a trivial task called in sequence (`task_overhead.py`).
- `submit` / `map`: trivial tasks by `.submit` / one `.map` on the thread runner
  (`submit_overhead.py`). Their counts move by about 1 per task between runs of one
  commit: whether a future is done before it is waited on depends on thread timing.

Fields: `python_calls_per_task` (`sys.setprofile` "call" events in every thread; a
generator resumed counts again), `c_calls_per_task`, `sql_per_task` (statements the
history writer executed, one per row of an executemany), `gen0`/`gen1`/`gen2`
(garbage collections during the two timed flows), `cpu_us_per_task` (process time,
all threads, in a second run without the profiler). A full (gen2) collection costs
10 - 20 ms here; whether one falls inside a short timed window depends on what the
process allocated since it started, so it differs between commits for no reason in
the code measured; `--no-gc` turns the collector off for the timed flows.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import emit, machine, run_child

MODES = ("hit", "plain", "submit", "map")

CHILD = """
import collections, gc, json, sqlite3, sys, threading, time

MODE, N, PROFILE, NO_GC = {mode!r}, {n}, {profile}, {no_gc}
active = False
calls = collections.Counter()
c_calls = collections.Counter()
statements = []
collections_seen = collections.Counter()


def profiler(frame, event, arg):
    if active:
        if event == "call":
            calls["all"] += 1
        elif event == "c_call":
            c_calls["all"] += 1


def on_gc(phase, info):
    if active and phase == "start":
        collections_seen["gen%d" % info["generation"]] += 1


connect = sqlite3.connect


def traced_connect(*args, **kwargs):
    connection = connect(*args, **kwargs)
    connection.set_trace_callback(statements.append)  # a C callable: adds no Python call
    return connection


if PROFILE:
    sqlite3.connect = traced_connect  # before headwater opens its writer's connection
    threading.setprofile(profiler)  # before headwater starts its threads
    sys.setprofile(profiler)
else:
    gc.callbacks.append(on_gc)  # not while profiling: it would add its own calls

from headwater import flow, task, wait
from headwater.cache_policies import INPUTS


@task(cache_policy=INPUTS)
def square(x: int) -> int:
    return x * x


@task
def plain(x: int) -> int:
    return x * x


@flow
def squares(lo: int, hi: int) -> None:
    for i in range(lo, hi):
        square(i)


@flow
def plains(lo: int, hi: int) -> None:
    for i in range(lo, hi):
        plain(i)


@flow
def submitted(lo: int, hi: int) -> None:
    wait([plain.submit(i) for i in range(lo, hi)])


@flow
def mapped(lo: int, hi: int) -> None:
    plain.map(range(lo, hi)).wait()


if MODE == "populate":
    squares(0, 3 * N + 5)
    print("{{}}")
    raise SystemExit(0)
measured = {{"hit": squares, "plain": plains, "submit": submitted, "map": mapped}}[MODE]
plains(0, 1)  # opens the database and starts the writer
measured(0, 5)  # imports and first calls of the measured path
if NO_GC:
    gc.collect()
    gc.disable()
out = {{}}
for label, lo, hi in (("n", 5, 5 + N), ("2n", 5 + N, 5 + 3 * N)):
    before = (calls["all"], c_calls["all"], len(statements))
    active = True
    cpu = time.process_time()
    measured(lo, hi)
    out[label + "_cpu_s"] = time.process_time() - cpu
    active = False
    out[label] = [after - first for after, first in zip((calls["all"], c_calls["all"], len(statements)), before)]
out["collections"] = dict(collections_seen)
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=MODES, default="hit", help="the path measured (default hit)")
    parser.add_argument("--n", type=int, default=1000, help="tasks in the shorter timed flow (default 1000)")
    parser.add_argument("--no-gc", action="store_true", help="garbage collector off during the timed flows")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")

    def child(mode: str, profile: bool, home: Path) -> dict:
        code = CHILD.format(mode=mode, n=args.n, profile=profile, no_gc=args.no_gc)
        return run_child(code, home, home / f"{mode}-{profile}.log")

    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        home = Path(tmp)
        if args.mode == "hit":
            child("populate", False, home)
        counted = child(args.mode, True, home)
        timed = child(args.mode, False, home)

    n = args.n
    python_calls, c_calls, statements = ((b - a) / n for a, b in zip(counted["n"], counted["2n"]))
    emit(
        {
            "bench": "call_counts",
            "mode": args.mode,
            "n": n,
            "python_calls_per_task": round(python_calls, 2),
            "c_calls_per_task": round(c_calls, 2),
            "sql_per_task": round(statements, 2),
            "cpu_us_per_task": round((timed["2n_cpu_s"] - timed["n_cpu_s"]) / n * 1e6, 1),
            "gc_off": args.no_gc,
            **{name: timed["collections"].get(name, 0) for name in ("gen0", "gen1", "gen2")},
            **machine(),
        }
    )


if __name__ == "__main__":
    main()
