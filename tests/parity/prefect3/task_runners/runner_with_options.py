"""Flow.with_options(task_runner=...) swaps the runner for the copy only.

Exercises Flow.with_options(task_runner=...) (Prefect API: Flow.with_options)."""
import threading

from prefect import flow, task
from prefect.task_runners import ThreadPoolTaskRunner

lock = threading.Lock()
state = {"now": 0, "max": 0}


@task
def work(i):
    with lock:
        state["now"] += 1
        state["max"] = max(state["max"], state["now"])
    threading.Event().wait(0.05)
    with lock:
        state["now"] -= 1
    return i * 2


@flow(task_runner=ThreadPoolTaskRunner(max_workers=4))
def pipeline():
    return work.map(range(4)).result()


serial = pipeline.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))
print(serial())
print("serial max:", state["max"])
print(type(pipeline.task_runner).__name__)
