"""Artifacts from a flow's tasks: the per-task overhead of a flow whose `--tasks` tasks
each create a markdown artifact, against the same flow without, and the create cost.

    python bench/artifacts.py [--tasks 1000] [--rounds 5]

A fresh interpreter over a fresh embedded home (SQLite, no server) runs, alternately,
a flow of `--tasks` sequential tasks that each call `create_markdown_artifact(...,
key=...)` and the same flow whose tasks do not, `--rounds` times each after one
warm-up of each; it reports the best round of each as µs per task, their difference
(`extra_us_per_task`), and `create_us`: one `create_markdown_artifact` call inside a
task, timed alone (p50 over the calls). The flush of the history (artifacts included)
is part of each flow's time: the flow ends when its history is written. It also
checks every artifact was stored. The issue's target: creating 1,000 artifacts does
not slow the tasks (they go through the background writer). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import emit, machine, run_child

CHILD = """
import json, time
from headwater import flow, task
from headwater.artifacts import create_markdown_artifact
from headwater.client.orchestration import SyncPrefectClient

TASKS, ROUNDS = TASKS_N, ROUNDS_N
costs = []

@task
def plain(i):
    return i

@task
def with_artifact(i):
    t0 = time.perf_counter()
    create_markdown_artifact(f"## Row {i}\\n\\n**ok**", key="bench-report", description="per task")
    costs.append(time.perf_counter() - t0)
    return i

@flow
def run(step):
    for i in range(TASKS):
        step(i)

def timed(step):
    t0 = time.perf_counter()
    run(step)
    return (time.perf_counter() - t0) / TASKS * 1e6

timed(plain), timed(with_artifact)  # warm-up
best = {"without": [], "with": []}
for _ in range(ROUNDS):
    best["without"].append(timed(plain))
    best["with"].append(timed(with_artifact))
without, with_ = min(best["without"]), min(best["with"])
costs.sort()
with SyncPrefectClient() as client:
    stored = len(client.read_artifacts(limit=10000))
print(json.dumps({
    "us_per_task_without": round(without, 2), "us_per_task_with_artifact": round(with_, 2),
    "extra_us_per_task": round(with_ - without, 2), "create_us_p50": round(costs[len(costs) // 2] * 1e6, 2),
    "create_us_p99": round(costs[int(len(costs) * 0.99)] * 1e6, 2),
    "artifacts_stored": stored, "artifacts_expected": TASKS * (ROUNDS + 1),
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    result: dict[str, Any] = {"benchmark": "artifacts", "tasks": args.tasks, "rounds": args.rounds,
                              "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="headwater-artifacts-") as tmp:
        home = Path(tmp)
        started = time.perf_counter()
        child = CHILD.replace("TASKS_N", str(args.tasks)).replace("ROUNDS_N", str(args.rounds))
        result["embedded"] = run_child(child, home, home / "run.log")
        result["wall_s"] = round(time.perf_counter() - started, 2)
    emit(result)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
