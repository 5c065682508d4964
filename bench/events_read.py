"""Reading events from a big store: `POST /api/events/filter` through a real server.

    python bench/events_read.py [--task-runs 100000] [--requests 40] [--backfill]

Fills a fresh SQLite home with `--task-runs` task runs (100 per flow run, three states
each: Pending, Running, Completed) spread over the last hour, and 1,000 emitted
events, through the history writer, a batch at a time with the writer's clock at the
batch's time, as a writer flushing as the runs go leaves its marks (`state_marks`,
store/state_events.py); with `--backfill`, all at once now (the marks then say nothing
of the hour: the worst case); then starts `headwater server start` on it and
times single requests of the events page (limit 50, the last hour), newest first:
unfiltered, by name prefix, by one resource id, and the page after the first. The
events of state changes are derived from the `states` table when read
(store/state_events.py). Prints one JSON line with p50 / p99 per query, in ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))

from _common import emit, machine  # noqa: E402
from api_throughput import _start_server  # noqa: E402


def fill(home: Path, task_runs: int, backfill: bool = False) -> str:
    from headwater.core import clock
    from headwater.orchestrator.records import EventEmitted, FlowRunCreated, StateChanged, TaskRunCreated
    from headwater.store import Store

    def write(store: Any, records: list[Any]) -> None:
        if backfill or not records:
            store.history.write(records)
            return
        newest = max(getattr(r, "timestamp", 0.0) or getattr(r, "occurred", 0.0) for r in records)
        with clock.use_clock(lambda: newest + 0.25):  # flushed a moment after its newest state
            store.history.write(records)

    now = time.time()
    start = now - 3500
    step = 3400 / task_runs
    one_task_run = ""
    with Store.open(f"sqlite:///{home / 'headwater.db'}") as store:
        records: list[Any] = []
        for i in range(task_runs):
            ts = start + i * step
            if i % 100 == 0:
                flow_run = str(uuid.uuid4())
                records += [FlowRunCreated(flow_run, "bench", f"run-{i}", {}, ["bench"], None, ts),
                            StateChanged(flow_run, False, "RUNNING", "Running", None, ts, None)]
            task_run = str(uuid.uuid4())
            one_task_run = one_task_run or task_run
            records += [TaskRunCreated(task_run, flow_run, f"t-{i}", "t", "t-key", i, [], ts),
                        StateChanged(task_run, True, "PENDING", "Pending", None, ts, None),
                        StateChanged(task_run, True, "RUNNING", "Running", None, ts + step / 3, None),
                        StateChanged(task_run, True, "COMPLETED", "Completed", None, ts + 2 * step / 3, None)]
            if i % 100 == 99:
                records.append(StateChanged(flow_run, False, "COMPLETED", "Completed", None, ts + step, None))
                records.append(EventEmitted(str(uuid.uuid4()), ts + step, "bench.done", {
                    "prefect.resource.id": f"bench.{i}"}, [{"prefect.resource.id": f"prefect.flow-run.{flow_run}",
                                                          "prefect.resource.role": "flow-run"}], {}, None))
            if len(records) >= 2_000:
                write(store, records)
                records = []
        write(store, records)
    return one_task_run


def timed(client: Any, body: dict[str, Any], requests: int) -> tuple[dict[str, float], dict[str, Any]]:
    latencies = []
    reply: dict[str, Any] = {}
    for _ in range(requests):
        t0 = time.perf_counter()
        response = client.post("/events/filter", json=body)
        latencies.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise SystemExit(f"events/filter failed: {response.status_code} {response.text[:300]}")
        reply = response.json()
    latencies.sort()
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1)  # noqa: E731
    return {"p50_ms": pick(0.5), "p99_ms": pick(0.99)}, reply


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task-runs", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--backfill", action="store_true", help="write the hour's history at once, now")
    args = parser.parse_args()
    import httpx

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        t0 = time.perf_counter()
        one_task_run = fill(home, args.task_runs, args.backfill)
        fill_s = round(time.perf_counter() - t0, 1)
        proc, url = _start_server(home, None)
        try:
            since = {"occurred": {"since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))}}
            result: dict[str, Any] = {"bench": "events_read", "task_runs": args.task_runs, "fill_s": fill_s,
                                      "backfill": args.backfill}
            with httpx.Client(base_url=url, timeout=120) as client:
                result["last_hour"], first = timed(client, {"filter": since, "limit": 50}, args.requests)
                result["total"] = first["total"]
                result["prefix_flow_run"], _ = timed(client, {"filter": {
                    **since, "event": {"prefix": ["prefect.flow-run."]}}, "limit": 50}, args.requests)
                result["one_task_run"], one = timed(client, {"filter": {
                    **since, "resource": {"id": [f"prefect.task-run.{one_task_run}"]}}, "limit": 50}, args.requests)
                result["one_task_run_events"] = len(one["events"])
                next_page = first["next_page"]
                latencies = []
                for _ in range(args.requests):
                    t1 = time.perf_counter()
                    page = client.get(next_page)
                    latencies.append(time.perf_counter() - t1)
                    if page.status_code != 200:
                        raise SystemExit(f"next page failed: {page.status_code} {page.text[:300]}")
                latencies.sort()
                result["second_page"] = {"p50_ms": round(latencies[len(latencies) // 2] * 1000, 1)}
        finally:
            proc.terminate()
            proc.wait(30)
        result.update(machine())
        emit(result)


if __name__ == "__main__":
    main()
