"""The flows the fault proofs run, in real processes.

Run as a script (`python fault_flows.py NAME FOLDER ...`) in client mode, or deployed
(`fault_flows.py:through_outage`) for a worker. They talk to the test through files in
FOLDER: they touch a file to say how far they got, and wait for one the test touches
(bounded waits: a test that died does not leave them running for ever).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from headwater import flow, get_run_logger, task
from headwater.concurrency.sync import concurrency
from headwater.runtime import flow_run
from headwater.task_runners import ThreadPoolTaskRunner

GATE_TIMEOUT_S = 300.0


def wait_for_file(path: Path, timeout: float = GATE_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} never appeared")
        time.sleep(0.02)


def touch(folder: Path, name: str, text: str = "") -> None:
    (folder / f".{name}").write_text(text)
    (folder / f".{name}").rename(folder / name)  # appears whole


# -- 1. an engine killed while holding slots ----------------------------------------------

@task(tags=["faults-io"])
def hold_io(folder: str, i: int) -> None:
    touch(Path(folder), f"task-{i}")
    threading.Event().wait(GATE_TIMEOUT_S)  # until the process is killed


@flow(name="slot-holder", task_runner=ThreadPoolTaskRunner(max_workers=64))
def slot_holder(folder: str, tasks: int, slots: int) -> None:
    """Holds `slots` of 'faults-db' and, in `tasks` tasks, every slot of tag 'faults-io'."""
    with concurrency("faults-db", occupy=slots):
        futures = [hold_io.submit(folder, i) for i in range(tasks)]
        for i in range(tasks):
            wait_for_file(Path(folder) / f"task-{i}")
        touch(Path(folder), "holding", f"{flow_run.id}")
        for future in futures:
            future.wait()


@task(tags=["faults-io"])
def use_io(i: int) -> float:
    return time.time()


@flow(name="slot-waiter", task_runner=ThreadPoolTaskRunner(max_workers=64))
def slot_waiter(folder: str, tasks: int, slots: int) -> None:
    """Waits for what `slot_holder` holds; says when it got each part."""
    touch(Path(folder), "waiting")
    with concurrency("faults-db", occupy=slots):
        got_db = time.time()
        stamps = [f.result() for f in [use_io.submit(i) for i in range(tasks)]]
    touch(Path(folder), "acquired", f"{got_db} {max(stamps)}")


# -- 2, 3. a server or its database lost mid-flow ------------------------------------------

@task
def step(i: int, delay: float) -> int:
    if delay:
        time.sleep(delay)
    return i


@flow(name="steady")
def steady(folder: str, n: int, delay: float, gate: str) -> int:
    """`n` tasks one after another, a log line every 10. Touches 'third' a third of
    the way, waits for `gate` two thirds of the way, and touches 'past-gate'."""
    out, logger, total = Path(folder), get_run_logger(), 0
    for i in range(n):
        total += step(i, delay)
        if i % 10 == 0:
            logger.info("step %d", i)
        if i == n // 3:
            touch(out, "third")
        if i == 2 * n // 3:
            wait_for_file(out / gate)
            touch(out, "past-gate")
    return total


# -- 5. a worker's run while the server is away ----------------------------------------

@flow(name="through-outage")
def through_outage(folder: str, delay: float = 0.05) -> int:
    """Runs tasks until the test says the server is back ('server-back'), then ten more.
    Touches 'running' after the first ten; writes how many tasks it ran to 'count'."""
    out, logger = Path(folder), get_run_logger()
    done = 0
    while done < 10 or not (out / "server-back").exists():
        step(done, delay)
        logger.info("outage step %d", done)
        done += 1
        if done == 10:
            touch(out, "running")
        (out / "progress").write_text(str(done))
        if done * delay > GATE_TIMEOUT_S:
            raise TimeoutError("the test never said the server was back")
    for _ in range(10):
        step(done, 0)
        logger.info("outage step %d", done)
        done += 1
    (out / "count").write_text(str(done))
    return done


FLOWS = {"slot_holder": slot_holder, "slot_waiter": slot_waiter, "steady": steady}

if __name__ == "__main__":
    name, folder, *args = sys.argv[1:]
    chosen = FLOWS[name]
    if name == "steady":
        print(chosen(folder, int(args[0]), float(args[1]), args[2]), flush=True)
    else:
        chosen(folder, int(args[0]), int(args[1]))
