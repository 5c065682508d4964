"""Child processes for the concurrency tests: `python limit_workers.py MODE ARGS...`.

Each worker imports headwater, takes its place (prints `ready`), waits for `go` on
stdin so that all workers start together, does its part and writes what it saw as
JSON to the file given. Timestamps are `time.time()`: every worker runs on this
machine, so they share one clock.
"""

from __future__ import annotations

import json
import sys
import time


def _ready() -> None:
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("expected 'go' on stdin")


def hold(name: str, times: int, hold_seconds: float, out: str) -> None:
    """Take a slot of `name` `times` times; record when each hold began and ended."""
    from headwater.concurrency.sync import concurrency

    windows = []
    _ready()
    for _ in range(times):
        with concurrency(name, timeout_seconds=60):
            began = time.time()
            time.sleep(hold_seconds)  # the work done while holding the slot
            windows.append((began, time.time()))
    with open(out, "w") as f:
        json.dump(windows, f)


def rate(name: str, times: int, out: str) -> None:
    """Call rate_limit(name) `times` times; record when each call returned."""
    from headwater.concurrency.sync import rate_limit

    stamps = []
    _ready()
    for _ in range(times):
        rate_limit(name, timeout_seconds=60)
        stamps.append(time.time())
    with open(out, "w") as f:
        json.dump(stamps, f)


def hold_forever(name: str, lease_seconds: float) -> None:
    """Hold a slot of `name` under a short lease until killed."""
    from headwater.concurrency.sync import concurrency

    with concurrency(name, lease_duration=lease_seconds):
        print("held", flush=True)
        sys.stdin.read()  # until the test kills this process


def tagged_flow(tag: str, tasks: int, hold_seconds: float, out: str) -> None:
    """Run a flow submitting `tasks` task runs tagged `tag`; record each one's running window."""
    from headwater import flow, task

    @task(tags=[tag])
    def work() -> tuple[float, float]:
        began = time.time()
        time.sleep(hold_seconds)
        return began, time.time()

    @flow
    def tagged() -> list[tuple[float, float]]:
        return [future.result() for future in [work.submit() for _ in range(tasks)]]

    _ready()
    windows = tagged()
    with open(out, "w") as f:
        json.dump(windows, f)


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "hold":
        hold(args[0], int(args[1]), float(args[2]), args[3])
    elif mode == "rate":
        rate(args[0], int(args[1]), args[2])
    elif mode == "hold-forever":
        hold_forever(args[0], float(args[1]))
    elif mode == "tagged-flow":
        tagged_flow(args[0], int(args[1]), float(args[2]), args[3])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
