"""With max_workers=1 submitted tasks run one at a time, in submission order.

Exercises ThreadPoolTaskRunner(max_workers=1) (Prefect docs: task runners)."""
import threading

from prefect import flow, task
from prefect.task_runners import ThreadPoolTaskRunner

lock = threading.Lock()
active = {"now": 0, "max": 0}
order = []


@task
def step(i: int):
    with lock:
        active["now"] += 1
        active["max"] = max(active["max"], active["now"])
    order.append(i)
    threading.Event().wait(0.05)
    with lock:
        active["now"] -= 1
    return i


@flow(task_runner=ThreadPoolTaskRunner(max_workers=1))
def run():
    futures = [step.submit(i) for i in range(5)]
    return [f.result() for f in futures]


print(run())
print(order, active["max"])
