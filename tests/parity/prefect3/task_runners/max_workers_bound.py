"""ThreadPoolTaskRunner(max_workers=2) never runs more than two tasks at once.

Exercises the max_workers bound, observed with a counter (Prefect docs: task runners)."""
import threading

from prefect import flow, task
from prefect.task_runners import ThreadPoolTaskRunner

lock = threading.Lock()
active = {"now": 0, "max": 0}


@task
def hold(i: int):
    with lock:
        active["now"] += 1
        active["max"] = max(active["max"], active["now"])
    threading.Event().wait(0.1)
    with lock:
        active["now"] -= 1
    return i


@flow(task_runner=ThreadPoolTaskRunner(max_workers=2))
def run():
    return hold.map(range(6)).result()


print(run())
print(active["max"] <= 2)
