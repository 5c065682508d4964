"""Record builders and subprocess workers shared by the store tests.

The workers are module-level functions so `multiprocessing` (spawn) can import them
in the child processes.
"""

from __future__ import annotations

import uuid
from typing import Any

from headwater.orchestrator.records import (
    FlowRunCreated,
    LogEmitted,
    StateChanged,
    TaskInputsRecorded,
    TaskRunCreated,
)


def new_id() -> str:
    return str(uuid.uuid4())


def flow_run_created(
    flow_run_id: str, *, flow: str = "etl", name: str = "brave-otter", created: float = 100.0, **kw: Any
) -> FlowRunCreated:
    return FlowRunCreated(
        flow_run_id,
        flow,
        name,
        kw.get("parameters", {}),
        kw.get("tags", []),
        kw.get("parent_task_run_id"),
        created,
    )


def state(run_id: str, type_: str, ts: float, *, task: bool = True, name: str | None = None, **kw: Any) -> StateChanged:
    return StateChanged(run_id, task, type_, name or type_.capitalize(), kw.get("message"), ts, kw.get("details"))


def task_run(flow_run_id: str | None, index: int, t0: float, *, task_run_id: str | None = None) -> list[Any]:
    """The five records of a task run that completes: created, 3 states, a log line."""
    task_run_id = task_run_id or new_id()
    return [
        TaskRunCreated(task_run_id, flow_run_id, f"work-{index:03x}", "work", "mod.work", index, [], t0),
        state(task_run_id, "PENDING", t0 + 0.1),
        state(task_run_id, "RUNNING", t0 + 0.2),
        LogEmitted(flow_run_id, task_run_id, 20, "headwater.task_runs", f"task {index} done", t0 + 0.25),
        state(task_run_id, "COMPLETED", t0 + 0.3),
    ]


def write_flow_with_tasks(url: str, tasks: int, batch_records: int, barrier: Any, worker: int) -> None:
    """Child process: wait for the others, then write one flow run with `tasks` task runs."""
    from headwater.store import Store

    store = Store.open(url, busy_timeout_seconds=30)
    flow_run_id = new_id()
    records: list[Any] = [
        flow_run_created(flow_run_id, flow=f"worker-{worker}", name=f"run-{worker}"),
        state(flow_run_id, "RUNNING", 100.0, task=False),
    ]
    for i in range(tasks):
        records += task_run(flow_run_id, i, 100.0 + i)
        if i % 7 == 0:  # some input edges too
            records.append(TaskInputsRecorded(records[-5].id, (("x", flow_run_id, "data"),)))
    records.append(state(flow_run_id, "COMPLETED", 100.0 + tasks, task=False))
    barrier.wait(timeout=60)
    for start in range(0, len(records), batch_records):
        store.history.write(records[start : start + batch_records])
    store.close()


def open_fresh(url: str, barrier: Any) -> None:
    """Child process: wait for the others, then open (and so create) the same database."""
    from headwater.store import Store

    barrier.wait(timeout=60)
    store = Store.open(url)
    store.history.counts()
    store.close()
