"""One engine process of the load proof: a flow that submits N tasks at once.

    python load_flow.py SIGNALS INDEX N

Run by tests/system/test_load.py and bench/load.py, eight at a time. The process
imports headwater and defines its flow, touches `SIGNALS/ready-INDEX`, then waits
for `SIGNALS/go` so every process starts its flow at the same moment. The flow maps
one trivial task over range(N) on the default thread runner (all N submitted before
any is waited on) and checks the sum. The last stdout line is JSON: the flow run
id, the number of tasks, the seconds from the start signal to the flow's return
(history flushed, as at every flow end) and the process's CPU seconds.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from headwater import flow, task
from headwater.runtime import flow_run

START_TIMEOUT_SECONDS = 120.0


@task
def double(i: int) -> int:
    return 2 * i


@flow(name="load")
def load(process: int, n: int) -> str:
    futures = double.map(range(n))
    total = sum(future.result() for future in futures)
    if total != n * (n - 1):
        raise AssertionError(f"process {process}: tasks returned {total}, expected {n * (n - 1)}")
    return str(flow_run.id)


def _wait_for_go(signals: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not (signals / "go").exists():
        if time.monotonic() > deadline:
            sys.exit(f"no start signal in {signals} after {START_TIMEOUT_SECONDS:g} s")
        time.sleep(0.005)


def main(argv: list[str]) -> None:
    signals, index, n = Path(argv[1]), int(argv[2]), int(argv[3])
    (signals / f"ready-{index}").touch()
    _wait_for_go(signals)
    started = time.perf_counter()
    flow_run_id = load(index, n)
    seconds = time.perf_counter() - started
    # CPU of all the process's threads, start-up included: steadier than wall time on a busy machine.
    print(json.dumps({"flow_run_id": flow_run_id, "tasks": n, "seconds": round(seconds, 3),
                      "cpu_seconds": round(time.process_time(), 3)}))


if __name__ == "__main__":
    main(sys.argv)
