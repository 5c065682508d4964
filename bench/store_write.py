"""CPU cost of `Store.write` per task run on SQLite: the background writer's hot path.

Each task run is the five records the engine produces (created, Pending, Running,
Completed, one log line), written in batches of ~5,000 records as the writer does.
Prints one JSON line; `us_per_task` is CPU time (process_time) per task run.

    python bench/store_write.py [--tasks 20000] [--batch 5000] [--url sqlite:///...]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from pathlib import Path

from headwater.core.ids import new_id as time_ordered_id
from headwater.orchestrator.records import FlowRunCreated, LogEmitted, StateChanged, TaskRunCreated
from headwater.store import Store


def make_records(tasks: int, new_id: object = lambda: str(uuid.uuid4())) -> list[object]:
    flow_run_id = new_id()
    t = time.time()
    records: list[object] = [
        FlowRunCreated(flow_run_id, "bench", "quick-otter", {"n": tasks}, [], None, t),
        StateChanged(flow_run_id, False, "RUNNING", "Running", None, t, None),
    ]
    for i in range(tasks):
        task_run_id = new_id()
        t += 5e-5
        records += [
            TaskRunCreated(task_run_id, flow_run_id, f"noop-{i:x}", "noop", "bench.noop", i, [], t),
            StateChanged(task_run_id, True, "PENDING", "Pending", None, t, None),
            StateChanged(task_run_id, True, "RUNNING", "Running", None, t + 1e-5, None),
            LogEmitted(flow_run_id, task_run_id, 20, "headwater.task_runs", "Finished in state Completed()", t + 2e-5),
            StateChanged(task_run_id, True, "COMPLETED", "Completed", None, t + 2e-5, None),
        ]
    records.append(StateChanged(flow_run_id, False, "COMPLETED", "Completed", None, t, None))
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--ordered-ids", action="store_true", help="time-ordered (UUIDv7-like) run ids")
    parser.add_argument("--url", default=None, help="database URL (default: a SQLite file in a temp dir)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = Store.open(url)
        store.history.write(make_records(10))  # warm up: compiled statements, flow id cache
        records = make_records(args.tasks, time_ordered_id if args.ordered_ids else lambda: str(uuid.uuid4()))
        batches = [records[i : i + args.batch] for i in range(0, len(records), args.batch)]
        cpu, wall = time.process_time(), time.perf_counter()
        for batch in batches:
            store.history.write(batch)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert store.history.counts()["task_runs"] == args.tasks + 10
        store.close()
    print(
        json.dumps(
            {
                "bench": "store_write",
                "us_per_task": round(cpu / args.tasks * 1e6, 2),
                "wall_us_per_task": round(wall / args.tasks * 1e6, 2),
                "tasks": args.tasks,
                "batch_records": args.batch,
                "ids": "time-ordered" if args.ordered_ids else "uuid4",
                "backend": url.split(":", 1)[0],
            }
        )
    )


if __name__ == "__main__":
    main()
