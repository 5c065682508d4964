"""Flows the pause tests run in their own processes. Each prints what it did, one line
at a time (flushed), so the test can follow it from another process."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from headwater import flow, task
from headwater.flow_runs import pause_flow_run, suspend_flow_run
from headwater.input import RunInput
from headwater.runtime import flow_run


class Approval(RunInput):
    approved: bool
    note: str = ""


@flow
def gate(poll_interval: float = 1.0) -> str:
    """Pauses for an `Approval`; prints its id first, then the answer and when it came."""
    print("id", flow_run.id, flush=True)
    answer = pause_flow_run(wait_for_input=Approval, timeout=120, poll_interval=poll_interval)
    print("continued", f"{time.time():.6f}", answer.approved, repr(answer.note), flush=True)
    return answer.note


@task(persist_result=True)
def record(out: str, name: str) -> str:
    with open(Path(out) / "tasks.log", "a") as f:
        f.write(name + "\n")
    return name


@flow
def suspending(out: str) -> str:
    """Runs a task, suspends for a number, runs another: resumed, the first is not run again."""
    first = record(out, "before")
    number = suspend_flow_run(wait_for_input=int, timeout=120)
    second = record(out, f"after-{number}")
    return f"{first}/{second}"


if __name__ == "__main__":
    gate(poll_interval=float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
